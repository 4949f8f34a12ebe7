// `paperboy search "query" [--mode hybrid|keyword|semantic] [--limit N] [--json]`: the same search
// the site and the API run, from the command line.
import type { Command } from "commander";
import { SearchFilterError } from "../../search/lexical/index.ts";
import { openActiveIndex } from "../../search/runtime.ts";
import { SEARCH_MODES, type SearchMode, search } from "../../search/service.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";
import { positiveInt } from "./import.ts";

export function registerSearchCommand(program: Command) {
  program
    .command("search")
    .description("Search papers (hybrid keyword + semantic by default)")
    .argument("<query>", 'what to look for; supports "phrases", -exclude, author:, cat:, before:, after:')
    .option("--mode <mode>", `ranking: ${SEARCH_MODES.join(", ")}`, "hybrid")
    .option("--limit <n>", "results to show", (v) => positiveInt(v, "--limit"), 10)
    .option("--offset <n>", "results to skip", (v) => Number(v), 0)
    .option("--category <cat...>", "only papers in these categories")
    .option("--json", "print the full response as JSON")
    .action(
      async (
        query: string,
        opts: { mode: string; limit: number; offset: number; category?: string[]; json?: boolean },
      ) => {
        if (!(SEARCH_MODES as readonly string[]).includes(opts.mode)) {
          throw new CommandError(
            `--mode must be one of ${SEARCH_MODES.join(", ")} (got ${JSON.stringify(opts.mode)})`,
            EXIT.USAGE,
          );
        }
        const response = await withContext(async ({ db, config }) => {
          const semantic = opts.mode === "keyword" ? null : await openActiveIndex(db, config);
          try {
            return await search(db, semantic, {
              q: query,
              mode: opts.mode as SearchMode,
              limit: opts.limit,
              offset: opts.offset,
              ...(opts.category ? { filters: { categories: opts.category } } : {}),
            });
          } catch (err) {
            if (err instanceof RangeError || err instanceof SearchFilterError)
              throw new CommandError(err.message, EXIT.USAGE);
            throw err;
          }
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
          return;
        }
        for (const w of response.warnings) process.stderr.write(`note: ${w}\n`);
        const out = response.hits.map((h, i) => {
          const p = h.paper;
          const who = p.authors.length > 3 ? `${p.authors.slice(0, 3).join(", ")} et al.` : p.authors.join(", ");
          return `${String(response.offset + i + 1).padStart(3)}. ${p.title}\n     ${p.arxivId}  ${p.date ?? ""}  ${p.categories[0] ?? ""}  ${who}`;
        });
        process.stdout.write(
          `${out.join("\n")}${out.length ? "\n" : ""}${response.total} result(s), ${response.modeUsed} ranking, ${response.tookMs.toFixed(1)} ms\n`,
        );
      },
    );
}
