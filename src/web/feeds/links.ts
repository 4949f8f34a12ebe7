// Where the feeds live: the three formats (extension, media type, label), the path of a feed in
// each format, the `<link rel="alternate">` entries pages put in their <head>, and the canonical
// path of a search feed (the same query always names the same feed, so its ids stay stable).

export const FEED_FORMATS = {
  rss: { type: "application/rss+xml", label: "RSS" },
  atom: { type: "application/atom+xml", label: "Atom" },
  json: { type: "application/feed+json", label: "JSON Feed" },
} as const;
export type FeedFormat = keyof typeof FEED_FORMATS;
export const FEED_FORMAT_NAMES = Object.keys(FEED_FORMATS) as FeedFormat[];

/** The search parameters a search feed keeps, in the order its canonical path lists them. */
export const SEARCH_FEED_PARAMS = ["q", "mode", "category", "author", "from", "to"] as const;

/**
 * A feed path without extension (`/feeds/c/cs.CL`, or `/feeds/search?q=...`) in one format: the
 * extension goes at the end of the path, before any query string.
 */
export function feedPath(path: string, format: FeedFormat): string {
  const at = path.indexOf("?");
  return at < 0 ? `${path}.${format}` : `${path.slice(0, at)}.${format}${path.slice(at)}`;
}

/** The three alternates of a feed path without extension, for `<link rel="alternate">` tags. */
export function feedLinks(path: string, title: string): { href: string; type: string; title: string }[] {
  return FEED_FORMAT_NAMES.map((format) => ({
    href: feedPath(path, format),
    type: FEED_FORMATS[format].type,
    title: `${title} (${FEED_FORMATS[format].label})`,
  }));
}

/** The feed path (without extension) of one category's newest papers. */
export function categoryFeedPath(category: string): string {
  return `/feeds/c/${encodeURIComponent(category)}`;
}

/**
 * The canonical feed path (without extension) of a search: only the parameters that change the
 * results (q, mode, category, author, from, to), in a fixed order, empty ones and the default
 * mode dropped, paging and anything else left out. E.g. `/feeds/search?q=protein+folding&category=q-bio`.
 */
export function searchFeedPath(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const name of SEARCH_FEED_PARAMS) {
    for (const raw of params.getAll(name)) {
      const value = raw.trim();
      if (value === "" || (name === "mode" && value === "hybrid")) continue;
      kept.append(name, value);
    }
  }
  const query = kept.toString();
  return query ? `/feeds/search?${query}` : "/feeds/search";
}
