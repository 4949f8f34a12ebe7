// `paperboy fetch <id-or-url>...`: fetches papers from the arXiv API by id or URL and stores them
// (a newer version updates the stored paper). Prints one line per paper. Exit codes: 0 all stored,
// 3 some were not found on arXiv or could not be read, 1 arXiv could not be reached, 2 an argument is
// not an arXiv id or URL (nothing is fetched then).
import type { Command } from "commander";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { type FetchOutcome, fetchPapers } from "../../papers/import/fetch-one.ts";
import { ArxivClient } from "../../papers/import/http.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";
import { importerFailure } from "./ingest.ts";

export function registerFetchCommand(program: Command) {
  program
    .command("fetch")
    .description("Fetch papers from arXiv by id or URL and store them (the latest version)")
    .argument("<ids...>", "arXiv ids or URLs: 2406.01234, hep-th/9711200, https://arxiv.org/abs/2406.01234v2")
    .option("--json", "print the outcomes as JSON on stdout")
    .action(async (inputs: string[], flags: { json?: boolean }) => {
      const bad = inputs.filter((i) => parseArxivId(i) === null);
      if (bad.length > 0) {
        throw new CommandError(
          `not an arXiv id or URL: ${bad.map((b) => JSON.stringify(b)).join(", ")} (expected e.g. 2406.01234, hep-th/9711200 or https://arxiv.org/abs/2406.01234)`,
          EXIT.USAGE,
        );
      }
      const outcomes = await withContext(async ({ db, config }) => {
        const client = new ArxivClient({ minIntervalMs: config.arxivMinIntervalMs });
        try {
          return await fetchPapers(db, config, inputs, { client });
        } catch (err) {
          throw importerFailure(err, null);
        } finally {
          await client.close();
        }
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
      else for (const o of outcomes) process.stdout.write(`${describe(o)}\n`);
      if (outcomes.some((o) => !isStored(o))) process.exitCode = EXIT.PARTIAL;
    });
}

function isStored(o: FetchOutcome): boolean {
  return "paperId" in o;
}

function describe(o: FetchOutcome): string {
  if ("paperId" in o) return `${o.arxivId}${o.version ? `v${o.version}` : ""} ${o.status}: ${o.title}`;
  return `${o.input}: ${o.message}`;
}
