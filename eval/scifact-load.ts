// Data for the embedder experiments (eval/scifact-semantic.ts, bench/embed.ts): the arXiv listing
// corpus from ../shared/data, and scoring of a run of (id, score) hits. SciFact itself and its
// metrics come from scifact-data.ts, shared with the product's relevance check.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { loadScifact, mean, ndcgAt, recallAt, type Scifact } from "./scifact-data.ts";

export const DATA_DIR = process.env.PAPERBOY_DATA_DIR ?? new URL("../../shared/data/", import.meta.url).pathname;

export type SciFact = Scifact;

/** The SciFact corpus, its judged train queries and the judgments. */
export function loadSciFact(dir = join(DATA_DIR, "scifact")): SciFact {
  return loadScifact(dir);
}

export interface ArxivPaper {
  arxivId: string;
  title: string;
  abstract: string;
}

/** The arXiv listing corpus (134,939 papers), in shard order; `limit` stops early. */
export function loadArxiv(limit = Number.POSITIVE_INFINITY, dir = join(DATA_DIR, "arxiv")): ArxivPaper[] {
  const out: ArxivPaper[] = [];
  const shards = readdirSync(dir)
    .filter((f) => f.startsWith("papers-") && f.endsWith(".jsonl.gz"))
    .sort();
  for (const name of shards) {
    const lines = gunzipSync(readFileSync(join(dir, name)))
      .toString("utf8")
      .split("\n");
    for (const line of lines) {
      if (line.trim() === "") continue;
      const r = JSON.parse(line) as { arxiv_id: string; title: string; abstract?: string };
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

/** Mean nDCG@10 and Recall@100 of a run (query id -> ranked hits) over the judged queries. */
export function scoreRun(run: Map<string, Hit[]>, qrels: SciFact["qrels"]): { ndcg10: number; recall100: number } {
  const ndcg: number[] = [];
  const recall: number[] = [];
  for (const [q, relevant] of qrels) {
    const ranked = (run.get(q) ?? []).map((h) => h.id);
    ndcg.push(ndcgAt(ranked, relevant, 10));
    recall.push(recallAt(ranked, relevant, 100));
  }
  return { ndcg10: mean(ndcg), recall100: mean(recall) };
}
