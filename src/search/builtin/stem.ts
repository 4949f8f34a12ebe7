// A light English stemmer for the built-in embedder: it folds inflections (plurals, -ing, -ed, a
// final e) so that "encodes", "encoded", "encoding" and "encode" meet, but keeps derivations apart
// ("encoder", "optimization", "optimizer" stay distinct words: the model learns how they relate).
// Deterministic and dependency-free; applied to lower-case tokens only.

const VOWEL = /[aeiouy]/;
// Doubled letters that belong to the word ("pass-ed", "buzz-ing"); "ll" is undoubled only in long
// stems ("modell-ing", "controll-ed") so that "call-ed" and "fall-ing" keep theirs.
const DOUBLE_KEEP = new Set(["ss", "zz", "ff"]);
// Singular words ending in "s" that the plural rule must leave alone.
const SINGULAR_S = new Set([
  "bias",
  "alias",
  "atlas",
  "canvas",
  "lens",
  "chaos",
  "cosmos",
  "ethos",
  "pathos",
  "whereas",
]);

function hasVowel(s: string, end: number): boolean {
  return VOWEL.test(s.slice(0, end));
}

function undouble(s: string): string {
  const n = s.length;
  if (n < 4 || s[n - 1] !== s[n - 2] || VOWEL.test(s[n - 1] as string)) return s;
  const pair = s.slice(n - 2);
  if (DOUBLE_KEEP.has(pair) || (pair === "ll" && n < 6)) return s;
  return s.slice(0, n - 1);
}

function plural(w: string): string {
  const n = w.length;
  if (n <= 3 || w[n - 1] !== "s" || SINGULAR_S.has(w)) return w;
  if (w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return w;
  if (w.endsWith("ies") && n > 4) return `${w.slice(0, n - 3)}y`;
  if (w.endsWith("sses")) return w.slice(0, n - 2);
  if (/(?:x|z|ch|sh)es$/.test(w) && n > 4) return w.slice(0, n - 2);
  if (w.endsWith("'s")) return w.slice(0, n - 2);
  return w.slice(0, n - 1);
}

function inflection(w: string): string {
  const n = w.length;
  if (n >= 6 && w.endsWith("ing") && hasVowel(w, n - 3)) return undouble(w.slice(0, n - 3));
  if (n >= 5 && w.endsWith("ied")) return `${w.slice(0, n - 3)}y`;
  if (n >= 5 && w.endsWith("ed") && !w.endsWith("eed") && hasVowel(w, n - 2)) return undouble(w.slice(0, n - 2));
  return w;
}

/** The stem of one lower-case word. Words with digits, and short words, are returned unchanged. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = inflection(plural(word));
  if (w.length > 4 && w.endsWith("e") && !w.endsWith("ee")) w = w.slice(0, -1);
  return w;
}
