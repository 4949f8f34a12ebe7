// Comments on paper pages over HTTP (the real app, routes and database): posting, replies one
// level deep, edit / delete / report, who may do what (403 and the row unchanged), suspended
// accounts, hostile content shown as text, counts on cards, moderators hiding, and CSRF.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { setRole } from "../../accounts/users.ts";
import { upsertRecords } from "../../papers/store.ts";

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

const ORIGIN = "https://papers.example.org";
const PAPER = "2608.20001";
const OTHER = "2608.20002";

before(async () => {
  ({ db, app, close } = await testApp({
    env: (dir) => ({ BASE_URL: ORIGIN, MAIL_URL: `file:${dir}/outbox` }),
  }));
  await upsertRecords(db, [
    paperRecord({ arxivId: PAPER, title: "Commented paper" }, { day: "2026-08-14", upvotes: 5, numComments: 3 }),
    paperRecord({ arxivId: OTHER, title: "Another paper" }, { day: "2026-08-14", upvotes: 1 }),
  ]);
});
after(() => close());

/** Posts a comment (or a reply) and returns its id from the 303's #comment-N. */
async function post(client: TestClient, body: string, parentId?: number, paper = PAPER): Promise<number> {
  const res = await client.post(`/papers/${paper}/comments`, {
    body,
    ...(parentId ? { parent_id: String(parentId) } : {}),
  });
  assert.equal(res.status, 303, await res.clone().text());
  const m = new RegExp(`^/papers/${paper.replace(".", "\\.")}#comment-(\\d+)$`).exec(res.headers.get("location") ?? "");
  assert.ok(m, `redirects to the comment: ${res.headers.get("location")}`);
  return Number(m[1]);
}

/** The Discussion section of a paper page as `client` (or an anonymous visitor) sees it. */
async function discussion(client?: TestClient, paper = PAPER): Promise<string> {
  const res = client ? await client.get(`/papers/${paper}`) : await app.request(`/papers/${paper}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const start = html.indexOf('<section id="discussion"');
  assert.ok(start >= 0, "the page has a discussion section");
  return html.slice(start, html.indexOf("</main>", start));
}

const row = (id: number) => db.kysely.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function apiComments(arxivId = PAPER): Promise<number> {
  const res = await app.request(`/api/papers/${arxivId}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { numComments: number }).numComments;
}

test("a member comments and replies; replies stay one level deep; the page shows names, times and Markdown", async () => {
  const { client: ada } = await signedIn(app, db, "ada@example.org", ORIGIN);
  const { client: bob } = await signedIn(app, db, "bob@example.org", ORIGIN);
  const top = await post(ada, "This is **great** work, see https://example.org/notes");
  const reply = await post(bob, "I _disagree_.", top);
  const nested = await post(ada, "Replying to the reply", reply);
  assert.equal((await row(reply)).parent_id, top);
  assert.equal((await row(nested)).parent_id, top, "a reply to a reply attaches to its parent");

  const html = await discussion(bob);
  assert.match(html, new RegExp(`id="comment-${top}"`));
  assert.match(html, /<strong>great<\/strong>/);
  assert.match(html, /<a href="https:\/\/example.org\/notes" rel="nofollow ugc noopener">/);
  assert.match(html, /<strong class="comment-author">ada<\/strong>/);
  assert.match(html, /@ada/);
  assert.match(html, /<time datetime="\d{4}-\d\d-\d\dT/);
  assert.match(html, /<em>disagree<\/em>/);
  // The replies sit inside the top comment's article.
  const topBlock = html.slice(html.indexOf(`id="comment-${top}"`));
  assert.ok(topBlock.indexOf(`id="comment-${reply}"`) < topBlock.indexOf(`id="comment-${nested}"`));
  assert.match(html, /name="parent_id"/, "reply forms");
  assert.match(html, /name="_csrf"/);
  assert.match(html, new RegExp(`action="/comments/${top}/report"`), "bob can report ada's comments");
  assert.doesNotMatch(html, new RegExp(`action="/comments/${reply}/report"`), "but not his own");
  assert.match(html, new RegExp(`href="/comments/${reply}/edit"`), "and edit his own");
  assert.doesNotMatch(html, new RegExp(`href="/comments/${top}/edit"`));
});

test("hostile content in comments renders as text, with no executable markup", async () => {
  const { client } = await signedIn(app, db, "mallory@example.org", ORIGIN);
  const hostile = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "&lt;b&gt;not bold&lt;/b&gt;",
    "Math: $x^2$ and $a_1 + b_1$",
    "![pic](https://tracker.example/pixel.png)",
  ];
  const id = await post(client, hostile.join("\n\n"), undefined, OTHER);
  const page = await (await app.request(`/papers/${OTHER}`)).text();
  assert.doesNotMatch(page, /<script(?![^>]*\ssrc="\/)/i, "no script on the page but the site's own files");
  assert.doesNotMatch(page, /href="javascript:/i);
  assert.doesNotMatch(page, /<[a-z][^>]*\son\w+=/i, "no tag on the page carries an event handler");
  const html = await discussion(undefined, OTHER);
  const section = html.slice(html.indexOf(`id="comment-${id}"`));
  assert.doesNotMatch(section, /<script/i);
  assert.doesNotMatch(section, /<img/i);
  assert.doesNotMatch(section, /<[a-z][^>]*\son\w+=/i, "no tag carries an event handler");
  assert.doesNotMatch(section, /href="javascript:/i);
  assert.match(section, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(section, /&lt;img src=x onerror=alert\(1\)&gt;/, "shown as text");
  assert.match(section, /\[x\]\(javascript:alert\(1\)\)/);
  assert.match(section, /&lt;b&gt;not bold&lt;\/b&gt;/);
  assert.match(section, /\$x\^2\$ and \$a_1 \+ b_1\$/, "LaTeX stays text");
  assert.match(section, /<a href="https:\/\/tracker.example\/pixel.png" rel="nofollow ugc noopener" class="md-image">/);
});

test("edit, delete and report: the author edits and deletes; others report once", async () => {
  const { client: ada } = await signedIn(app, db, "ada@example.org", ORIGIN);
  const { client: bob } = await signedIn(app, db, "bob@example.org", ORIGIN);
  const id = await post(ada, "First draft");
  const form = await ada.get(`/comments/${id}/edit`);
  assert.equal(form.status, 200);
  assert.match(await form.text(), /<textarea[^>]*>First draft<\/textarea>/);
  const edited = await ada.post(`/comments/${id}/edit`, { body: "Second draft" });
  assert.equal(edited.status, 303);
  assert.equal(edited.headers.get("location"), `/papers/${PAPER}#comment-${id}`);
  const r = await row(id);
  assert.equal(r.body, "Second draft");
  assert.ok(r.edited_at);
  assert.match(await discussion(bob), /· edited/);

  const reported = await bob.post(`/comments/${id}/report`, { reason: "spam" });
  assert.equal(reported.status, 303);
  const again = await bob.post(`/comments/${id}/report`, { reason: "spam again" });
  assert.equal(again.status, 400);
  assert.match(await again.text(), /already reported/);
  const reports = await db.kysely.selectFrom("comment_reports").selectAll().where("comment_id", "=", id).execute();
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.reason, "spam");
  assert.match(await discussion(bob), new RegExp(`id="comment-${id}"[\\s\\S]*?Reported`));
  const own = await ada.post(`/comments/${id}/report`, { reason: "mine" });
  assert.equal(own.status, 400);

  const reply = await post(bob, "A reply that stays", id);
  const deleted = await ada.post(`/comments/${id}/delete`);
  assert.equal(deleted.status, 303);
  assert.ok((await row(id)).deleted_at);
  const html = await discussion(bob);
  assert.match(html, new RegExp(`id="comment-${id}"[\\s\\S]*?\\[deleted\\]`));
  assert.doesNotMatch(html, /Second draft/);
  assert.match(html, /A reply that stays/, "the thread keeps its shape");
  assert.equal((await ada.post(`/comments/${id}/edit`, { body: "revived" })).status, 400);
  assert.equal((await row(reply)).deleted_at, null);
});

test("nobody can edit or delete another's comment, nor use moderator actions (403, row unchanged)", async () => {
  const { client: ada } = await signedIn(app, db, "ada@example.org", ORIGIN);
  const { client: eve } = await signedIn(app, db, "eve@example.org", ORIGIN);
  const id = await post(ada, "Ada's words");
  const before = await row(id);
  assert.equal((await eve.get(`/comments/${id}/edit`)).status, 403);
  const edit = await eve.post(`/comments/${id}/edit`, { body: "Eve's words" });
  assert.equal(edit.status, 403);
  assert.match(await edit.text(), /only change your own comments/);
  assert.equal((await eve.post(`/comments/${id}/delete`)).status, 403);
  assert.equal((await eve.post(`/comments/${id}/hide`)).status, 403);
  assert.equal((await eve.post(`/admin/reports/${id}/hide`)).status, 403);
  assert.deepEqual(await row(id), before);
  assert.doesNotMatch(await discussion(eve), new RegExp(`/comments/${id}/(edit|delete|hide)`));
  // Anonymous: 401 for writes, a sign-in redirect for the edit page.
  const anon = new TestClient(app, ORIGIN);
  assert.equal((await anon.post(`/comments/${id}/delete`)).status, 401);
  assert.equal((await anon.get(`/comments/${id}/edit`)).status, 302);
  assert.deepEqual(await row(id), before);
});

test("a suspended member cannot comment, reply or edit, and is told why", async () => {
  const { client, user } = await signedIn(app, db, "sus@example.org", ORIGIN);
  const id = await post(client, "Before the suspension");
  await db.kysely
    .updateTable("users")
    .set({ suspended_at: new Date().toISOString(), suspended_reason: "spam" })
    .where("id", "=", user.id)
    .execute();
  const res = await client.post(`/papers/${PAPER}/comments`, { body: "After" });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /suspended: spam/);
  assert.equal((await client.post(`/papers/${PAPER}/comments`, { body: "reply", parent_id: String(id) })).status, 403);
  assert.equal((await client.post(`/comments/${id}/edit`, { body: "changed" })).status, 403);
  assert.equal((await row(id)).body, "Before the suspension");
  assert.match(await discussion(client), /Your account is suspended/);
  const count = await db.kysely.selectFrom("comments").select("id").where("user_id", "=", user.id).execute();
  assert.equal(count.length, 1);
});

test("anonymous visitors read the comments and see a sign-in link instead of the form", async () => {
  const { client } = await signedIn(app, db, "ada@example.org", ORIGIN);
  await post(client, "Readable by everyone");
  const html = await discussion();
  assert.match(html, /Readable by everyone/);
  assert.match(html, /<a href="\/signin\?next=%2Fpapers%2F2608\.20001%23discussion">Sign in to comment<\/a>/);
  assert.doesNotMatch(html, /<textarea/);
  assert.equal((await new TestClient(app, ORIGIN).post(`/papers/${PAPER}/comments`, { body: "x" })).status, 401);
});

test("comment counts on cards and in the API follow comments, deletions and hiding", async () => {
  const { client: ada } = await signedIn(app, db, "counter@example.org", ORIGIN);
  const { client: mod, user: modUser } = await signedIn(app, db, "mod-count@example.org", ORIGIN);
  await setRole(db, modUser.id, "moderator");
  const before = await apiComments();
  const a = await post(ada, "one");
  const b = await post(ada, "two");
  assert.equal(await apiComments(), before + 2);
  const front = await (await app.request("/")).text();
  const card = front.slice(front.indexOf(`/papers/${PAPER}"`));
  assert.match(card, new RegExp(`#discussion">${before + 2} comments</a>`));
  assert.equal((await ada.post(`/comments/${a}/delete`)).status, 303);
  assert.equal(await apiComments(), before + 1);
  assert.equal((await mod.post(`/comments/${b}/hide`)).status, 303);
  assert.equal(await apiComments(), before);
  assert.equal((await mod.post(`/comments/${b}/unhide`)).status, 303);
  assert.equal(await apiComments(), before + 1);
});

test("a moderator hides a comment: others stop seeing it, the moderator sees it marked, the audit log records it", async () => {
  const { client: ada } = await signedIn(app, db, "ada@example.org", ORIGIN);
  const { client: bob } = await signedIn(app, db, "bob@example.org", ORIGIN);
  const { client: mod, user: modUser } = await signedIn(app, db, "mod@example.org", ORIGIN);
  await setRole(db, modUser.id, "moderator");
  const id = await post(ada, "Rude remark to hide", undefined, OTHER);
  const res = await mod.post(`/comments/${id}/hide`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/papers/${OTHER}#comment-${id}`);
  assert.equal((await row(id)).hidden_by, modUser.id);
  assert.doesNotMatch(await discussion(bob, OTHER), /Rude remark/);
  assert.doesNotMatch(await discussion(undefined, OTHER), /Rude remark/);
  const own = await discussion(ada, OTHER);
  assert.doesNotMatch(own, /Rude remark/, "hidden from its author too");
  const modView = await discussion(mod, OTHER);
  assert.match(modView, /Rude remark to hide/);
  assert.match(modView, /Hidden by a moderator/);
  assert.match(modView, new RegExp(`action="/comments/${id}/unhide"`));
  const audit = await db.kysely
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", "comment.hide")
    .where("target_id", "=", String(id))
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor_id, modUser.id);
  assert.equal(audit[0]?.target_type, "comment");
  // A hidden comment with replies keeps its place as a placeholder for others.
  const parent = await post(ada, "Another rude remark", undefined, OTHER);
  await post(bob, "A fair answer", parent, OTHER);
  assert.equal((await mod.post(`/comments/${parent}/hide`)).status, 303);
  const bobView = await discussion(bob, OTHER);
  assert.doesNotMatch(bobView, /Another rude remark/);
  assert.match(
    bobView,
    new RegExp(`id="comment-${parent}"[\\s\\S]*?\\[hidden by a moderator\\][\\s\\S]*?A fair answer`),
  );
});

test("CSRF: a form without the session's token, or from another site, is refused and writes nothing", async () => {
  const { client, user } = await signedIn(app, db, "csrf@example.org", ORIGIN);
  const count = async () =>
    (await db.kysely.selectFrom("comments").select("id").where("user_id", "=", user.id).execute()).length;
  const before = await count();
  const noToken = await client.post(`/papers/${PAPER}/comments`, { body: "forged", _csrf: null });
  assert.equal(noToken.status, 403);
  const wrong = await client.post(`/papers/${PAPER}/comments`, { body: "forged", _csrf: "not-the-token" });
  assert.equal(wrong.status, 403);
  const crossSite = await client.post(
    `/papers/${PAPER}/comments`,
    { body: "forged" },
    { origin: "https://evil.example" },
  );
  assert.equal(crossSite.status, 403);
  assert.equal(await count(), before);
  const id = await post(client, "mine");
  assert.equal((await client.post(`/comments/${id}/delete`, { _csrf: null })).status, 403);
  assert.equal((await row(id)).deleted_at, null);
});

test("problems answer 400 or 404 with the reason, and the text typed is kept", async () => {
  const { client } = await signedIn(app, db, "oops@example.org", ORIGIN);
  const empty = await client.post(`/papers/${PAPER}/comments`, { body: "   " });
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /Write something before posting/);
  const long = "x".repeat(10_001);
  const tooLong = await client.post(`/papers/${PAPER}/comments`, { body: long });
  assert.equal(tooLong.status, 400);
  const page = await tooLong.text();
  assert.match(page, /at most 10,000 characters/);
  assert.ok(page.includes(long), "the text is kept in the form");
  assert.equal((await client.post(`/papers/${PAPER}/comments`, { body: "x".repeat(10_000) })).status, 303);
  assert.equal((await client.post("/papers/2608.99999/comments", { body: "hi" })).status, 404);
  assert.equal((await client.post(`/papers/${PAPER}/comments`, { body: "hi", parent_id: "abc" })).status, 400);
  const otherPaper = await post(client, "on the other paper", undefined, OTHER);
  const cross = await client.post(`/papers/${PAPER}/comments`, { body: "hi", parent_id: String(otherPaper) });
  assert.equal(cross.status, 400);
  assert.equal((await client.post("/comments/999999/delete")).status, 404);
  assert.equal((await client.get("/comments/999999/edit")).status, 404);
});
