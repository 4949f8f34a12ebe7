// The background search loop: a first cycle builds the index; later cycles keep the same index in
// memory and only add new papers; a refit elsewhere makes the next cycle switch to it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { topicCorpus } from "../../test/helpers/corpus.ts";
import { tempDir, testDb } from "../../test/helpers/db.ts";
import { loadConfig } from "../config/config.ts";
import { upsertRecords } from "../papers/store.ts";
import { builtinEmbedder } from "./indexer.ts";
import { SearchRuntime } from "./runtime.ts";

test("cycles keep the index in memory, add new papers, and follow a refit", async () => {
  const db = await testDb();
  const dir = tempDir();
  const runtime = new SearchRuntime(db, loadConfig({ DATA_DIR: dir.path }));
  try {
    await upsertRecords(db, topicCorpus(40));
    await runtime.cycle();
    const first = runtime.semantic;
    assert.ok(first);
    assert.equal(runtime.status, "ready");
    assert.equal(first.size, 40);

    await upsertRecords(db, topicCorpus(8, 40));
    await runtime.cycle();
    assert.equal(runtime.semantic, first, "the same index object: nothing reloaded");
    assert.equal(first.size, 48, "new papers embedded and added");

    // Another process refits the built-in model: the next cycle moves to it.
    await builtinEmbedder(db, { refit: true });
    await upsertRecords(db, topicCorpus(4, 48));
    await runtime.cycle();
    assert.notEqual(runtime.semantic, first);
    assert.notEqual(runtime.semantic?.embedder.id, first.embedder.id);
    assert.equal(runtime.semantic?.size, 52);
  } finally {
    await runtime.stop();
    await db.close();
    dir.remove();
  }
});
