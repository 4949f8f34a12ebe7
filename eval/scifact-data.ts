// SciFact (BEIR) for relevance checks: reads the corpus, the training claims and their judgments
// from a folder (by default ../shared/data/scifact beside the project, or SCIFACT_DIR), loads the corpus into a
// Paperboy database as papers, and scores rankings with nDCG@k and Recall@k as BEIR does.
// Corpus ids are not arXiv ids: document i (in file order) becomes the synthetic id 9999.NNNNN.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Db } from "../src/db/client.ts";
import type { ImportRecord } from "../src/papers/model.ts";
import { upsertRecords } from "../src/papers/store.ts";

export const SCIFACT_DIR =
  process.env.SCIFACT_DIR ?? fileURLToPath(new URL("../../shared/data/scifact", import.meta.url));

export interface ScifactDoc {
  id: string;
  title: string;
  text: string;
}

export interface ScifactQuery {
  id: string;
  text: string;
}

export interface Scifact {
  docs: ScifactDoc[];
  /** Only the queries that have judgments. */
  queries: ScifactQuery[];
  /** query id -> (document id -> relevance). */
  qrels: Map<string, Map<string, number>>;
}

function jsonLines<T>(text: string): T[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/** Reads corpus-*.jsonl.gz, queries-<split>.jsonl and qrels/<split>.tsv. */
export function loadScifact(dir = SCIFACT_DIR, split = "train"): Scifact {
  const corpusFiles = readdirSync(dir)
    .filter((n) => /^corpus.*\.jsonl(\.gz)?$/.test(n))
    .sort();
  if (corpusFiles.length === 0) throw new Error(`${dir}: no corpus*.jsonl(.gz) files`);
  const docs: ScifactDoc[] = [];
  for (const name of corpusFiles) {
    const raw = readFileSync(join(dir, name));
    const text = name.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
    for (const d of jsonLines<{ _id: string; title?: string; text?: string }>(text)) {
      docs.push({ id: String(d._id), title: d.title ?? "", text: d.text ?? "" });
    }
  }
  const qrels = new Map<string, Map<string, number>>();
  const tsv = readFileSync(join(dir, "qrels", `${split}.tsv`), "utf8")
    .split("\n")
    .slice(1);
  for (const line of tsv) {
    const [q, d, score] = line.trim().split("\t");
    if (!q || !d || Number(score) <= 0) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)?.set(d, Number(score));
  }
  const queries = jsonLines<{ _id: string; text: string }>(readFileSync(join(dir, `queries-${split}.jsonl`), "utf8"))
    .map((q) => ({ id: String(q._id), text: q.text }))
    .filter((q) => qrels.has(q.id));
  return { docs, queries, qrels };
}

/** The synthetic arXiv id of the i-th corpus document. */
export function scifactArxivId(index: number): string {
  return `9999.${String(index + 1).padStart(5, "0")}`;
}

/** The corpus as import records: title and abstract, no authors or categories. */
export function scifactRecords(docs: ScifactDoc[]): ImportRecord[] {
  return docs.map((d, i) => ({
    ref: `scifact:${d.id}`,
    source: "arxiv-listing",
    paper: {
      arxivId: scifactArxivId(i),
      title: d.title,
      abstract: d.text,
    },
  }));
}

/** Loads the corpus through upsertRecords; returns paper id -> corpus document id. */
export async function loadIntoDb(db: Db, docs: ScifactDoc[], batch = 1000): Promise<Map<number, string>> {
  const records = scifactRecords(docs);
  for (let i = 0; i < records.length; i += batch) await upsertRecords(db, records.slice(i, i + batch));
  const byArxiv = new Map(docs.map((d, i) => [scifactArxivId(i), d.id]));
  const rows = await db.kysely.selectFrom("papers").select(["id", "arxiv_id"]).execute();
  const out = new Map<number, string>();
  for (const r of rows) {
    const doc = byArxiv.get(r.arxiv_id);
    if (doc !== undefined) out.set(r.id, doc);
  }
  return out;
}

/** nDCG@k of a ranked list of document ids (BEIR/trec_eval: gain rel, discount log2(rank + 1)). */
export function ndcgAt(ranked: string[], rels: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += (rels.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...rels.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, rel, i) => sum + rel / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(ranked: string[], rels: Map<string, number>, k: number): number {
  if (rels.size === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  let found = 0;
  for (const id of rels.keys()) if (top.has(id)) found++;
  return found / rels.size;
}

/** How a ranking does over the judged queries: mean nDCG@10 and Recall@100, per-query latency. */
export interface RankingScore {
  ndcg: number;
  recall: number;
  /** Milliseconds per query, in query order. */
  ms: number[];
}

/**
 * Runs `rank` (query text → paper ids, best first) over the queries that have judgments and scores
 * it; `docOf` maps paper ids to SciFact document ids (other papers are never relevant).
 */
export async function scoreRanking(
  data: Scifact,
  docOf: Map<number, string>,
  rank: (q: string) => Promise<number[]>,
): Promise<RankingScore> {
  const ndcg: number[] = [];
  const recall: number[] = [];
  const ms: number[] = [];
  for (const q of data.queries) {
    const rels = data.qrels.get(q.id);
    if (!rels || rels.size === 0) continue;
    const t = performance.now();
    const ids = await rank(q.text);
    ms.push(performance.now() - t);
    const ranked = ids.map((id) => docOf.get(id) ?? "");
    ndcg.push(ndcgAt(ranked, rels, 10));
    recall.push(recallAt(ranked, rels, 100));
  }
  return { ndcg: mean(ndcg), recall: mean(recall), ms };
}

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
