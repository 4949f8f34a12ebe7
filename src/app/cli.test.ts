// The `paperboy` command as an operator runs it: results on stdout, and exit codes that tell
// success (0), failure (1), bad usage (2), partial success (3) and bad configuration (78) apart.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dbEnv, runCli } from "../../test/helpers/cli.ts";
import { tempDir, testDb } from "../../test/helpers/db.ts";
import { arxivListing, dailyRecord, writeJsonl } from "../../test/helpers/factories.ts";

test("import prints a summary and exits 0; stats counts what was stored", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const file = writeJsonl(dir.path, "p.jsonl.gz", [arxivListing(), arxivListing(), dailyRecord()]);
    const run = await runCli(["import", file], dbEnv(db));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /3 inserted, 0 updated, 0 unchanged, 0 rejected/);
    const stats = await runCli(["stats", "--json"], dbEnv(db));
    assert.equal(stats.code, 0, stats.stderr);
    assert.deepEqual(JSON.parse(stats.stdout), { papers: 3, featurings: 1, authors: 2 });
  } finally {
    await db.close();
    dir.remove();
  }
});

test("rejected lines are logged with file:line and the exit code is 3", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const file = writeJsonl(dir.path, "bad.jsonl", [arxivListing(), "{oops", arxivListing()]);
    const run = await runCli(["import", "--json", file], dbEnv(db));
    assert.equal(run.code, 3);
    assert.match(run.stderr, /rejected bad\.jsonl:2: invalid JSON/);
    const report = JSON.parse(run.stdout);
    assert.equal(report.inserted, 2);
    assert.equal(report.rejected, 1);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("a missing file is an error with exit code 1 and nothing is imported", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const good = writeJsonl(dir.path, "good.jsonl", [arxivListing()]);
    const run = await runCli(["import", good, `${dir.path}/missing.jsonl.gz`], dbEnv(db));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /missing\.jsonl\.gz: no such file or folder/);
    const stats = await runCli(["stats", "--json"], dbEnv(db));
    assert.equal(JSON.parse(stats.stdout).papers, 0);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("bad usage exits 2 and bad configuration exits 78 naming the variable", async () => {
  const usage = await runCli(["import"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing required argument 'paths'/);
  const unknown = await runCli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  const batch = await runCli(["import", "--batch-size", "zero", "x.jsonl"]);
  assert.equal(batch.code, 2);
  assert.match(batch.stderr, /--batch-size must be a positive whole number/);
  const config = await runCli(["stats"], { DATABASE_URL: "mysql://nope", PORT: "-1" });
  assert.equal(config.code, 78);
  assert.match(config.stderr, /DATABASE_URL must be sqlite:PATH or postgres/);
  assert.match(config.stderr, /PORT must be between 1 and 65535/);
});

test("db migrate and db status report the applied migrations", async () => {
  const db = await testDb();
  try {
    const migrate = await runCli(["db", "migrate"], dbEnv(db));
    assert.equal(migrate.code, 0, migrate.stderr);
    const status = await runCli(["db", "status"], dbEnv(db));
    assert.equal(status.code, 0);
    assert.match(status.stdout, /^applied {2}0001_papers/m);
    assert.doesNotMatch(status.stdout, /pending/);
  } finally {
    await db.close();
  }
});
