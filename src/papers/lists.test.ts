// The list reads against a real database: Daily Papers periods, trending order, categories,
// authors, one paper in full and the archive cursor; and signals kept in step by the store.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import {
  adjacentFeaturedDays,
  archivePage,
  authorPapers,
  CursorError,
  categoryPapers,
  featuredIn,
  latestFeaturedDay,
  paperDetail,
  trendingPapers,
} from "./lists.ts";
import { refreshTrending } from "./signals.ts";
import { upsertRecords } from "./store.ts";

const NOW = new Date("2026-08-14T12:00:00Z");

async function seed() {
  const db = await testDb();
  await upsertRecords(
    db,
    [
      paperRecord({ arxivId: "2608.00001", categories: ["cs.CL"] }, { day: "2026-08-12", upvotes: 30 }),
      paperRecord(
        { arxivId: "2608.00002", categories: ["cs.LG", "cs.CL"], authors: ["José García"] },
        { day: "2026-08-14", upvotes: 5, submittedBy: "ada" },
      ),
      paperRecord({ arxivId: "2608.00003", categories: ["cs.CV"] }, { day: "2026-08-14", upvotes: 9, numComments: 4 }),
      paperRecord({ arxivId: "2608.00004", categories: ["cs.CL"], submittedAt: "2026-08-10T00:00:00.000Z" }),
      // Featured twice in the same week: listed once, at its latest day, with both days' votes.
      paperRecord({ arxivId: "2608.00005" }, { day: "2026-08-10", upvotes: 2 }),
      paperRecord({ arxivId: "2608.00005" }, { day: "2026-08-13", upvotes: 1 }),
    ],
    NOW,
  );
  return db;
}

test("a Daily Papers day lists its papers by upvotes; neighbours skip empty days", async () => {
  const db = await seed();
  try {
    assert.equal(await latestFeaturedDay(db), "2026-08-14");
    const day = await featuredIn(db, { from: "2026-08-14", until: "2026-08-15" }, { limit: 10 });
    assert.deepEqual(
      day.items.map((i) => [i.card.arxivId, i.card.upvotes, i.featuring.day]),
      [
        ["2608.00003", 9, "2026-08-14"],
        ["2608.00002", 5, "2026-08-14"],
      ],
    );
    assert.equal(day.total, 2);
    assert.equal(day.items[1]?.featuring.submittedBy, "ada");
    assert.equal(day.items[0]?.card.numComments, 4);
    assert.deepEqual(await adjacentFeaturedDays(db, { from: "2026-08-12", until: "2026-08-13" }), {
      prev: "2026-08-10",
      next: "2026-08-13",
    });
    assert.deepEqual(await adjacentFeaturedDays(db, { from: "2026-08-14", until: "2026-08-15" }), {
      prev: "2026-08-13",
      next: null,
    });
    const bySubmitter = await featuredIn(
      db,
      { from: "2026-08-10", until: "2026-08-17" },
      { limit: 10, submitter: "ada" },
    );
    assert.deepEqual(
      bySubmitter.items.map((i) => i.card.arxivId),
      ["2608.00002"],
    );
  } finally {
    await db.close();
  }
});

test("a week lists a paper featured twice once, with its summed votes, and pages", async () => {
  const db = await seed();
  try {
    const week = await featuredIn(db, { from: "2026-08-10", until: "2026-08-17" }, { limit: 2 });
    assert.equal(week.total, 4);
    assert.deepEqual(
      week.items.map((i) => i.card.arxivId),
      ["2608.00001", "2608.00003"],
    );
    const rest = await featuredIn(db, { from: "2026-08-10", until: "2026-08-17" }, { limit: 2, offset: 2 });
    assert.deepEqual(
      rest.items.map((i) => [i.card.arxivId, i.card.upvotes, i.featuring.day]),
      [
        ["2608.00002", 5, "2026-08-14"],
        ["2608.00005", 3, "2026-08-13"],
      ],
    );
  } finally {
    await db.close();
  }
});

test("trending is the stored score: new papers rise, a refresh later re-orders by decay", async () => {
  const db = await seed();
  try {
    const now = await trendingPapers(db, { limit: 10 });
    // At NOW, 2608.00003 (9 votes, 12 h old) beats 2608.00001 (30 votes, 60 h old): 9.5/36^1.8 > 30.5/84^1.8,
    // which beats 2608.00002 (5 votes, 12 h old): 30.5/84^1.8 > 5.5/36^1.8.
    assert.deepEqual(
      now.items.map((i) => i.card.arxivId),
      ["2608.00003", "2608.00001", "2608.00002", "2608.00005"],
    );
    assert.ok((now.items[0]?.score ?? 0) > 0);
    // Ten days on, every paper has aged by the same amount and votes matter more than age.
    assert.equal(await refreshTrending(db, new Date("2026-08-24T12:00:00Z")), 4);
    const later = await trendingPapers(db, { limit: 2 });
    assert.deepEqual(
      later.items.map((i) => i.card.arxivId),
      ["2608.00001", "2608.00003"],
    );
    const sorted = await featuredIn(db, { from: "2026-08-10", until: "2026-08-17" }, { limit: 1, sort: "trending" });
    assert.equal(sorted.items[0]?.card.arxivId, "2608.00001");
  } finally {
    await db.close();
  }
});

test("category, author (accents folded), paper detail and archive cursor", async () => {
  const db = await seed();
  try {
    const cl = await categoryPapers(db, "cs.CL", { limit: 10 });
    assert.equal(cl.total, 4);
    assert.equal(cl.items[0]?.arxivId, "2608.00004", "newest submission first");
    const author = await authorPapers(db, "Jose Garcia", { limit: 10 });
    assert.equal(author?.name, "José García");
    assert.deepEqual(
      author?.papers.items.map((p) => p.arxivId),
      ["2608.00002"],
    );
    assert.equal(await authorPapers(db, "Nobody Atall", { limit: 10 }), null);

    const detail = await paperDetail(db, "2608.00005");
    assert.deepEqual(
      detail?.featurings.map((f) => [f.day, f.upvotes]),
      [
        ["2026-08-10", 2],
        ["2026-08-13", 1],
      ],
    );
    assert.equal(detail?.upvotes, 3);
    assert.equal(await paperDetail(db, "2608.99999"), null);

    const first = await archivePage(db, { limit: 3 });
    assert.equal(first.items.length, 3);
    const second = await archivePage(db, { limit: 3, cursor: first.nextCursor ?? "" });
    assert.equal(second.items.length, 2);
    assert.equal(second.nextCursor, null);
    const seen = new Set([...first.items, ...second.items].map((p) => p.arxivId));
    assert.equal(seen.size, 5);
    await assert.rejects(archivePage(db, { limit: 3, cursor: "bogus" }), CursorError);
  } finally {
    await db.close();
  }
});
