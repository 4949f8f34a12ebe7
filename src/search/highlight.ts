// Highlights of search matches, in plain TypeScript so that both database dialects show the same
// spans: which parts of a title and abstract match the query's words and phrases ([start, end)
// offsets into the original string), which author names match, and a short abstract snippet
// around the best match. A text word matches a query word when they are equal after folding case
// and accents, when they share a Porter stem (as the index sees them: "aligning" for "alignment"),
// or, for a prefix, when the word starts with it.

import { STOPWORDS } from "./lexical/plan.ts";
import { porterStem } from "./lexical/porter.ts";
import { foldWord, type ParsedQuery, type Term } from "./query.ts";
import { type Heads, headsOf, scanTokens } from "./tokens.ts";

export interface Span {
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  /** Matches within `text`. */
  spans: Span[];
  /** Text was cut before the snippet / after it (show an ellipsis). */
  cutStart: boolean;
  cutEnd: boolean;
}

export interface PaperHighlights {
  title: Span[];
  abstract: Span[];
  snippet: Snippet;
  /** Indexes of the author names that match. */
  authors: number[];
}

/** Default snippet length, in characters. */
export const SNIPPET_LENGTH = 240;
/** Context kept before the first match of a snippet, in characters. */
const LEAD = 60;

interface Token {
  start: number;
  end: number;
  folded: string;
  stem: string;
}

/**
 * Folded word → its stem. A result page stems a few thousand words, mostly the same few hundred;
 * remembering them makes highlighting a page of abstracts several times cheaper. Bounded: cleared
 * when full, so a long-running server does not grow.
 */
const STEMS = new Map<string, string>();
const MAX_STEMS = 100_000;

function stemOf(folded: string): string {
  let stem = STEMS.get(folded);
  if (stem === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    stem = porterStem(folded);
    STEMS.set(folded, stem);
  }
  return stem;
}

/** A stem no query word has: for tokens that cannot match, so they are never stemmed. */
const NO_STEM = "\u0000";

/**
 * Stands for every token that begins unlike any query word: it can match nothing, so it is neither
 * sliced, folded nor stemmed, but it keeps its place so phrases still need adjacent words.
 */
const SKIPPED: Token = { start: -1, end: -1, folded: "", stem: NO_STEM };

/** What a query looks for, prepared once per query and reused for every text of a result page. */
interface Matcher {
  patterns: Pattern[];
  /**
   * First two letters of every query word and stem: a token starting otherwise cannot match. When
   * some prefix is a single letter, every token is folded (heads.all).
   */
  heads: Heads;
}

function matcherOf(patterns: Pattern[]): Matcher {
  const words = patterns.flatMap((p) => p.words.flatMap((w) => [w.folded, w.stem]));
  const shortPrefix = patterns.some((p) => p.prefix && (p.words[p.words.length - 1]?.folded.length ?? 2) < 2);
  return { patterns, heads: headsOf(words, shortPrefix) };
}

/** Matchers of a parsed query, remembered while the query object lives (one search = one object). */
const MATCHERS = new WeakMap<ParsedQuery, { text: Matcher; authors: Matcher }>();

function matchersOf(query: ParsedQuery): { text: Matcher; authors: Matcher } {
  let m = MATCHERS.get(query);
  if (!m) {
    const text = patternsOf(query);
    m = {
      text: matcherOf(text),
      authors: matcherOf([...query.authors.map((a) => patternOf(a, false)), ...text]),
    };
    MATCHERS.set(query, m);
  }
  return m;
}

/** The tokens of `text` (tokens.ts); only those that begin like some query word are stemmed. */
function tokensOf(text: string, m: Matcher): Token[] {
  const out: Token[] = [];
  scanTokens(text, m.heads, (start, end, folded) => {
    if (folded === null) out.push(SKIPPED);
    else out.push({ start, end, folded, stem: m.heads.strings.has(folded.slice(0, 2)) ? stemOf(folded) : NO_STEM });
  });
  return out;
}

interface Pattern {
  words: { folded: string; stem: string }[];
  prefix: boolean;
}

function patternOf(words: string[], prefix: boolean): Pattern {
  return { words: words.map((w) => ({ folded: foldWord(w), stem: stemOf(foldWord(w)) })), prefix };
}

/** The query's positive words and phrases; lone stopwords only when nothing else is asked. */
function patternsOf(query: ParsedQuery): Pattern[] {
  const isStop = (t: Term) => t.words.length === 1 && !t.quoted && STOPWORDS.has(t.words[0] as string);
  const meaningful = query.terms.filter((t) => !isStop(t));
  return (meaningful.length > 0 ? meaningful : query.terms).map((t) => patternOf(t.words, t.prefix));
}

function wordMatches(token: Token, word: { folded: string; stem: string }, prefix: boolean): boolean {
  if (token === SKIPPED) return false;
  if (token.folded === word.folded || token.stem === word.stem) return true;
  return prefix && word.folded.length > 0 && token.folded.startsWith(word.folded);
}

/** Spans of tokens[i..] matching the pattern as consecutive words, or null. */
function matchAt(tokens: Token[], i: number, p: Pattern): Span | null {
  if (i + p.words.length > tokens.length) return null;
  for (let k = 0; k < p.words.length; k++) {
    const isLast = k === p.words.length - 1;
    if (!wordMatches(tokens[i + k] as Token, p.words[k] as Pattern["words"][number], p.prefix && isLast)) return null;
  }
  return { start: (tokens[i] as Token).start, end: (tokens[i + p.words.length - 1] as Token).end };
}

interface Match extends Span {
  /** Which pattern matched (for choosing the snippet with the most distinct terms). */
  pattern: number;
}

function findMatches(text: string, m: Matcher): Match[] {
  if (m.patterns.length === 0 || text === "") return [];
  const tokens = tokensOf(text, m);
  const found: Match[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === SKIPPED) continue;
    for (let index = 0; index < m.patterns.length; index++) {
      const span = matchAt(tokens, i, m.patterns[index] as Pattern);
      if (span) found.push({ start: span.start, end: span.end, pattern: index });
    }
  }
  return found;
}

/** Sorts spans and merges the ones that overlap. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Spans of `text` that match the query's words and phrases, in order, not overlapping. */
export function highlightText(text: string, query: ParsedQuery): Span[] {
  return merge(findMatches(text, matchersOf(query).text));
}

/** A window of about `length` characters of `text` around its best match, cut at word edges. */
export function snippet(text: string, query: ParsedQuery, length = SNIPPET_LENGTH): Snippet {
  return snippetOf(text, findMatches(text, matchersOf(query).text), length);
}

function snippetOf(text: string, matches: Match[], length: number): Snippet {
  if (text.length <= length) return { text, spans: merge(matches), cutStart: false, cutEnd: false };
  // The best window starts LEAD characters before some match and holds the most distinct terms.
  let bestStart = 0;
  let anchor = 0;
  let bestScore = -1;
  for (const m of matches) {
    const start = Math.max(0, m.start - LEAD);
    const inside = matches.filter((x) => x.start >= start && x.end <= start + length);
    const score = new Set(inside.map((x) => x.pattern)).size * 1000 + inside.length;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
      anchor = m.start;
    }
  }
  let start = bestStart;
  let end = Math.min(text.length, start + length);
  // Cut at word edges: start at a word's beginning (never past the match), end after a word.
  if (start > 0 && !/\s/u.test(text[start - 1] as string)) {
    const next = text.slice(start, anchor).search(/\s\S/u);
    if (next >= 0) start += next + 1;
  }
  if (end < text.length) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/u);
    if (lastSpace > 0) end = start + lastSpace;
  }
  const spans = merge(matches)
    .filter((s) => s.start >= start && s.end <= end)
    .map((s) => ({ start: s.start - start, end: s.end - start }));
  return { text: text.slice(start, end), spans, cutStart: start > 0, cutEnd: end < text.length };
}

/** Indexes of the names that hold an author: phrase, or one of the query's words. */
export function highlightAuthors(names: string[], query: ParsedQuery): number[] {
  const matcher = matchersOf(query).authors;
  const out: number[] = [];
  names.forEach((name, index) => {
    if (findMatches(name, matcher).length > 0) out.push(index);
  });
  return out;
}

/** Everything a result list shows highlighted for one paper. */
export function highlightPaper(
  paper: { title: string; abstract: string; authors?: string[] },
  query: ParsedQuery,
  options: { snippetLength?: number } = {},
): PaperHighlights {
  const matcher = matchersOf(query).text;
  const inAbstract = findMatches(paper.abstract, matcher);
  return {
    title: merge(findMatches(paper.title, matcher)),
    abstract: merge(inAbstract),
    snippet: snippetOf(paper.abstract, inAbstract, options.snippetLength ?? SNIPPET_LENGTH),
    authors: highlightAuthors(paper.authors ?? [], query),
  };
}
