// `paperboy index` and `paperboy search` as an operator runs them: results on stdout, bad
// arguments refused with exit code 2 and the reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dbEnv, runCli } from "../../../test/helpers/cli.ts";
import { topicCorpus } from "../../../test/helpers/corpus.ts";
import { tempDir, testDb } from "../../../test/helpers/db.ts";
import { upsertRecords } from "../../papers/store.ts";

test("index builds the search index; search finds papers in every mode", async () => {
  const db = await testDb();
  const dir = tempDir();
  const env = { ...dbEnv(db), DATA_DIR: dir.path };
  try {
    await upsertRecords(db, topicCorpus(40));
    const index = await runCli(["index", "--json", "--quiet"], env);
    assert.equal(index.code, 0, index.stderr);
    const report = JSON.parse(index.stdout);
    assert.equal(report.embedded, 40);
    assert.equal(report.indexed, 40);
    for (const mode of ["hybrid", "keyword", "semantic"]) {
      const run = await runCli(["search", "dark matter lensing", "--mode", mode, "--limit", "3"], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /1\. Galaxy cluster dark matter halos/, mode);
      assert.match(run.stdout, new RegExp(`${mode} ranking`));
    }
    const json = await runCli(["search", "protein", "--json", "--limit", "2"], env);
    assert.equal(JSON.parse(json.stdout).hits.length, 2);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("bad arguments to index and search exit 2 naming the problem", async () => {
  const db = await testDb();
  const dir = tempDir();
  const env = { ...dbEnv(db), DATA_DIR: dir.path };
  try {
    const cases: [string[], RegExp][] = [
      [["search", "x", "--mode", "fuzzy"], /--mode must be one of hybrid, keyword, semantic/],
      [["search", "x", "--limit", "0"], /--limit must be a positive whole number/],
      [["search", "x", "--offset", "-1"], /offset must be a whole number/],
      [["search"], /missing required argument 'query'/],
      [["index", "--embedder", "gpt"], /--embedder must be one of builtin, onnx, http/],
    ];
    for (const [args, reason] of cases) {
      const run = await runCli(args, env);
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.stderr, reason, args.join(" "));
    }
  } finally {
    await db.close();
    dir.remove();
  }
});
