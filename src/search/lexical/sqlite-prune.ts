// Keeps long "any word" queries fast on SQLite. FTS5 ranks every paper that holds any of the words,
// so a pasted sentence with "model", "learning" and "results" scores most of the corpus (127 ms at
// p50 on 134,939 papers). Words found in more than COMMON_RATIO of the papers carry little bm25
// weight (low idf) but cost most of the work, so they are left out of the match, while the
// KEEP_AT_LEAST rarest words always stay; COMMON_MAX_PAPERS bounds the work on a large archive. What
// this costs in relevance is measured by eval:scifact-scale. Document frequencies come from the
// fts5vocab table and are remembered per process for TTL_MS.
import { sql } from "kysely";
import type { Db } from "../../db/client.ts";
import { foldWord } from "../query.ts";
import type { MatchItem, MatchPlan } from "./plan.ts";
import { porterStem } from "./porter.ts";

/** A word in more than this share of papers is too common to be worth matching on in "any" mode. */
export const COMMON_RATIO = 0.05;
/**
 * ...and in more than this many papers: the cost is the length of a word's posting list, so on a
 * small instance (SciFact's 5,183 abstracts, a reading group's few thousand papers) nothing is
 * pruned and ranking is exact bm25.
 */
export const COMMON_MIN_PAPERS = 5000;
/**
 * ...and at most this many papers, whatever the corpus size. The share alone lets the work grow
 * with the archive: at 1,000,000 papers 5% is 50,000 papers per word, and a pasted sentence ranked
 * a hundred thousand papers or more (p50 169 ms). Pruning costs relevance gently
 * (eval:scifact-scale, SciFact among 134,939 distractors, nDCG@10: exact bm25 0.674, limit at 10%
 * 0.667, 5% 0.662, 2.5% 0.655, 1% 0.632), so the bound is 2% of a million: half the work of 5% for
 * about a hundredth of nDCG@10. Below 400,000 papers the share is the lower limit and nothing changes.
 */
export const COMMON_MAX_PAPERS = 20_000;
/** The rarest words kept whatever their frequency, so a query of common words still finds papers. */
export const KEEP_AT_LEAST = 3;
const TTL_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 50_000;

interface Stats {
  at: number;
  total: number;
  df: Map<string, number>;
}
const cache = new WeakMap<object, Stats>();

/** The index term of an item: single, unstemmed-prefix-free words only (phrases always stay). */
export function termOf(item: MatchItem): string | null {
  const form = item.forms[0];
  if (!form || item.forms.length > 1 || form.prefix || form.words.length !== 1) return null;
  return porterStem(foldWord(form.words[0] as string));
}

export async function frequencies(db: Db, terms: string[]): Promise<{ total: number; df: Map<string, number> }> {
  let stats = cache.get(db.kysely);
  if (!stats || Date.now() - stats.at > TTL_MS || stats.df.size > MAX_ENTRIES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM papers`.execute(db.kysely);
    stats = { at: Date.now(), total: Number(rows[0]?.n ?? 0), df: new Map() };
    cache.set(db.kysely, stats);
  }
  const missing = terms.filter((t) => !stats.df.has(t));
  if (missing.length > 0) {
    const { rows } = await sql<{ term: string; doc: number }>`
      SELECT term, doc FROM papers_fts_vocab WHERE term IN (${sql.join(missing)})`.execute(db.kysely);
    for (const t of missing) stats.df.set(t, 0);
    for (const r of rows) stats.df.set(r.term, Number(r.doc));
  }
  return stats;
}

/** The document frequency above which a word is left out of an "any" match, for a corpus of `total` papers. */
export function commonLimit(total: number, maxPapers = COMMON_MAX_PAPERS): number {
  return Math.max(Math.min(COMMON_RATIO * total, maxPapers), COMMON_MIN_PAPERS);
}

/**
 * Which of the optional items to keep, given each one's document frequency (null for phrases and
 * prefixes, which always stay): those in at most `limit` papers, and the KEEP_AT_LEAST rarest whatever
 * their frequency. Order is kept.
 */
export function keptItems<T>(items: { item: T; df: number | null }[], limit: number): T[] {
  const rarest = new Set([...items].sort((a, b) => (a.df ?? 0) - (b.df ?? 0)).slice(0, KEEP_AT_LEAST));
  return items.filter((s) => s.df === null || s.df <= limit || rarest.has(s)).map((s) => s.item);
}

/**
 * The plan with its most common optional words left out (see the file comment). `limit` replaces
 * commonLimit (for evaluations: Infinity ranks by exact bm25).
 */
export async function pruneCommonTerms(db: Db, plan: MatchPlan, limit?: number): Promise<MatchPlan> {
  if (plan.optional.length <= KEEP_AT_LEAST) return plan;
  const terms = plan.optional.map(termOf);
  const { total, df } = await frequencies(
    db,
    terms.filter((t): t is string => t !== null),
  );
  if (total === 0) return plan;
  const scored = plan.optional.map((item, i) => ({ item, df: terms[i] ? (df.get(terms[i] as string) ?? 0) : null }));
  return { ...plan, optional: keptItems(scored, limit ?? commonLimit(total)) };
}
