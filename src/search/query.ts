// The search query language: turns what a user types into a structured, bounded query that no
// engine syntax can leak through. Supported:
//   words            attention transformer
//   "phrases"        "graph neural network"      (an unclosed quote runs to the end)
//   exclusions       -survey  -"large language"
//   author:          author:LeCun  author:"Yann LeCun"
//   cat: category:   cat:cs.CL  cat:cs           (an archive alone means all its categories)
//   before: after:   before:2024-06-01  after:2023-12  after:2023
//   trailing *       transform*                  (prefix)
// Every word is reduced to index tokens (runs of letters and digits, lower-cased); whatever else the
// user typed (quotes, *, parentheses, colons, operators, control characters) only separates tokens.
// Unknown `field:` prefixes are plain words. The compilers in lexical/ quote every token they emit.
//
// Dates are half-open and literal: before:P keeps papers dated before period P starts, after:P keeps
// papers dated after P ends, where P is a day, a month or a year. "Papers from 2024" is
// `after:2023 before:2025`.

/** Input beyond this many characters is ignored. */
export const MAX_QUERY_LENGTH = 1000;
/** Tokens beyond this many (words, phrase words and author words together) are ignored. */
export const MAX_TERMS = 32;
/** Longer tokens cannot be useful words (and some engines reject them); they are dropped. */
export const MAX_TOKEN_LENGTH = 64;

/** A word or a phrase, as index tokens. */
export interface Term {
  /** Lower-cased tokens of letters and digits; one for a word, several for a phrase. */
  words: string[];
  /** The user quoted it (a phrase the results must contain, whatever the matching mode). */
  quoted: boolean;
  /** The last word is a prefix (typed with a trailing * or still being typed). */
  prefix: boolean;
}

export interface ParsedQuery {
  /** Words and phrases to find, in the order typed. */
  terms: Term[];
  /** Words and phrases that results must not contain. */
  excluded: Term[];
  /** author: values, each as tokens matched as a phrase in the author names. */
  authors: string[][];
  /** cat: values in arXiv's spelling (cs.CL, hep-th, math.AG), or an archive alone (cs). */
  categories: string[];
  /** Earliest day kept (inclusive, YYYY-MM-DD), from after:. */
  dateFrom: string | null;
  /** First day no longer kept (exclusive, YYYY-MM-DD), from before:. */
  dateUntil: string | null;
  /** What was ignored and why, to show next to the results. */
  warnings: string[];
}

export interface ParseOptions {
  /** The user is still typing: an unfinished last word matches as a prefix (type-ahead). */
  prefix?: boolean;
}

const FIELDS: Record<string, "author" | "category" | "before" | "after"> = {
  author: "author",
  cat: "category",
  category: "category",
  before: "before",
  after: "after",
};

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
// Control characters (C0, C1), unpaired surrogates, zero-width and bidi characters: whitespace to us.
const INVISIBLE = /[\p{Cc}\p{Cs}\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** A word lower-cased without accents, as the SQLite index compares words (remove_diacritics). */
export function foldWord(word: string): string {
  // ASCII words (nearly all of them) have no accents to strip.
  if (!/[^a-zA-Z0-9]/.test(word)) return word.toLowerCase();
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Splits text into index tokens: runs of letters and digits, lower-cased. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

interface Chunk {
  kind: "word" | "phrase" | "field";
  negated: boolean;
  field?: string;
  text: string;
  /** A phrase or quoted value whose closing quote was missing. */
  open: boolean;
}

/** Cuts input into chunks: words, quoted phrases and field:value pairs, with their minus signs. */
function chunksOf(input: string): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  const n = input.length;
  const readQuoted = (start: number): { text: string; end: number; open: boolean } => {
    const close = input.indexOf('"', start);
    if (close < 0) return { text: input.slice(start), end: n, open: true };
    return { text: input.slice(start, close), end: close + 1, open: false };
  };
  while (i < n) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    while (input[i] === "-") {
      negated = true;
      i++;
    }
    // A minus sign on its own excludes nothing.
    if (i >= n || /\s/.test(input[i] as string)) continue;
    if (input[i] === '"') {
      const q = readQuoted(i + 1);
      out.push({ kind: "phrase", negated, text: q.text, open: q.open });
      i = q.end;
      continue;
    }
    let j = i;
    while (j < n && !/\s/.test(input[j] as string) && input[j] !== '"') j++;
    const word = input.slice(i, j);
    const colon = word.indexOf(":");
    const field = colon > 0 ? FIELDS[word.slice(0, colon).toLowerCase()] : undefined;
    if (field) {
      if (colon === word.length - 1 && input[j] === '"') {
        const q = readQuoted(j + 1);
        out.push({ kind: "field", negated, field, text: q.text, open: q.open });
        i = q.end;
      } else {
        out.push({ kind: "field", negated, field, text: word.slice(colon + 1), open: false });
        i = j;
      }
      continue;
    }
    out.push({ kind: "word", negated, text: word, open: false });
    i = j;
  }
  return out;
}

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Parses what the user typed; never throws, whatever the input. */
export function parseQuery(input: unknown, options: ParseOptions = {}): ParsedQuery {
  const parsed: ParsedQuery = {
    terms: [],
    excluded: [],
    authors: [],
    categories: [],
    dateFrom: null,
    dateUntil: null,
    warnings: [],
  };
  if (typeof input !== "string") return parsed;
  let text = input;
  if (text.length > MAX_QUERY_LENGTH) {
    text = truncate(text, MAX_QUERY_LENGTH);
    parsed.warnings.push(`only the first ${MAX_QUERY_LENGTH} characters are searched`);
  }
  text = text.normalize("NFC").replace(INVISIBLE, " ");
  // While typing, the last word is unfinished unless a space or a quote follows it.
  const typing = options.prefix === true && text.length > 0 && !/[\s"]$/.test(text);

  const budget = { left: MAX_TERMS, warned: false };
  const take = (tokens: string[]): string[] => {
    const usable = tokens.filter((t) => t.length <= MAX_TOKEN_LENGTH);
    if (usable.length < tokens.length) {
      parsed.warnings.push(`words longer than ${MAX_TOKEN_LENGTH} characters are ignored`);
    }
    if (usable.length <= budget.left) {
      budget.left -= usable.length;
      return usable;
    }
    if (!budget.warned) parsed.warnings.push(`only the first ${MAX_TERMS} words are searched`);
    budget.warned = true;
    budget.left = 0;
    return [];
  };

  const chunks = chunksOf(text);
  chunks.forEach((chunk, index) => {
    const last = index === chunks.length - 1;
    if (chunk.kind === "field") {
      applyField(parsed, chunk, take);
      return;
    }
    const star = chunk.kind === "word" && /\*+$/.test(chunk.text);
    const words = take(tokenize(chunk.text));
    if (words.length === 0) return;
    const unfinished = typing && last && !chunk.negated && (chunk.kind === "word" || chunk.open);
    const term: Term = { words, quoted: chunk.kind === "phrase", prefix: star || unfinished };
    addTerm(chunk.negated ? parsed.excluded : parsed.terms, term);
  });
  parsed.warnings = [...new Set(parsed.warnings)];
  return parsed;
}

function addTerm(list: Term[], term: Term) {
  const key = (t: Term) => `${t.quoted}|${t.prefix}|${t.words.join(" ")}`;
  if (!list.some((t) => key(t) === key(term))) list.push(term);
}

function applyField(parsed: ParsedQuery, chunk: Chunk, take: (tokens: string[]) => string[]) {
  const field = chunk.field as string;
  const value = chunk.text.trim();
  if (value === "") return;
  if (chunk.negated) {
    parsed.warnings.push(`-${field}: is not supported; only words and phrases can be excluded`);
    return;
  }
  if (field === "author") {
    const words = take(tokenize(value));
    const key = words.join(" ");
    if (words.length > 0 && !parsed.authors.some((a) => a.join(" ") === key)) parsed.authors.push(words);
    return;
  }
  if (field === "category") {
    const category = normalizeCategory(value);
    if (!category) parsed.warnings.push(`cat:${value.slice(0, 40)} is not an arXiv category`);
    else if (!parsed.categories.includes(category)) parsed.categories.push(category);
    return;
  }
  const period = parsePeriod(value);
  if (!period) {
    parsed.warnings.push(`${field}:${value.slice(0, 40)} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)`);
  } else if (field === "before") {
    // The tightest bound wins when a field is given twice.
    if (parsed.dateUntil === null || period.start < parsed.dateUntil) parsed.dateUntil = period.start;
  } else if (parsed.dateFrom === null || period.end > parsed.dateFrom) {
    parsed.dateFrom = period.end;
  }
}

/**
 * An arXiv category in arXiv's spelling: the archive in lower case, a two-letter subject class in
 * upper case (cs.CL, math.AG, astro-ph.CO), a longer one in lower case (cond-mat.mes-hall).
 * Returns null for anything that cannot be a category.
 */
export function normalizeCategory(value: string): string | null {
  const m = /^([a-z]+(?:-[a-z]+)?)(?:\.([a-z]+(?:-[a-z]+)*))?$/i.exec(value.trim());
  if (!m || value.length > 40) return null;
  const archive = (m[1] as string).toLowerCase();
  const subject = m[2];
  if (subject === undefined) return archive;
  return `${archive}.${subject.length === 2 ? subject.toUpperCase() : subject.toLowerCase()}`;
}

/** A day, month or year as the half-open range of days [start, end), or null if not a real date. */
export function parsePeriod(value: string): { start: string; end: string } | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (year < 1000 || year > 9000 || (month !== null && (month < 1 || month > 12))) return null;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  if (month === null) return { start: `${m[1]}-01-01`, end: iso(new Date(Date.UTC(year + 1, 0, 1))) };
  const start = new Date(Date.UTC(year, month - 1, day ?? 1));
  // Date.UTC rolls 2024-02-30 over to March: a real date comes back with the same month and day.
  if (start.getUTCMonth() !== month - 1 || (day !== null && start.getUTCDate() !== day)) return null;
  if (day === null) return { start: iso(start), end: iso(new Date(Date.UTC(year, month, 1))) };
  return { start: iso(start), end: iso(new Date(Date.UTC(year, month - 1, day + 1))) };
}

/** True when the query asks for nothing at all: no words, authors, categories or dates. */
export function isEmptyQuery(q: ParsedQuery): boolean {
  return (
    q.terms.length === 0 &&
    q.excluded.length === 0 &&
    q.authors.length === 0 &&
    q.categories.length === 0 &&
    q.dateFrom === null &&
    q.dateUntil === null
  );
}
