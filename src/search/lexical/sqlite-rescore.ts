// Long any-word queries on a large archive, ranked in two steps so that their work stays bounded
// while their order stays bm25 over all their words. FTS5 scores every paper that holds any word
// of the match and cannot stop early, so a claim whose words are common scores a hundred thousand
// papers or more at 1,000,000 (p95 over 300 ms). Instead:
//   1. candidates: FTS5 ranks only by the query's rarest words, as many as keep the papers it reads
//      (the sum of their document frequencies) within CANDIDATE_POSTINGS, and returns the best
//      CANDIDATES;
//   2. re-scoring: those papers are scored here with FTS5's own bm25 (same constants, field weights,
//      document lengths from the index's docsize table, averages from its structure record) over
//      every word of the query, and sorted.
// A paper holding none of the rarest words is never a candidate: that is the approximation, and
// eval:scifact-scale measures it. Queries that need no bounding (their words' papers already fit
// the budget), quoted phrases, author names, prefixes and deep pages take the one-step path.
import { sql } from "kysely";
import type { Db } from "../../db/client.ts";
import { foldWord } from "../query.ts";
import { headsOf, scanTokens } from "../tokens.ts";
import { FIELD_WEIGHTS, type MatchPlan } from "./plan.ts";
import { porterStem } from "./porter.ts";
import { frequencies } from "./sqlite-prune.ts";
import type { LexicalDialect, Page, RankedPage, ResolvedFilters } from "./types.ts";

/**
 * Papers the candidate step may read, summed over its words. FTS5 ranks about 1.5 µs per paper on
 * this machine's class of CPU, so 30,000 keeps the step near 50 ms in the worst case.
 */
export const CANDIDATE_POSTINGS = 30_000;
/** Candidates re-scored: the fused ranking reads 100, and a good paper may sit lower by rare words alone. */
export const CANDIDATES = 300;
/** Deeper pages than this take the one-step path. */
const MAX_DEPTH = 1000;
/** FTS5's bm25 constants (fts5_aux.c). */
const K1 = 1.2;
const B = 0.75;

/**
 * The index terms of each optional item of a plan (one for a word, several for a phrase such as a
 * hyphenated word), or null when the plan holds anything re-scoring does not model: required
 * phrases, author names, prefixes, alternatives.
 */
function itemTerms(plan: MatchPlan): string[][] | null {
  if (plan.required.length > 0 || plan.authors.length > 0) return null;
  const out: string[][] = [];
  for (const item of plan.optional) {
    const form = item.forms[0];
    if (!form || item.forms.length > 1 || form.prefix || form.words.length === 0) return null;
    out.push(form.words.map((w) => porterStem(foldWord(w))));
  }
  return out;
}

/** FTS5 varints (sqlite3Fts5GetVarint): 7 bits a byte, high bit set when more follow; a 9th byte gives 8. */
export function readVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let v = 0;
    for (let k = 0; k < 9 && i < bytes.length; k++) {
      const b = bytes[i++] as number;
      if (k === 8) {
        v = v * 256 + b;
        break;
      }
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    out.push(v);
  }
  return out;
}

/** Rows in the index and their mean length in tokens (all columns), from its averages record. */
async function indexAverages(db: Db): Promise<{ rows: number; avgdl: number }> {
  const { rows } = await sql<{ block: Uint8Array }>`SELECT block FROM papers_fts_data WHERE id = 1`.execute(db.kysely);
  const [n = 0, ...columns] = readVarints(rows[0]?.block ?? new Uint8Array());
  const tokens = columns.reduce((a, b) => a + b, 0);
  return { rows: n, avgdl: n > 0 ? tokens / n : 0 };
}

/** bm25 as FTS5 computes it for one paper: weighted frequencies per query word, the paper's length. */
export function bm25(freqs: number[], idfs: number[], length: number, avgdl: number): number {
  let score = 0;
  const norm = K1 * (1 - B + (B * length) / (avgdl || 1));
  for (let i = 0; i < freqs.length; i++) {
    const f = freqs[i] as number;
    if (f > 0) score += ((idfs[i] as number) * (f * (K1 + 1))) / (f + norm);
  }
  return score;
}

/** FTS5's idf: log((N - n + 0.5) / (n + 0.5)), and 1e-6 for a word in more than half the rows. */
export function idf(rows: number, df: number): number {
  const v = Math.log((rows - df + 0.5) / (df + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/**
 * The two-step ranking of an any-word plan, or null when the one-step path should run (see the file
 * comment). Candidates come from `plan`'s rarest words and are scored over all of `plan`'s words;
 * the total counts the papers holding the candidate words, which the results are drawn from.
 * `dialect` gives the one-step compile, ranking and count.
 */
export async function rescoredAny(
  db: Db,
  plan: MatchPlan,
  filters: ResolvedFilters,
  page: Page,
  dialect: Pick<LexicalDialect, "compile" | "ranked" | "count">,
  postings = CANDIDATE_POSTINGS,
): Promise<RankedPage | null> {
  const items = itemTerms(plan);
  if (!items || page.offset + page.limit > MAX_DEPTH) return null;
  const { df } = await frequencies(db, [...new Set(items.flat())]);
  // A phrase's document frequency is taken as its rarest word's (at least that many papers hold
  // all its words); counting the phrase itself would read its commonest word's postings.
  const dfOf = items.map((terms) => Math.min(...terms.map((t) => df.get(t) ?? 0)));
  // Candidates come from single words only, rarest first, within the budget.
  const order = items
    .map((terms, i) => ({ i, df: dfOf[i] as number, single: terms.length === 1 }))
    .filter((o) => o.single)
    .sort((a, b) => a.df - b.df || a.i - b.i);
  const budgeted = new Set<number>();
  let read = 0;
  for (const o of order) {
    if (budgeted.size > 0 && read + o.df > postings) break;
    budgeted.add(o.i);
    read += o.df;
  }
  const whole = items.reduce((sum, _, i) => sum + (dfOf[i] as number), 0);
  if (budgeted.size === 0 || whole <= postings) return null; // nothing to bound, or nothing to gain
  const candidatePlan = { ...plan, optional: plan.optional.filter((_, i) => budgeted.has(i)) };
  const compiled = dialect.compile(candidatePlan);
  if (!compiled) return null;
  const depth = Math.max(CANDIDATES, 2 * (page.offset + page.limit));
  const first = await dialect.ranked(db, compiled, filters, { limit: depth, offset: 0 });
  const candidates = first.hits.map((h) => h.paperId);
  if (candidates.length === 0) return { hits: [], total: 0 };

  const [{ rows: n, avgdl }, texts, sizes] = await Promise.all([
    indexAverages(db),
    db.kysely
      .selectFrom("papers")
      .select(["id", "title", "authors", "abstract"])
      .where("id", "in", candidates)
      .execute(),
    sql<{ id: number; sz: Uint8Array }>`
      SELECT id, sz FROM papers_fts_docsize WHERE id IN (${sql.join(candidates)})`.execute(db.kysely),
  ]);
  const lengthOf = new Map(sizes.rows.map((r) => [Number(r.id), readVarints(r.sz).reduce((a, b) => a + b, 0)]));
  const idfs = dfOf.map((d) => idf(n, d));
  const counter = termCounter(items);
  const scored = texts.map((p) => {
    const freqs = new Array<number>(items.length).fill(0);
    counter(p.title, FIELD_WEIGHTS.title, freqs);
    counter(authorText(p.authors), FIELD_WEIGHTS.authors, freqs);
    counter(p.abstract, FIELD_WEIGHTS.abstract, freqs);
    return { paperId: p.id, score: bm25(freqs, idfs, lengthOf.get(p.id) ?? avgdl, avgdl) };
  });
  scored.sort((a, b) => b.score - a.score || b.paperId - a.paperId);
  // The results are drawn from the papers holding the candidate words, so those are counted (a
  // bounded count; counting every paper with any word of the query would read what step 1 avoids).
  const total = first.total ?? (await dialect.count(db, compiled.match, filters));
  return { hits: scored.slice(page.offset, page.offset + page.limit), total: Math.max(total, scored.length) };
}

/**
 * A function adding `weight` to `freqs[i]` for each occurrence in a text of item `items[i]` (a
 * word, or a phrase as consecutive words), with tokens as FTS5 sees them: unicode61 tokens,
 * diacritics removed, Porter stems. Stemming every token of 300 abstracts took 46 ms; scanTokens
 * folds only the tokens that begin like some query word (tokens.ts), and only those are stemmed.
 */
export function termCounter(items: string[][]): (text: string, weight: number, freqs: number[]) => void {
  const terms = new Set(items.flat());
  const heads = headsOf(terms);
  const byFirst = new Map<string, number[]>();
  items.forEach((t, i) => {
    byFirst.set(t[0] as string, [...(byFirst.get(t[0] as string) ?? []), i]);
  });
  const stems: (string | null)[] = [];
  const push = (_start: number, _end: number, folded: string | null) => {
    const stem = folded === null ? null : porterStem(folded);
    stems.push(stem !== null && terms.has(stem) ? stem : null);
  };
  return (text, weight, freqs) => {
    stems.length = 0;
    scanTokens(text, heads, push);
    for (let k = 0; k < stems.length; k++) {
      const stem = stems[k];
      if (stem === null || stem === undefined) continue;
      for (const i of byFirst.get(stem) ?? []) {
        const phrase = items[i] as string[];
        let whole = true;
        for (let j = 1; j < phrase.length && whole; j++) whole = stems[k + j] === phrase[j];
        if (whole) freqs[i] = (freqs[i] as number) + weight;
      }
    }
  };
}

/** papers.authors (a JSON list) as the index holds it: the names one after another. */
function authorText(json: string): string {
  try {
    const names = JSON.parse(json) as unknown;
    return Array.isArray(names) ? names.join(" ") : json;
  } catch {
    return json;
  }
}
