// `paperboy ingest arxiv --category cs.CL --since 2026-11-01`: imports the papers of one arXiv
// category submitted in a range of days through the arXiv API. Exit codes: 0 all stored, 3 some
// entries rejected, 1 the run failed (what was stored before stays), 2 bad arguments.
import type { Command } from "commander";
import { ArgumentError, parseCount } from "../../papers/import/arguments.ts";
import { checkIngestOptions, type IngestOptions, ingestArxiv, MAX_PAGE_SIZE } from "../../papers/import/arxiv-api.ts";
import { ArxivApiError } from "../../papers/import/atom.ts";
import { ArxivClient, ArxivHttpError } from "../../papers/import/http.ts";
import { emptyReport, type ImportReport, summarize } from "../../papers/import/run.ts";
import { XmlFormatError } from "../../papers/import/xml.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";
import { log } from "../log.ts";
import { createProgress, type Progress } from "../progress.ts";

interface IngestFlags {
  category: string;
  since: string;
  until?: string;
  max?: string;
  pageSize: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerIngestCommand(program: Command) {
  const ingest = program.command("ingest").description("Import papers from an online source");
  ingest
    .command("arxiv")
    .description("Import one arXiv category's papers submitted in a range of days, through the arXiv API")
    .requiredOption("--category <category>", "arXiv category, such as cs.CL")
    .requiredOption("--since <date>", "first submission day, YYYY-MM-DD (UTC)")
    .option("--until <date>", "last submission day, YYYY-MM-DD (UTC, default today)")
    .option("--max <n>", "stop after this many papers")
    .option("--page-size <n>", `entries per request, at most ${MAX_PAGE_SIZE}`, "100")
    .option("--json", "print the report as JSON on stdout")
    .option("--quiet", "no progress bar or periodic progress lines")
    .action(async (flags: IngestFlags) => {
      const options = usage(() => {
        const given: IngestOptions = {
          category: flags.category,
          since: flags.since,
          pageSize: parseCount(flags.pageSize, "--page-size", 1, MAX_PAGE_SIZE),
          ...(flags.until !== undefined ? { until: flags.until } : {}),
          ...(flags.max !== undefined ? { max: parseCount(flags.max, "--max") } : {}),
        };
        return checkIngestOptions(given);
      });
      const report = emptyReport();
      await withContext(async ({ db, config }) => {
        const client = new ArxivClient({ minIntervalMs: config.arxivMinIntervalMs });
        let progress: Progress | undefined;
        try {
          await ingestArxiv(
            db,
            client,
            config.arxivApiUrl,
            {
              ...options,
              onRejected: (r) => log.warn(`rejected ${r.ref}: ${r.reason}`),
              onPage: ({ received, total }) => {
                progress ??= createProgress({
                  label: `arxiv ${options.category}`,
                  total: Math.min(total, options.max ?? total),
                  unit: "items",
                  mode: flags.quiet ? "silent" : undefined,
                });
                progress.update(received, counts(report));
              },
            },
            report,
          );
        } catch (err) {
          throw importerFailure(err, report);
        } finally {
          progress?.stop();
          await client.close();
        }
      });
      printReport(report, flags.json);
      if (report.rejected > 0) process.exitCode = EXIT.PARTIAL;
    });
}

function counts(report: ImportReport) {
  return { inserted: report.inserted, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected };
}

/** Runs argument checks, turning ArgumentError into a usage error (exit 2). */
export function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ArgumentError) throw new CommandError(err.message, EXIT.USAGE);
    throw err;
  }
}

/** Turns what an arXiv importer throws into a command failure (exit 1) that says what was kept. */
export function importerFailure(err: unknown, report: ImportReport | null): unknown {
  const known =
    err instanceof ArxivHttpError ||
    err instanceof ArxivApiError ||
    err instanceof XmlFormatError ||
    (err as Error)?.name === "HarvestError";
  if (!known) return err;
  const kept = report ? ` (stored before the failure: ${summarize(report)})` : "";
  return new CommandError(`${(err as Error).message}${kept}`, EXIT.FAILURE);
}

/** The final report: one summary line, or JSON with --json. */
export function printReport(report: ImportReport, json: boolean | undefined, extra: Record<string, unknown> = {}) {
  if (json) process.stdout.write(`${JSON.stringify({ ...report, changedPaperIds: undefined, ...extra })}\n`);
  else process.stdout.write(`${summarize(report)}\n`);
}
