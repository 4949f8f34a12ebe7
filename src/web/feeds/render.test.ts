// The feed writer and the path helpers without a database: text XML cannot carry (U+0000, lone
// surrogates), several `]]>` in one field, literal `&amp;`, the alternates pages link to, the
// canonical search feed path, feed path parsing and If-None-Match matching.
import assert from "node:assert/strict";
import { test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { feedLinks, feedPath, searchFeedPath } from "./links.ts";
import { excerpt, type FeedDoc, renderFeed, xmlSafe } from "./render.ts";
import { etagMatches, parseFeedPath, weakEtag } from "./routes.ts";

// biome-ignore lint/suspicious/noExplicitAny: test-side view of parsed XML and JSON
type Doc = any;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const unhtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const TITLE = "a ]]> b ]]><i>c</i> & AT&amp;T \u0000\u0007 \uD800 end \uD83D\uDE00";
const CLEAN_TITLE = "a ]]> b ]]><i>c</i> & AT&amp;T   end \uD83D\uDE00";
const doc: FeedDoc = {
  title: "Search: <b> & AT&amp;T\u0000",
  description: "d",
  homePath: "/search?q=x",
  path: "/feeds/search?q=%3Cb%3E&category=cs.CL",
  entries: [
    {
      arxivId: "2607.00001",
      title: TITLE,
      abstract: "x ]]> y ]]> $a<b$",
      authors: ["A &amp; B\u0000"],
      categories: ["cs.CL", 'x"<y'],
      date: new Date("2026-07-01T10:00:00Z"),
    },
  ],
};

test("XML feeds round-trip hostile text as text", () => {
  const rss: Doc = parser.parse(renderFeed(doc, "rss", "https://x.org").body).rss.channel;
  assert.equal(rss.title, "Search: <b> & AT&amp;T");
  assert.equal(unhtml(rss.item.title), CLEAN_TITLE);
  assert.equal(unhtml(rss.item["content:encoded"]), "x ]]> y ]]> $a<b$");
  assert.equal(rss.item["dc:creator"], "A &amp; B");
  assert.equal(rss.item.category, "cs.CL", "a category that is not a plain name is left out of XML");
  assert.equal(rss["atom:link"]["@_href"], "https://x.org/feeds/search.rss?q=%3Cb%3E&category=cs.CL");

  const atom: Doc = parser.parse(renderFeed(doc, "atom", "https://x.org").body).feed;
  assert.equal(atom.id, "https://x.org/feeds/search.atom?q=%3Cb%3E&category=cs.CL");
  assert.equal(unhtml(atom.entry.title["#text"]), CLEAN_TITLE);
  assert.equal(atom.entry.author.name, "A &amp; B");
  assert.equal(atom.updated, "2026-07-01T10:00:00.000Z");
});

test("JSON Feed 1.1 keeps text as it is, minus what XML could not carry either", () => {
  const json = JSON.parse(renderFeed(doc, "json", "https://x.org").body);
  assert.equal(json.version, "https://jsonfeed.org/version/1.1");
  assert.equal(json.items[0].title, CLEAN_TITLE);
  assert.deepEqual(json.items[0].authors, [{ name: "A &amp; B" }]);
  assert.equal(json.items[0].summary, undefined, "no summary when it would repeat a short abstract");
});

test("an empty feed is valid and dated at a fixed time, so its ETag holds", () => {
  const empty = { ...doc, entries: [] };
  const a = renderFeed(empty, "atom", "https://x.org").body;
  assert.equal(parser.parse(a).feed.updated, "1970-01-01T00:00:00.000Z");
  assert.equal(weakEtag(a), weakEtag(renderFeed(empty, "atom", "https://x.org").body));
});

test("xmlSafe and excerpt", () => {
  assert.equal(xmlSafe("a\u0000\u0008\t\n\r\uFFFE\uDC00b"), "a\t\n\rb");
  assert.equal(excerpt("short\n text"), "short text");
  const long = excerpt("word ".repeat(100));
  assert.ok(long.length <= 301 && long.endsWith("word…"));
});

test("feedLinks gives the three alternates; searchFeedPath is canonical", () => {
  assert.deepEqual(feedLinks("/feeds/c/cs.CL", "cs.CL papers"), [
    { href: "/feeds/c/cs.CL.rss", type: "application/rss+xml", title: "cs.CL papers (RSS)" },
    { href: "/feeds/c/cs.CL.atom", type: "application/atom+xml", title: "cs.CL papers (Atom)" },
    { href: "/feeds/c/cs.CL.json", type: "application/feed+json", title: "cs.CL papers (JSON Feed)" },
  ]);
  const path = searchFeedPath(
    new URLSearchParams("offset=20&to=2026-07-09&q=protein+folding&mode=hybrid&category=cs.CL"),
  );
  assert.equal(path, "/feeds/search?q=protein+folding&category=cs.CL&to=2026-07-09");
  assert.equal(feedPath(path, "atom"), "/feeds/search.atom?q=protein+folding&category=cs.CL&to=2026-07-09");
  assert.equal(searchFeedPath(new URLSearchParams("q=x&mode=keyword")), "/feeds/search?q=x&mode=keyword");
});

test("feed paths: extension off the end, dotted categories, nothing else", () => {
  assert.deepEqual(parseFeedPath("/feeds/c/cs.CL.atom"), { kind: "category", category: "cs.CL", format: "atom" });
  assert.deepEqual(parseFeedPath("/feeds/c/cond-mat.mes-hall.rss"), {
    kind: "category",
    category: "cond-mat.mes-hall",
    format: "rss",
  });
  assert.deepEqual(parseFeedPath("/feeds/daily.json"), { kind: "daily", format: "json" });
  for (const bad of ["/feeds/daily.xml", "/feeds/c/a/b.rss", "/feeds/c/%3Cx%3E.rss", "/feeds/c/%E0%A4%A.rss"]) {
    assert.equal(parseFeedPath(bad), null, bad);
  }
});

test("If-None-Match compares weakly and accepts lists and *", () => {
  const tag = weakEtag("body");
  assert.ok(etagMatches(tag, tag));
  assert.ok(etagMatches(`"x", ${tag.slice(2)}`, tag));
  assert.ok(etagMatches("*", tag));
  assert.ok(!etagMatches('W/"x"', tag));
  assert.ok(!etagMatches(undefined, tag));
});
