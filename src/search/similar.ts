// "Similar papers" for any paper: its nearest neighbours in the vector index, re-ranked with the
// words their titles share with its title (keyword overlap catches the exact method or dataset
// names an embedding blurs). Lists are cached per paper in similar_papers for one index generation,
// so a paper page reads one row, and a changed index refreshes them lazily. Without a vector index
// the list comes from keyword search over the paper's title alone.
import type { Db } from "../db/client.ts";
import { keywordSearch } from "./lexical/index.ts";
import { STOPWORDS } from "./lexical/plan.ts";
import { porterStem } from "./lexical/porter.ts";
import { parseQuery, tokenize } from "./query.ts";
import type { SemanticIndex } from "./semantic.ts";

/** Neighbours shown and cached per paper. */
export const SIMILAR_COUNT = 10;
/** Vector neighbours read and re-ranked. */
const POOL = 50;
/**
 * Weight of the vector similarity (cosine) in the blend. Similar papers are about meaning first;
 * the share of title words in common (weight 0.3) lifts papers naming the same method or dataset.
 */
export const SIMILAR_SEMANTIC_WEIGHT = 0.7;

export interface SimilarPaper {
  paperId: number;
  score: number;
}

/** The similar papers of `paperId`, best first (cached; computed on a miss). */
export async function similarPapers(
  db: Db,
  semantic: SemanticIndex | null,
  paperId: number,
  count = SIMILAR_COUNT,
): Promise<SimilarPaper[]> {
  const generation = semantic ? semantic.generation : "keyword";
  const cached = await db.kysely
    .selectFrom("similar_papers")
    .select(["generation", "neighbours"])
    .where("paper_id", "=", paperId)
    .executeTakeFirst();
  if (cached && cached.generation === generation) {
    return (JSON.parse(cached.neighbours) as SimilarPaper[]).slice(0, count);
  }
  const fresh = await computeSimilar(db, semantic, paperId);
  if (fresh === null) return [];
  const now = new Date().toISOString();
  await db.kysely
    .insertInto("similar_papers")
    .values({ paper_id: paperId, generation, neighbours: JSON.stringify(fresh), computed_at: now })
    .onConflict((oc) =>
      oc.column("paper_id").doUpdateSet({ generation, neighbours: JSON.stringify(fresh), computed_at: now }),
    )
    .execute();
  return fresh.slice(0, count);
}

/** Title words as the index sees them: folded, stemmed, without stopwords. */
function titleTerms(title: string): Set<string> {
  return new Set(
    tokenize(title)
      .filter((w) => !STOPWORDS.has(w) && w.length > 1)
      .map((w) => porterStem(w)),
  );
}

/** Share of the paper's title words that the other title has too (0..1). */
export function titleOverlap(paper: Set<string>, other: Set<string>): number {
  if (paper.size === 0) return 0;
  let shared = 0;
  for (const t of paper) if (other.has(t)) shared++;
  return shared / paper.size;
}

/** Neighbours re-ranked by overlap; null when the paper does not exist. */
async function computeSimilar(db: Db, semantic: SemanticIndex | null, paperId: number): Promise<SimilarPaper[] | null> {
  const paper = await db.kysely.selectFrom("papers").select("title").where("id", "=", paperId).executeTakeFirst();
  if (!paper) return null;
  const near = semantic ? await semantic.neighbours(paperId, POOL) : [];
  if (near.length === 0) {
    const keyword = await keywordSearch(db, parseQuery(paper.title), { limit: SIMILAR_COUNT + 1, match: "any" });
    return keyword.hits
      .filter((h) => h.paperId !== paperId)
      .slice(0, SIMILAR_COUNT)
      .map((h) => ({ paperId: h.paperId, score: Number(h.score.toFixed(6)) }));
  }
  const titles = await db.kysely
    .selectFrom("papers")
    .select(["id", "title"])
    .where(
      "id",
      "in",
      near.map((h) => h.paperId),
    )
    .execute();
  const own = titleTerms(paper.title);
  const overlap = new Map(titles.map((t) => [t.id, titleOverlap(own, titleTerms(t.title))]));
  return near
    .filter((h) => overlap.has(h.paperId))
    .map((h) => ({
      paperId: h.paperId,
      score: SIMILAR_SEMANTIC_WEIGHT * h.score + (1 - SIMILAR_SEMANTIC_WEIGHT) * (overlap.get(h.paperId) as number),
    }))
    .sort((a, b) => b.score - a.score || a.paperId - b.paperId)
    .slice(0, SIMILAR_COUNT)
    .map((h) => ({ paperId: h.paperId, score: Number(h.score.toFixed(6)) }));
}
