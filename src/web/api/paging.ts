// Paging over HTTP for the JSON API: the URL of a neighbouring page (the request's own URL with one
// query parameter changed, on the public origin when one is given) and the RFC 8288 `Link` header
// naming the next and previous pages, for offset, page-number and cursor paging alike.

/** `url` with query parameter `name` set to `value` (removed when null), on `base`'s origin and path prefix when given. */
export function pageUrl(url: string, name: string, value: string | number | null, base?: string): string {
  const u = new URL(url);
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, String(value));
  if (!base) return u.toString();
  const b = new URL(base);
  return `${b.origin}${b.pathname.replace(/\/+$/, "")}${u.pathname}${u.search}`;
}

/** A `Link` header value naming the given pages, or undefined when there are none. */
export function linkHeader(links: { next?: string | null; prev?: string | null }): string | undefined {
  const parts: string[] = [];
  if (links.next) parts.push(`<${links.next}>; rel="next"`);
  if (links.prev) parts.push(`<${links.prev}>; rel="prev"`);
  return parts.length ? parts.join(", ") : undefined;
}

/** The `Link` header of an offset-paged list: `offset` moved by `limit` within `total`. */
export function offsetLinks(
  url: string,
  page: { offset: number; limit: number; total: number },
  base?: string,
): string | undefined {
  const { offset, limit, total } = page;
  return linkHeader({
    next: offset + limit < total ? pageUrl(url, "offset", offset + limit, base) : null,
    prev: offset > 0 ? pageUrl(url, "offset", Math.max(0, offset - limit), base) : null,
  });
}
