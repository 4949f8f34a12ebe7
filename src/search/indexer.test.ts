// The semantic index end to end on a real database: fit the built-in model on the papers, embed
// them, build the ANN file, follow changes incrementally, reload from disk, and switch embedders.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { tempDir, testDb } from "../../test/helpers/db.ts";
import { loadConfig } from "../config/config.ts";
import { acquireLease } from "../jobs/lease.ts";
import type { ImportRecord } from "../papers/model.ts";
import { upsertRecords } from "../papers/store.ts";
import { updateIndex } from "./indexer.ts";
import { INDEX_LEASE, indexAfterImport } from "./runtime.ts";
import { annPath, SemanticIndex } from "./semantic.ts";
import { activeEmbedderId, countStale, vectorStats } from "./vectors/store.ts";

const TOPICS = [
  ["protein folding structure prediction", "amino acid residues fold into tertiary structures predicted by networks"],
  ["galaxy cluster dark matter halos", "gravitational lensing maps dark matter in massive galaxy clusters"],
  ["reinforcement learning reward shaping", "agents learn policies from shaped rewards in sparse environments"],
  ["language model alignment preferences", "aligning large language models with human preference feedback"],
];

function corpus(n: number, offset = 0): ImportRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const [title, abstract] = TOPICS[(i + offset) % TOPICS.length] as [string, string];
    const id = `2607.${String(20000 + i + offset).padStart(5, "0")}`;
    return {
      ref: id,
      source: "arxiv-listing",
      paper: { arxivId: id, title: `${title} study ${i + offset}`, abstract: `${abstract}. Variant ${i + offset}.` },
    };
  });
}

test("index build: fit, embed, ANN file; then incremental and reload", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const config = loadConfig({ DATA_DIR: dir.path });
    await upsertRecords(db, corpus(80));
    const first = await updateIndex(db, config);
    assert.equal(first.fitted, true);
    assert.equal(first.embedded, 80);
    assert.equal(first.indexed, 80);
    assert.equal(await activeEmbedderId(db), first.embedderId);
    assert.ok(existsSync(annPath(dir.path, first.embedderId)), "index file written");

    const hits = await first.index?.search("dark matter lensing in galaxy clusters", 5);
    assert.ok(hits && hits.length === 5);
    const top = await db.kysely
      .selectFrom("papers")
      .select("title")
      .where("id", "=", hits[0]?.paperId as number)
      .executeTakeFirstOrThrow();
    assert.match(top.title, /galaxy cluster dark matter/);

    // Nothing changed: nothing embedded, same model.
    const again = await updateIndex(db, config);
    assert.deepEqual([again.fitted, again.embedded, again.embedderId], [false, 0, first.embedderId]);

    // New and changed papers are embedded and reach the index.
    await upsertRecords(db, corpus(10, 80));
    const changed = corpus(1)[0] as ImportRecord;
    await upsertRecords(db, [{ ...changed, paper: { ...changed.paper, abstract: "a changed abstract" } }]);
    assert.equal(await countStale(db, first.embedderId), 11);
    const third = await updateIndex(db, config);
    assert.equal(third.embedded, 11);
    assert.equal(third.indexed, 90);

    // A fresh process loads the file and agrees with the database.
    const reopened = await SemanticIndex.open(db, dir.path, third.index?.embedder as never);
    assert.equal(reopened.size, 90);
    assert.equal(await reopened.refresh(), 0, "file is current");
    assert.equal((await vectorStats(db, first.embedderId)).count, 90);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("rebuild refits the model, re-embeds everything and retires the old vectors", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const config = loadConfig({ DATA_DIR: dir.path });
    await upsertRecords(db, corpus(40));
    const first = await updateIndex(db, config);
    await upsertRecords(db, corpus(40, 40));
    const rebuilt = await updateIndex(db, config, { rebuild: true });
    assert.equal(rebuilt.fitted, true);
    assert.notEqual(rebuilt.embedderId, first.embedderId, "a model fitted on other papers has another id");
    assert.equal(rebuilt.embedded, 80);
    assert.equal(await activeEmbedderId(db), rebuilt.embedderId);
    assert.equal((await vectorStats(db, first.embedderId)).count, 0, "old vectors removed");
  } finally {
    await db.close();
    dir.remove();
  }
});

test("an aborted build keeps its work and resumes where it stopped", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const config = loadConfig({ DATA_DIR: dir.path });
    await upsertRecords(db, corpus(1200));
    const controller = new AbortController();
    const partial = await updateIndex(db, config, {
      signal: controller.signal,
      progress: (stage, done) => {
        if (stage === "embed" && done >= 512) controller.abort();
      },
    });
    assert.equal(partial.embedded, 512, "stopped after the first batch");
    assert.equal(partial.index, null);
    assert.equal(await activeEmbedderId(db), undefined, "not active until complete");
    const rest = await updateIndex(db, config);
    assert.equal(rest.fitted, false, "the same model is reused");
    assert.equal(rest.embedded, 1200 - 512);
    assert.equal(rest.indexed, 1200);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("after an import the index is updated, unless another process is indexing", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const config = loadConfig({ DATA_DIR: dir.path });
    await upsertRecords(db, corpus(30));
    assert.deepEqual(await indexAfterImport(db, config), { outcome: "none", embedded: 0 }, "no index yet");
    await updateIndex(db, config);
    await upsertRecords(db, corpus(5, 30));
    assert.deepEqual(await indexAfterImport(db, config), { outcome: "updated", embedded: 5 });
    await upsertRecords(db, corpus(5, 35));
    assert.equal(await acquireLease(db, INDEX_LEASE, 60_000, "a-running-service"), true);
    assert.deepEqual(await indexAfterImport(db, config), { outcome: "busy", embedded: 0 });
    assert.equal(await countStale(db, (await activeEmbedderId(db)) as string), 5, "left to the service");
  } finally {
    await db.close();
    dir.remove();
  }
});
