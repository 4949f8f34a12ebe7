// Search queries the benchmarks take from the corpus itself, deterministically: a few consecutive
// words of a paper title, as someone would type them into the search box.

const STOP = new Set(["a", "an", "the", "of", "for", "and", "in", "on", "with", "to", "via", "from", "by", "is", "at"]);

/**
 * `len` consecutive words of `title` (words of three letters or more, no stopwords), starting at a
 * position that varies with `i`; "" when the title has none.
 */
export function titleQuery(title: string, i: number, len: number): string {
  const words = title.split(/[^\p{L}\p{N}-]+/u).filter((w) => w.length > 2 && !STOP.has(w.toLowerCase()));
  const start = words.length > len ? i % (words.length - len) : 0;
  return words.slice(start, start + len).join(" ");
}
