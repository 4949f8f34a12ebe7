// The moderators' pages over HTTP: who may open them (anonymous → sign in, members → 403), the
// reports queue with hide / dismiss, the user search with suspend / unsuspend and roles, local
// submissions, and the audit log, newest first and paged; each action leaves an audit row.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { setRole, userById } from "../../accounts/users.ts";
import { addComment, reportComment } from "../../community/comments.ts";
import { upsertRecords } from "../../papers/store.ts";

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;
let paperId: number;

const ORIGIN = "https://papers.example.org";

before(async () => {
  ({ db, app, close } = await testApp({
    env: (dir) => ({ BASE_URL: ORIGIN, MAIL_URL: `file:${dir}/outbox` }),
  }));
  await upsertRecords(db, [paperRecord({ arxivId: "2608.50001" }, { day: "2026-08-14", upvotes: 3 })]);
  paperId = (await db.kysely.selectFrom("papers").select("id").executeTakeFirstOrThrow()).id;
});
after(() => close());

async function withRole(email: string, role: "member" | "moderator" | "admin") {
  const s = await signedIn(app, db, email, ORIGIN);
  await setRole(db, s.user.id, role);
  return s;
}
const viewer = async (id: number) => {
  const user = await userById(db, id);
  assert.ok(user);
  return { ...user, via: "session" as const, sessionId: null, csrf: null };
};
const auditCount = async (action: string) =>
  (await db.kysely.selectFrom("audit_log").select("id").where("action", "=", action).execute()).length;

test("anonymous visitors are sent to sign in; members get 403 on every page and action", async () => {
  const anon = new TestClient(app, ORIGIN);
  const res = await anon.get("/admin/reports");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/signin?next=%2Fadmin%2Freports");
  const { client: member, user } = await withRole("plain@example.org", "member");
  for (const path of ["/admin", "/admin/reports", "/admin/users", "/admin/audit", "/admin/submissions"]) {
    assert.equal((await member.get(path)).status, 403, path);
  }
  for (const path of ["/admin/reports/1/hide", "/admin/reports/1/dismiss", "/admin/submissions/1/remove"]) {
    assert.equal((await member.post(path)).status, 403, path);
  }
  assert.equal((await member.post(`/admin/users/${user.id}/suspend`, { reason: "self" })).status, 403);
  assert.equal((await member.post(`/admin/users/${user.id}/role`, { role: "admin" })).status, 403);
  assert.equal((await userById(db, user.id))?.role, "member");
  assert.equal((await anon.post("/admin/reports/1/hide")).status, 401);
});

test("the reports queue: a moderator hides one reported comment and dismisses another", async () => {
  const { client: mod } = await withRole("mod@example.org", "moderator");
  const { user: ada } = await withRole("ada@example.org", "member");
  const { user: bob } = await withRole("bob@example.org", "member");
  const bad = await addComment(db, await viewer(ada.id), paperId, "Buy <b>cheap</b> pills");
  const fine = await addComment(db, await viewer(ada.id), paperId, "A fair point");
  await reportComment(db, await viewer(bob.id), bad.id, "spam");
  await reportComment(db, await viewer(bob.id), fine.id, "I disagree");

  const home = await mod.get("/admin");
  assert.equal(home.status, 200);
  assert.match(await home.text(), /Reported comments<\/a>: 2 waiting/);
  const page = await (await mod.get("/admin/reports")).text();
  assert.match(page, /Buy &lt;b&gt;cheap&lt;\/b&gt; pills/, "the comment as text");
  assert.match(page, /@bob, .*: spam/);
  assert.match(page, new RegExp(`action="/admin/reports/${bad.id}/hide"`));

  const hidden = await mod.post(`/admin/reports/${bad.id}/hide`);
  assert.equal(hidden.status, 303);
  assert.equal(hidden.headers.get("location"), "/admin/reports");
  const dismissed = await mod.post(`/admin/reports/${fine.id}/dismiss`);
  assert.equal(dismissed.status, 303);
  const after = await (await mod.get("/admin/reports")).text();
  assert.match(after, /No open reports/);
  const rows = await db.kysely
    .selectFrom("comments")
    .select(["id", "hidden_at"])
    .where("id", "in", [bad.id, fine.id])
    .orderBy("id")
    .execute();
  assert.ok(rows[0]?.hidden_at);
  assert.equal(rows[1]?.hidden_at, null);
  assert.equal(await auditCount("comment.hide"), 1);
  assert.equal(await auditCount("report.dismiss"), 1);
  assert.equal((await mod.post("/admin/reports/999999/hide")).status, 404);
});

test("users: search, suspend with a reason, unsuspend; a moderator cannot suspend an admin", async () => {
  const { client: mod } = await withRole("mod2@example.org", "moderator");
  const { user: target, client: targetClient } = await withRole("target.person@example.org", "member");
  const { user: admin } = await withRole("boss@example.org", "admin");
  const found = await (await mod.get("/admin/users?q=TARGET")).text();
  assert.match(found, /target.person@example.org/);
  assert.doesNotMatch(found, /boss@example.org/);
  assert.doesNotMatch(found, /name="role"/, "moderators do not set roles");

  assert.equal((await mod.post(`/admin/users/${target.id}/suspend`, { reason: "" })).status, 400);
  const res = await mod.post(`/admin/users/${target.id}/suspend`, { reason: "link spam" });
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /^\/admin\/users\?q=target/);
  assert.equal((await userById(db, target.id))?.suspendedReason, "link spam");
  const listed = await (await mod.get("/admin/users?q=target")).text();
  assert.match(listed, /Suspended .*: link spam/);
  const blocked = await targetClient.post("/papers/2608.50001/comments", { body: "hello" });
  assert.equal(blocked.status, 403);

  assert.equal((await mod.post(`/admin/users/${target.id}/unsuspend`)).status, 303);
  assert.equal((await userById(db, target.id))?.suspendedAt, null);
  assert.equal((await targetClient.post("/papers/2608.50001/comments", { body: "hello" })).status, 303);

  const coup = await mod.post(`/admin/users/${admin.id}/suspend`, { reason: "coup" });
  assert.equal(coup.status, 403);
  assert.equal((await userById(db, admin.id))?.suspendedAt, null);
  assert.equal(await auditCount("user.suspend"), 1);
  assert.equal(await auditCount("user.unsuspend"), 1);
});

test("admins set roles from the users page", async () => {
  const { client: admin } = await withRole("chief@example.org", "admin");
  const { user: helper } = await withRole("helper@example.org", "member");
  const page = await (await admin.get("/admin/users?q=helper")).text();
  assert.match(page, new RegExp(`action="/admin/users/${helper.id}/role"`));
  assert.equal((await admin.post(`/admin/users/${helper.id}/role`, { role: "moderator" })).status, 303);
  assert.equal((await userById(db, helper.id))?.role, "moderator");
  assert.equal((await admin.post(`/admin/users/${helper.id}/role`, { role: "owner" })).status, 400);
  assert.ok((await auditCount("user.promote")) >= 1);
});

test("submissions: a moderator removes a local submission", async () => {
  const { client: mod } = await withRole("mod3@example.org", "moderator");
  const { user: sub } = await withRole("submitter@example.org", "member");
  const now = new Date().toISOString();
  const f = await db.kysely
    .insertInto("featurings")
    .values({
      paper_id: paperId,
      day: "2026-08-21",
      submitted_by: sub.username,
      submitted_at: now,
      upvotes: 0,
      num_comments: 0,
      source: "local",
      submitted_by_user_id: sub.id,
      created_at: now,
      modified_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const list = await (await mod.get("/admin/submissions")).text();
  assert.match(list, new RegExp(`action="/admin/submissions/${f.id}/remove"`));
  assert.equal((await mod.post(`/admin/submissions/${f.id}/remove`, { reason: "duplicate" })).status, 303);
  assert.equal(
    await db.kysely.selectFrom("featurings").select("id").where("id", "=", f.id).executeTakeFirst(),
    undefined,
  );
  assert.equal(await auditCount("submission.remove"), 1);
});

test("the audit log: newest first, paged, with who did what", async () => {
  const { client: mod, user: modUser } = await withRole("auditor@example.org", "moderator");
  const { user: ada } = await withRole("ada2@example.org", "member");
  for (let i = 0; i < 55; i++) {
    await db.kysely
      .insertInto("audit_log")
      .values({
        actor_id: modUser.id,
        action: `test.action${i}`,
        target_type: "user",
        target_id: String(ada.id),
        details: "{}",
        created_at: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(),
      })
      .execute();
  }
  const first = await (await mod.get("/admin/audit")).text();
  assert.ok(first.indexOf("test.action54") < first.indexOf("test.action53"), "newest first");
  assert.match(first, /@auditor/);
  assert.match(first, /href="\/admin\/audit\?page=2"/);
  assert.doesNotMatch(first, /test\.action4\b/);
  const second = await mod.get("/admin/audit?page=2");
  assert.equal(second.status, 200);
  assert.match(await second.text(), /test\.action4\b/);
  assert.equal((await mod.get("/admin/audit?page=zero")).status, 400);
});
