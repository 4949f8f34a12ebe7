// Turns a parsed query into what the index must match, before any engine syntax: which terms are
// required, which are alternatives (any of them), which are excluded, and which author names must
// appear. Both dialects compile the same plan, so SQLite and PostgreSQL agree on what matches.
//
// Matching modes: "all" requires every word (what a short query typed in a box means), "any"
// requires at least one (what a long claim or a pasted sentence needs: nothing contains all 15 of
// its words) and lets the ranking sort out the rest. Quoted phrases and authors are always required.

import type { ParsedQuery, Term } from "../query.ts";
import { porterStem } from "./porter.ts";

export type MatchMode = "all" | "any";

/**
 * "auto" uses "all" for queries of up to this many words (falling back to "any" when nothing has
 * them all), "any" above. Five: what people type into a search box is rarely longer, and an "any"
 * match of four common words ("large language model reasoning") ranks most of the corpus — measured
 * on 134,939 papers, such queries took 100–170 ms against 3 ms for "all".
 */
export const AUTO_ALL_MAX_WORDS = 5;

/**
 * Relative weight of a match in each field, for bm25 (SQLite) and ts_rank_cd (PostgreSQL). Tuned on
 * SciFact (eval/scifact-keyword.ts): nDCG@10 is flat, 0.697 to 0.700, for title weights 2.5 to 8
 * over abstract 1, and falls off outside; 4 is at the top. Author names sit between: a surname that
 * is also a word (Long, Young) must not outrank a title match.
 */
export const FIELD_WEIGHTS = { title: 4, authors: 2, abstract: 1 } as const;

/** One way to match a term: a word or phrase, the last word optionally as a prefix. */
export interface MatchForm {
  words: string[];
  prefix: boolean;
}

/** A term as alternatives: it matches when any of its forms does. */
export interface MatchItem {
  forms: MatchForm[];
}

export interface MatchPlan {
  /** Every item must match. */
  required: MatchItem[];
  /** At least one item must match (when there are any). */
  optional: MatchItem[];
  /** No item may match. */
  excluded: MatchItem[];
  /** Each list of words must appear as a phrase in the author names. */
  authors: string[][];
}

/**
 * Words too common to help: the list PostgreSQL's english configuration drops, so both dialects
 * ignore the same words. Inside quoted phrases they are kept.
 */
export const STOPWORDS = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her " +
    "hers herself it its itself they them their theirs themselves what which who whom this that these " +
    "those am is are was were be been being have has had having do does did doing a an the and but if or " +
    "because as until while of at by for with about against between into through during before after " +
    "above below to from up down in out on off over under again further then once here there when where " +
    "why how all any both each few more most other some such no nor not only own same so than too very s " +
    "t can will just don should now"
  ).split(" "),
);

/** A prefix shorter than this, typed alone, would match most of the index: it is left out. */
export const MIN_PREFIX = 2;

function isStopword(t: Term): boolean {
  return t.words.length === 1 && !t.quoted && !t.prefix && STOPWORDS.has(t.words[0] as string);
}

/** Words that count towards choosing the mode: unquoted terms that are not stopwords. */
export function wordCount(q: ParsedQuery): number {
  return q.terms.filter((t) => !t.quoted && !isStopword(t)).length;
}

/** The mode "auto" starts with. */
export function autoMode(q: ParsedQuery): MatchMode {
  return wordCount(q) <= AUTO_ALL_MAX_WORDS ? "all" : "any";
}

/** Word endings a partial word may be on its way to, for prefixForms. */
const ENDINGS = (
  "e s es ed ing ings ion ions ation ations ization ement ment ments ness al ally er ers ity ities " +
  "ive ize izes ized izing ly y ies ied ying able ance ence ism ist ous ful ational"
).split(" ");

/**
 * The forms of a prefix term. The index holds Porter stems, and a partial word stems differently
 * from the whole one ("learni" stays "learni" while "learning" is indexed as "learn"), so a prefix
 * alone misses what the user is typing. The partial word is completed with common endings (also
 * ones it is half-way through: "alignm" + "ent"), and the stems of those completions that the
 * prefix does not already reach, and that the partial word starts with, are added as exact words:
 * "learni" also matches "learn", "organiz" "organ", "studyi" "studi".
 */
export function prefixForms(words: string[]): MatchForm[] {
  const last = words[words.length - 1] as string;
  const head = words.slice(0, -1);
  const forms: MatchForm[] = [{ words, prefix: true }];
  if (!/^[a-z]+$/.test(last)) return forms;
  const reached = porterStem(last);
  const stems = new Set<string>();
  for (const ending of ENDINGS) {
    for (let k = 0; k < ending.length; k++) {
      if (!last.endsWith(ending.slice(0, k))) continue;
      const stem = porterStem(last + ending.slice(k));
      const resembles = last.startsWith(stem) || last.startsWith(stem.slice(0, -1));
      if (stem.length >= 3 && resembles && !stem.startsWith(reached)) stems.add(stem);
    }
  }
  for (const stem of stems) forms.push({ words: [...head, stem], prefix: false });
  return forms;
}

function itemOf(t: Term): MatchItem {
  return { forms: t.prefix ? prefixForms(t.words) : [{ words: t.words, prefix: false }] };
}

function usable(t: Term): boolean {
  // A lone one-letter prefix (the first keystroke of a word) matches too much to mean anything.
  return !(t.prefix && t.words.length === 1 && (t.words[0] as string).length < MIN_PREFIX);
}

/** Builds the plan for a mode; `extraAuthors` come from filters given outside the query text. */
export function planMatch(q: ParsedQuery, mode: MatchMode, extraAuthors: string[][] = []): MatchPlan {
  const terms = q.terms.filter(usable);
  // Stopwords are dropped unless nothing else is left to search for.
  const meaningful = terms.filter((t) => !isStopword(t));
  const kept = meaningful.length > 0 ? meaningful : terms;
  const authors = [...q.authors, ...extraAuthors].filter((a) => a.length > 0);
  const plan: MatchPlan = { required: [], optional: [], excluded: [], authors };
  for (const t of kept) {
    if (mode === "all" || t.quoted) plan.required.push(itemOf(t));
    else plan.optional.push(itemOf(t));
  }
  plan.excluded = q.excluded.filter((t) => usable(t) && !isStopword(t)).map(itemOf);
  return plan;
}

/** True when the plan asks the index for something (otherwise only filters, if any, apply). */
export function hasPositive(plan: MatchPlan): boolean {
  return plan.required.length > 0 || plan.optional.length > 0 || plan.authors.length > 0;
}
