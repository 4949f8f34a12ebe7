// Search as callers use it: the three modes, filters in every mode, highlights, paging, and a
// graceful fallback to keyword ranking while no vector index is ready.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TOPICS, topicCorpus } from "../../test/helpers/corpus.ts";
import { type TestDb, tempDir, testDb } from "../../test/helpers/db.ts";
import { loadConfig } from "../config/config.ts";
import { upsertRecords } from "../papers/store.ts";
import { updateIndex } from "./indexer.ts";
import { hostileStrings } from "./lexical/hostile-strings.ts";
import type { SemanticIndex } from "./semantic.ts";
import { type SearchMode, search } from "./service.ts";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let semantic: SemanticIndex;
const MODES: SearchMode[] = ["hybrid", "keyword", "semantic"];

before(async () => {
  db = await testDb();
  dir = tempDir();
  await upsertRecords(db, topicCorpus(120));
  const built = await updateIndex(db, loadConfig({ DATA_DIR: dir.path }));
  semantic = built.index as SemanticIndex;
});
after(async () => {
  await db.close();
  dir.remove();
});

test("every mode ranks the matching topic first", async () => {
  for (const mode of MODES) {
    const r = await search(db, semantic, { q: "dark matter lensing", mode, limit: 10 });
    assert.equal(r.modeUsed, mode);
    assert.equal(r.hits.length, 10, mode);
    for (const h of r.hits) assert.match(h.paper.title, /Galaxy cluster/, `${mode}: ${h.paper.title}`);
  }
});

test("hybrid hits say where they came from", async () => {
  const r = await search(db, semantic, { q: "reward shaping", limit: 5 });
  assert.ok(r.hits.every((h) => h.keywordRank !== null && h.semanticRank !== null));
  assert.ok(r.hits[0] && r.hits[0].score <= 1 && r.hits[0].score > 0);
});

test("filters apply in every mode", async () => {
  for (const mode of MODES) {
    const byCategory = await search(db, semantic, {
      q: "learning models",
      mode,
      limit: 50,
      filters: { categories: ["cs.CL"] },
    });
    assert.ok(byCategory.hits.length > 0, mode);
    assert.ok(
      byCategory.hits.every((h) => h.paper.categories.includes("cs.CL")),
      mode,
    );
    const byDate = await search(db, semantic, { q: "protein folding after:2026-07-20", mode, limit: 50 });
    assert.ok(byDate.hits.length > 0, mode);
    assert.ok(
      byDate.hits.every((h) => (h.paper.date ?? "") >= "2026-07-20"),
      mode,
    );
    const byAuthor = await search(db, semantic, { q: 'structures author:"Rosalind Franklin"', mode, limit: 50 });
    assert.ok(byAuthor.hits.length > 0, mode);
    assert.ok(
      byAuthor.hits.every((h) => h.paper.authors.includes("Rosalind Franklin")),
      mode,
    );
    const excluded = await search(db, semantic, { q: "galaxy clusters -halos", mode, limit: 50 });
    assert.ok(
      excluded.hits.every((h) => !/halos/i.test(`${h.paper.title} ${h.paper.abstract}`)),
      mode,
    );
  }
});

test("results carry highlight spans on the matched words", async () => {
  const r = await search(db, semantic, { q: "protein folding", limit: 1 });
  const hit = r.hits[0];
  assert.ok(hit);
  const marked = hit.highlights.title.map((s) => hit.paper.title.slice(s.start, s.end).toLowerCase());
  assert.deepEqual(marked, ["protein", "folding"]);
});

test("pages do not overlap and the total covers them", async () => {
  const one = await search(db, semantic, { q: "language model alignment", limit: 10, offset: 0 });
  const two = await search(db, semantic, { q: "language model alignment", limit: 10, offset: 10 });
  const ids = new Set(one.hits.map((h) => h.paper.id));
  assert.ok(two.hits.every((h) => !ids.has(h.paper.id)));
  assert.ok(one.total >= 20);
});

test("without a vector index, hybrid and semantic fall back to keyword with a warning", async () => {
  const r = await search(db, null, { q: "galaxy", mode: "semantic", limit: 3 });
  assert.equal(r.modeUsed, "keyword");
  assert.match(r.warnings.join(" "), /semantic search is not ready/);
  assert.equal(r.hits.length, 3);
});

test("hostile input returns results or nothing in every mode, never an error", async () => {
  const fixed = [
    '"',
    "*",
    "AND OR NOT NEAR(",
    "a:b:c",
    '"unbalanced',
    "😀😀",
    "x".repeat(10_000),
    "\u0001\u0002",
    "-",
    "cat:",
  ];
  for (const q of [...fixed, ...hostileStrings(40, 11)]) {
    for (const mode of MODES) {
      const r = await search(db, semantic, { q, mode, limit: 5 });
      assert.ok(Array.isArray(r.hits), `${mode}: ${JSON.stringify(q).slice(0, 40)}`);
    }
  }
});

test("bad paging is refused with a RangeError", async () => {
  await assert.rejects(search(db, semantic, { q: "x", limit: 0 }), RangeError);
  await assert.rejects(search(db, semantic, { q: "x", offset: -1 }), RangeError);
  assert.equal(TOPICS.length, 4);
});
