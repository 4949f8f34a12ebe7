// `paperboy harvest [--set cs] [--from DATE] [--until DATE] [--metadata-prefix arXiv|arXivRaw]
// [--restart]`: harvests arXiv metadata over OAI-PMH with a checkpoint after every page, so a killed
// or failed run resumes where it stopped. Exit codes: 0 done, 3 some records rejected, 1 the run
// failed (run again to resume), 2 bad arguments.
import type { Command } from "commander";
import type { MetadataPrefix } from "../../papers/import/arguments.ts";
import { ArxivClient } from "../../papers/import/http.ts";
import { checkHarvestOptions, type HarvestOptions, harvest } from "../../papers/import/oai-pmh.ts";
import { emptyReport, type ImportReport } from "../../papers/import/run.ts";
import { withContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import { log } from "../log.ts";
import { createProgress, type Progress } from "../progress.ts";
import { importerFailure, printReport, usage } from "./ingest.ts";

interface HarvestFlags {
  set?: string;
  from?: string;
  until?: string;
  metadataPrefix: string;
  restart?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function registerHarvestCommand(program: Command) {
  program
    .command("harvest")
    .description("Harvest arXiv metadata over OAI-PMH, resuming from the last checkpoint")
    .option("--set <set>", "OAI set, such as cs or physics:hep-th (default: all of arXiv)")
    .option("--from <date>", "first datestamp day, YYYY-MM-DD")
    .option("--until <date>", "last datestamp day, YYYY-MM-DD")
    .option("--metadata-prefix <prefix>", "arXiv or arXivRaw (which has every version and its date)", "arXiv")
    .option("--restart", "discard the stored checkpoint and start from the first page")
    .option("--json", "print the report as JSON on stdout")
    .option("--quiet", "no progress bar or periodic progress lines")
    .action(async (flags: HarvestFlags) => {
      const options: HarvestOptions = {
        metadataPrefix: flags.metadataPrefix as MetadataPrefix,
        restart: Boolean(flags.restart),
        ...(flags.set !== undefined ? { set: flags.set } : {}),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.until !== undefined ? { until: flags.until } : {}),
      };
      usage(() => checkHarvestOptions(options));
      let report: ImportReport = emptyReport();
      let extra: Record<string, unknown> = {};
      await withContext(async ({ db, config }) => {
        const client = new ArxivClient({ minIntervalMs: config.arxivMinIntervalMs });
        let progress: Progress | undefined;
        try {
          const result = await harvest(db, client, config.arxivOaiUrl, {
            ...options,
            onRejected: (r) => log.warn(`rejected ${r.ref}: ${r.reason}`),
            onResume: ({ token, recordsSeen }) =>
              log.info("resuming the harvest from its checkpoint (--restart starts over)", { token, recordsSeen }),
            onPage: ({ recordsSeen, completeListSize, pages }) => {
              progress ??= createProgress({
                label: "harvest",
                total: completeListSize ?? recordsSeen,
                unit: "items",
                mode: flags.quiet ? "silent" : undefined,
              });
              progress.update(recordsSeen, { pages });
            },
          });
          report = result.report;
          extra = {
            pages: result.pages,
            recordsSeen: result.recordsSeen,
            deleted: result.deleted,
            resumed: result.resumed,
          };
        } catch (err) {
          const partial = (err as { result?: { report: ImportReport } }).result?.report ?? null;
          throw importerFailure(err, partial);
        } finally {
          progress?.stop();
          await client.close();
        }
      });
      printReport(report, flags.json, extra);
      if (report.rejected > 0) process.exitCode = EXIT.PARTIAL;
    });
}
