// The feeds over HTTP (app.request, the real routes and database): every feed in RSS, Atom and
// JSON Feed, their ids, dates and self links, hostile text, category and search feeds, ETags.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { loadConfig } from "../../config/config.ts";
import { upsertRecords } from "../../papers/store.ts";
import { SearchRuntime } from "../../search/runtime.ts";
import { createApp } from "../app.tsx";

// Parsed feeds are read loosely: each assertion names the fields it checks.
// biome-ignore lint/suspicious/noExplicitAny: test-side view of parsed XML and JSON
type Doc = any;

const BASE = "https://papers.example.org";
const LISTS = new Set(["item", "entry", "category", "author", "atom:link", "link"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => LISTS.has(name),
});
/** Undoes one level of HTML escaping (titles and content are HTML inside the XML). */
const unhtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const HOSTILE_ID = "2607.20001";
// No U+0000 here: PostgreSQL refuses it in text columns (render.test.ts covers it without a database).
const CONTROL = "\u0001\u0008\u000B\u001F\uFFFF";
const HOSTILE_TITLE = `<script>alert(1)</script> & ]]> and ]]> again, AT&amp;T${CONTROL} end`;
const HOSTILE_ABSTRACT = `We bound $\\alpha < \\beta$ & show <b>x</b> ]]> twice ]]>${CONTROL}.`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot carry
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FEEDS = ["/feeds/daily", "/feeds/trending", "/feeds/c/astro-ph.CO", "/feeds/search?q=protein&mode=keyword"];
const withExt = (path: string, ext: string) => path.replace(/(\?|$)/, `.${ext}$1`);

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let runtime: SearchRuntime;
let app: ReturnType<typeof createApp>;

const featured = (day: string, upvotes: number) => ({ day, upvotes, submittedAt: `${day}T09:00:00.000Z` });

before(async () => {
  db = await testDb();
  dir = tempDir();
  await upsertRecords(db, [
    paperRecord({ arxivId: "2607.20010", title: "Old day paper" }, featured("2026-07-01", 50)),
    paperRecord({ arxivId: "2607.20011", title: "Protein folding at scale" }, featured("2026-07-02", 3)),
    paperRecord({ arxivId: "2607.20012" }, featured("2026-07-03", 4)),
    paperRecord({ arxivId: "2607.20013" }, featured("2026-07-03", 9)),
    paperRecord(
      {
        arxivId: HOSTILE_ID,
        title: HOSTILE_TITLE,
        abstract: HOSTILE_ABSTRACT,
        authors: ["Eve <script>x</script>", "Tom & Jerry", "AT&amp;T Labs"],
        categories: ["cs.CL", "astro-ph.CO"],
      },
      featured("2026-07-05", 7),
    ),
    paperRecord({ arxivId: "2607.20014", title: "Protein structure" }, featured("2026-07-05", 20)),
    ...[1, 2, 3].map((n) =>
      paperRecord({
        arxivId: `2607.2002${n}`,
        title: `Cosmic microwave background ${n}`,
        categories: ["astro-ph.CO"],
        submittedAt: `2026-07-1${n}T12:00:00.000Z`,
      }),
    ),
  ]);
  const config = loadConfig({ DATA_DIR: dir.path, DEMO_DATA: "off", BASE_URL: `${BASE}/` });
  runtime = new SearchRuntime(db, config);
  await runtime.cycle();
  app = createApp({ db, config, search: runtime });
});
after(async () => {
  await runtime?.stop();
  await db?.close();
  dir?.remove();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await app.request(url, { headers });
  return { res, body: await res.text() };
}

/** The feed at `url` parsed, with its items as [id, title, date] in a shape common to the formats. */
async function feed(url: string) {
  const { res, body } = await get(url);
  assert.equal(res.status, 200, `${url}: ${body}`);
  if (url.includes(".json")) {
    const doc: Doc = JSON.parse(body);
    return { res, body, doc, items: doc.items.map((i: Doc) => [i.id, i.title, i.date_published]) };
  }
  assert.equal(XMLValidator.validate(body), true, url);
  const doc: Doc = parser.parse(body);
  const items = url.includes(".rss")
    ? (doc.rss.channel.item ?? []).map((i: Doc) => [i.guid["#text"], unhtml(i.title), i.pubDate])
    : (doc.feed.entry ?? []).map((e: Doc) => [e.id, unhtml(e.title["#text"]), e.updated]);
  return { res, body, doc, items };
}

test("every feed in every format has its content type, ids, dates and self link", async () => {
  for (const path of FEEDS) {
    for (const ext of ["rss", "atom", "json"]) {
      const url = withExt(path, ext);
      const self = `${BASE}${url}`;
      const { res, doc, items } = await feed(url);
      const type = { rss: "application/rss+xml", atom: "application/atom+xml", json: "application/feed+json" }[ext];
      assert.equal(res.headers.get("content-type"), `${type}; charset=utf-8`, url);
      assert.equal(res.headers.get("cache-control"), "public, max-age=300", url);
      assert.match(res.headers.get("etag") ?? "", /^W\/"[\w-]+"$/, url);
      assert.ok(items.length > 0, url);
      for (const [id] of items) assert.match(id, new RegExp(`^${BASE}/papers/\\d{4}\\.\\d{5}$`), url);
      const dates = items.map((i: string[]) => Date.parse(i[2] as string));
      if (ext === "rss") {
        const channel = doc.rss.channel;
        assert.ok(channel.title && channel.link[0].startsWith(BASE), url);
        assert.equal(channel["atom:link"][0]["@_href"], self);
        assert.equal(channel["atom:link"][0]["@_rel"], "self");
        for (const item of channel.item) {
          assert.equal(item.guid["@_isPermaLink"], "true");
          assert.equal(item.link[0], item.guid["#text"]);
          assert.match(item.pubDate, RFC822);
          assert.ok(item["dc:creator"].length > 0);
        }
        assert.match(channel.lastBuildDate, RFC822);
        assert.equal(Date.parse(channel.lastBuildDate), Math.max(...dates), `${url}: lastBuildDate is the newest item`);
      } else if (ext === "atom") {
        assert.equal(doc.feed.id, self);
        assert.equal(doc.feed.link.find((l: Doc) => l["@_rel"] === "self")["@_href"], self);
        assert.match(doc.feed.updated, RFC3339);
        assert.equal(Date.parse(doc.feed.updated), Math.max(...dates), `${url}: updated is the newest entry`);
        for (const e of doc.feed.entry) {
          assert.match(e.updated, RFC3339);
          assert.equal(e.link[0]["@_href"], e.id);
          assert.ok(e.author.length > 0 && e.content["#text"].length > 0);
        }
      } else {
        assert.equal(doc.version, "https://jsonfeed.org/version/1.1");
        assert.equal(doc.feed_url, self);
        for (const i of doc.items) {
          assert.equal(i.url, i.id);
          assert.match(i.date_published, RFC3339);
          assert.ok(i.authors.length > 0 && typeof i.content_text === "string");
        }
      }
    }
  }
});

test("the daily feed lists the last three featured days, newest first, each by upvotes", async () => {
  const { items } = await feed("/feeds/daily.atom");
  assert.deepEqual(
    items.map((i: string[]) => [i[0]?.slice(-10), i[2]]),
    [
      ["2607.20014", "2026-07-05T09:00:00.000Z"],
      [HOSTILE_ID, "2026-07-05T09:00:00.000Z"],
      ["2607.20013", "2026-07-03T09:00:00.000Z"],
      ["2607.20012", "2026-07-03T09:00:00.000Z"],
      ["2607.20011", "2026-07-02T09:00:00.000Z"],
    ],
  );
  const rss = await feed("/feeds/daily.rss");
  assert.equal(rss.items[0][2], "Sun, 05 Jul 2026 09:00:00 GMT");
});

test("ids and bodies are stable across requests", async () => {
  for (const ext of ["rss", "atom", "json"]) {
    const a = await feed(`/feeds/daily.${ext}`);
    const b = await feed(`/feeds/daily.${ext}`);
    assert.deepEqual(a.items, b.items);
    assert.equal(a.res.headers.get("etag"), b.res.headers.get("etag"));
  }
});

test("hostile titles, abstracts and names survive as text, and the XML still parses", async () => {
  const clean = (s: string) => s.replace(NOT_XML, "");
  for (const ext of ["rss", "atom", "json"]) {
    const { body, doc, items } = await feed(`/feeds/daily.${ext}`);
    assert.equal(body.replace(NOT_XML, ""), body, `${ext}: no control characters`);
    if (ext !== "json") assert.equal(body.includes("<script>"), false, `${ext}: no live markup`);
    const hostile = items.find((i: string[]) => i[0]?.endsWith(HOSTILE_ID));
    assert.equal(hostile[1], clean(HOSTILE_TITLE), ext);
    if (ext === "rss") {
      const item = doc.rss.channel.item.find((i: Doc) => i.guid["#text"].endsWith(HOSTILE_ID));
      assert.equal(unhtml(item["content:encoded"]), clean(HOSTILE_ABSTRACT));
      assert.equal(item["dc:creator"], "Eve <script>x</script>, Tom & Jerry, AT&amp;T Labs");
      assert.deepEqual(item.category, ["cs.CL", "astro-ph.CO"]);
    } else if (ext === "atom") {
      const entry = doc.feed.entry.find((e: Doc) => e.id.endsWith(HOSTILE_ID));
      assert.equal(entry.content["@_type"], "html");
      assert.equal(unhtml(entry.content["#text"]), clean(HOSTILE_ABSTRACT));
      assert.deepEqual(
        entry.author.map((a: Doc) => a.name),
        ["Eve <script>x</script>", "Tom & Jerry", "AT&amp;T Labs"],
      );
    } else {
      const item = doc.items.find((i: Doc) => i.id.endsWith(HOSTILE_ID));
      assert.equal(item.content_text, clean(HOSTILE_ABSTRACT));
      assert.deepEqual(item.tags, ["cs.CL", "astro-ph.CO"]);
      assert.equal(item.external_url, `https://arxiv.org/abs/${HOSTILE_ID}`);
    }
  }
});

test("a category feed takes a dotted category and lists its newest papers", async () => {
  const { doc, items } = await feed("/feeds/c/astro-ph.CO.atom");
  assert.equal(doc.feed.title, "Paperboy: astro-ph.CO");
  assert.deepEqual(
    items.map((i: string[]) => i[0]?.slice(-10)),
    ["2607.20023", "2607.20022", "2607.20021", HOSTILE_ID],
  );
  const empty = await feed("/feeds/c/nucl-th.rss");
  assert.deepEqual(empty.items, [], "an unknown category is an empty, valid feed");
  assert.equal(empty.doc.rss.channel.title, "Paperboy: nucl-th");
  assert.deepEqual((await feed("/feeds/c/math.AG.json")).doc.items, []);
  assert.equal((await get("/feeds/c/%3Cscript%3E.rss")).res.status, 404, "not a category name");
});

test("a search feed lists the hits of the query, with the query in its title", async () => {
  const { doc, items } = await feed("/feeds/search.rss?q=protein&mode=keyword");
  assert.deepEqual(items.map((i: string[]) => i[0]?.slice(-10)).sort(), ["2607.20011", "2607.20014"]);
  assert.match(doc.rss.channel.title, /protein/);
  const inRange = await feed("/feeds/search.json?q=protein&mode=keyword&category=cs.CL&from=2026-07-01&to=2026-07-01");
  assert.equal(inRange.items.length, 2, "the filters are the search API's: `to` is inclusive");
  assert.match(inRange.doc.title, /protein \(in cs\.CL, from 2026-07-01, to 2026-07-01\)$/);
  for (const filter of ["category=astro-ph.CO", "from=2026-07-02"]) {
    assert.deepEqual((await feed(`/feeds/search.json?q=protein&mode=keyword&${filter}`)).items, [], filter);
  }
  const hybrid = await feed("/feeds/search.atom?q=%3Cb%3E+%26+protein");
  assert.match(hybrid.doc.feed.title, /^Paperboy search: <b> & protein$/);
  assert.equal(hybrid.doc.feed.id, `${BASE}/feeds/search.atom?q=%3Cb%3E+%26+protein`);
  for (const url of ["/feeds/search.rss", "/feeds/search.rss?q=+", "/feeds/search.json?q=x&mode=fuzzy"]) {
    const { res, body } = await get(url);
    assert.equal(res.status, 400, url);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(body, /query|mode/, url);
  }
  assert.equal((await get("/feeds/search.rss?q=x&from=2026-02-30")).res.status, 400);
});

test("If-None-Match with the ETag answers 304 with no body", async () => {
  const first = await get("/feeds/trending.rss");
  const etag = first.res.headers.get("etag") ?? "";
  const again = await get("/feeds/trending.rss", { "If-None-Match": etag });
  assert.equal(again.res.status, 304);
  assert.equal(again.body, "");
  assert.equal(again.res.headers.get("etag"), etag);
  assert.equal(again.res.headers.get("cache-control"), "public, max-age=300");
  const strong = etag.replace(/^W\//, "");
  assert.equal((await get("/feeds/trending.rss", { "If-None-Match": `"nope", ${strong}` })).res.status, 304);
  assert.equal((await get("/feeds/trending.rss", { "If-None-Match": 'W/"nope"' })).res.status, 200);
  assert.equal((await get("/feeds/trending.atom", { "If-None-Match": etag })).res.status, 200, "per format");
});

test("unknown feeds and extensions are 404s", async () => {
  for (const url of ["/feeds/daily.xml", "/feeds/daily", "/feeds/nope.rss", "/feeds/c/cs.CL", "/feeds/c/.rss"]) {
    assert.equal((await get(url)).res.status, 404, url);
  }
});
