// "Similar papers" for any paper: its nearest neighbours in the vector index blended with the
// papers that share its title's words (keyword overlap catches the exact method names an embedding
// blurs). Lists are cached per paper in similar_papers for one index generation, so a paper page
// reads one row, and a changed index refreshes them lazily.
import type { Db } from "../db/client.ts";
import { convexFusion } from "./fusion.ts";
import { keywordSearch } from "./lexical/index.ts";
import { parseQuery } from "./query.ts";
import type { SemanticIndex } from "./semantic.ts";

/** Neighbours shown and cached per paper. */
export const SIMILAR_COUNT = 10;
/** Candidates read from each half before blending. */
const POOL = 30;
/**
 * Weight of the vector neighbours in the blend. Similar papers are about meaning first; keyword
 * overlap on the title (weight 0.3) lifts papers naming the same method or dataset.
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

/** Blends vector neighbours with title-word overlap; null when the paper does not exist. */
async function computeSimilar(db: Db, semantic: SemanticIndex | null, paperId: number): Promise<SimilarPaper[] | null> {
  const paper = await db.kysely.selectFrom("papers").select("title").where("id", "=", paperId).executeTakeFirst();
  if (!paper) return null;
  const near = semantic ? await semantic.neighbours(paperId, POOL) : [];
  const keyword = await keywordSearch(db, parseQuery(paper.title), { limit: POOL + 1, match: "any" });
  const overlap = keyword.hits.filter((h) => h.paperId !== paperId);
  return convexFusion(overlap, near, semantic ? SIMILAR_SEMANTIC_WEIGHT : 0)
    .filter((f) => f.paperId !== paperId)
    .slice(0, SIMILAR_COUNT)
    .map((f) => ({ paperId: f.paperId, score: Number(f.score.toFixed(6)) }));
}
