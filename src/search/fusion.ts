// Hybrid ranking: fuses the keyword and semantic result lists into one. Pure functions of named
// constants, so a ranking can be explained and tested with exact numbers.
//
// Two fusions are offered. The convex combination of normalised scores is the default: on SciFact
// it beats reciprocal rank fusion (eval/scifact.ts prints both), as published comparisons of
// fusion functions also find, because it keeps how far ahead a strong match is instead of only its
// rank. RRF remains for callers that fuse lists whose scores are not comparable at all.

export interface Scored {
  paperId: number;
  score: number;
}

export interface Fused {
  paperId: number;
  score: number;
  /** Rank (1-based) in each input list, when present: the explanation of a hybrid hit. */
  keywordRank: number | null;
  semanticRank: number | null;
}

/**
 * Weight of the semantic score in the convex combination (keyword gets 1 - this). Tuned on the
 * SciFact train queries with the built-in embedder and the query-expanded semantic half (see
 * service.ts): 0.2 is the top of the sweep that eval/scifact.ts prints (BENCHMARKS.md).
 */
export const SEMANTIC_WEIGHT = 0.2;

export type Normalization = "max" | "min-max";

/**
 * How scores are put on one scale before combining. "max" divides by the list's best score, so a
 * list of uniformly weak matches stays weak (min-max would stretch its best to 1); it measured
 * better on SciFact for both halves, whose scores are positive (bm25, cosine of related papers).
 */
export const NORMALIZATION: Normalization = "max";

/** Scales scores by the list's best score (scores ≤ 0 become 0). */
export function maxNormalize(list: Scored[]): Map<number, number> {
  const out = new Map<number, number>();
  let max = 0;
  for (const { score } of list) if (score > max) max = score;
  for (const { paperId, score } of list) out.set(paperId, max > 0 ? Math.max(0, score) / max : 0);
  return out;
}

/** RRF's damping constant: 60 is the value of the original paper and of most systems since. */
export const RRF_K = 60;

/** Scales scores to [0, 1] by the list's own min and max (a single score becomes 1). */
export function minMaxNormalize(list: Scored[]): Map<number, number> {
  const out = new Map<number, number>();
  if (list.length === 0) return out;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { score } of list) {
    if (score < min) min = score;
    if (score > max) max = score;
  }
  const span = max - min;
  for (const { paperId, score } of list) out.set(paperId, span > 0 ? (score - min) / span : 1);
  return out;
}

function ranks(list: Scored[]): Map<number, number> {
  const out = new Map<number, number>();
  list.forEach((s, i) => {
    if (!out.has(s.paperId)) out.set(s.paperId, i + 1);
  });
  return out;
}

function order(a: Fused, b: Fused): number {
  // Ties broken by the better keyword rank, then by id, so results are stable.
  return (
    b.score - a.score ||
    (a.keywordRank ?? Number.POSITIVE_INFINITY) - (b.keywordRank ?? Number.POSITIVE_INFINITY) ||
    a.paperId - b.paperId
  );
}

/**
 * Convex combination: (1 - w) * keyword + w * semantic, each normalised over its list; a paper
 * missing from a list scores 0 there. Lists are best-first.
 */
export function convexFusion(
  keyword: Scored[],
  semantic: Scored[],
  semanticWeight = SEMANTIC_WEIGHT,
  normalization: Normalization = NORMALIZATION,
): Fused[] {
  const normalize = normalization === "max" ? maxNormalize : minMaxNormalize;
  const kw = normalize(keyword);
  const sem = normalize(semantic);
  const kwRank = ranks(keyword);
  const semRank = ranks(semantic);
  const ids = new Set([...kw.keys(), ...sem.keys()]);
  const fused: Fused[] = [];
  for (const paperId of ids) {
    const score = (1 - semanticWeight) * (kw.get(paperId) ?? 0) + semanticWeight * (sem.get(paperId) ?? 0);
    fused.push({
      paperId,
      score,
      keywordRank: kwRank.get(paperId) ?? null,
      semanticRank: semRank.get(paperId) ?? null,
    });
  }
  return fused.sort(order);
}

/** Reciprocal rank fusion: sum over lists of weight / (k + rank). Lists are best-first. */
export function reciprocalRankFusion(keyword: Scored[], semantic: Scored[], k = RRF_K, semanticWeight = 0.5): Fused[] {
  const kwRank = ranks(keyword);
  const semRank = ranks(semantic);
  const ids = new Set([...kwRank.keys(), ...semRank.keys()]);
  const fused: Fused[] = [];
  for (const paperId of ids) {
    const kr = kwRank.get(paperId) ?? null;
    const sr = semRank.get(paperId) ?? null;
    const score = (kr ? (1 - semanticWeight) / (k + kr) : 0) + (sr ? semanticWeight / (k + sr) : 0);
    fused.push({ paperId, score, keywordRank: kr, semanticRank: sr });
  }
  return fused.sort(order);
}
