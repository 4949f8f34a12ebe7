// The search API over HTTP (Hono's app.request, the real routes and database): modes, filters,
// paging with Link headers, 400s that name the parameter, similar papers, the HF-compatible shape.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { topicCorpus } from "../../../test/helpers/corpus.ts";
import type { TestDb } from "../../../test/helpers/db.ts";
import { testApp } from "../../../test/helpers/web.ts";
import { upsertRecords } from "../../papers/store.ts";
import type { SearchRuntime } from "../../search/runtime.ts";

// Response bodies are read loosely: each assertion names the fields it checks.
// biome-ignore lint/suspicious/noExplicitAny: test-side view of JSON bodies
type Json = any;
const json = async (res: Response): Promise<Json> => res.json();

let db: TestDb;
let app: Hono;
let runtime: SearchRuntime;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, runtime, close } = await testApp());
  const corpus = topicCorpus(60);
  const hostile = corpus[0];
  if (hostile) hostile.paper.title = `Protein folding <script>alert(1)</script> & more`;
  await upsertRecords(db, corpus);
  await runtime.cycle();
});
after(() => close());

test("GET /api/search answers with ranked, highlighted hits", async () => {
  const res = await app.request("/api/search?q=galaxy+lensing&limit=3");
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.mode, "hybrid");
  assert.equal(body.modeUsed, "hybrid");
  assert.equal(body.semantic, "ready");
  assert.equal(body.hits.length, 3);
  assert.match(body.hits[0].paper.title, /Galaxy cluster/);
  assert.ok(body.hits[0].highlights.title.length > 0);
  assert.match(res.headers.get("link") ?? "", /offset=3>; rel="next"/);
});

test("filters and modes come from the query string", async () => {
  const res = await app.request("/api/search?q=learning&mode=semantic&category=cs.CL&limit=20");
  const body = await json(res);
  assert.equal(body.modeUsed, "semantic");
  assert.ok(body.hits.length > 0);
  assert.ok(body.hits.every((h: { paper: { categories: string[] } }) => h.paper.categories.includes("cs.CL")));
  const dated = await json(await app.request("/api/search?q=protein&from=2026-07-08&to=2026-07-09&mode=keyword"));
  assert.ok(dated.hits.length > 0);
  assert.ok(
    dated.hits.every((h: { paper: { date: string } }) => h.paper.date >= "2026-07-08" && h.paper.date <= "2026-07-09"),
  );
});

test("bad parameters are 400s naming the parameter", async () => {
  const cases: [string, string][] = [
    ["/api/search", "q"],
    ["/api/search?q=x&mode=fuzzy", "mode"],
    ["/api/search?q=x&limit=0", "limit"],
    ["/api/search?q=x&limit=abc", "limit"],
    ["/api/search?q=x&offset=-5", "offset"],
    ["/api/search?q=x&from=2026-02-30", "from"],
    ["/api/search?q=x&to=yesterday", "to"],
    ["/api/search?q=x&prefix=maybe", "prefix"],
    ["/api/papers/search", "q"],
  ];
  for (const [url, parameter] of cases) {
    const res = await app.request(url);
    assert.equal(res.status, 400, url);
    const body = await json(res);
    assert.equal(body.parameter, parameter, url);
    assert.match(body.error, new RegExp(`^${parameter} `), url);
  }
});

test("hostile queries never produce a server error", async () => {
  for (const q of ['"', "*)(", "NEAR(a b", "\u0000", "😀", "x".repeat(10_000), "author:", 'a" OR 1=1 --']) {
    const res = await app.request(`/api/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, JSON.stringify(q).slice(0, 30));
  }
});

test("GET /api/papers/:id/similar lists neighbours on the same topic", async () => {
  const res = await app.request("/api/papers/2607.30001/similar?limit=5");
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.similar.length, 5);
  assert.ok(body.similar.every((s: { paper: { arxivId: string; title: string } }) => s.paper.arxivId !== "2607.30001"));
  assert.ok(
    body.similar.every((s: { paper: { title: string } }) => /Galaxy cluster/.test(s.paper.title)),
    JSON.stringify(body.similar.map((s: { paper: { title: string }; score: number }) => [s.paper.title, s.score])),
  );
  // The second call is served from the cache and agrees.
  const again = await json(await app.request("/api/papers/2607.30001/similar?limit=5"));
  assert.deepEqual(again.similar, body.similar);
  assert.equal((await app.request("/api/papers/2607.99999/similar")).status, 404);
  assert.equal((await app.request("/api/papers/not-an-id/similar")).status, 400);
});

test("GET /api/papers/search speaks the Hugging Face shape with escaped highlights", async () => {
  const res = await app.request("/api/papers/search?q=protein+folding&limit=60");
  const items = await json(res);
  assert.ok(Array.isArray(items) && items.length > 0);
  const item = items.find((i: { paper: { id: string } }) => i.paper.id === "2607.30000");
  assert.ok(item, "the paper with markup in its title is found");
  assert.deepEqual(Object.keys(item.paper).sort(), [
    "ai_keywords",
    "ai_summary",
    "authors",
    "discussionId",
    "githubRepo",
    "githubStars",
    "id",
    "organization",
    "projectPage",
    "publishedAt",
    "submittedOnDailyAt",
    "submittedOnDailyBy",
    "summary",
    "title",
    "upvotes",
  ]);
  assert.deepEqual(item.paper.authors[0], { name: "Rosalind Franklin", hidden: false });
  assert.equal(item.highlightedTitle.includes("<script>"), false, "markup is escaped");
  assert.match(item.highlightedTitle, /<mark>Protein<\/mark> <mark>folding<\/mark> &#60;script&#62;/);
});
