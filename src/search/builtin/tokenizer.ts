// Turns title and abstract text into the terms the built-in embedder counts. Abstracts keep their
// LaTeX as written ("$R^2$", "\textit{...}", "$\alpha$"), their unicode ("naïve", "β-catenin",
// "R²") and their hyphenated compounds ("self-supervised", "IL-6"); the tokenizer folds each of
// these onto the plain-text spelling a reader would search for:
// - lower-case, compatibility-normalised, accents dropped ("naïve" -> "naive", "R²" -> "r2");
// - LaTeX formatting commands dropped with their braces kept ("\textit{x}" -> "x"), Greek letter
//   commands and characters spelled out ("$\beta$", "β" -> "beta"), accents resolved ("\"o" -> "o"),
//   short super/subscripts joined ("R^2" -> "r2", "H$_2$O" -> "h2o");
// - hyphenated words give their parts and, for up to four parts, the joined compound
//   ("self-supervised" -> "self", "supervis", "selfsupervis"; "IL-6" -> "il", "il6");
// - stop words, bare numbers, one-letter tokens and tokens over 40 characters are dropped;
// - every remaining word is lightly stemmed (see stem.ts).
import { stem } from "./stem.ts";
import { STOP_WORDS } from "./stopwords.ts";

/** Bumped whenever the tokenizer's output changes, so a stored model knows what it was fitted with. */
export const TOKENIZER_VERSION = 1;

const GREEK_NAMES = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "omicron",
  "pi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "chi",
  "psi",
  "omega",
];
const GREEK_COMMANDS = new Set(GREEK_NAMES);
// LaTeX variant spellings of Greek letters.
const GREEK_VARIANTS: Record<string, string> = {
  varepsilon: "epsilon",
  vartheta: "theta",
  varpi: "pi",
  varrho: "rho",
  varsigma: "sigma",
  varphi: "phi",
};
// Lower-case Greek characters (after normalisation) to their names: α..ω skipping final sigma's
// slot, plus the symbol variants.
const GREEK_CHARS: Record<string, string> = { ς: "sigma", ϵ: "epsilon", ϑ: "theta", ϕ: "phi", ϖ: "pi", ϱ: "rho" };
{
  const letters = "αβγδεζηθικλμνξοπρ" + "στυφχψω";
  for (let i = 0; i < letters.length; i++) GREEK_CHARS[letters[i] as string] = GREEK_NAMES[i] as string;
}
const GREEK_CHAR_RE = /[α-ωϵϑϕϖϱ]/g;

const ACCENT_RE = /\\["'`^~=.]\s*\{?\s*([A-Za-z])\s*\}?|\\[cvHuk]\s*\{\s*([A-Za-z])\s*\}/g;
const COMMAND_RE = /\\([A-Za-z]+)|\\./g;
const SCRIPT_RE = /([\p{L}\p{N}])\s*[\^_]\s*(?:\{\s*([\p{L}\p{N}]{1,3})\s*\}|([\p{L}\p{N}]))/gu;
const NON_ASCII_RE = /[^\p{ASCII}]/u;
const MARK_RE = /\p{M}+/gu;
const HYPHENS_RE = /[\u2010\u2011]/g;
const SPLIT_RE = /[^\p{L}\p{N}-]+/u;
const NUMBER_RE = /^\p{N}+$/u;

// A Greek letter command becomes its name, glued to a preceding hyphen or brace ("TGF-$\beta$"
// reads as "TGF-beta") but kept apart from a preceding word; other commands become a space.
function latexCommand(_match: string, name: string | undefined, offset: number, whole: string): string {
  if (name === undefined) return " ";
  const lower = name.toLowerCase();
  const greek = GREEK_COMMANDS.has(lower) ? lower : GREEK_VARIANTS[name];
  if (!greek) return " ";
  return /[\p{L}\p{N}]/u.test(whole[offset - 1] ?? " ") ? ` ${greek}` : greek;
}

/** Rewrites LaTeX, unicode and case so that only plain lower-case words and hyphens remain. */
export function normalizeText(text: string): string {
  let t = text;
  if (t.includes("\\")) t = t.replace(ACCENT_RE, "$1$2").replace(COMMAND_RE, latexCommand);
  if (t.includes("$")) t = t.replaceAll("$", "");
  if (t.includes("^") || t.includes("_")) t = t.replace(SCRIPT_RE, "$1$2$3");
  if (NON_ASCII_RE.test(t)) {
    t = t.normalize("NFKD").replace(MARK_RE, "").toLowerCase();
    t = t.replace(GREEK_CHAR_RE, (c) => GREEK_CHARS[c] ?? c).replace(HYPHENS_RE, "-");
  } else {
    t = t.toLowerCase();
  }
  return t;
}

// Words seen so far and what they become (a stem, or null when dropped). Bounded, so a server
// embedding endless new queries does not grow without limit.
const cache = new Map<string, string | null>();
const CACHE_LIMIT = 500_000;

function term(word: string): string | null {
  let t = cache.get(word);
  if (t !== undefined) return t;
  t = word.length < 2 || word.length > 40 || STOP_WORDS.has(word) || NUMBER_RE.test(word) ? null : stem(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, t);
  return t;
}

/** Calls `emit` with each term of `text`, in order. */
export function forEachTerm(text: string, emit: (term: string) => void): void {
  if (!text) return;
  for (const piece of normalizeText(text).split(SPLIT_RE)) {
    if (piece === "") continue;
    if (!piece.includes("-")) {
      const t = term(piece);
      if (t !== null) emit(t);
      continue;
    }
    const parts = piece.split("-").filter((p) => p !== "");
    for (const part of parts) {
      const t = term(part);
      if (t !== null) emit(t);
    }
    if (parts.length > 1 && parts.length <= 4) {
      const t = term(parts.join(""));
      if (t !== null) emit(t);
    }
  }
}

/** The terms of `text`, in order (repeats kept). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}
