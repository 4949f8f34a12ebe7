// The /static routes over Hono's app.request: KaTeX's stylesheet and fonts with immutable caching,
// the site's assets with ETags and 304s, versioned asset URLs, and 404 for everything else,
// including path-traversal attempts.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Hono } from "hono";
import { assetUrl, createStatic, isSafeName, KATEX_CSS_URL, registerStatic } from "./static.ts";

const CSS = "body { color: #222; }\n";
let dir: string;
let app: Hono;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "paperboy-static-"));
  writeFileSync(join(dir, "app.css"), CSS);
  writeFileSync(join(dir, "app.js"), "console.log(1);\n");
  writeFileSync(join(dir, "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(dir, "notes.md"), "not served: unknown type");
  writeFileSync(join(dir, ".hidden.css"), "not served: dotfile");
  mkdirSync(join(dir, "sub.css"));
  app = new Hono();
  registerStatic(app, { assetsDir: dir });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the KaTeX stylesheet is served as CSS with an immutable cache header", async () => {
  const res = await app.request("/static/katex/katex.min.css");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/css/);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  const body = await res.text();
  assert.match(body, /\.katex\{/);
  assert.match(body, /url\(fonts\/KaTeX_Main-Regular\.woff2\)/, "fonts are relative to the stylesheet");
  assert.match(KATEX_CSS_URL, /^\/static\/katex\/katex\.min\.css\?v=\d+\.\d+\.\d+$/);
});

test("KaTeX fonts are served with their font types", async () => {
  for (const [file, type] of [
    ["KaTeX_Main-Regular.woff2", "font/woff2"],
    ["KaTeX_Main-Regular.woff", "font/woff"],
    ["KaTeX_Main-Regular.ttf", "font/ttf"],
  ] as const) {
    const res = await app.request(`/static/katex/fonts/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get("content-type"), type);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.ok((await res.arrayBuffer()).byteLength > 1000);
  }
  assert.equal((await app.request("/static/katex/fonts/KaTeX_Nope.woff2")).status, 404);
});

test("path traversal and names outside the rule give 404", async () => {
  for (const path of [
    "/static/katex/fonts/..%2Fkatex.js",
    "/static/katex/fonts/..%2F..%2Fpackage.json",
    "/static/katex/fonts/%2E%2E%2Fkatex.min.css",
    "/static/katex/fonts/../katex.js",
    "/static/katex/katex.js",
    "/static/katex/katex.min.js",
    "/static/..%2Fapp.tsx",
    "/static/..%2F..%2Fpackage.json",
    "/static/%2E%2E%2Fstatic.ts",
    "/static/..%5Capp.tsx",
    "/static/../app.tsx",
    "/static/.hidden.css",
    "/static/notes.md",
    "/static/sub.css",
    "/static/app.css%00.png",
    "/static/missing.css",
    "/static/katex",
  ]) {
    const res = await app.request(path);
    assert.equal(res.status, 404, path);
  }
  assert.equal(isSafeName("app.css"), true);
  for (const bad of ["..", "../x", "a/b", "a\\b", ".env", "a..b", "", "x y", "app.css\0"]) {
    assert.equal(isSafeName(bad), false, JSON.stringify(bad));
  }
});

test("assets are served with their type, a short cache and a strong ETag answered with 304", async () => {
  const res = await app.request("/static/app.css");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "public, max-age=3600");
  assert.equal(await res.text(), CSS);
  const etag = res.headers.get("etag");
  assert.match(etag ?? "", /^"[0-9a-f]{40}"$/);

  const again = await app.request("/static/app.css", { headers: { "If-None-Match": etag ?? "" } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("etag"), etag);
  assert.equal(await again.text(), "");
  const listed = await app.request("/static/app.css", { headers: { "If-None-Match": `"x", W/${etag}` } });
  assert.equal(listed.status, 304);
  const stale = await app.request("/static/app.css", { headers: { "If-None-Match": '"0000"' } });
  assert.equal(stale.status, 200);

  const js = await app.request("/static/app.js");
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  const svg = await app.request("/static/logo.svg");
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
});

test("assetUrl carries a content version and throws for unknown assets", async () => {
  const url = assetUrl("app.css");
  assert.match(url, /^\/static\/app\.css\?v=[0-9a-f]{10}$/);
  const res = await app.request(url);
  assert.equal(res.status, 200);
  assert.ok(res.headers.get("etag")?.startsWith(`"${url.slice(-10)}`), "the version is the ETag's prefix");
  assert.throws(() => assetUrl("missing.css"), /no static asset/);
  assert.throws(() => assetUrl("../app.tsx"), /no static asset/);
  assert.throws(() => assetUrl("notes.md"), /no static asset/);

  // Another folder with different content gives another version; a missing folder serves nothing.
  const other = mkdtempSync(join(tmpdir(), "paperboy-static-"));
  try {
    writeFileSync(join(other, "app.css"), "body { color: red; }\n");
    assert.notEqual(createStatic(other).url("app.css"), url);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
  const empty = createStatic(join(dir, "does-not-exist"));
  assert.throws(() => empty.url("app.css"));
  const emptyApp = new Hono();
  empty.register(emptyApp);
  assert.equal((await emptyApp.request("/static/app.css")).status, 404);
  assert.equal((await emptyApp.request("/static/katex/katex.min.css")).status, 200);
});
