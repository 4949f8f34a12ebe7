// Merge rules and the content hash: what makes imports idempotent and order-independent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { authorKey, mergePaper, normalizeSpace, paperHash } from "./model.ts";

const listing = {
  arxivId: "2607.00001",
  title: "Aligning Language Models",
  abstract: "We align models with $R^2$ feedback.",
  authors: ["Ada Lovelace", "Alan Turing"],
  categories: ["cs.CL", "cs.LG"],
  comment: "12 pages",
  announcedOn: "2026-07-02",
};
const daily = {
  arxivId: "2607.00001",
  title: "Aligning language models",
  authors: ["A. Lovelace", "A. Turing"],
  submittedAt: "2026-07-01T00:00:00.000Z",
  codeUrl: "https://github.com/x/y",
  codeStars: 10,
  projectUrl: null,
};

test("fields a source does not know are kept", () => {
  const a = mergePaper(undefined, listing, "arxiv-listing");
  const b = mergePaper(a, daily, "hf-daily");
  assert.equal(b.comment, "12 pages");
  assert.deepEqual(b.categories, ["cs.CL", "cs.LG"]);
  assert.equal(b.codeUrl, "https://github.com/x/y");
  assert.equal(b.codeStars, 10);
});

test("a less authoritative source fills gaps but does not overwrite", () => {
  const a = mergePaper(undefined, listing, "arxiv-listing");
  const b = mergePaper(a, daily, "hf-daily");
  assert.equal(b.title, "Aligning Language Models", "listing title kept");
  assert.deepEqual(b.authors, ["Ada Lovelace", "Alan Turing"]);
  assert.equal(b.submittedAt, "2026-07-01T00:00:00.000Z", "empty field filled");
  assert.equal(b.metadataSource, "arxiv-listing");
});

test("either import order converges on the same stored paper", () => {
  const one = mergePaper(mergePaper(undefined, listing, "arxiv-listing"), daily, "hf-daily");
  const two = mergePaper(mergePaper(undefined, daily, "hf-daily"), listing, "arxiv-listing");
  assert.equal(paperHash(one), paperHash(two));
  // and applying either again changes nothing
  assert.equal(paperHash(mergePaper(one, daily, "hf-daily")), paperHash(one));
  assert.equal(paperHash(mergePaper(one, listing, "arxiv-listing")), paperHash(one));
});

test("versions never go backwards and the first announcement day is kept", () => {
  const v2 = mergePaper(undefined, { ...listing, version: 2 }, "arxiv-api");
  const old = mergePaper(v2, { ...listing, version: 1, announcedOn: "2026-07-09" }, "arxiv-api");
  assert.equal(old.version, 2);
  assert.equal(old.announcedOn, "2026-07-02");
});

test("the hash changes with any stored field", () => {
  const a = mergePaper(undefined, listing, "arxiv-listing");
  assert.notEqual(paperHash(a), paperHash({ ...a, abstract: `${a.abstract} ` }));
  assert.notEqual(paperHash(a), paperHash({ ...a, authors: ["Alan Turing", "Ada Lovelace"] }));
  assert.equal(paperHash(a), paperHash({ ...a }));
});

test("author keys fold case, accents and spacing", () => {
  assert.equal(authorKey("  Zoë  Müller-Łukasz "), "zoe muller-łukasz");
  assert.equal(authorKey("JOSÉ García"), "jose garcia");
});

test("whitespace is collapsed", () => {
  assert.equal(normalizeSpace(" a\n\tb  c "), "a b c");
  assert.equal(normalizeSpace("clean text"), "clean text");
});

test("normalizeSpace collapses whitespace and drops control characters PostgreSQL and XML refuse", () => {
  assert.equal(normalizeSpace("  A\u0000 title\u0007 with\n\n breaks\u001f "), "A title with breaks");
  assert.equal(normalizeSpace("clean"), "clean");
});
