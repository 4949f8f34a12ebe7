// Search as every caller uses it — the CLI, the JSON API, the HF-compatible API, the pages and the
// benchmark: parse what the user typed, rank by keyword, by meaning, or both fused (the default),
// apply the same filters in every mode, and return paper cards with highlighted matches.
import type { Db } from "../db/client.ts";
import { type PaperCard, paperCards } from "../papers/cards.ts";
import { normalize } from "./embedder.ts";
import { convexFusion, type Scored } from "./fusion.ts";
import { highlightPaper, type PaperHighlights } from "./highlight.ts";
import { allowedIds, keywordSearch, MAX_LIMIT, MAX_OFFSET, type SearchFilters } from "./lexical/index.ts";
import { type ParsedQuery, parseQuery } from "./query.ts";
import type { SemanticIndex } from "./semantic.ts";

export type SearchMode = "hybrid" | "keyword" | "semantic";
export const SEARCH_MODES: readonly SearchMode[] = ["hybrid", "keyword", "semantic"];

/**
 * Candidates each half contributes to a fused ranking. 100 keeps the fused top 10 as good as
 * fusing everything (SciFact's relevant documents sit in the keyword top 100 92% of the time) and
 * keeps a query in single-digit milliseconds; deeper pages fetch deeper pools.
 */
export const FUSION_POOL = 100;
/**
 * Query expansion of the semantic half in hybrid mode (pseudo-relevance feedback in vector space):
 * the query vector moves towards the vectors of the PRF_DOCS best keyword hits, with PRF_WEIGHT of
 * their mean. A short query embeds poorly on its own; the papers it names in words say what it is
 * about. On SciFact this lifts hybrid nDCG@10 above keyword alone (BENCHMARKS.md); semantic mode
 * stays a pure vector search.
 */
export const PRF_DOCS = 3;
export const PRF_WEIGHT = 0.5;
/** With filters, the vector index is asked for this many times more, since filters drop hits. */
const FILTERED_OVERFETCH = 4;
/** Most vector neighbours one query reads. */
const MAX_SEMANTIC_K = 2000;

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  limit?: number;
  offset?: number;
  filters?: SearchFilters;
  /** The user is still typing: the last word is a prefix (type-ahead). */
  prefix?: boolean;
}

export interface SearchHit {
  paper: PaperCard;
  score: number;
  /** 1-based rank in the keyword and the semantic list, when the paper was in them. */
  keywordRank: number | null;
  semanticRank: number | null;
  highlights: PaperHighlights;
}

export interface SearchResponse {
  query: string;
  /** The mode asked for, and the one that ran (semantic search falls back to keyword while no vector index is ready). */
  mode: SearchMode;
  modeUsed: SearchMode;
  total: number;
  offset: number;
  limit: number;
  hits: SearchHit[];
  warnings: string[];
  tookMs: number;
}

/** The free text of a query for embedding: its words and phrases, not its operators or filters. */
export function semanticText(q: ParsedQuery): string {
  return q.terms
    .filter((t) => !t.prefix || t.words.length > 1)
    .map((t) => t.words.join(" "))
    .join(" ");
}

/** Runs a search. Throws RangeError (bad page) or SearchFilterError (bad filter value) for the caller to turn into a 400. */
export async function search(db: Db, semantic: SemanticIndex | null, req: SearchRequest): Promise<SearchResponse> {
  const started = performance.now();
  const limit = req.limit ?? 20;
  const offset = req.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET)
    throw new RangeError(`offset must be a whole number from 0 to ${MAX_OFFSET}`);
  const mode = req.mode ?? "hybrid";
  const parsed = parseQuery(req.q, { prefix: req.prefix ?? false });
  const text = semanticText(parsed);
  const warnings = [...parsed.warnings];
  let modeUsed: SearchMode = mode;
  if (mode !== "keyword" && (!semantic || text === "")) {
    modeUsed = "keyword";
    if (!semantic && text !== "") warnings.push("semantic search is not ready yet; showing keyword matches");
  }

  let ranked: { paperId: number; score: number; keywordRank: number | null; semanticRank: number | null }[];
  let total: number;
  if (modeUsed === "keyword") {
    const kw = await keywordSearch(db, parsed, { limit, offset, filters: req.filters });
    ranked = kw.hits.map((h, i) => ({ ...h, keywordRank: offset + i + 1, semanticRank: null }));
    total = kw.total;
  } else {
    const depth = Math.min(MAX_LIMIT, Math.max(FUSION_POOL, 2 * (offset + limit)));
    const index = semantic as SemanticIndex;
    if (modeUsed === "semantic") {
      const sem = await semanticHits(db, index, await index.embedQuery(text), parsed, depth, req.filters);
      ranked = sem
        .slice(offset, offset + limit)
        .map((h, i) => ({ ...h, keywordRank: null, semanticRank: offset + i + 1 }));
      total = sem.length;
    } else {
      const kw = await keywordSearch(db, parsed, { limit: depth, offset: 0, filters: req.filters });
      const query = await expandQuery(index, await index.embedQuery(text), kw.hits.slice(0, PRF_DOCS));
      const sem = await semanticHits(db, index, query, parsed, depth, req.filters);
      const fused = convexFusion(kw.hits, sem);
      ranked = fused.slice(offset, offset + limit);
      total = Math.max(kw.total, fused.length);
    }
  }

  const cards = await paperCards(
    db,
    ranked.map((r) => r.paperId),
  );
  const byId = new Map(cards.map((c) => [c.id, c]));
  const hits: SearchHit[] = [];
  for (const r of ranked) {
    const paper = byId.get(r.paperId);
    if (!paper) continue; // deleted since it was indexed
    hits.push({
      paper,
      score: r.score,
      keywordRank: r.keywordRank,
      semanticRank: r.semanticRank,
      highlights: highlightPaper(paper, parsed),
    });
  }
  return {
    query: req.q,
    mode,
    modeUsed,
    total,
    offset,
    limit,
    hits,
    warnings,
    tookMs: performance.now() - started,
  };
}

/** The query vector moved towards the mean vector of the top keyword hits (see PRF_WEIGHT). */
async function expandQuery(
  index: SemanticIndex,
  query: Float32Array | null,
  top: { paperId: number }[],
): Promise<Float32Array | null> {
  if (!query || top.length === 0) return query;
  const vectors = await index.vectorsOf(top.map((h) => h.paperId));
  if (vectors.length === 0) return query;
  const out = Float32Array.from(query);
  const w = PRF_WEIGHT / vectors.length;
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + w * (v[i] as number);
  return normalize(out);
}

/** Nearest papers to the query vector that pass the query's filters, best first, at most `depth`. */
async function semanticHits(
  db: Db,
  semantic: SemanticIndex,
  vector: Float32Array | null,
  parsed: ParsedQuery,
  depth: number,
  filters: SearchFilters | undefined,
): Promise<Scored[]> {
  if (!vector) return [];
  const restricted =
    parsed.categories.length > 0 ||
    parsed.authors.length > 0 ||
    parsed.excluded.length > 0 ||
    parsed.dateFrom !== null ||
    parsed.dateUntil !== null ||
    Boolean(filters && Object.values(filters).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  const k = Math.min(MAX_SEMANTIC_K, restricted ? depth * FILTERED_OVERFETCH : depth);
  const near = semantic.searchVector(vector, k);
  if (!restricted) return near.slice(0, depth);
  const allowed = await allowedIds(
    db,
    parsed,
    near.map((h) => h.paperId),
    filters,
  );
  return near.filter((h) => allowed.has(h.paperId)).slice(0, depth);
}
