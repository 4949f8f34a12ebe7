// Follows against a real database: values (folded author names, checked categories), idempotent
// follow and unfollow, and followingPapers — what the Following page and digests read — with the
// follows that matched each paper, newest first, `since` and `limit`.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { findOrCreateUser } from "../accounts/users.ts";
import { upsertRecords } from "../papers/store.ts";
import { FollowError, follow, followingPapers, followsOf, followTarget, isFollowing, unfollow } from "./follows.ts";

let db: TestDb;

before(async () => {
  db = await testDb();
  await upsertRecords(
    db,
    [
      paperRecord({
        arxivId: "2608.60001",
        authors: ["José García"],
        categories: ["cs.CL"],
        submittedAt: "2026-08-01T00:00:00Z",
      }),
      paperRecord({
        arxivId: "2608.60002",
        authors: ["Someone Else"],
        categories: ["cs.LG"],
        submittedAt: "2026-08-03T00:00:00Z",
      }),
      paperRecord({
        arxivId: "2608.60003",
        authors: ["Nobody Followed"],
        categories: ["math.OC"],
        submittedAt: "2026-08-04T00:00:00Z",
      }),
    ],
    new Date("2026-08-05T00:00:00Z"),
  );
});
after(() => db.close());

test("follow targets: authors by folded name, categories checked", () => {
  assert.deepEqual(followTarget("author", "  José   García "), { value: "jose garcia", label: "José García" });
  assert.deepEqual(followTarget("category", "astro-ph.CO"), { value: "astro-ph.CO", label: "astro-ph.CO" });
  assert.throws(() => followTarget("category", "cs.CL; drop table"), FollowError);
  assert.throws(() => followTarget("author", "  "), FollowError);
});

test("following twice keeps one follow; unfollow by any spelling of the name", async () => {
  const user = await findOrCreateUser(db, "twice@example.org");
  await follow(db, user.id, "author", "José García");
  await follow(db, user.id, "author", "jose garcia");
  const follows = await followsOf(db, user.id);
  assert.equal(follows.length, 1);
  assert.equal(follows[0]?.label, "José García");
  assert.ok(isFollowing(follows, "author", "JOSE GARCÍA"));
  assert.equal(await unfollow(db, user.id, "author", "Jose Garcia"), true);
  assert.equal(await unfollow(db, user.id, "author", "Jose Garcia"), false);
  assert.deepEqual(await followsOf(db, user.id), []);
});

test("followingPapers: followed authors and categories, newest first, with what matched", async () => {
  const user = await findOrCreateUser(db, "reader@example.org");
  assert.deepEqual(await followingPapers(db, user.id), [], "nothing followed, nothing listed");
  await follow(db, user.id, "author", "Jose Garcia");
  await follow(db, user.id, "category", "cs.LG");
  await follow(db, user.id, "category", "cs.CL");
  const papers = await followingPapers(db, user.id);
  assert.deepEqual(
    papers.map((p) => p.card.arxivId),
    ["2608.60002", "2608.60001"],
  );
  assert.deepEqual(
    papers[1]?.matched.map((f) => `${f.kind}:${f.label}`),
    ["author:Jose Garcia", "category:cs.CL"],
  );
  assert.deepEqual(
    papers[0]?.matched.map((f) => f.value),
    ["cs.LG"],
  );
  assert.equal((await followingPapers(db, user.id, { limit: 1 })).length, 1);

  // `since` counts from when a paper reached this archive.
  assert.deepEqual(await followingPapers(db, user.id, { since: "2026-08-06T00:00:00Z" }), []);
  await upsertRecords(
    db,
    [paperRecord({ arxivId: "2608.60004", authors: ["José García"], submittedAt: "2026-07-01T00:00:00Z" })],
    new Date("2026-08-07T00:00:00Z"),
  );
  const late = await followingPapers(db, user.id, { since: new Date("2026-08-06T00:00:00Z") });
  assert.deepEqual(
    late.map((p) => p.card.arxivId),
    ["2608.60004"],
    "an old paper imported late is new to the reader",
  );
});
