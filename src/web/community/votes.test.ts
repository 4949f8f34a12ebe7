// Upvotes through the real app and database: 50 readers voting at the same moment give exactly 50;
// one reader's concurrent toggles stay consistent; the vote button's markup for anonymous,
// signed-in and suspended readers; redirects back; CSRF; anonymous and suspended refusals; the
// JSON API with a session or a Bearer token; and the trending order following the votes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { sql } from "kysely";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { createApiToken } from "../../accounts/users.ts";
import { getPaperByArxivId, upsertRecords } from "../../papers/store.ts";

const ORIGIN = "https://papers.example.org";
/** Yesterday (UTC): the featured day of the papers here, so their trending scores are current. */
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, close } = await testApp({ env: { BASE_URL: ORIGIN } }));
  const featured = (upvotes: number) => ({ day: DAY, upvotes, submittedAt: `${DAY}T08:00:00.000Z` });
  await upsertRecords(db, [
    paperRecord({ arxivId: "2611.30001", title: "Crowded paper" }, featured(3)),
    paperRecord({ arxivId: "2611.30002", title: "Toggled paper" }, featured(1)),
    paperRecord({ arxivId: "2611.30003", title: "Quiet paper" }, featured(0)),
    paperRecord({ arxivId: "2611.30004", title: "Leader" }, featured(2)),
    paperRecord({ arxivId: "2611.30005", title: "Challenger" }, featured(1)),
    paperRecord({ arxivId: "hep-th/9901001", title: "Old-style paper" }),
  ]);
});
after(() => close());

async function paperId(arxivId: string): Promise<number> {
  const row = await getPaperByArxivId(db, arxivId);
  assert.ok(row, arxivId);
  return row.id;
}

async function counts(arxivId: string) {
  const id = await paperId(arxivId);
  const votes = await db.kysely
    .selectFrom("votes")
    .select(sql<number>`count(*)`.as("n"))
    .where("paper_id", "=", id)
    .executeTakeFirstOrThrow();
  const signals = await db.kysely
    .selectFrom("paper_signals")
    .select(["upvotes", "trending"])
    .where("paper_id", "=", id)
    .executeTakeFirst();
  return { votes: Number(votes.n), upvotes: signals?.upvotes ?? 0, trending: signals?.trending ?? 0 };
}

/** The vote control of one paper in a page's HTML. */
function voteControl(html: string, arxivId: string, title = ""): string {
  const form = new RegExp(`<form class="votes"[^>]*action="/papers/${arxivId}/vote"[\\s\\S]*?</form>`).exec(html);
  if (form) return form[0];
  const link = new RegExp(`<a class="votes[^"]*"[^>]*aria-label="Sign in to upvote ${title} [^>]*>[\\s\\S]*?</a>`).exec(
    html,
  );
  return link?.[0] ?? "";
}

test("50 readers upvoting at the same moment give exactly 50 votes, in the rows, the signals and the page", async () => {
  const clients = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => (await signedIn(app, db, `crowd${i}@example.org`, ORIGIN)).client),
  );
  const responses = await Promise.all(
    clients.map((client) => client.post("/papers/2611.30001/vote", { on: "1" }, { referer: `${ORIGIN}/` })),
  );
  assert.deepEqual(
    responses.map((r) => r.status),
    Array(50).fill(303),
  );
  assert.ok(
    responses.every((r) => r.headers.get("location") === "/"),
    "back to the page the vote came from",
  );
  const after = await counts("2611.30001");
  assert.equal(after.votes, 50);
  assert.equal(after.upvotes, 53, "3 imported + 50 local");

  const html = await (await new TestClient(app, ORIGIN).get("/papers/2611.30001")).text();
  assert.match(voteControl(html, "2611.30001", "Crowded paper"), /<span class="count">53<\/span>/);
  const mine = await (await (clients[0] as TestClient).get("/papers/2611.30001")).text();
  const control = voteControl(mine, "2611.30001");
  assert.match(control, /aria-pressed="true"/);
  assert.match(control, /aria-label="Remove upvote from Crowded paper"/);
  assert.match(control, /<span class="count">53<\/span>/);
  assert.match(control, /name="on" value="0"/);
});

test("21 concurrent toggles by one reader end consistent: the row is there exactly when counted", async () => {
  const { client, user } = await signedIn(app, db, "toggler@example.org", ORIGIN);
  const responses = await Promise.all(
    Array.from({ length: 21 }, () => client.postJson("/api/papers/2611.30002/vote", {})),
  );
  assert.ok(responses.every((r) => r.status === 200));
  const bodies = (await Promise.all(responses.map((r) => r.json()))) as { upvotes: number; voted: boolean }[];
  assert.equal(bodies.filter((b) => b.voted).length, 11, "each toggle saw the one before it");
  for (const b of bodies) assert.equal(b.upvotes, b.voted ? 2 : 1);
  const row = await db.kysely
    .selectFrom("votes")
    .select("user_id")
    .where("user_id", "=", user.id)
    .where("paper_id", "=", await paperId("2611.30002"))
    .execute();
  assert.equal(row.length, 1, "21 toggles from nothing: voted");
  const after = await counts("2611.30002");
  assert.equal(after.votes, 1);
  assert.equal(after.upvotes, 1 + after.votes);
});

test("the vote button: a form with the CSRF field for readers, a sign-in link for visitors", async () => {
  const anonymous = await (await new TestClient(app, ORIGIN).get("/")).text();
  const link = voteControl(anonymous, "2611.30003", "Quiet paper");
  assert.match(link, /href="\/signin\?next=%2F"/);
  assert.match(link, /aria-label="Sign in to upvote Quiet paper \(0 upvotes\)"/);
  assert.match(link, /<span class="count">0<\/span>/);
  assert.doesNotMatch(anonymous, /vote\.js/);

  const { client } = await signedIn(app, db, "reader@example.org", ORIGIN);
  const html = await (await client.get("/")).text();
  const form = voteControl(html, "2611.30003");
  assert.match(form, /method="post"/);
  assert.match(form, new RegExp(`name="_csrf" value="${client.csrf}"`));
  assert.match(form, /<button type="submit" class="vote" aria-pressed="false" aria-label="Upvote Quiet paper">/);
  assert.match(form, /name="on" value="1"/);
  assert.equal(html.match(/<script src="\/static\/vote\.js\?v=\w+" defer=""><\/script>/g)?.length, 1, "vote.js once");
  assert.equal((await client.get("/static/vote.js")).status, 200);

  const old = await (await client.get("/api/papers/hep-th/9901001")).json();
  assert.equal((old as { id: string }).id, "hep-th/9901001");
  const res = await client.post("/papers/hep-th/9901001/vote", {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/papers/hep-th/9901001", "no Referer: to the paper page");
  assert.equal((await counts("hep-th/9901001")).votes, 1);
});

test("a vote from another site's page goes back to the paper page, not there", async () => {
  const { client } = await signedIn(app, db, "referer@example.org", ORIGIN);
  const res = await client.post("/papers/2611.30003/vote", { on: "1" }, { referer: "https://evil.example/x" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/papers/2611.30003");
  const off = await client.post("/papers/2611.30003/vote", { on: "0" }, { referer: `${ORIGIN}/trending?page=1` });
  assert.equal(off.headers.get("location"), "/trending?page=1");
  assert.equal((await counts("2611.30003")).votes, 0);
  assert.equal((await client.post("/papers/2611.99999/vote", { on: "1" })).status, 404);
});

test("CSRF: a vote without the session's token, or from another site, is refused and changes nothing", async () => {
  const { client } = await signedIn(app, db, "csrf@example.org", ORIGIN);
  const before = await counts("2611.30003");
  assert.equal((await client.post("/papers/2611.30003/vote", { _csrf: null, on: "1" })).status, 403);
  assert.equal((await client.post("/papers/2611.30003/vote", { _csrf: "forged", on: "1" })).status, 403);
  assert.equal(
    (await client.post("/papers/2611.30003/vote", { on: "1" }, { origin: "https://evil.example" })).status,
    403,
  );
  const api = await client.request("/api/papers/2611.30003/vote", {
    method: "POST",
    body: JSON.stringify({ on: true }),
    headers: { "content-type": "application/json", origin: ORIGIN },
  });
  assert.equal(api.status, 403);
  assert.deepEqual(await counts("2611.30003"), before);
});

test("anonymous votes: the form sends the visitor to sign in and back; the API answers 401", async () => {
  const visitor = new TestClient(app, ORIGIN);
  const res = await visitor.post("/papers/2611.30003/vote", { on: "1" }, { referer: `${ORIGIN}/papers/date/${DAY}` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/signin?next=${encodeURIComponent(`/papers/date/${DAY}`)}`);
  const api = await visitor.postJson("/api/papers/2611.30003/vote", { on: true });
  assert.equal(api.status, 401);
  assert.match(((await api.json()) as { error: string }).error, /Bearer/);
  assert.equal((await counts("2611.30003")).votes, 0);
});

test("a suspended reader cannot vote, by form or API, and sees the count without a button", async () => {
  const { client, user } = await signedIn(app, db, "suspended@example.org", ORIGIN);
  await sql`UPDATE users SET suspended_at = ${new Date().toISOString()}, suspended_reason = 'spam' WHERE id = ${user.id}`.execute(
    db.kysely,
  );
  const form = await client.post("/papers/2611.30003/vote", { on: "1" });
  assert.equal(form.status, 403);
  assert.match(await form.text(), /suspended: spam/);
  const api = await client.postJson("/api/papers/2611.30003/vote", { on: true });
  assert.equal(api.status, 403);
  assert.equal((await counts("2611.30003")).votes, 0);
  const html = await (await client.get("/papers/2611.30003")).text();
  assert.doesNotMatch(html, /action="\/papers\/2611.30003\/vote"/);
  assert.match(html, /<div class="votes" title="0 upvotes">/);
});

test("the JSON API: set, clear and toggle with a Bearer token; bad bodies and unknown papers", async () => {
  const { user } = await signedIn(app, db, "script@example.org", ORIGIN);
  const token = await createApiToken(db, user.id, "votes");
  const api = new TestClient(app);
  const call = (path: string, body: string | null) =>
    api.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === null ? {} : { body }),
    });
  const on = await call("/api/papers/2611.30003/vote", JSON.stringify({ on: true }));
  assert.equal(on.status, 200);
  assert.deepEqual(await on.json(), { upvotes: 1, voted: true });
  assert.deepEqual(await (await call("/api/papers/2611.30003/vote", JSON.stringify({ on: true }))).json(), {
    upvotes: 1,
    voted: true,
  });
  assert.deepEqual(await (await call("/api/papers/2611.30003/vote", null)).json(), { upvotes: 0, voted: false });
  assert.deepEqual(await (await call("/api/papers/2611.30003/vote", "{}")).json(), { upvotes: 1, voted: true });
  assert.deepEqual(await (await call("/api/papers/2611.30003/vote", JSON.stringify({ on: false }))).json(), {
    upvotes: 0,
    voted: false,
  });
  const oldStyle = await counts("hep-th/9901001");
  assert.deepEqual(await (await call("/api/papers/hep-th/9901001/vote", JSON.stringify({ on: true }))).json(), {
    upvotes: oldStyle.upvotes + 1,
    voted: true,
  });
  const bad = await call("/api/papers/2611.30003/vote", JSON.stringify({ on: "yes" }));
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { parameter: string }).parameter, "on");
  assert.equal((await call("/api/papers/2611.30003/vote", "not json")).status, 400);
  assert.equal((await call("/api/papers/not-an-id/vote", "{}")).status, 400);
  const missing = await call("/api/papers/2611.99999/vote", "{}");
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /not found/);
  assert.equal((await counts("2611.30003")).votes, 0);
});

test("votes move the trending score and the trending order", async () => {
  const order = async () => {
    const body = (await (await app.request("/api/trending?limit=50")).json()) as {
      items: { paper: { arxivId: string } }[];
    };
    const ids = body.items.map((i) => i.paper.arxivId);
    return { leader: ids.indexOf("2611.30004"), challenger: ids.indexOf("2611.30005") };
  };
  const before = await order();
  assert.ok(before.leader < before.challenger, "2 imported upvotes above 1");
  const scoreBefore = (await counts("2611.30005")).trending;
  for (const email of ["fan1@example.org", "fan2@example.org"]) {
    const { client } = await signedIn(app, db, email, ORIGIN);
    assert.equal((await client.postJson("/api/papers/2611.30005/vote", { on: true })).status, 200);
  }
  const afterVotes = await counts("2611.30005");
  assert.equal(afterVotes.upvotes, 3);
  assert.ok(afterVotes.trending > scoreBefore, "the stored score rose with the votes");
  const now = await order();
  assert.ok(now.challenger < now.leader, "3 upvotes now above 2");
});
