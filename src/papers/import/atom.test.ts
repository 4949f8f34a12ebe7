// Parsing recorded arXiv API responses: OpenSearch counts, every field of an entry (both the current
// feed style and the older one with per-element namespaces), error feeds, malformed XML, and bad
// entries rejected with their id while the rest of the page is kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture } from "../../../test/helpers/fixture-server.ts";
import { ArxivApiError, parseAtomPage } from "./atom.ts";
import { XmlFormatError } from "./xml.ts";

test("a search page gives its counts and every entry's fields", () => {
  const page = parseAtomPage(fixture("arxiv/api-cscl-page1.xml"));
  assert.deepEqual([page.totalResults, page.startIndex, page.itemsPerPage], [5, 0, 3]);
  assert.equal(page.entries.length, 3);
  const [first, second] = page.entries;
  assert.ok(first?.ok && second?.ok);
  assert.deepEqual(first.paper, {
    arxivId: "2611.00417",
    version: 2,
    title: "Retrieval-Augmented Decoding for Low-Resource Machine Translation",
    abstract:
      "We present \\textsc{RAD}, a decoding scheme that consults a $k$-nearest-neighbour datastore of parallel " +
      "phrases at every step. Lookups cost $\\mathcal{O}(\\log n)$ for a datastore of $n$ entries, and on 12 " +
      "language pairs with < 50k sentence pairs RAD improves chrF by 3.1 points over beam search & prompt-based baselines.",
    authors: ["Zoë Müller", "Hiroshi Tanaka", "Amara Okafor", "Lucas Ferreira"],
    categories: ["cs.CL", "cs.LG", "cs.AI"],
    comment: "14 pages, 5 figures; v2: added ablations on datastore size",
    journalRef: null,
    doi: null,
    submittedAt: "2026-11-02T17:58:03.000Z",
    updatedAt: "2026-11-05T09:14:27.000Z",
  });
  assert.equal(second.paper.journalRef, "Proceedings of EMNLP 2026, pp. 10211-10230");
  assert.equal(second.paper.doi, "10.18653/v1/2026.emnlp-main.812");
});

test("the older feed style (namespaces on each element, offsets in dates, old-style ids) reads the same", () => {
  const page = parseAtomPage(fixture("arxiv/api-id-v1.xml"));
  const old = page.entries[0];
  assert.ok(old?.ok);
  assert.equal(old.paper.arxivId, "hep-th/9711200");
  assert.equal(old.paper.version, 3);
  assert.equal(old.paper.submittedAt, "1997-11-28T00:24:13.000Z", "-05:00 converted to UTC");
  assert.equal(old.paper.updatedAt, "1998-01-23T02:49:24.000Z");
  assert.deepEqual(old.paper.categories, ["hep-th"]);
  assert.equal(old.paper.doi, "10.1023/A:1026654312961");
  assert.equal(old.paper.journalRef, "Adv.Theor.Math.Phys.2:231-252,1998");
});

test("an empty result has totalResults 0 and no entries", () => {
  const page = parseAtomPage(fixture("arxiv/api-empty.xml"));
  assert.equal(page.totalResults, 0);
  assert.deepEqual(page.entries, []);
});

test("an arXiv error feed is an ArxivApiError carrying arXiv's message", () => {
  assert.throws(
    () => parseAtomPage(fixture("arxiv/api-error.xml")),
    (err: Error) => err instanceof ArxivApiError && err.message === "arXiv API error: start must be non-negative",
  );
});

test("malformed XML is an error naming the line", () => {
  assert.throws(
    () => parseAtomPage(fixture("arxiv/api-malformed.xml")),
    (err: Error) =>
      err instanceof XmlFormatError && /arXiv API response is not well-formed XML: .*line \d+/.test(err.message),
  );
  assert.throws(() => parseAtomPage(""), /arXiv API response is empty/);
  assert.throws(() => parseAtomPage("<html><body>Bad gateway</body></html>"), /root element <html>, not <feed>/);
});

test("bad entries are rejected with their id and reason; good ones on the same page are kept", () => {
  const page = parseAtomPage(fixture("arxiv/api-bad-entries.xml"));
  assert.equal(page.entries.length, 3);
  assert.deepEqual(page.entries[0], {
    ok: false,
    ref: "2611.00511v1",
    reason: '<published> is not a date: "yesterday afternoon"',
  });
  assert.equal(page.entries[1]?.ok, true);
  assert.deepEqual(page.entries[2], {
    ok: false,
    ref: "entry 3",
    reason: '<id> is not an arXiv id: "http://arxiv.org/abs/listing-2611"',
  });
});

test("a timestamp on a day that does not exist is rejected, not rolled over", () => {
  const xml = fixture("arxiv/api-cscl-page2.xml").replace(
    "2026-11-01T03:12:09Z</published>",
    "2026-11-31T03:12:09Z</published>",
  );
  const [entry] = parseAtomPage(xml).entries;
  assert.deepEqual(entry, {
    ok: false,
    ref: "2611.00015v1",
    reason: '<published> is not a date: "2026-11-31T03:12:09Z"',
  });
});

test("a feed without OpenSearch counts is refused clearly", () => {
  const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>';
  assert.throws(() => parseAtomPage(xml), /arXiv API response has no opensearch:totalResults/);
});
