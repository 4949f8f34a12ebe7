// LaTeX math in titles and abstracts, rendered on the server with KaTeX: plain text as arXiv writes
// it (`$...$`, `$$...$$`, `\(...\)`, `\[...\]`, `\$` for a dollar) becomes safe HTML, and excerpts
// are cut without splitting a formula. The delimiters follow arXiv's own MathJax setup, which is
// what authors preview their abstracts with. Pages need /static/katex/katex.min.css (static.ts).
import katex, { type KatexOptions } from "katex";

/**
 * KaTeX settings for untrusted input. `trust: false` turns \href, \url, \includegraphics and the
 * \html* commands into plain red text (no link, class, id, style or data attribute is emitted);
 * `maxSize` caps user sizes (\rule, \hspace, \kern) in em; `maxExpand` stops macro loops such as
 * `\def\a{\a}\a`; `strict: "ignore"` accepts the non-LaTeX conveniences authors use. With
 * `throwOnError: false` an unknown command (`\mathbbm`) is shown in red inside an otherwise rendered
 * formula; a formula that does not parse at all is detected below and shown as its source instead.
 */
const KATEX_OPTIONS: KatexOptions = {
  throwOnError: false,
  trust: false,
  strict: "ignore",
  maxSize: 10,
  maxExpand: 500,
  output: "htmlAndMathml",
};

/** A formula longer than this is shown as its source: KaTeX's time grows faster than its length. */
const MAX_FORMULA_CHARS = 2_000;
/** Formula characters one renderMath call renders at most (an arXiv abstract has ≤ 1,920 in all). */
const MAX_MATH_CHARS_PER_CALL = 10_000;
/** Rendered formulas kept, by count and by total HTML characters (htmlAndMathml is verbose). */
const CACHE_MAX_ENTRIES = 5_000;
const CACHE_MAX_CHARS = 20_000_000;

interface TextSegment {
  math: false;
  /** Raw source, `\$` not yet unescaped, so an excerpt of it parses the same way again. */
  start: number;
  end: number;
}
interface MathSegment {
  math: true;
  display: boolean;
  /** The whole segment, delimiters included. */
  start: number;
  end: number;
  /** The formula between the delimiters. */
  tex: string;
}
type Segment = TextSegment | MathSegment;

/**
 * Splits `text` into plain-text and math segments in one left-to-right pass. Inside math a
 * backslash always takes the next character with it, so `\$` and `\}` never close a formula. An
 * opening delimiter without its closing one makes the rest of the text plain text, which keeps the
 * scan linear: nothing after an unmatched opener is looked at twice.
 */
function segment(text: string): Segment[] {
  const out: Segment[] = [];
  const n = text.length;
  let textStart = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let open = 0;
    let close = "";
    let display = false;
    if (c === 36 /* $ */) {
      display = text.charCodeAt(i + 1) === 36;
      open = display ? 2 : 1;
      close = display ? "$$" : "$";
    } else if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 40 /* ( */) {
        open = 2;
        close = "\\)";
      } else if (next === 91 /* [ */) {
        open = 2;
        close = "\\]";
        display = true;
      } else {
        // `\$` (a literal dollar) or any other backslash: plain text, skip both characters.
        i += next === 36 ? 2 : 1;
        continue;
      }
    } else {
      i++;
      continue;
    }
    const end = findClose(text, i + open, close);
    if (end < 0) break; // unbalanced: the rest is plain text
    if (i > textStart) out.push({ math: false, start: textStart, end: i });
    out.push({ math: true, display, start: i, end: end + close.length, tex: text.slice(i + open, end) });
    i = end + close.length;
    textStart = i;
  }
  if (textStart < n) out.push({ math: false, start: textStart, end: n });
  return out;
}

/** Index of the closing delimiter at or after `from`, skipping backslash pairs; -1 if none. */
function findClose(text: string, from: number, close: string): number {
  const n = text.length;
  const first = close.charCodeAt(0);
  const second = close.length > 1 ? close.charCodeAt(1) : -1;
  for (let j = from; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === first && (second < 0 || text.charCodeAt(j + 1) === second)) return j;
    if (c === 92 /* \ */) j++; // `\$`, `\\`, `\{` and friends are one unit
  }
  return -1;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes the five HTML-significant characters; safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Plain text as shown: `\$` is a dollar sign, then HTML-escaped. */
function textHtml(raw: string): string {
  return escapeHtml(raw.replaceAll("\\$", "$"));
}

/** Least-recently-used map of rendered formulas, bounded by entries and by total HTML size. */
const cache = new Map<string, string>();
let cacheChars = 0;

function cached(key: string): string | undefined {
  const html = cache.get(key);
  if (html !== undefined) {
    cache.delete(key); // re-insert: a Map iterates in insertion order, so the oldest comes first
    cache.set(key, html);
  }
  return html;
}

function remember(key: string, html: string): void {
  cache.set(key, html);
  cacheChars += html.length;
  while (cache.size > CACHE_MAX_ENTRIES || cacheChars > CACHE_MAX_CHARS) {
    const oldest = cache.keys().next();
    if (oldest.done) break;
    cacheChars -= cache.get(oldest.value)?.length ?? 0;
    cache.delete(oldest.value);
  }
}

/** One formula as HTML: KaTeX's output, or the escaped source (delimiters included) if it fails. */
function formulaHtml(seg: MathSegment, source: string): string {
  const key = `${seg.display ? "D" : "I"}${seg.tex}`;
  const hit = cached(key);
  if (hit !== undefined) return hit === "" ? escapeHtml(source) : hit;
  let html = "";
  try {
    const out = katex.renderToString(seg.tex, { ...KATEX_OPTIONS, displayMode: seg.display });
    // With throwOnError false, a formula that does not parse comes back as a red katex-error span.
    if (!out.startsWith('<span class="katex-error"')) html = out;
  } catch {
    // Not a ParseError (KaTeX rethrows those even with throwOnError false), e.g. a RangeError
    // from very deep nesting: shown as source like any other formula that cannot be rendered.
  }
  remember(key, html); // "" remembers a failure, so bad input is not parsed again on every page
  return html === "" ? escapeHtml(source) : html;
}

/**
 * Safe HTML for a title or abstract: text HTML-escaped, formulas rendered by KaTeX (display style
 * for `$$` and `\[`). A formula KaTeX cannot parse, one longer than 2,000 characters, and formulas
 * past 10,000 formula characters in one call are shown as their escaped source.
 */
export function renderMath(text: string): string {
  let html = "";
  let budget = MAX_MATH_CHARS_PER_CALL;
  for (const seg of segment(text)) {
    const source = text.slice(seg.start, seg.end);
    if (!seg.math) {
      html += textHtml(source);
    } else if (seg.tex.trim() === "") {
      // `$$$$` or `$ $`: nothing to show.
    } else if (seg.tex.length > MAX_FORMULA_CHARS || seg.tex.length > budget) {
      html += escapeHtml(source);
    } else {
      budget -= seg.tex.length;
      html += formulaHtml(seg, source);
    }
  }
  return html;
}

/** Whether `text` holds at least one delimited formula. */
export function hasMath(text: string): boolean {
  return segment(text).some((seg) => seg.math);
}

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 160;

/**
 * A plain-text excerpt of `text` (not HTML: pass it to renderMath) of at most `maxChars` characters
 * plus "…" when cut. The cut is at the last whitespace at or before `maxChars` that is not inside a
 * formula, or just before a formula that `maxChars` would split, so a formula is kept whole or left
 * out. A first word or formula longer than `maxChars` leaves only "…" (or a hard cut of the word).
 */
export function excerptMath(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const limit = Math.max(0, Math.floor(maxChars));
  let cut = -1;
  let hard = limit; // fallback when no boundary exists: the limit itself, unless inside a formula
  for (const seg of segment(text)) {
    if (seg.start > limit) break;
    if (seg.math) {
      if (seg.end > limit) {
        hard = Math.min(hard, seg.start);
        cut = Math.max(cut, seg.start);
        break;
      }
      continue;
    }
    for (let j = Math.min(seg.end, limit + 1) - 1; j >= seg.start; j--) {
      if (isSpace(text.charCodeAt(j))) {
        cut = Math.max(cut, j);
        break;
      }
    }
  }
  if (cut <= 0) {
    cut = hard;
    // Never split a `\$` or a surrogate pair in the fallback cut.
    if (cut > 0 && text.charCodeAt(cut - 1) === 92) cut--;
    const prev = text.charCodeAt(cut - 1);
    if (cut > 0 && prev >= 0xd800 && prev <= 0xdbff) cut--;
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}
