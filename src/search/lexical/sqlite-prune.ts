// Keeps long "any word" queries fast on SQLite. FTS5 ranks every paper that holds any of the words,
// so a pasted sentence with "model", "learning" and "results" scores most of the corpus (127 ms at
// p50 on 134,939 papers). Words found in more than COMMON_RATIO of the papers add almost nothing to
// bm25 (their idf is near zero) but cost most of the work, so they are left out of the match, while
// the KEEP_AT_LEAST rarest words always stay. Document frequencies come from the fts5vocab table and
// are remembered per process for TTL_MS.
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
function termOf(item: MatchItem): string | null {
  const form = item.forms[0];
  if (!form || item.forms.length > 1 || form.prefix || form.words.length !== 1) return null;
  return porterStem(foldWord(form.words[0] as string));
}

async function frequencies(db: Db, terms: string[]): Promise<{ total: number; df: Map<string, number> }> {
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

/** The plan with its most common optional words left out (see the file comment). */
export async function pruneCommonTerms(db: Db, plan: MatchPlan): Promise<MatchPlan> {
  if (plan.optional.length <= KEEP_AT_LEAST) return plan;
  const terms = plan.optional.map(termOf);
  const { total, df } = await frequencies(
    db,
    terms.filter((t): t is string => t !== null),
  );
  if (total === 0) return plan;
  const scored = plan.optional.map((item, i) => ({ item, df: terms[i] ? (df.get(terms[i] as string) ?? 0) : 0 }));
  const rarest = [...scored].sort((a, b) => a.df - b.df).slice(0, KEEP_AT_LEAST);
  const common = Math.max(COMMON_RATIO * total, COMMON_MIN_PAPERS);
  const kept = scored.filter((s) => s.df <= common || rarest.includes(s));
  return { ...plan, optional: kept.map((s) => s.item) };
}
