// Authorship claims against a real database: names must be on the paper, one claim per member per
// paper, only admins decide, a decision and its audit entry land together, a claim is decided
// once, and approved claims are found for the paper and for the author's spellings.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { Forbidden } from "../accounts/policy.ts";
import { findOrCreateUser, type Viewer } from "../accounts/users.ts";
import { upsertRecords } from "../papers/store.ts";
import {
  approvedClaimsForAuthor,
  approvedClaimsOnPaper,
  ClaimError,
  claimAuthorship,
  claimOf,
  decideClaim,
  pendingClaims,
} from "./claims.ts";
import { paperIdOf } from "./collections.ts";

let db: TestDb;
let paperId: number;

before(async () => {
  db = await testDb();
  await upsertRecords(db, [paperRecord({ arxivId: "2608.80001", authors: ["Grace Hopper", "Katherine Johnson"] })]);
  paperId = (await paperIdOf(db, "2608.80001")) as number;
});
after(() => db.close());

async function viewer(email: string, role: Viewer["role"] = "member"): Promise<Viewer> {
  const user = await findOrCreateUser(db, email);
  return { ...user, role, via: "session", sessionId: 1, csrf: "x" };
}

test("a claim names one of the paper's authors, once per member per paper", async () => {
  const grace = await viewer("grace@example.org");
  await assert.rejects(claimAuthorship(db, grace.id, paperId, "Alan Turing"), ClaimError);
  await assert.rejects(claimAuthorship(db, grace.id, paperId + 1000, "Grace Hopper"), ClaimError);
  const claim = await claimAuthorship(db, grace.id, paperId, "Grace Hopper");
  assert.equal(claim.status, "pending");
  assert.equal(claim.arxivId, "2608.80001");
  assert.equal(claim.username, "grace");
  await assert.rejects(claimAuthorship(db, grace.id, paperId, "Katherine Johnson"), /already claimed/);
  assert.equal((await claimOf(db, grace.id, paperId))?.id, claim.id);
  assert.ok((await pendingClaims(db)).some((c) => c.id === claim.id));
});

test("only admins decide; the decision and its audit entry are one transaction; once only", async () => {
  const kj = await viewer("katherine@example.org");
  const claim = await claimAuthorship(db, kj.id, paperId, "Katherine Johnson");
  const moderator = await viewer("mod@example.org", "moderator");
  await assert.rejects(decideClaim(db, moderator, claim.id, "approved"), Forbidden);
  await assert.rejects(decideClaim(db, kj, claim.id, "approved"), Forbidden);
  assert.equal((await claimOf(db, kj.id, paperId))?.status, "pending");

  const admin = await viewer("root@example.org", "admin");
  const decided = await decideClaim(db, admin, claim.id, "approved", new Date("2026-08-20T00:00:00Z"));
  assert.equal(decided?.status, "approved");
  assert.equal(decided?.decidedAt, "2026-08-20T00:00:00.000Z");
  assert.equal(await decideClaim(db, admin, claim.id, "rejected"), null, "already decided");
  const audit = await db.kysely.selectFrom("audit_log").selectAll().where("target_id", "=", String(claim.id)).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.action, "claim.approve");

  assert.deepEqual(await approvedClaimsOnPaper(db, paperId), [
    { authorName: "Katherine Johnson", username: "katherine", displayName: "katherine" },
  ]);
  assert.deepEqual(await approvedClaimsForAuthor(db, ["Katherine Johnson", "K. Johnson"]), [
    { username: "katherine", displayName: "katherine", papers: 1 },
  ]);
  assert.deepEqual(await approvedClaimsForAuthor(db, ["Grace Hopper"]), [], "Grace's claim is still pending");
});

test("a failed audit write rolls the decision back", async () => {
  const user = await viewer("rollback@example.org");
  const claim = await claimAuthorship(db, user.id, paperId, "Grace Hopper");
  const admin = await viewer("root2@example.org", "admin");
  // An actor id no user has breaks the audit row's foreign key inside the transaction.
  await assert.rejects(decideClaim(db, { ...admin, id: 999_999 }, claim.id, "approved"));
  assert.equal((await claimOf(db, user.id, paperId))?.status, "pending");
});
