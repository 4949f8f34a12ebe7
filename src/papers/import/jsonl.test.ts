// The JSONL importer end to end on a real database: counts, idempotency, merging of the two
// formats, and every kind of bad input (bad lines, truncated gzip, not gzip, missing paths).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir, testDb } from "../../../test/helpers/db.ts";
import { arxivListing, dailyRecord, writeJsonl } from "../../../test/helpers/factories.ts";
import { getPaperByArxivId } from "../store.ts";
import { expandPaths, InputError, readJsonlFiles } from "./jsonl.ts";
import { importItems } from "./run.ts";

const importPaths = async (db: Parameters<typeof importItems>[0], paths: string[], batchSize = 3) =>
  importItems(db, readJsonlFiles(expandPaths(paths)), { batchSize });

test("imports listings, then re-import changes nothing", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const rows = Array.from({ length: 7 }, () => arxivListing());
    const file = writeJsonl(dir.path, "papers.jsonl.gz", rows);
    const first = await importPaths(db, [file]);
    assert.deepEqual([first.inserted, first.updated, first.unchanged, first.rejected], [7, 0, 0, 0]);
    assert.equal(first.changedPaperIds.length, 7);
    const again = await importPaths(db, [file]);
    assert.deepEqual([again.inserted, again.updated, again.unchanged, again.rejected], [0, 0, 7, 0]);
    assert.equal(again.changedPaperIds.length, 0);

    const stored = await getPaperByArxivId(db, rows[0]?.arxiv_id as string);
    assert.ok(stored);
    assert.equal(stored.abstract, "We study things with $\\alpha$ and \\textit{care}.", "LaTeX kept as written");
    assert.deepEqual(JSON.parse(stored.categories), ["cs.CL", "cs.LG"]);
    assert.equal(stored.primary_category, "cs.CL");
    assert.equal(stored.announced_on, "2026-07-02");
    assert.equal(stored.source, "arxiv-listing");
  } finally {
    await db.close();
    dir.remove();
  }
});

test("a changed record is updated, with its authors re-linked in order", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const row = arxivListing({ authors: ["B One", "C Two", "D Three"] });
    await importPaths(db, [writeJsonl(dir.path, "a.jsonl", [row])]);
    const changed = { ...row, title: "A better title", authors: ["D Three", "B One"] };
    const report = await importPaths(db, [writeJsonl(dir.path, "b.jsonl", [changed])]);
    assert.deepEqual([report.inserted, report.updated, report.unchanged], [0, 1, 0]);
    const paper = await getPaperByArxivId(db, row.arxiv_id as string);
    assert.equal(paper?.title, "A better title");
    const authors = await db.kysely
      .selectFrom("paper_authors as pa")
      .innerJoin("authors as a", "a.id", "pa.author_id")
      .select(["a.name", "pa.position"])
      .where("pa.paper_id", "=", paper?.id as number)
      .orderBy("pa.position")
      .execute();
    assert.deepEqual(
      authors.map((a) => a.name),
      ["D Three", "B One"],
    );
  } finally {
    await db.close();
    dir.remove();
  }
});

test("Daily Papers records create featurings and merge with listings in either order", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const listing = arxivListing();
    const daily = dailyRecord({ arxiv_id: listing.arxiv_id, title: "lower-case copy of the title" });
    const listingFile = writeJsonl(dir.path, "l.jsonl", [listing]);
    const dailyFile = writeJsonl(dir.path, "d.jsonl.gz", [daily]);
    await importPaths(db, [dailyFile, listingFile]);
    const again = await importPaths(db, [listingFile, dailyFile]);
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 2], "converged");
    const paper = await getPaperByArxivId(db, listing.arxiv_id as string);
    assert.equal(paper?.title, listing.title, "the arXiv listing's title wins");
    assert.equal(paper?.code_url, "https://github.com/example/repo");
    assert.equal(paper?.code_stars, 42);
    const featurings = await db.kysely.selectFrom("featurings").selectAll().execute();
    assert.equal(featurings.length, 1);
    assert.equal(featurings[0]?.day, "2026-07-03");
    assert.equal(featurings[0]?.upvotes, 12);
    assert.equal(featurings[0]?.submitted_by, "ada");

    const upvoted = await importPaths(db, [writeJsonl(dir.path, "d2.jsonl", [{ ...daily, upvotes: 30 }])]);
    assert.equal(upvoted.updated, 1, "a new upvote count updates the featuring");
    const f = await db.kysely.selectFrom("featurings").select("upvotes").executeTakeFirst();
    assert.equal(f?.upvotes, 30);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("the same paper twice in one batch is merged in order", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const row = arxivListing();
    const file = writeJsonl(dir.path, "dup.jsonl", [row, { ...row, title: "Second title" }]);
    const report = await importPaths(db, [file], 10);
    assert.equal(report.inserted + report.updated, 2);
    assert.equal((await getPaperByArxivId(db, row.arxiv_id as string))?.title, "Second title");
  } finally {
    await db.close();
    dir.remove();
  }
});

test("bad lines are rejected with file:line and a reason; the rest is imported", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    const file = writeJsonl(dir.path, "mixed.jsonl", [
      arxivListing(),
      "{not json",
      arxivListing({ arxiv_id: "not-an-id" }),
      arxivListing({ title: "   " }),
      dailyRecord({ daily_date: "2026-02-30" }),
      dailyRecord({ upvotes: -3 }),
      "[1,2,3]",
      "",
      arxivListing(),
    ]);
    const report = await importPaths(db, [file]);
    assert.equal(report.inserted, 2);
    assert.equal(report.rejected, 6);
    const byLine = Object.fromEntries(report.rejections.map((r) => [r.ref, r.reason]));
    assert.match(byLine["mixed.jsonl:2"] ?? "", /invalid JSON/);
    assert.match(byLine["mixed.jsonl:3"] ?? "", /arxiv_id is not an arXiv id/);
    assert.match(byLine["mixed.jsonl:4"] ?? "", /title must not be empty/);
    assert.match(byLine["mixed.jsonl:5"] ?? "", /daily_date is not a real calendar date/);
    assert.match(byLine["mixed.jsonl:6"] ?? "", /upvotes must not be negative/);
    assert.match(byLine["mixed.jsonl:7"] ?? "", /expected a JSON object/);
  } finally {
    await db.close();
    dir.remove();
  }
});

test("a truncated gzip file fails with a clear reason; earlier files and lines are kept", async () => {
  const db = await testDb();
  const dir = tempDir();
  try {
    writeJsonl(dir.path, "a-good.jsonl.gz", [arxivListing()]);
    const full = writeJsonl(
      dir.path,
      "b-cut.jsonl.gz",
      Array.from({ length: 200 }, () => arxivListing()),
    );
    const bytes = readFileSync(full);
    writeFileSync(full, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const notGzip = join(dir.path, "c-plain.jsonl.gz");
    writeFileSync(notGzip, "this is not gzip\n");
    const report = await importPaths(db, [dir.path], 50);
    assert.equal(report.failedFiles.length, 2);
    assert.match(report.failedFiles[0]?.reason ?? "", /truncated gzip file after line \d+/);
    assert.equal(report.failedFiles[0]?.file, full);
    assert.match(report.failedFiles[1]?.reason ?? "", /not a gzip file/);
    assert.ok(report.inserted >= 1, "the good file was imported");
    const { n } = await db.kysely
      .selectFrom("papers")
      .select(db.kysely.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), report.inserted, "every counted record is stored, nothing more");
  } finally {
    await db.close();
    dir.remove();
  }
});

test("missing paths and empty folders are refused before anything is imported", () => {
  const dir = tempDir();
  try {
    assert.throws(() => expandPaths([join(dir.path, "nope.jsonl")]), InputError);
    assert.throws(() => expandPaths([dir.path]), /holds no .jsonl or .jsonl.gz files/);
  } finally {
    dir.remove();
  }
});
