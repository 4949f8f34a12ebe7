// Submitting papers through the real app and database, with arXiv replaced by a local server that
// replays recorded API answers (dates moved to this week, so the age rule holds whenever the test
// runs): the form, each refusal shown with its message and status, a successful submission of an
// unknown paper, the JSON API with a Bearer token and with a session, CSRF, suspended readers, and
// the admin's rules page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { sql } from "kysely";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { type FixtureServer, fixture, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { createApiToken, setRole } from "../../accounts/users.ts";
import { submissionRules } from "../../community/submissions.ts";
import { getPaperByArxivId, upsertRecords } from "../../papers/store.ts";

const ORIGIN = "https://papers.example.org";
const TODAY = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

let db: TestDb;
let server: FixtureServer;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  // 2611.00417 as arXiv would describe it had it been submitted two days ago; hep-th/9711200 is from 1997.
  const recent = fixture("arxiv/api-id-v1.xml").replaceAll("2026-11-02T12:58:03-05:00", daysAgo(2));
  server = await startFixtureServer((req) => {
    const ids = req.query.get("id_list") ?? "";
    if (ids === "2611.00417" || ids === "hep-th/9711200") {
      return { body: recent, headers: { "content-type": "application/atom+xml; charset=utf-8" } };
    }
    return { file: "arxiv/api-empty.xml" };
  });
  ({ db, app, close } = await testApp({
    env: { BASE_URL: ORIGIN, ARXIV_API_URL: `${server.url}/api/query`, ARXIV_MIN_INTERVAL_MS: "0" },
  }));
});
after(async () => {
  await close();
  await server.close();
});

/** Papers already in the archive, submitted to arXiv `days` days ago. */
async function localPapers(n: number, days = 1): Promise<string[]> {
  const records = Array.from({ length: n }, () => paperRecord({ submittedAt: daysAgo(days) }));
  await upsertRecords(db, records);
  return records.map((r) => r.paper.arxivId);
}

test("the submit form: visitors are sent to sign in; readers see the rules and a form with CSRF", async () => {
  const visitor = await new TestClient(app, ORIGIN).get("/submit");
  assert.equal(visitor.status, 302);
  assert.equal(visitor.headers.get("location"), "/signin?next=%2Fsubmit");
  const { client } = await signedIn(app, db, "reader@example.org", ORIGIN);
  const res = await client.get("/submit");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Papers up to 14 days old can be submitted, 5 per person per day/);
  assert.match(html, /<form method="post" action="\/submit"/);
  assert.match(html, new RegExp(`name="_csrf" value="${client.csrf}"`));
  assert.match(html, /<label for="submit-id">arXiv id or URL<\/label>/);
  assert.match(html, new RegExp(`<input id="submit-day" name="day" type="date" value="${TODAY}"`));
});

test("an unknown paper is fetched from arXiv, featured today, and the reader lands on the day's page", async () => {
  const { client, user } = await signedIn(app, db, "finder@example.org", ORIGIN);
  const res = await client.post("/submit", { id: "https://arxiv.org/abs/2611.00417v1", day: "" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/papers/date/${TODAY}`);
  assert.equal(server.requests.at(-1)?.query.get("id_list"), "2611.00417");
  const paper = await getPaperByArxivId(db, "2611.00417");
  assert.ok(paper);
  const featuring = await db.kysely
    .selectFrom("featurings")
    .selectAll()
    .where("paper_id", "=", paper.id)
    .executeTakeFirstOrThrow();
  assert.equal(featuring.day, TODAY);
  assert.equal(featuring.source, "local");
  assert.equal(featuring.submitted_by, user.username);
  assert.equal(featuring.submitted_by_user_id, user.id);
  const day = await (await client.get(`/papers/date/${TODAY}`)).text();
  assert.match(day, /Retrieval-Augmented Decoding for Low-Resource Machine Translation/);
  assert.match(day, new RegExp(`Submitted by ${user.username}`));
});

test("each refusal is said on the form, with its status", async () => {
  const { client } = await signedIn(app, db, "refused@example.org", ORIGIN);
  const cases: [Record<string, string>, number, RegExp][] = [
    [{ id: "https://example.org/paper" }, 400, /is not an arXiv id or URL/],
    [{ id: "2611.99999" }, 404, /arXiv has no paper 2611.99999/],
    [
      { id: "hep-th/9711200" },
      422,
      /first appeared on arXiv on 1997-11-28, \d+ days ago; this instance takes papers up to 14 days old/,
    ],
    [{ id: "2611.00417" }, 409, new RegExp(`2611.00417 is already on Daily Papers for ${TODAY}`)],
    [{ id: "2611.00417", day: "2999-01-01" }, 400, /2999-01-01 has not come yet/],
  ];
  for (const [fields, status, message] of cases) {
    const res = await client.post("/submit", fields);
    assert.equal(res.status, status, JSON.stringify(fields));
    const html = await res.text();
    assert.match(html, /<p class="error" role="alert" id="submit-error"/);
    assert.match(html, message);
    assert.match(html, new RegExp(`value="${fields.id?.replace(/[./]/g, "\\$&")}"`), "what was typed is kept");
  }
  assert.equal(await getPaperByArxivId(db, "2611.99999"), undefined);
});

test("the per-day limit: the sixth submission of the day is refused with 429 and Retry-After", async () => {
  const { client } = await signedIn(app, db, "busy@example.org", ORIGIN);
  const ids = await localPapers(6);
  for (const id of ids.slice(0, 5)) assert.equal((await client.post("/submit", { id })).status, 303);
  const res = await client.post("/submit", { id: ids[5] as string });
  assert.equal(res.status, 429);
  assert.match(await res.text(), /You have made your 5 submissions for today; you can submit more tomorrow/);
  const retry = Number(res.headers.get("retry-after"));
  assert.ok(retry > 0 && retry <= 86_400);
});

test("a suspended reader cannot submit; a form without the CSRF token is refused", async () => {
  const [id] = (await localPapers(1)) as [string];
  const { client, user } = await signedIn(app, db, "banned@example.org", ORIGIN);
  assert.equal((await client.post("/submit", { _csrf: null, id })).status, 403);
  await sql`UPDATE users SET suspended_at = ${new Date().toISOString()}, suspended_reason = 'spam' WHERE id = ${user.id}`.execute(
    db.kysely,
  );
  const res = await client.post("/submit", { id });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Your account is suspended: spam/);
  const api = await client.postJson("/api/papers/submit", { id });
  assert.equal(api.status, 403);
  assert.equal(((await api.json()) as { reason: string }).reason, "suspended");
  const rows = await db.kysely
    .selectFrom("featurings")
    .select("id")
    .where("submitted_by_user_id", "=", user.id)
    .execute();
  assert.equal(rows.length, 0);
});

test("the JSON API: 201 {paper, day} with a Bearer token; refusals as {error, reason}", async () => {
  const { user } = await signedIn(app, db, "script@example.org", ORIGIN);
  const token = await createApiToken(db, user.id, "submissions");
  const api = new TestClient(app);
  const call = (body: string) =>
    api.request("/api/papers/submit", {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  const [a, b] = (await localPapers(2)) as [string, string];
  const yesterday = daysAgo(1).slice(0, 10);
  const created = await call(JSON.stringify({ id: `https://arxiv.org/abs/${a}`, date: yesterday }));
  assert.equal(created.status, 201);
  const body = (await created.json()) as { paper: { arxivId: string; title: string; featuredOn: string }; day: string };
  assert.equal(body.day, yesterday);
  assert.equal(body.paper.arxivId, a);
  assert.equal(body.paper.featuredOn, yesterday);
  assert.equal(body.paper.title, `A study of paper ${a}`);

  const refusals: [string, number, string][] = [
    [JSON.stringify({ id: a, date: yesterday }), 409, "duplicate"],
    [JSON.stringify({ id: "nonsense" }), 400, "invalid-id"],
    [JSON.stringify({ id: 2406.01234 }), 400, "invalid-id"],
    [JSON.stringify({ id: b, date: "yesterday" }), 400, "invalid-day"],
    [JSON.stringify({ id: b, date: 20261101 }), 400, "invalid-day"],
    [JSON.stringify({ id: "2611.99999" }), 404, "not-found"],
    ["not json", 400, "invalid-request"],
    ["[]", 400, "invalid-request"],
  ];
  for (const [payload, status, reason] of refusals) {
    const res = await call(payload);
    assert.equal(res.status, status, payload);
    const answer = (await res.json()) as { error: string; reason: string };
    assert.equal(answer.reason, reason, payload);
    assert.ok(answer.error.length > 10, payload);
  }
  assert.equal((await new TestClient(app).postJson("/api/papers/submit", { id: b })).status, 401);
  assert.equal((await call(JSON.stringify({ id: b }))).status, 201, "today by default");
});

test("the JSON API with a session needs X-CSRF-Token", async () => {
  const { client } = await signedIn(app, db, "browser@example.org", ORIGIN);
  const [id] = (await localPapers(1)) as [string];
  const without = await client.request("/api/papers/submit", {
    method: "POST",
    body: JSON.stringify({ id }),
    headers: { "content-type": "application/json", origin: ORIGIN },
  });
  assert.equal(without.status, 403);
  const res = await client.postJson("/api/papers/submit", { id });
  assert.equal(res.status, 201);
  assert.equal(((await res.json()) as { day: string }).day, TODAY);
});

test("the admin's submission rules page: admins only, validated, applied", async () => {
  const visitor = await new TestClient(app, ORIGIN).get("/admin/submission-rules");
  assert.equal(visitor.status, 302);
  const { client: member } = await signedIn(app, db, "member@example.org", ORIGIN);
  assert.equal((await member.get("/admin/submission-rules")).status, 403);
  assert.equal((await member.post("/admin/submission-rules", { maxAgeDays: "30", perUserPerDay: "9" })).status, 403);

  const { client: admin, user } = await signedIn(app, db, "admin@example.org", ORIGIN);
  await setRole(db, user.id, "admin");
  const page = await admin.get("/admin/submission-rules");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<label for="rule-maxAgeDays">Oldest paper, in days<\/label>/);
  assert.match(html, /name="maxAgeDays" type="number"[^>]*value="14"/);
  assert.match(html, /name="perUserPerDay" type="number"[^>]*value="5"/);

  const bad = await admin.post("/admin/submission-rules", { maxAgeDays: "-3", perUserPerDay: "9" });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /Oldest paper, in days must be a whole number from 1 to 3650/);
  assert.match(badHtml, /name="maxAgeDays"[^>]*value="-3"[^>]*aria-invalid="true"/);
  assert.deepEqual(await submissionRules(db), { maxAgeDays: 14, perUserPerDay: 5 });

  const ok = await admin.post("/admin/submission-rules", { maxAgeDays: "60", perUserPerDay: "9" });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /Submission rules saved/);
  assert.deepEqual(await submissionRules(db), { maxAgeDays: 60, perUserPerDay: 9 });
  assert.match(
    await (await admin.get("/submit")).text(),
    /Papers up to 60 days old can be submitted, 9 per person per day/,
  );
  await admin.post("/admin/submission-rules", { maxAgeDays: "14", perUserPerDay: "5" });
});

test("the 404 page of an unknown paper fetches it from arXiv for a signed-in reader", async () => {
  // Earlier tests submitted it; this one starts from an archive without it.
  await db.kysely
    .deleteFrom("featurings")
    .where("paper_id", "in", (eb) => eb.selectFrom("papers").select("id").where("arxiv_id", "=", "2611.00417"))
    .execute();
  await db.kysely.deleteFrom("papers").where("arxiv_id", "=", "2611.00417").execute();
  const anon = await new TestClient(app, ORIGIN).get("/papers/2611.00417");
  assert.equal(anon.status, 404);
  assert.match(await anon.text(), /Sign in<\/a> to fetch it from arXiv/);
  const { client } = await signedIn(app, db, "fetcher@example.org", ORIGIN);
  const page = await client.get("/papers/2611.00417");
  assert.match(await page.text(), /action="\/papers\/2611.00417\/fetch"/);
  assert.equal((await client.post("/papers/2611.00417/fetch", { _csrf: null })).status, 403, "CSRF token required");
  const res = await client.post("/papers/2611.00417/fetch");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/papers/2611.00417");
  assert.equal((await client.get("/papers/2611.00417")).status, 200);
  const missing = await client.post("/papers/2611.99999/fetch");
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /arXiv:/);
  assert.equal((await new TestClient(app, ORIGIN).post("/papers/2611.99998/fetch")).status, 401);
});
