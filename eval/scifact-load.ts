// Loads the evaluation data of the semantic-search experiments from ../shared/data (see its
// README): the SciFact retrieval benchmark (corpus, train queries, relevance judgments), the
// arXiv listing corpus, and scores a ranked run with nDCG@k and Recall@k the way BEIR does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export const DATA_DIR = process.env.PAPERBOY_DATA_DIR ?? new URL("../../shared/data/", import.meta.url).pathname;

export interface SciFactDoc {
  id: string;
  title: string;
  text: string;
}

export interface SciFact {
  docs: SciFactDoc[];
  queries: { id: string; text: string }[];
  /** query id -> (doc id -> relevance grade) */
  qrels: Map<string, Map<string, number>>;
}

function jsonLines<T>(path: string): T[] {
  const raw = path.endsWith(".gz") ? gunzipSync(readFileSync(path)).toString("utf8") : readFileSync(path, "utf8");
  return raw
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

function shards(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".jsonl.gz"))
    .sort()
    .map((f) => join(dir, f));
}

/** The SciFact corpus, its train queries that have judgments, and the judgments. */
export function loadSciFact(dir = join(DATA_DIR, "scifact")): SciFact {
  const docs = shards(dir, "corpus-").flatMap((p) =>
    jsonLines<{ _id: string; title: string; text: string }>(p).map((d) => ({
      id: d._id,
      title: d.title,
      text: d.text,
    })),
  );
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(dir, "qrels", "train.tsv"), "utf8")
    .split("\n")
    .slice(1);
  for (const line of lines) {
    const [q, d, s] = line.trim().split("\t");
    if (!q || !d || s === undefined) continue;
    const m = qrels.get(q) ?? new Map<string, number>();
    m.set(d, Number(s));
    qrels.set(q, m);
  }
  const queries = jsonLines<{ _id: string; text: string }>(join(dir, "queries-train.jsonl"))
    .filter((q) => qrels.has(q._id))
    .map((q) => ({ id: q._id, text: q.text }));
  return { docs, queries, qrels };
}

export interface ArxivPaper {
  arxivId: string;
  title: string;
  abstract: string;
}

/** The arXiv listing corpus (134,939 papers), in shard order; `limit` stops early. */
export function loadArxiv(limit = Number.POSITIVE_INFINITY, dir = join(DATA_DIR, "arxiv")): ArxivPaper[] {
  const out: ArxivPaper[] = [];
  for (const path of shards(dir, "papers-")) {
    for (const r of jsonLines<{ arxiv_id: string; title: string; abstract?: string }>(path)) {
      out.push({ arxivId: r.arxiv_id, title: r.title, abstract: r.abstract ?? "" });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export interface Hit {
  id: string;
  score: number;
}

/** nDCG@k of one ranked list (graded gains, log2 discount), as BEIR computes it. */
export function ndcgAt(ranked: readonly Hit[], relevant: Map<string, number>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const g = relevant.get((ranked[i] as Hit).id) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  }
  const ideal = [...relevant.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += (ideal[i] as number) / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Recall@k of one ranked list: the share of relevant documents found in the top k. */
export function recallAt(ranked: readonly Hit[], relevant: Map<string, number>, k: number): number {
  const rel = [...relevant.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (rel.length === 0) return 0;
  const top = new Set(ranked.slice(0, k).map((h) => h.id));
  return rel.filter((id) => top.has(id)).length / rel.length;
}

/** Mean nDCG@10 and Recall@100 of a run (query id -> ranked hits) over the judged queries. */
export function scoreRun(run: Map<string, Hit[]>, qrels: SciFact["qrels"]): { ndcg10: number; recall100: number } {
  let ndcg = 0;
  let recall = 0;
  for (const [q, relevant] of qrels) {
    const ranked = run.get(q) ?? [];
    ndcg += ndcgAt(ranked, relevant, 10);
    recall += recallAt(ranked, relevant, 100);
  }
  return { ndcg10: ndcg / qrels.size, recall100: recall / qrels.size };
}
