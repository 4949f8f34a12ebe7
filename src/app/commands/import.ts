// `paperboy import PATH...`: loads JSONL / JSONL.gz files or folders (arXiv listings, Daily Papers
// records). Rejected lines are reported with file:line and reason and the import goes on.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { expandPaths, InputError, readJsonlFiles } from "../../papers/import/jsonl.ts";
import { type ImportReport, importItems, summarize } from "../../papers/import/run.ts";
import { indexAfterImport } from "../../search/runtime.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";
import { log } from "../log.ts";
import { createProgress } from "../progress.ts";

export function registerImportCommand(program: Command) {
  program
    .command("import")
    .description("Import papers and Daily Papers featurings from JSONL or JSONL.gz files or folders")
    .argument("<paths...>", "files or folders of .jsonl / .jsonl.gz")
    .option("--batch-size <n>", "records per transaction", (v) => positiveInt(v, "--batch-size"), 2000)
    .option("--json", "print the report as JSON on stdout")
    .option("--quiet", "no progress bar or periodic progress lines")
    .option("--no-index", "do not update the search index afterwards")
    .action(async (paths: string[], opts: { batchSize: number; json?: boolean; quiet?: boolean; index: boolean }) => {
      let files: string[];
      try {
        files = expandPaths(paths);
      } catch (err) {
        if (err instanceof InputError) throw new CommandError(err.message, EXIT.FAILURE);
        throw err;
      }
      const report = await withContext(async ({ db, config }) => {
        const r = await importFiles(db, files, opts);
        if (opts.index && r.changedPaperIds.length > 0) {
          const indexed = await indexAfterImport(db, config);
          if (indexed.outcome === "updated") log.info(`search index updated: ${indexed.embedded} papers embedded`);
          if (indexed.outcome === "busy") log.info("the running service will add the new papers to the search index");
          if (indexed.outcome === "none") log.info("no search index yet: run paperboy index, or start the service");
        }
        return r;
      });
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, changedPaperIds: undefined })}\n`);
      else process.stdout.write(`${summarize(report)}\n`);
      if (report.failedFiles.length > 0)
        throw new CommandError(`${report.failedFiles.length} file(s) could not be read`, EXIT.FAILURE);
      if (report.rejected > 0) process.exitCode = EXIT.PARTIAL;
    });
}

async function importFiles(
  db: Parameters<typeof importItems>[0],
  files: string[],
  opts: { batchSize: number; quiet?: boolean },
): Promise<ImportReport> {
  const total = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const progress = createProgress({ label: "import", total, unit: "bytes", mode: opts.quiet ? "silent" : undefined });
  const read = { bytes: 0 };
  try {
    return await importItems(db, readJsonlFiles(files, read), {
      batchSize: opts.batchSize,
      onRejected: (r) => log.warn(`rejected ${r.ref}: ${r.reason}`),
      onFileFailed: (f) => log.error(`${f.file}: ${f.reason}`),
      afterBatch: (_result, report) =>
        progress.update(read.bytes, {
          inserted: report.inserted,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected,
        }),
    });
  } finally {
    progress.update(total);
    progress.stop();
  }
}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CommandError(`${name} must be a positive whole number (got ${JSON.stringify(value)})`, EXIT.USAGE);
  return n;
}
