// Moderation as a module, on the real database: who may act, what each action changes, that each
// writes its audit row (and that a failed action writes neither), and the admin pages' reads.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { Forbidden, Unauthenticated } from "../accounts/policy.ts";
import { findOrCreateUser, type User, userById, type Viewer } from "../accounts/users.ts";
import type { Role } from "../db/schema.ts";
import { refreshSignals } from "../papers/signals.ts";
import { upsertRecords } from "../papers/store.ts";
import { addComment, reportComment } from "./comments.ts";
import {
  auditPage,
  CLI_ACTOR,
  dismissReports,
  findUsers,
  hideComment,
  ModerationError,
  recentSubmissions,
  removeSubmission,
  setRole,
  suspendUser,
  unhideComment,
  unsuspendUser,
} from "./moderation.ts";

let db: TestDb;
let paperId: number;

before(async () => {
  db = await testDb();
  await upsertRecords(db, [paperRecord({ arxivId: "2608.40001" }, { day: "2026-08-14", upvotes: 10, numComments: 0 })]);
  paperId = (await db.kysely.selectFrom("papers").select("id").executeTakeFirstOrThrow()).id;
});
after(() => db.close());

const as = (user: User): Viewer => ({ ...user, via: "session", sessionId: null, csrf: null });
async function person(name: string, role: Role = "member"): Promise<Viewer> {
  const user = await findOrCreateUser(db, `${name}@example.org`);
  await db.kysely.updateTable("users").set({ role }).where("id", "=", user.id).execute();
  return as({ ...user, role });
}
const auditOf = (action: string, targetId: number) =>
  db.kysely
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .where("target_id", "=", String(targetId))
    .execute();
const signals = async () =>
  db.kysely.selectFrom("paper_signals").selectAll().where("paper_id", "=", paperId).executeTakeFirstOrThrow();

test("hiding and unhiding: moderators only; reports close; the count and the audit log follow", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const mod = await person("mod", "moderator");
  const ref = await addComment(db, ada, paperId, "to be hidden");
  await reportComment(db, bob, ref.id, "rude");
  const count = (await signals()).num_comments;
  await assert.rejects(hideComment(db, null, ref.id), Unauthenticated);
  await assert.rejects(hideComment(db, bob, ref.id), Forbidden);
  await assert.rejects(hideComment(db, { ...mod, suspendedAt: "2026-01-01T00:00:00Z" }, ref.id), Forbidden);
  await assert.rejects(hideComment(db, mod, 424242), (e: ModerationError) => e.status === 404);
  assert.deepEqual(await auditOf("comment.hide", ref.id), []);

  await hideComment(db, mod, ref.id, "insult");
  const row = await db.kysely.selectFrom("comments").selectAll().where("id", "=", ref.id).executeTakeFirstOrThrow();
  assert.ok(row.hidden_at);
  assert.equal(row.hidden_by, mod.id);
  assert.equal((await signals()).num_comments, count - 1);
  const [entry] = await auditOf("comment.hide", ref.id);
  assert.equal(entry?.actor_id, mod.id);
  assert.deepEqual(JSON.parse(entry?.details ?? "{}"), { paperId, reason: "insult", reportsClosed: 1 });
  const open = await db.kysely
    .selectFrom("comment_reports")
    .select("id")
    .where("comment_id", "=", ref.id)
    .where("resolved_at", "is", null)
    .execute();
  assert.equal(open.length, 0);

  await unhideComment(db, mod, ref.id);
  assert.equal((await signals()).num_comments, count);
  assert.equal((await auditOf("comment.unhide", ref.id)).length, 1);
});

test("dismissing reports closes them without hiding, and is recorded", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const admin = await person("root", "admin");
  const ref = await addComment(db, ada, paperId, "fine, really");
  await reportComment(db, bob, ref.id, "I disagree");
  await assert.rejects(dismissReports(db, bob, ref.id), Forbidden);
  assert.equal(await dismissReports(db, admin, ref.id), 1);
  const [entry] = await auditOf("report.dismiss", ref.id);
  assert.equal(entry?.actor_id, admin.id);
  const row = await db.kysely.selectFrom("comments").select("hidden_at").where("id", "=", ref.id).executeTakeFirst();
  assert.equal(row?.hidden_at, null);
});

test("removing a submission: local ones only, then the paper's signals are recomputed", async () => {
  const sub = await person("submitter");
  const mod = await person("mod", "moderator");
  const now = new Date().toISOString();
  const local = await db.kysely
    .insertInto("featurings")
    .values({
      paper_id: paperId,
      day: "2026-08-20",
      submitted_by: sub.username,
      submitted_at: now,
      upvotes: 7,
      num_comments: 0,
      source: "local",
      submitted_by_user_id: sub.id,
      created_at: now,
      modified_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await refreshSignals(db.kysely, [paperId]);
  const upvotes = (await signals()).upvotes;
  assert.deepEqual(
    (await recentSubmissions(db)).map((s) => [s.id, s.submitter]),
    [[local.id, "submitter"]],
  );
  await assert.rejects(removeSubmission(db, sub, local.id), Forbidden);
  const imported = await db.kysely
    .selectFrom("featurings")
    .select("id")
    .where("submitted_by_user_id", "is", null)
    .executeTakeFirstOrThrow();
  await assert.rejects(removeSubmission(db, mod, imported.id), /only local submissions/);
  await removeSubmission(db, mod, local.id, "not a paper");
  assert.equal(
    await db.kysely.selectFrom("featurings").select("id").where("id", "=", local.id).executeTakeFirst(),
    undefined,
  );
  assert.equal((await signals()).upvotes, upvotes - 7);
  const [entry] = await auditOf("submission.remove", local.id);
  assert.equal(JSON.parse(entry?.details ?? "{}").reason, "not a paper");
});

test("suspending: moderators suspend members with a reason, never an admin nor themselves", async () => {
  const member = await person("member");
  const mod = await person("mod", "moderator");
  const admin = await person("root", "admin");
  await assert.rejects(suspendUser(db, member, mod.id, "x"), Forbidden);
  await assert.rejects(suspendUser(db, mod, member.id, "  "), /Give a reason/);
  await assert.rejects(suspendUser(db, mod, admin.id, "coup"), /Only an admin can suspend an admin/);
  await assert.rejects(suspendUser(db, mod, mod.id, "oops"), /yourself/);
  assert.equal((await userById(db, admin.id))?.suspendedAt, null);
  assert.deepEqual(await auditOf("user.suspend", admin.id), []);

  await suspendUser(db, mod, member.id, "spam links");
  let user = await userById(db, member.id);
  assert.ok(user?.suspendedAt);
  assert.equal(user?.suspendedReason, "spam links");
  assert.equal((await auditOf("user.suspend", member.id))[0]?.actor_id, mod.id);
  await assert.rejects(addComment(db, as(user as User), paperId, "still here?"), /suspended: spam links/);

  await unsuspendUser(db, mod, member.id);
  user = await userById(db, member.id);
  // The change and its audit row land together: an audit row that cannot be written (its actor
  // does not exist) undoes the suspension.
  const ghost = { ...mod, id: 987654, username: "ghost" };
  await assert.rejects(suspendUser(db, ghost, member.id, "from a ghost"));
  assert.equal((await userById(db, member.id))?.suspendedAt, null);
  assert.equal(user?.suspendedAt, null);
  assert.equal((await auditOf("user.unsuspend", member.id)).length, 1);

  // An admin may suspend another admin; the command line may suspend anyone, recorded with no actor.
  const admin2 = await person("root2", "admin");
  await suspendUser(db, admin, admin2.id, "compromised");
  await unsuspendUser(db, CLI_ACTOR, admin2.id);
  assert.equal((await auditOf("user.unsuspend", admin2.id))[0]?.actor_id, null);
});

test("roles: only admins (or the command line) set them; the audit log says from what to what", async () => {
  const member = await person("member");
  const mod = await person("mod", "moderator");
  const admin = await person("root", "admin");
  await assert.rejects(setRole(db, mod, member.id, "moderator"), /Only admins/);
  await assert.rejects(setRole(db, admin, admin.id, "member"), /your own role/);
  await assert.rejects(setRole(db, admin, member.id, "owner" as Role), ModerationError);
  assert.equal(await setRole(db, admin, member.id, "moderator"), true);
  assert.equal((await userById(db, member.id))?.role, "moderator");
  assert.equal(await setRole(db, admin, member.id, "moderator"), false, "no change, no audit row");
  assert.equal(await setRole(db, CLI_ACTOR, member.id, "member"), true);
  const promote = await auditOf("user.promote", member.id);
  const demote = await auditOf("user.demote", member.id);
  assert.equal(promote.length, 1);
  assert.equal(promote[0]?.actor_id, admin.id);
  assert.deepEqual(JSON.parse(promote[0]?.details ?? "{}"), { from: "member", to: "moderator" });
  assert.equal(demote[0]?.actor_id, null);
  assert.deepEqual(JSON.parse(demote[0]?.details ?? "{}"), { from: "moderator", to: "member", via: "cli" });
});

test("reads for the admin pages: user search (LIKE-safe), audit log newest first and paged", async () => {
  await person("percent_user");
  await person("plainuser");
  assert.deepEqual(
    (await findUsers(db, { q: "PERCENT_" })).map((u) => u.username),
    ["percent_user"],
  );
  assert.equal((await findUsers(db, { q: "%" })).length, 0, "% is matched literally");
  assert.ok((await findUsers(db, { role: "admin" })).every((u) => u.role === "admin"));
  const first = await auditPage(db, { page: 1, pageSize: 3 });
  assert.equal(first.items.length, 3);
  assert.equal(first.more, true);
  const times = first.items.map((i) => i.createdAt);
  assert.deepEqual(times, [...times].sort().reverse(), "newest first");
  const second = await auditPage(db, { page: 2, pageSize: 3 });
  assert.ok(second.items.every((i) => !first.items.some((f) => f.id === i.id)));
});
