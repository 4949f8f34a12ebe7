// npm run eval:scifact-scale — relevance when the relevant papers are a few among many: SciFact's
// 5,183 abstracts mixed into the 134,939 real arXiv papers of ../shared/data/arxiv, which act as
// distractors (none of them is judged relevant). It builds the index as `paperboy index` does, runs
// the 809 training claims through search() in each mode, and prints nDCG@10 and Recall@100. Then
// keyword search in one step (lexical/sqlite.ts, without the two-step ranking of sqlite-rescore.ts)
// at several limits of the common-word pruning (sqlite-prune.ts), exact bm25 included, so what
// bounding long queries costs in relevance is measured where it applies: SciFact alone is too small
// for any word to be pruned.
//
//   npm run eval:scifact-scale [-- --reuse DIR [--db FILE]] [-- --arxiv DIR] [-- --limits 1,0.5,inf]
//
// --reuse DIR keeps the database (DIR/FILE, default scifact-scale.db) and its index between runs;
// pointed at the database of a `bench:search -- --data DIR` run (e.g. 1,000,000 papers of
// bench:scale-corpus, FILE bench.db), it adds SciFact to those papers instead of importing arXiv.
// --limits lists the pruning limits to compare, as multiples of the shipped one ("inf": exact).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { expandPaths, readJsonlFiles } from "../src/papers/import/jsonl.ts";
import { importItems } from "../src/papers/import/run.ts";
import { updateIndex } from "../src/search/indexer.ts";
import { keywordSearch } from "../src/search/lexical/index.ts";
import { commonLimit } from "../src/search/lexical/sqlite-prune.ts";
import { parseQuery } from "../src/search/query.ts";
import type { SemanticIndex } from "../src/search/semantic.ts";
import { type SearchMode, search } from "../src/search/service.ts";
import { loadIntoDb, loadScifact, SCIFACT_DIR, scoreRanking } from "./scifact-data.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: SCIFACT_DIR },
    arxiv: { type: "string", default: "../shared/data/arxiv" },
    reuse: { type: "string" },
    db: { type: "string", default: "scifact-scale.db" },
    limits: { type: "string", default: "inf,2,1,0.5,0.2" },
  },
});
const factors = (args.limits as string).split(",").map((x) => (x.trim() === "inf" ? Infinity : Number(x)));
if (factors.some((f) => !(f > 0))) {
  console.error(`--limits takes positive numbers or "inf", separated by commas (got "${args.limits}")`);
  process.exit(2);
}
const dir = args.reuse ?? mkdtempSync(join(tmpdir(), "paperboy-scifact-scale-"));
mkdirSync(dir, { recursive: true });
const file = join(dir, args.db as string);
const fresh = !existsSync(file);
const config = loadConfig({ ...process.env, DATA_DIR: dir, LOG_LEVEL: "warn" });
const db = await openDatabase(`sqlite:${file}`);
try {
  const data = loadScifact(args.data as string);
  const t0 = performance.now();
  if (fresh) await importItems(db, readJsonlFiles(expandPaths([args.arxiv as string])));
  // Loading again is a no-op on a reused database; it also maps paper ids to SciFact ids.
  const docOf = await loadIntoDb(db, data.docs);
  const built = await updateIndex(db, config);
  const semantic = built.index as SemanticIndex;
  const { n } = (await db.kysely
    .selectFrom("papers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow()) as { n: number };
  const total = Number(n);
  console.log(
    `${total} papers (${data.docs.length} SciFact, the rest distractors), ${data.queries.length} queries; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const table: string[] = ["| ranking | nDCG@10 | Recall@100 | latency p50 / p95 |", "|---|---|---|---|"];
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * xs.length)] ?? 0;
  async function score(label: string, rank: (q: string) => Promise<number[]>): Promise<void> {
    const { ndcg, recall, ms } = await scoreRanking(data, docOf, rank);
    table.push(
      `| ${label} | ${ndcg.toFixed(3)} | ${recall.toFixed(3)} | ${pct(ms, 50).toFixed(1)} / ${pct(ms, 95).toFixed(1)} ms |`,
    );
    console.log(table[table.length - 1]);
  }
  for (const mode of ["keyword", "semantic", "hybrid"] as SearchMode[]) {
    await score(`search(), ${mode}`, async (q) =>
      (await search(db, semantic, { q, mode, limit: 100 })).hits.map((h) => h.paper.id),
    );
  }
  const shipped = commonLimit(total);
  for (const factor of factors) {
    const limit = factor * shipped;
    const label =
      factor === Infinity
        ? "keyword, exact bm25 (no pruning)"
        : `keyword, pruning at ${factor}x the shipped limit (${Math.round(limit)} papers, ${((100 * limit) / total).toFixed(1)}%)`;
    await score(label, async (q) =>
      (await keywordSearch(db, parseQuery(q), { limit: 100, commonLimit: limit, twoStep: false })).hits.map(
        (h) => h.paperId,
      ),
    );
  }
  console.log(`\n${table.join("\n")}`);
} finally {
  await db.close();
  if (!args.reuse) rmSync(dir, { recursive: true, force: true });
}
