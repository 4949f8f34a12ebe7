// Static files, read into memory once and served from there: KaTeX's stylesheet and fonts from the
// installed katex package (/static/katex/...), and the site's own assets from src/web/assets/
// (/static/NAME). Only top-level files with a known type are served; a name must match
// /^[\w.-]+$/ and not start with a dot, so no path can leave either folder.
//
// Use: `registerStatic(app)` in createApp, then `assetUrl("app.css")` in pages, which gives a
// cache-busting URL (`/static/app.css?v=<hash>`). The assets folder is read when registerStatic is
// called (not when this module loads), so files added before start-up are picked up; tests pass
// their own folder with `registerStatic(app, { assetsDir })`. `createStatic(dir)` returns the same
// thing as an object, `{ register(app), url(name) }`, without touching the module's default.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";

/** The site's own assets, beside this file. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL("./assets/", import.meta.url));

const KATEX_PACKAGE = createRequire(import.meta.url).resolve("katex/package.json");
const KATEX_DIST = join(dirname(KATEX_PACKAGE), "dist");
const KATEX_VERSION = (JSON.parse(readFileSync(KATEX_PACKAGE, "utf8")) as { version: string }).version;

/**
 * The KaTeX stylesheet, with the KaTeX version as cache buster: the file itself is served
 * `immutable`, so an upgrade must change the URL. Its fonts are referenced from inside the CSS by
 * relative URLs (`fonts/KaTeX_*.woff2`) and cannot carry the version.
 */
export const KATEX_CSS_URL = `/static/katex/katex.min.css?v=${KATEX_VERSION}`;

const ASSET_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".woff2": "font/woff2",
};
const FONT_TYPES: Record<string, string> = { ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf" };

const ASSET_CACHE = "public, max-age=3600";
const KATEX_CACHE = "public, max-age=31536000, immutable";

interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  /** sha1 of the content, hex. */
  hash: string;
  etag: string;
}

export interface StaticAssets {
  /** Adds the /static routes to `app`. */
  register(app: Hono): void;
  /** `/static/NAME?v=<10 hex of the content hash>`; throws if NAME is not a served asset. */
  url(name: string): string;
}

/** A file name that stays inside its folder: word characters, dots and dashes, no leading dot. */
export function isSafeName(name: string): boolean {
  return /^[\w.-]+$/.test(name) && !name.startsWith(".") && !name.includes("..");
}

function load(path: string, type: string): StaticFile {
  const body = new Uint8Array(readFileSync(path));
  const hash = createHash("sha1").update(body).digest("hex");
  return { body, type, hash, etag: `"${hash}"` };
}

/** Every top-level regular file of `dir` whose extension has a type in `types`, by name. */
function loadFolder(dir: string, types: Record<string, string>): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    const type = types[extname(name).toLowerCase()];
    const path = join(dir, name);
    if (type === undefined || !isSafeName(name) || !statSync(path).isFile()) continue;
    files.set(name, load(path, type));
  }
  return files;
}

/** KaTeX's files, read on first use and shared by every app in the process (about 1.2 MB). */
let katexFiles: { css: StaticFile; fonts: Map<string, StaticFile> } | undefined;
function katex(): NonNullable<typeof katexFiles> {
  katexFiles ??= {
    css: load(join(KATEX_DIST, "katex.min.css"), "text/css; charset=utf-8"),
    fonts: loadFolder(join(KATEX_DIST, "fonts"), FONT_TYPES),
  };
  return katexFiles;
}

/** Whether the request's If-None-Match names `etag` (weak comparison, as RFC 9110 asks for GET). */
function notModified(c: Context, etag: string): boolean {
  const header = c.req.header("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

function serve(c: Context, file: StaticFile | undefined, cacheControl: string): Response | Promise<Response> {
  if (file === undefined) return c.notFound();
  const headers = { ETag: file.etag, "Cache-Control": cacheControl };
  if (notModified(c, file.etag)) return c.body(null, 304, headers);
  return c.body(file.body, 200, { ...headers, "Content-Type": file.type });
}

/** Reads `assetsDir` now and returns routes and URLs for what it holds. */
export function createStatic(assetsDir: string = DEFAULT_ASSETS_DIR): StaticAssets {
  const assets = loadFolder(assetsDir, ASSET_TYPES);
  return {
    register(app) {
      const { css, fonts } = katex();
      app.get("/static/katex/katex.min.css", (c) => serve(c, css, KATEX_CACHE));
      app.get("/static/katex/fonts/:file", (c) => {
        const name = c.req.param("file");
        return serve(c, isSafeName(name) ? fonts.get(name) : undefined, KATEX_CACHE);
      });
      app.get("/static/:file", (c) => {
        const name = c.req.param("file");
        return serve(c, isSafeName(name) ? assets.get(name) : undefined, ASSET_CACHE);
      });
    },
    url(name) {
      const file = isSafeName(name) ? assets.get(name) : undefined;
      if (file === undefined) throw new Error(`no static asset named ${JSON.stringify(name)} in ${assetsDir}`);
      return `/static/${name}?v=${file.hash.slice(0, 10)}`;
    },
  };
}

/** The assets the last registerStatic call serves; assetUrl answers from them. */
let current: StaticAssets | undefined;

/** Serves /static/... on `app` from `assetsDir` (default src/web/assets/), read now. */
export function registerStatic(app: Hono, options: { assetsDir?: string } = {}): void {
  current = createStatic(options.assetsDir);
  current.register(app);
}

/**
 * The versioned URL of an asset served by the last registerStatic call (or, before any, of the
 * default folder), e.g. `/static/app.css?v=3f2a9c01b7`. Throws if there is no such asset.
 */
export function assetUrl(name: string): string {
  current ??= createStatic();
  return current.url(name);
}
