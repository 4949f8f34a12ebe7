// The feed routes: `/feeds/daily`, `/feeds/trending`, `/feeds/c/:category` and `/feeds/search`,
// each as `.rss`, `.atom` or `.json`. Responses are cacheable for five minutes and carry a weak
// ETag, so a feed reader polling with If-None-Match gets an empty 304 while nothing changed.
//
// An unknown (well-formed) category answers an empty, valid feed rather than 404: a category can
// be subscribed to before its first paper arrives, and readers tend to drop feeds that 404.
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { SearchFilterError } from "../../search/lexical/index.ts";
import { SEARCH_MODES, type SearchMode } from "../../search/service.ts";
import { dayParam, listParam, ParamError, param } from "../api/params.ts";
import type { AppDeps } from "../app.tsx";
import type { FeedFormat } from "./links.ts";
import { type FeedDoc, renderFeed } from "./render.ts";
import { categoryFeed, dailyFeed, type SearchFeedQuery, searchFeed, trendingFeed } from "./sources.ts";

export const FEED_CACHE_CONTROL = "public, max-age=300";

/** `/feeds/<name>.<ext>` or `/feeds/c/<category>.<ext>`; a category may contain dots (cs.CL). */
const FEED_PATH = /^\/feeds\/(?:(daily|trending|search)|c\/([^/]+))\.(rss|atom|json)$/;
/** What a category looks like (arXiv's are e.g. cs.CL, hep-th, astro-ph.CO, cond-mat.mes-hall). */
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type FeedRoute =
  | { kind: "daily" | "trending" | "search"; format: FeedFormat }
  | { kind: "category"; category: string; format: FeedFormat };

/** The feed a request path names, or null (answered with 404). */
export function parseFeedPath(path: string): FeedRoute | null {
  const m = FEED_PATH.exec(path);
  if (!m) return null;
  const format = m[3] as FeedFormat;
  if (m[1]) return { kind: m[1] as "daily" | "trending" | "search", format };
  let category: string;
  try {
    category = decodeURIComponent(m[2] ?? "");
  } catch {
    return null;
  }
  return CATEGORY.test(category) ? { kind: "category", category, format } : null;
}

/** A weak validator of the body: equal bodies, equal tags. */
export function weakEtag(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

class FeedRequestError extends Error {}

function searchQuery(c: Context): SearchFeedQuery {
  const q = c.req.query("q")?.trim();
  if (!q) {
    throw new FeedRequestError(
      "A search feed needs a query: /feeds/search.rss?q=protein+folding (optional: mode, category, author, from, to).",
    );
  }
  if (q.length > 10_000) throw new FeedRequestError("q must be at most 10,000 characters");
  const mode = c.req.query("mode") || "hybrid";
  if (!(SEARCH_MODES as readonly string[]).includes(mode)) {
    throw new FeedRequestError(`mode must be one of ${SEARCH_MODES.join(", ")}`);
  }
  const from = param(c, "from", dayParam);
  const to = param(c, "to", dayParam);
  return {
    q,
    mode: mode as SearchMode,
    categories: listParam(c, "category"),
    authors: listParam(c, "author"),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

export function registerFeeds(app: Hono, deps: AppDeps): void {
  const { db, config } = deps;

  app.get("/feeds/*", async (c, next) => {
    const route = parseFeedPath(c.req.path);
    if (!route) {
      await next();
      return;
    }
    let doc: FeedDoc;
    try {
      doc =
        route.kind === "daily"
          ? await dailyFeed(db)
          : route.kind === "trending"
            ? await trendingFeed(db)
            : route.kind === "category"
              ? await categoryFeed(db, route.category)
              : await searchFeed(db, deps.search.semantic, searchQuery(c));
    } catch (err) {
      if (
        err instanceof FeedRequestError ||
        err instanceof ParamError ||
        err instanceof SearchFilterError ||
        err instanceof RangeError
      ) {
        return c.text(err.message, 400);
      }
      throw err;
    }
    const { body, type } = renderFeed(doc, route.format, config.baseUrl);
    const etag = weakEtag(body);
    c.header("Cache-Control", FEED_CACHE_CONTROL);
    c.header("ETag", etag);
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
    return c.body(body, 200, { "Content-Type": type });
  });
}
