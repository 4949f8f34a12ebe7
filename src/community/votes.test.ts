// Votes through the functions of votes.ts on a real database (SQLite, or PostgreSQL with
// TEST_DATABASE_URL): set, clear and toggle; signals (upvotes and trending) follow in the same
// transaction; suspended users and unknown papers are refused; the per-user rate limit; and many
// concurrent changes end with the count equal to the rows.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { Forbidden, RateLimited, Unauthenticated } from "../accounts/policy.ts";
import { LIMITS } from "../accounts/rate-limit.ts";
import { findOrCreateUser, type Viewer } from "../accounts/users.ts";
import { getPaperByArxivId, upsertRecords } from "../papers/store.ts";
import { PaperNotFound, paperIdByArxivId, setVote, toggleVote, votedPaperIds } from "./votes.ts";

let db: TestDb;

before(async () => {
  db = await testDb();
});
after(async () => {
  await db.close();
});

async function viewer(email: string): Promise<Viewer> {
  const user = await findOrCreateUser(db, email);
  return { ...user, via: "session", sessionId: null, csrf: null };
}

/** A featured paper with `upvotes` imported upvotes; returns its id. */
async function featuredPaper(upvotes: number, day = "2026-11-20"): Promise<number> {
  const record = paperRecord({}, { day, upvotes, submittedAt: `${day}T08:00:00.000Z` });
  await upsertRecords(db, [record]);
  const row = await getPaperByArxivId(db, record.paper.arxivId);
  assert.ok(row);
  return row.id;
}

async function signals(paperId: number) {
  return db.kysely
    .selectFrom("paper_signals")
    .select(["upvotes", "trending"])
    .where("paper_id", "=", paperId)
    .executeTakeFirstOrThrow();
}

async function voteRows(paperId: number): Promise<number> {
  const row = await db.kysely
    .selectFrom("votes")
    .select(sql<number>`count(*)`.as("n"))
    .where("paper_id", "=", paperId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test("set, set again, clear, toggle: one vote per user; upvotes = imported + votes", async () => {
  const paperId = await featuredPaper(7);
  const ada = await viewer("ada@example.org");
  const now = new Date("2026-11-20T12:00:00Z");

  assert.deepEqual(await setVote(db, ada, paperId, true, now), { paperId, voted: true, upvotes: 8, changed: true });
  assert.deepEqual(await setVote(db, ada, paperId, true, now), { paperId, voted: true, upvotes: 8, changed: false });
  assert.equal(await voteRows(paperId), 1);
  assert.deepEqual(await setVote(db, ada, paperId, false, now), { paperId, voted: false, upvotes: 7, changed: true });
  assert.deepEqual(await setVote(db, ada, paperId, false, now), { paperId, voted: false, upvotes: 7, changed: false });
  assert.deepEqual(await toggleVote(db, ada, paperId, now), { paperId, voted: true, upvotes: 8, changed: true });
  assert.deepEqual(await toggleVote(db, ada, paperId, now), { paperId, voted: false, upvotes: 7, changed: true });
  await toggleVote(db, ada, paperId, now);
  assert.equal((await signals(paperId)).upvotes, 8);
  assert.deepEqual([...(await votedPaperIds(db, ada.id))], [paperId]);
});

test("a vote moves the trending score in the same transaction", async () => {
  const now = new Date("2026-11-20T12:00:00Z");
  const paperId = await featuredPaper(2);
  const before = (await signals(paperId)).trending;
  const bob = await viewer("bob@example.org");
  await setVote(db, bob, paperId, true, now);
  const afterVote = await signals(paperId);
  assert.equal(afterVote.upvotes, 3);
  assert.ok(afterVote.trending > before, `${afterVote.trending} > ${before}`);
  await setVote(db, bob, paperId, false, now);
  assert.ok((await signals(paperId)).trending < afterVote.trending);
});

test("a paper never featured gets signals from its first vote", async () => {
  await upsertRecords(db, [paperRecord({ arxivId: "2611.20001" })]);
  const paperId = (await paperIdByArxivId(db, "2611.20001")) as number;
  assert.ok(paperId);
  const cy = await viewer("cy@example.org");
  const now = new Date("2026-11-21T09:00:00Z");
  await setVote(db, cy, paperId, true, now);
  const row = await db.kysely
    .selectFrom("paper_signals")
    .selectAll()
    .where("paper_id", "=", paperId)
    .executeTakeFirstOrThrow();
  assert.equal(row.upvotes, 1);
  assert.equal(row.first_featured_at, now.toISOString());
  assert.ok(row.trending > 0);
  await setVote(db, cy, paperId, false, now);
  const gone = await db.kysely.selectFrom("paper_signals").select("paper_id").where("paper_id", "=", paperId).execute();
  assert.equal(gone.length, 0, "no featuring and no vote: no signals row");
});

test("anonymous, suspended and unknown papers are refused; nothing is written", async () => {
  const paperId = await featuredPaper(1);
  await assert.rejects(setVote(db, null, paperId, true), Unauthenticated);
  const dee = await viewer("dee@example.org");
  const suspended = { ...dee, suspendedAt: new Date().toISOString(), suspendedReason: "spam" };
  await assert.rejects(setVote(db, suspended, paperId, true), (err: Error) => {
    assert.ok(err instanceof Forbidden);
    assert.match(err.message, /suspended: spam/);
    return true;
  });
  await assert.rejects(toggleVote(db, suspended, paperId), Forbidden);
  assert.equal(await voteRows(paperId), 0);
  await assert.rejects(setVote(db, dee, 999_999, true), PaperNotFound);
});

test("more than LIMITS.votesPerUser changes a minute are refused with RateLimited", async () => {
  const paperId = await featuredPaper(0);
  const eve = await viewer("eve@example.org");
  const now = new Date("2026-11-20T12:00:30Z");
  for (let i = 0; i < LIMITS.votesPerUser.max; i++) await toggleVote(db, eve, paperId, now);
  await assert.rejects(toggleVote(db, eve, paperId, now), (err: Error) => {
    assert.ok(err instanceof RateLimited);
    assert.ok(err.retryAfter > 0 && err.retryAfter <= 60);
    return true;
  });
  // An even number of toggles: no vote left, and the count agrees.
  assert.equal(await voteRows(paperId), 0);
  assert.equal((await signals(paperId)).upvotes, 0);
  // The next minute is a new window.
  await toggleVote(db, eve, paperId, new Date("2026-11-20T12:01:00Z"));
  assert.equal(await voteRows(paperId), 1);
});

test("concurrent votes of 30 users and concurrent toggles of one user leave the count equal to the rows", async () => {
  const paperId = await featuredPaper(4);
  const voters = await Promise.all(Array.from({ length: 30 }, (_, i) => viewer(`crowd${i}@example.org`)));
  const results = await Promise.all(voters.map((v) => setVote(db, v, paperId, true)));
  assert.ok(results.every((r) => r.voted && r.changed));
  assert.deepEqual(
    results.map((r) => r.upvotes).sort((a, b) => a - b),
    Array.from({ length: 30 }, (_, i) => 5 + i),
    "each change saw every change committed before it",
  );
  assert.equal(await voteRows(paperId), 30);
  assert.equal((await signals(paperId)).upvotes, 34);

  const one = voters[0] as Viewer;
  const toggles = await Promise.all(Array.from({ length: 15 }, () => toggleVote(db, one, paperId)));
  assert.equal(toggles.filter((t) => t.voted).length, 7, "toggles alternate: 8 removals, 7 additions");
  const present = (await votedPaperIds(db, one.id)).has(paperId);
  assert.equal(present, false, "an odd number of toggles from voted ends unvoted");
  assert.equal(await voteRows(paperId), 29);
  assert.equal((await signals(paperId)).upvotes, 4 + 29);
});
