// Authorship claims over HTTP (the real routes and database): a member claims one of a paper's
// author names, once; an admin approves it on /admin/claims and the decision is in the audit log;
// the approved claim shows on the paper page and the author page; a member who is not an admin
// cannot see the queue or decide (403), and a decision without the CSRF token is refused.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { setRole } from "../../accounts/users.ts";
import { upsertRecords } from "../../papers/store.ts";

const ORIGIN = "https://papers.example.org";

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, close } = await testApp({ env: { BASE_URL: ORIGIN } }));
  await upsertRecords(db, [
    paperRecord({ arxivId: "2608.40001", title: "Claimed paper", authors: ["Barbara Liskov", "Ada Lovelace"] }),
    paperRecord({ arxivId: "2608.40002", title: "Another paper", authors: ["Barbara Liskov"] }),
  ]);
});
after(() => close());

async function claimRows() {
  return db.kysely.selectFrom("authorship_claims").selectAll().orderBy("id").execute();
}

test("claim → admin approves → shown on the paper and author pages, with an audit entry", async () => {
  const member = await signedIn(app, db, "barbara@example.org", ORIGIN);
  const page = await (await member.client.get("/papers/2608.40001")).text();
  assert.match(page, /<form method="post" action="\/papers\/2608.40001\/claim"/);
  assert.match(page, /<option value="Barbara Liskov">Barbara Liskov<\/option>/);

  // A name that is not on the paper is refused.
  const wrong = await member.client.post("/papers/2608.40001/claim", { author: "Alan Turing" });
  assert.equal(wrong.status, 400);
  const res = await member.client.post("/papers/2608.40001/claim", { author: "Barbara Liskov" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/papers/2608.40001");
  assert.match(await (await member.client.get("/papers/2608.40001")).text(), /is waiting for an admin/);
  // Once per member per paper.
  const again = await member.client.post("/papers/2608.40001/claim", { author: "Ada Lovelace" });
  assert.equal(again.status, 400);
  const [claim] = await claimRows();
  assert.equal((await claimRows()).length, 1);
  assert.equal(claim?.status, "pending");
  assert.equal(claim?.author_name, "Barbara Liskov");

  // Nothing public before approval.
  const visitor = new TestClient(app, ORIGIN);
  assert.doesNotMatch(await (await visitor.get("/papers/2608.40001")).text(), /claimed by/);

  const admin = await signedIn(app, db, "admin@example.org", ORIGIN);
  await setRole(db, admin.user.id, "admin");
  const queue = await (await admin.client.get("/admin/claims")).text();
  assert.match(queue, /@barbara/);
  assert.match(queue, new RegExp(`action="/admin/claims/${claim?.id}/approve"`));

  const approved = await admin.client.post(`/admin/claims/${claim?.id}/approve`);
  assert.equal(approved.status, 303);
  assert.equal(approved.headers.get("location"), "/admin/claims");
  const [after] = await claimRows();
  assert.equal(after?.status, "approved");
  assert.equal(after?.decided_by, admin.user.id);
  const audit = await db.kysely.selectFrom("audit_log").selectAll().execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.action, "claim.approve");
  assert.equal(audit[0]?.actor_id, admin.user.id);
  assert.equal(audit[0]?.target_type, "authorship_claim");
  assert.equal(audit[0]?.target_id, String(claim?.id));
  assert.deepEqual(JSON.parse(audit[0]?.details ?? "{}"), {
    user: "barbara",
    paper: "2608.40001",
    author: "Barbara Liskov",
  });
  // Deciding again finds no pending claim and writes nothing.
  assert.equal((await admin.client.post(`/admin/claims/${claim?.id}/reject`)).status, 404);
  assert.equal((await db.kysely.selectFrom("audit_log").selectAll().execute()).length, 1);

  assert.match(await (await visitor.get("/papers/2608.40001")).text(), /Barbara Liskov<\/a>: claimed by @barbara/);
  assert.match(await (await visitor.get("/authors/Barbara%20Liskov")).text(), /claimed by @barbara/);
  assert.doesNotMatch(await (await visitor.get("/authors/Ada%20Lovelace")).text(), /claimed by/);
  assert.match(await (await member.client.get("/papers/2608.40001")).text(), /is approved/);
});

test("an admin can reject; a member who is not an admin gets 403; CSRF is checked", async () => {
  const member = await signedIn(app, db, "pretender@example.org", ORIGIN);
  assert.equal((await member.client.post("/papers/2608.40002/claim", { author: "Barbara Liskov" })).status, 303);
  const claim = (await claimRows()).find((r) => r.status === "pending");
  assert.ok(claim);

  assert.equal((await member.client.get("/admin/claims")).status, 403);
  assert.equal((await member.client.post(`/admin/claims/${claim.id}/approve`)).status, 403);
  const visitor = new TestClient(app, ORIGIN);
  assert.equal((await visitor.get("/admin/claims")).status, 302, "visitors are sent to sign in");
  assert.equal((await visitor.post(`/admin/claims/${claim.id}/approve`)).status, 401);
  assert.equal((await visitor.post("/papers/2608.40002/claim", { author: "Barbara Liskov" })).status, 401);

  const admin = await signedIn(app, db, "admin2@example.org", ORIGIN);
  await setRole(db, admin.user.id, "admin");
  assert.equal((await admin.client.post(`/admin/claims/${claim.id}/approve`, { _csrf: null })).status, 403);
  assert.equal((await claimRows()).find((r) => r.id === claim.id)?.status, "pending");

  assert.equal((await admin.client.post(`/admin/claims/${claim.id}/reject`)).status, 303);
  assert.equal((await claimRows()).find((r) => r.id === claim.id)?.status, "rejected");
  const actions = (await db.kysely.selectFrom("audit_log").select("action").execute()).map((r) => r.action);
  assert.ok(actions.includes("claim.reject"));
  assert.match(await (await member.client.get("/papers/2608.40002")).text(), /is not approved/);
  assert.doesNotMatch(await (await visitor.get("/papers/2608.40002")).text(), /claimed by @pretender/);
  assert.equal((await member.client.post("/papers/2699.99999/claim", { author: "X" })).status, 404);
});
