// Words of a text as the keyword index splits them (unicode61: runs of letters and digits,
// diacritics removed, lower case), for the TypeScript that must agree with the index: highlighting
// and the re-scoring of long queries. Both look for a few query words among thousands of tokens, and
// a Porter stem keeps its word's first two letters, so a token is folded only when its first two
// letters are the "head" of some query word or stem; plain ASCII text (most titles and abstracts)
// is scanned by a char loop, several times faster than the Unicode-aware regular expression, with
// the same tokens.
import { foldWord } from "./query.ts";

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;

/** The first two letters a token must begin with to be folded (see headsOf). */
export interface Heads {
  strings: Set<string>;
  /** The same as numbers, for the ASCII scanner: first char code << 16 | second (0 for none). */
  codes: Set<number>;
  /** Fold every token (a one-letter prefix is being matched). */
  all: boolean;
}

function headCode(first: number, second: number): number {
  return (first << 16) | second;
}

/** Heads of these words (already folded, or stems); `all` folds every token regardless. */
export function headsOf(words: Iterable<string>, all = false): Heads {
  const strings = new Set<string>();
  for (const w of words) strings.add(w.slice(0, 2));
  const codes = new Set([...strings].map((h) => headCode(h.charCodeAt(0) || 0, h.charCodeAt(1) || 0)));
  return { strings, codes, all };
}

/** An ASCII letter or digit, lower-cased, or -1. */
function asciiWordChar(c: number): number {
  if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) return c;
  return c >= 65 && c <= 90 ? c + 32 : -1;
}

/**
 * Calls `visit` for every token of `text` in order, with its [start, end) offsets and its folded
 * form, or null when it begins with none of `heads` (it can match no query word).
 */
export function scanTokens(
  text: string,
  heads: Heads,
  visit: (start: number, end: number, folded: string | null) => void,
): void {
  if (NOT_PLAIN_ASCII.test(text)) {
    for (const match of text.matchAll(TOKEN)) {
      const folded = foldWord(match[0]);
      const start = match.index;
      visit(start, start + match[0].length, heads.all || heads.strings.has(folded.slice(0, 2)) ? folded : null);
    }
    return;
  }
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (asciiWordChar(text.charCodeAt(i)) < 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && asciiWordChar(text.charCodeAt(i)) >= 0) i++;
    const second = i - start > 1 ? asciiWordChar(text.charCodeAt(start + 1)) : 0;
    const wanted = heads.all || heads.codes.has(headCode(asciiWordChar(text.charCodeAt(start)), second));
    visit(start, i, wanted ? text.slice(start, i).toLowerCase() : null);
  }
}
