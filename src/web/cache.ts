// A short-lived in-memory cache of whole responses for visitors who are not signed in: the pages,
// feeds and public JSON everyone sees alike, kept PAGE_CACHE_SECONDS (default 10). The front page
// and a popular search then cost one map lookup for most readers, while anyone signed in (whose
// pages show their own votes and forms) always gets a fresh page. A signed-in person's
// successful write in this process (a vote, a comment) empties the cache at once; other
// processes' writes show within the TTL. Responses that set cookies, are not 200, say Cache-Control: private (a saved search's
// secret feed), or are larger than MAX_ENTRY_BYTES are not kept.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "./auth.ts";

/** Paths worth caching: what anonymous readers hit most. Everything else passes through. */
const CACHEABLE = [
  /^\/$/,
  /^\/(papers|c|authors|about|feeds|trending|search)(\/|$)/,
  /^\/api\/(daily_papers|papers|trending|search)(\/|$|\?)/,
];
/** Responses headers worth keeping with the body. */
const KEPT_HEADERS = ["content-type", "link", "x-total-count", "cache-control", "etag", "vary", "location"];
const MAX_ENTRIES = 2000;
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly ttlMs: number) {}

  get(key: string, now = Date.now()): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.delete(key, e);
      return undefined;
    }
    // Refresh its place in the LRU order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_TOTAL_BYTES) break;
      this.delete(k, e);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.byteLength;
  }
}

/** The middleware: serve anonymous GETs from the cache, fill it on a miss, empty it on writes. */
export function responseCache(cache: ResponseCache): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD") {
      await next();
      // Only a signed-in person's write changes what pages show (a vote, a comment); anonymous
      // POSTs (asking for a sign-in link, subscribing) must not be a way to empty the cache.
      if (c.res.status < 400 && c.get("viewer")) cache.clear();
      return;
    }
    const url = new URL(c.req.url);
    const anonymous = !c.req.header("authorization") && !getCookie(c, SESSION_COOKIE);
    if (!anonymous || cache.ttlMs <= 0 || !CACHEABLE.some((re) => re.test(url.pathname))) return next();
    // Only Accept values that change the answer are part of the key (the paper page's Markdown).
    const markdown = /\btext\/markdown\b/.test(c.req.header("accept") ?? "");
    const key = `${url.pathname}${url.search}${markdown ? "|md" : ""}`;
    const hit = cache.get(key);
    if (hit) {
      cache.hits++;
      const headers = new Headers(hit.headers);
      headers.set("x-cache", "hit");
      const inm = c.req.header("if-none-match");
      const etag = headers.get("etag");
      if (inm && etag && inm === etag) return new Response(null, { status: 304, headers });
      return new Response(method === "HEAD" ? null : hit.body, { status: hit.status, headers });
    }
    cache.misses++;
    await next();
    const res = c.res;
    if (
      res.status !== 200 ||
      res.headers.has("set-cookie") ||
      /\bprivate\b/.test(res.headers.get("cache-control") ?? "")
    ) {
      return;
    }
    const body = await res.clone().arrayBuffer();
    if (body.byteLength > MAX_ENTRY_BYTES) return;
    const headers: [string, string][] = [];
    for (const name of KEPT_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) headers.push([name, v]);
    }
    cache.set(key, { expires: Date.now() + cache.ttlMs, status: res.status, headers, body });
    res.headers.set("x-cache", "miss");
  };
}
