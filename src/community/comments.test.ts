// Comments as a module, on the real database: validation, replies one level deep, ownership,
// soft deletion, reports once per person, what each viewer sees, the rate limit, and the paper's
// comment count in paper_signals after every change.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { Forbidden, RateLimited, Unauthenticated } from "../accounts/policy.ts";
import { LIMITS } from "../accounts/rate-limit.ts";
import { findOrCreateUser, type User, type Viewer } from "../accounts/users.ts";
import { upsertRecords } from "../papers/store.ts";
import {
  addComment,
  CommentError,
  deleteComment,
  editComment,
  listComments,
  MAX_COMMENT_LENGTH,
  openReports,
  reportComment,
} from "./comments.ts";

let db: TestDb;
let paperId: number;
let otherPaperId: number;

before(async () => {
  db = await testDb();
  await upsertRecords(db, [
    paperRecord({ arxivId: "2608.30001" }, { day: "2026-08-14", upvotes: 2, numComments: 4 }),
    paperRecord({ arxivId: "2608.30002" }),
  ]);
  const ids = await db.kysely.selectFrom("papers").select(["id", "arxiv_id"]).orderBy("arxiv_id").execute();
  paperId = ids[0]?.id ?? 0;
  otherPaperId = ids[1]?.id ?? 0;
});
after(() => db.close());

const as = (user: User, extra: Partial<Viewer> = {}): Viewer => ({
  ...user,
  via: "session",
  sessionId: null,
  csrf: null,
  ...extra,
});
const person = async (name: string) => as(await findOrCreateUser(db, `${name}@example.org`));
const signalCount = async (id = paperId) =>
  (await db.kysely.selectFrom("paper_signals").select("num_comments").where("paper_id", "=", id).executeTakeFirst())
    ?.num_comments ?? 0;

test("adding checks the viewer and the body; the count in paper_signals follows at once", async () => {
  const ada = await person("ada");
  const before = await signalCount();
  await assert.rejects(addComment(db, null, paperId, "hi"), Unauthenticated);
  await assert.rejects(addComment(db, { ...ada, suspendedAt: "2026-01-01T00:00:00Z" }, paperId, "hi"), Forbidden);
  await assert.rejects(addComment(db, ada, paperId, " \n\t "), CommentError);
  await assert.rejects(addComment(db, ada, paperId, "x".repeat(MAX_COMMENT_LENGTH + 1)), /at most 10,000/);
  await assert.rejects(addComment(db, ada, 987654, "hi"), (e: CommentError) => e.status === 404);
  const ref = await addComment(db, ada, paperId, `  ${"y".repeat(MAX_COMMENT_LENGTH)}\r\n `);
  assert.equal(ref.arxivId, "2608.30001");
  const row = await db.kysely.selectFrom("comments").selectAll().where("id", "=", ref.id).executeTakeFirstOrThrow();
  assert.equal(row.body.length, MAX_COMMENT_LENGTH, "trimmed");
  assert.equal(await signalCount(), before + 1);
  // A paper with no featuring gets a signals row once it has a comment.
  await addComment(db, ada, otherPaperId, "first on the other paper");
  assert.equal(await signalCount(otherPaperId), 1);
});

test("replies are one level deep and stay on their paper", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const top = await addComment(db, ada, paperId, "top");
  const reply = await addComment(db, bob, paperId, "reply", top.id);
  const deeper = await addComment(db, ada, paperId, "reply to reply", reply.id);
  const parents = await db.kysely
    .selectFrom("comments")
    .select(["id", "parent_id"])
    .where("id", "in", [reply.id, deeper.id])
    .execute();
  assert.deepEqual(
    parents.map((p) => p.parent_id),
    [top.id, top.id],
  );
  await assert.rejects(addComment(db, ada, otherPaperId, "wrong paper", top.id), /not on this paper/);
  await deleteComment(db, ada, top.id);
  await assert.rejects(addComment(db, bob, paperId, "to a deleted one", top.id), /removed/);
  const thread = (await listComments(db, paperId, bob)).find((t) => t.id === top.id);
  assert.equal(thread?.state, "deleted");
  assert.equal(thread?.body, null);
  assert.equal(thread?.author, null);
  assert.deepEqual(
    thread?.replies.map((r) => r.id),
    [reply.id, deeper.id],
  );
});

test("only the author edits or deletes; deletion is soft, erases the text and is idempotent", async () => {
  const ada = await person("ada");
  const eve = await person("eve");
  const ref = await addComment(db, ada, paperId, "original");
  const count = await signalCount();
  await assert.rejects(editComment(db, eve, ref.id, "defaced"), Forbidden);
  await assert.rejects(deleteComment(db, eve, ref.id), Forbidden);
  await assert.rejects(editComment(db, null, ref.id, "x"), Unauthenticated);
  await assert.rejects(editComment(db, ada, ref.id, ""), CommentError);
  await editComment(db, ada, ref.id, "improved");
  let row = await db.kysely.selectFrom("comments").selectAll().where("id", "=", ref.id).executeTakeFirstOrThrow();
  assert.equal(row.body, "improved");
  assert.ok(row.edited_at);
  await deleteComment(db, ada, ref.id);
  await deleteComment(db, ada, ref.id);
  row = await db.kysely.selectFrom("comments").selectAll().where("id", "=", ref.id).executeTakeFirstOrThrow();
  assert.ok(row.deleted_at);
  assert.equal(row.body, "");
  assert.equal(await signalCount(), count - 1);
  await assert.rejects(editComment(db, ada, ref.id, "back"), /deleted/);
  await assert.rejects(editComment(db, ada, 999999, "x"), (e: CommentError) => e.status === 404);
});

test("reports: once per person and comment, with a reason, never one's own", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const carol = await person("carol");
  const ref = await addComment(db, ada, paperId, "questionable");
  await assert.rejects(reportComment(db, null, ref.id, "spam"), Unauthenticated);
  await assert.rejects(reportComment(db, bob, ref.id, "   "), /what is wrong/);
  await assert.rejects(reportComment(db, ada, ref.id, "mine"), /your own/);
  await reportComment(db, bob, ref.id, "spam");
  await assert.rejects(reportComment(db, bob, ref.id, "spam"), /already reported/);
  await reportComment(db, carol, ref.id, "off-topic");
  const open = (await openReports(db)).find((r) => r.commentId === ref.id);
  assert.deepEqual(
    open?.reports.map((r) => [r.reporter, r.reason]),
    [
      ["bob", "spam"],
      ["carol", "off-topic"],
    ],
  );
  assert.equal(open?.author, "ada");
  const view = (await listComments(db, paperId, bob)).find((c) => c.id === ref.id);
  assert.equal(view?.reported, true);
  assert.equal((await listComments(db, paperId, ada)).find((c) => c.id === ref.id)?.reported, false);
});

test("hidden comments: moderators see them marked, others see nothing or a placeholder", async () => {
  const ada = await person("ada");
  const bob = await person("bob");
  const mod = { ...(await person("mod")), role: "moderator" as const };
  const leaf = await addComment(db, ada, otherPaperId, "hidden leaf");
  const parent = await addComment(db, ada, otherPaperId, "hidden parent");
  await addComment(db, bob, otherPaperId, "answer", parent.id);
  await db.kysely
    .updateTable("comments")
    .set({ hidden_at: new Date().toISOString(), hidden_by: mod.id })
    .where("id", "in", [leaf.id, parent.id])
    .execute();
  for (const viewer of [null, bob, ada]) {
    const threads = await listComments(db, otherPaperId, viewer);
    assert.equal(
      threads.find((t) => t.id === leaf.id),
      undefined,
    );
    const p = threads.find((t) => t.id === parent.id);
    assert.equal(p?.state, "hidden");
    assert.equal(p?.body, null);
    assert.equal(p?.replies.length, 1);
  }
  const modView = await listComments(db, otherPaperId, mod);
  assert.equal(modView.find((t) => t.id === leaf.id)?.body, "hidden leaf");
  assert.equal(modView.find((t) => t.id === parent.id)?.author?.username, "ada");
  await assert.rejects(editComment(db, ada, leaf.id, "sneaky"), Forbidden);
});

test("the rate limit stops a flood of comments", async () => {
  const flood = await person("flood");
  const now = new Date("2026-09-01T10:00:00Z");
  for (let i = 0; i < LIMITS.commentsPerUser.max; i++) await addComment(db, flood, paperId, `n${i}`, null, now);
  await assert.rejects(addComment(db, flood, paperId, "one too many", null, now), RateLimited);
  const later = new Date(now.getTime() + LIMITS.commentsPerUser.windowMs);
  await addComment(db, flood, paperId, "after the window", null, later);
});
