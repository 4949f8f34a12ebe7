// `paperboy index [--rebuild]`: brings the search index up to date — fits the built-in embedder
// when there is none, embeds new and changed papers, and updates the ANN file beside the database.
// `--embedder` overrides EMBEDDER for this run (switching re-embeds; the new embedder becomes the
// active one when every paper has a vector).
import type { Command } from "commander";
import { updateIndex } from "../../search/indexer.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";
import { log } from "../log.ts";
import { createProgress, type Progress } from "../progress.ts";

const EMBEDDERS = ["builtin", "onnx", "http"] as const;

export function registerIndexCommand(program: Command) {
  program
    .command("index")
    .description("Build or update the search index (embeddings and the vector index)")
    .option("--rebuild", "refit the built-in embedder and re-embed every paper")
    .option("--embedder <kind>", `embedder to index with: ${EMBEDDERS.join(", ")} (default: EMBEDDER)`)
    .option("--json", "print the report as JSON")
    .option("--quiet", "no progress output")
    .action(async (opts: { rebuild?: boolean; embedder?: string; json?: boolean; quiet?: boolean }) => {
      if (opts.embedder && !(EMBEDDERS as readonly string[]).includes(opts.embedder)) {
        throw new CommandError(
          `--embedder must be one of ${EMBEDDERS.join(", ")} (got ${JSON.stringify(opts.embedder)})`,
          EXIT.USAGE,
        );
      }
      const report = await withContext(async ({ config, db }) => {
        const effective = opts.embedder ? { ...config, embedder: opts.embedder as (typeof EMBEDDERS)[number] } : config;
        let bar: Progress | null = null;
        let stage = "";
        const r = await updateIndex(db, effective, {
          rebuild: opts.rebuild,
          progress: (s, done, total) => {
            if (opts.quiet) return;
            if (s !== stage) {
              bar?.stop();
              stage = s;
              const label =
                s === "fit" ? "fitting the built-in embedder" : s === "embed" ? "embedding papers" : "vector index";
              bar = createProgress({ label, total, unit: "items" });
              if (s !== "embed") log.info(label);
            }
            bar?.update(done);
          },
        });
        (bar as Progress | null)?.stop();
        return r;
      });
      const { index: _index, ...printable } = report;
      if (opts.json) process.stdout.write(`${JSON.stringify(printable)}\n`);
      else
        process.stdout.write(
          `index ${report.embedderId}: ${report.fitted ? "model fitted, " : ""}${report.embedded} papers embedded, ${report.indexed} in the vector index (${report.seconds.toFixed(1)} s)\n`,
        );
    });
}
