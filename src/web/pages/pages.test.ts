// The HTML pages over HTTP (Hono's app.request, the real routes and database): what each page
// shows, navigation between periods, 400 and 404 pages, Markdown, math rendered on the server,
// hostile text shown as text, and the security headers.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { loadConfig } from "../../config/config.ts";
import { upsertRecords } from "../../papers/store.ts";
import { SearchRuntime } from "../../search/runtime.ts";
import { createApp } from "../app.tsx";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let runtime: SearchRuntime;
let app: ReturnType<typeof createApp>;

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)> &amp; "quoted"`;

before(async () => {
  db = await testDb();
  dir = tempDir();
  await upsertRecords(db, [
    paperRecord(
      {
        arxivId: "2608.10001",
        title: "Aligning language models with $\\beta$-divergences",
        abstract: "We align language models. The loss is $\\mathcal{L} = \\sum_i x_i^2$ and it works.",
        authors: ["José García", "Ada Lovelace"],
        categories: ["cs.CL", "cs.LG"],
        codeUrl: "https://github.com/example/align",
        codeStars: 321,
      },
      { day: "2026-08-14", upvotes: 42, numComments: 3, submittedBy: "ada" },
    ),
    paperRecord(
      {
        arxivId: "2608.10002",
        title: `Hostile ${HOSTILE}`,
        abstract: `Abstract ${HOSTILE}`,
        authors: [`Evil ${HOSTILE}`],
      },
      { day: "2026-08-14", upvotes: 7 },
    ),
    paperRecord(
      { arxivId: "2608.10003", title: "Older featured paper on protein folding" },
      { day: "2026-08-10", upvotes: 3 },
    ),
    paperRecord({ arxivId: "2608.10004", title: "Unfeatured paper on galaxy lensing", categories: ["astro-ph.CO"] }),
    paperRecord({ arxivId: "hep-th/9901001", title: "An old-style identifier", categories: ["hep-th"] }),
  ]);
  const config = loadConfig({ DATA_DIR: dir.path, DEMO_DATA: "off", BASE_URL: "https://papers.example.org" });
  runtime = new SearchRuntime(db, config);
  await runtime.cycle();
  app = createApp({ db, config, search: runtime });
});
after(async () => {
  await runtime.stop();
  await db.close();
  dir.remove();
});

const page = async (path: string, status = 200) => {
  const res = await app.request(path);
  assert.equal(res.status, status, `${path} answered ${res.status}`);
  return { res, html: await res.text() };
};

test("/ shows the latest featured day, most upvoted first, with cards and navigation", async () => {
  const { res, html } = await page("/");
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
  assert.match(html, /<h1>Daily Papers — Friday 14 August 2026<\/h1>/);
  assert.ok(html.indexOf("2608.10001") < html.indexOf("2608.10002"), "42 upvotes before 7");
  assert.match(html, /href="\/papers\/date\/2026-08-10" rel="prev"/);
  assert.doesNotMatch(html, /rel="next"/);
  assert.match(html, /Submitted by ada/);
  assert.match(html, /Code ★ 321/);
  assert.match(html, /3 comments/);
  assert.match(html, /href="\/authors\/Jos%C3%A9%20Garc%C3%ADa"/);
  assert.match(html, /href="\/c\/cs.CL"/);
  assert.match(html, /<link rel="alternate" type="application\/rss\+xml" href="[^"]*\/feeds\/daily\.rss"/);
  assert.match(html, /Get trending papers in your email inbox/);
});

test("weekly and monthly tabs, a day with no papers, the date picker", async () => {
  const week = await page("/papers/week/2026-W33");
  assert.match(week.html, /Week 33, 10–16 August 2026/);
  assert.match(week.html, /3 papers/);
  assert.match(week.html, /href="\/papers\/month\/2026-08"/);
  const month = await page("/papers/month/2026-08");
  assert.match(month.html, /August 2026/);
  const empty = await page("/papers/date/2026-08-12");
  assert.match(empty.html, /No papers were featured in this day/);
  assert.match(empty.html, /The nearest day with papers is <a href="\/papers\/date\/2026-08-10">/);
  const picked = await app.request("/papers/date?date=2026-08-10");
  assert.equal(picked.status, 302);
  assert.equal(picked.headers.get("location"), "/papers/date/2026-08-10");
});

test("sorting a day by trending or newest, paging", async () => {
  const trending = await page("/papers/date/2026-08-14?sort=trending");
  assert.match(trending.html, /aria-current="true"[^>]*>Trending|Trending<\/a>/);
  await page("/papers/date/2026-08-14?sort=publishedAt");
  await page("/papers/date/2026-08-14?page=1");
});

test("bad parameters answer 400 or 404 pages that say what was wrong", async () => {
  assert.match((await page("/papers/date/2026-02-30", 404)).html, /not a valid day/);
  assert.match((await page("/papers/week/2026-W99", 404)).html, /not a valid week/);
  assert.match((await page("/papers/month/2026-13", 404)).html, /not a valid month/);
  assert.match((await page("/papers/date?date=yesterday", 400)).html, /calendar date/);
  assert.match((await page("/?sort=best", 400)).html, /&quot;sort&quot; must be one of|"sort" must be one of/);
  assert.match((await page("/trending?page=0", 400)).html, /page/);
  assert.match((await page("/trending?page=abc", 400)).html, /page/);
  assert.match((await page("/search?q=x&mode=magic", 400)).html, /mode/);
  assert.match((await page("/search?q=x&from=2026-99-01", 400)).html, /from/);
  assert.match((await page("/papers/not-an-id", 404)).html, /not an arXiv identifier/);
  assert.match((await page("/c/%3Cscript%3E", 404)).html, /not an arXiv category/);
  assert.match((await page("/authors/Nobody%20Here", 404)).html, /No paper in this archive/);
  assert.match((await page("/no/such/page", 404)).html, /Not found/);
});

test("paper page: math rendered on the server, links, featurings, discussion; Markdown twin", async () => {
  const { html } = await page("/papers/2608.10001");
  assert.match(html, /<h1>Aligning language models with <span class="katex">/);
  assert.match(html, /class="katex"/);
  const abstract = /<div class="abstract-full">(.*?)<\/section>/s.exec(html)?.[1] ?? "";
  assert.match(abstract, /class="katex"/);
  assert.doesNotMatch(abstract, /\$\\mathcal/, "no raw TeX left in the abstract");
  assert.match(html, /href="https:\/\/arxiv.org\/abs\/2608.10001"/);
  assert.match(html, /href="https:\/\/arxiv.org\/pdf\/2608.10001"/);
  assert.match(html, /Code ★ 321/);
  assert.match(html, /42 upvotes/);
  assert.match(html, /href="\/papers\/date\/2026-08-14"/);
  assert.match(html, /id="discussion"/);
  assert.match(html, /Similar papers/);
  assert.match(html, /<link rel="alternate" type="text\/markdown" href="\/papers\/2608.10001.md"/);

  const md = await app.request("/papers/2608.10001.md");
  assert.equal(md.status, 200);
  assert.match(md.headers.get("content-type") ?? "", /text\/markdown/);
  const text = await md.text();
  assert.match(text, /^# Aligning language models with \$\\beta\$-divergences\n/);
  assert.match(text, /\*\*Authors:\*\* José García, Ada Lovelace/);
  assert.match(text, /Source: https:\/\/papers.example.org\/papers\/2608.10001/);

  const negotiated = await app.request("/papers/2608.10001", { headers: { Accept: "text/markdown" } });
  assert.match(negotiated.headers.get("content-type") ?? "", /text\/markdown/);
  assert.equal(await negotiated.text(), text);

  const versioned = await app.request("/papers/2608.10001v2");
  assert.equal(versioned.status, 301);
  assert.equal(versioned.headers.get("location"), "/papers/2608.10001");
});

test("papers with old-style ids (a slash inside) have pages and Markdown twins", async () => {
  const { html } = await page("/papers/hep-th/9901001");
  assert.match(html, /<h1>An old-style identifier<\/h1>/);
  const md = await app.request("/papers/hep-th/9901001.md");
  assert.equal(md.status, 200);
  assert.match(await md.text(), /^# An old-style identifier/);
  assert.equal((await app.request("/papers/hep-th/9901001v3")).headers.get("location"), "/papers/hep-th/9901001");
  await page("/papers/hep-th/9999999", 404);
});

test("an unknown paper answers 404 with a link to arXiv and the fetch offer", async () => {
  const { html } = await page("/papers/2608.99999", 404);
  assert.match(html, /arXiv:2608.99999 is not in this archive yet/);
  assert.match(html, /href="https:\/\/arxiv.org\/abs\/2608.99999"/);
  assert.match(html, /Sign in<\/a> to fetch it from arXiv/);
  assert.equal((await app.request("/papers/2608.99999.md")).status, 404);
});

test("hostile titles, abstracts and names render as text on every page", async () => {
  for (const path of ["/", "/papers/2608.10002", "/search?q=hostile", "/trending", "/papers/week/2026-W33"]) {
    const { html } = await page(path);
    assert.doesNotMatch(html, /<script>alert/, path);
    assert.doesNotMatch(html, /<img src=x/, path);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|&#60;script&#62;alert\(1\)&#60;\/script&#62;/, path);
  }
});

test("search page: results with highlights, modes, filters, and the query kept in the form", async () => {
  const { html } = await page("/search?q=language+models");
  assert.match(html, /value="language models"/);
  assert.match(html, /<mark>/);
  assert.match(html, /2608.10001/);
  assert.match(html, /name="mode" value="hybrid" checked/);
  const keyword = await page("/search?q=galaxy&mode=keyword&category=astro-ph.CO");
  assert.match(keyword.html, /2608.10004/);
  const filtered = await page("/search?q=galaxy&category=cs.CL");
  assert.doesNotMatch(filtered.html, /2608.10004/);
  assert.match(html, /href="[^"]*\/feeds\/search\.atom\?q=language/);
  const empty = await page("/search");
  assert.doesNotMatch(empty.html, /result-count/);
});

test("trending, ranking explanation, author and category pages", async () => {
  const trending = await page("/trending");
  assert.match(trending.html, /Trending papers/);
  assert.ok(trending.html.indexOf("2608.10001") < trending.html.indexOf("2608.10003"));
  const about = await page("/about/ranking");
  assert.match(about.html, /Gravity <code>1.8<\/code>/);
  assert.match(about.html, /Age offset <code>24 hours<\/code>/);
  const author = await page("/authors/Jose%20Garcia");
  assert.match(author.html, /<h1>José García<\/h1>/);
  assert.match(author.html, /2608.10001/);
  const category = await page("/c/astro-ph.CO");
  assert.match(category.html, /2608.10004/);
  assert.match(category.html, /\/feeds\/c\/astro-ph.CO\.rss/);
  const cl = await page("/c/cs.CL");
  assert.match(cl.html, /Computation and Language/);
});

test("security headers: a strict CSP and no sniffing; no state change on GET", async () => {
  const { res } = await page("/");
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal((await app.request("/subscribe")).status, 404, "subscribing is a POST");
});

test("static assets: the stylesheet, the live-search script and KaTeX's CSS are served by the app", async () => {
  const { html } = await page("/search?q=x");
  const css = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
  const js = /src="(\/static\/search\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
  const katex = /href="(\/static\/katex\/katex\.min\.css\?v=[^"]+)"/.exec(html)?.[1];
  for (const url of [css, js, katex]) {
    assert.ok(url, "asset linked");
    assert.equal((await app.request(url as string)).status, 200, url);
  }
});
