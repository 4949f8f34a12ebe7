// Sign-in by email link, sessions, API tokens and CSRF, through the real routes and database, with
// mail delivered to an SMTP server running in the test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { startSmtp, type TestSmtp } from "../../../test/helpers/smtp.ts";
import { csrfFrom, signedIn, TestClient } from "../../../test/helpers/web.ts";
import { createLoginToken } from "../../accounts/users.ts";
import { loadConfig } from "../../config/config.ts";
import { createMailTransport, type MailTransport } from "../../mail/transport.ts";
import { SearchRuntime } from "../../search/runtime.ts";
import { createApp } from "../app.tsx";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let smtp: TestSmtp;
let mail: MailTransport;
let runtime: SearchRuntime;
let app: ReturnType<typeof createApp>;

before(async () => {
  db = await testDb();
  dir = tempDir();
  smtp = await startSmtp();
  const config = loadConfig({
    DATA_DIR: dir.path,
    DEMO_DATA: "off",
    BASE_URL: "https://papers.example.org",
    MAIL_URL: smtp.url,
    MAIL_FROM: "Paperboy <papers@example.org>",
  });
  mail = createMailTransport(config.mailUrl);
  runtime = new SearchRuntime(db, config);
  app = createApp({ db, config, search: runtime, mail });
});
after(async () => {
  await mail.close();
  await smtp.close();
  await runtime.stop();
  await db.close();
  dir.remove();
});

const ORIGIN = "https://papers.example.org";

async function requestLink(client: TestClient, email: string): Promise<string> {
  const before = smtp.received.length;
  const res = await client.post("/signin", { email }, { origin: ORIGIN });
  assert.equal(res.status, 200);
  const [message] = (await smtp.waitFor(before + 1)).slice(before);
  const link = /https:\/\/papers\.example\.org\/signin\/verify\?token=[\w-]+/.exec(message?.parsed.text ?? "")?.[0];
  assert.ok(link, "the mail carries a sign-in link");
  return link.replace("https://papers.example.org", "");
}

test("sign-in by email link: the mail arrives over SMTP, the link signs in once, the cookie is safe", async () => {
  const client = new TestClient(app, ORIGIN);
  const path = await requestLink(client, "  Reader@Example.ORG ");
  const message = smtp.received.at(-1);
  assert.deepEqual(message?.envelopeTo, ["reader@example.org"]);
  assert.equal(message?.parsed.subject, "Your Paperboy sign-in link");
  assert.match(message?.parsed.from?.text ?? "", /papers@example.org/);
  assert.ok(message?.parsed.html, "multipart with an HTML part");
  const logged = await db.kysely
    .selectFrom("mail_log")
    .selectAll()
    .where("recipient", "=", "reader@example.org")
    .execute();
  assert.equal(logged.length, 1);
  assert.equal(logged[0]?.status, "sent");

  // Opening the link changes nothing: it shows a button (mail scanners follow links).
  const page = await client.get(path);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<button type="submit">Sign in<\/button>/);
  assert.equal(client.cookies.size, 0);

  const token = new URL(path, ORIGIN).searchParams.get("token") ?? "";
  const res = await client.post("/signin/verify", { token }, { origin: ORIGIN });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/settings?welcome=1");
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("pb_session="));
  assert.match(cookie ?? "", /HttpOnly/);
  assert.match(cookie ?? "", /SameSite=Lax/);
  assert.match(cookie ?? "", /Secure/, "BASE_URL is https");
  const settings = await client.get("/settings");
  assert.equal(settings.status, 200);
  assert.match(await settings.text(), /Signed in as reader@example.org/);

  // The same link a second time does not work.
  const again = new TestClient(app, ORIGIN);
  const reuse = await again.post("/signin/verify", { token }, { origin: ORIGIN });
  assert.equal(reuse.status, 400);
  assert.match(await reuse.text(), /already been used/);
  assert.equal(again.cookies.size, 0);
});

test("the answer is the same for a known and an unknown address", async () => {
  await signedIn(app, db, "known@example.org", ORIGIN);
  const a = await new TestClient(app, ORIGIN).post("/signin", { email: "known@example.org" }, { origin: ORIGIN });
  const b = await new TestClient(app, ORIGIN).post("/signin", { email: "nobody@example.org" }, { origin: ORIGIN });
  assert.equal(a.status, b.status);
  const strip = (t: string) => t.replace(/known@example\.org|nobody@example\.org/g, "ADDRESS");
  assert.equal(strip(await a.text()), strip(await b.text()));
});

test("an expired link and a made-up link do not sign in", async () => {
  const token = await createLoginToken(db, "late@example.org", null, new Date(Date.now() - 16 * 60_000));
  const client = new TestClient(app, ORIGIN);
  const page = await client.get(`/signin/verify?token=${token}`);
  assert.equal(page.status, 400);
  assert.match(await page.text(), /expired/);
  const res = await client.post("/signin/verify", { token }, { origin: ORIGIN });
  assert.equal(res.status, 400);
  assert.equal((await client.post("/signin/verify", { token: "made-up" }, { origin: ORIGIN })).status, 400);
  assert.equal(client.cookies.size, 0);
});

test("bad addresses get a clear error; too many requests per address are refused with 429", async () => {
  const client = new TestClient(app, ORIGIN);
  const bad = await client.post("/signin", { email: "not-an-address" }, { origin: ORIGIN });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /is not an email address/);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    statuses.push((await client.post("/signin", { email: "flood@example.org" }, { origin: ORIGIN })).status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
});

test("sign out everywhere ends every session, including a stolen cookie", async () => {
  const { client: laptop, user } = await signedIn(app, db, "owner@example.org", ORIGIN);
  const stolen = new TestClient(app, ORIGIN);
  const { client: phone } = await signedIn(app, db, "owner@example.org", ORIGIN);
  stolen.cookies.set("pb_session", phone.cookies.get("pb_session") ?? "");
  assert.equal((await stolen.get("/api/me")).status, 200);

  const res = await laptop.post("/signout/everywhere", {}, { origin: ORIGIN });
  assert.equal(res.status, 303);
  assert.equal((await stolen.get("/api/me")).status, 401);
  assert.equal((await phone.get("/api/me")).status, 401);
  assert.equal((await laptop.get("/api/me")).status, 401);
  const left = await db.kysely.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
  assert.equal(left.length, 0);
});

test("CSRF: a form without the session's token, or from another site, changes nothing", async () => {
  const { client } = await signedIn(app, db, "csrf@example.org", ORIGIN);
  const noToken = await client.post("/settings/profile", { _csrf: null, username: "hacked", display_name: "x" });
  assert.equal(noToken.status, 403);
  const wrong = await client.post("/settings/profile", { _csrf: "wrong", username: "hacked", display_name: "x" });
  assert.equal(wrong.status, 403);
  const crossSite = await client.post(
    "/settings/profile",
    { username: "hacked", display_name: "x" },
    { origin: "https://evil.example" },
  );
  assert.equal(crossSite.status, 403);
  const fetchMeta = await client.post(
    "/settings/profile",
    { username: "hacked", display_name: "x" },
    { "sec-fetch-site": "cross-site" },
  );
  assert.equal(fetchMeta.status, 403);
  const user = await db.kysely
    .selectFrom("users")
    .select("username")
    .where("email", "=", "csrf@example.org")
    .executeTakeFirst();
  assert.equal(user?.username, "csrf");

  const page = await client.get("/settings");
  const csrf = csrfFrom(await page.text());
  assert.equal(csrf, client.csrf, "forms carry the session's token");
  const ok = await client.post("/settings/profile", { username: "csrf-reader", display_name: "C. Reader" });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /Profile saved/);
});

test("profile: bad and taken usernames are refused with a clear message", async () => {
  await signedIn(app, db, "taken@example.org", ORIGIN);
  const { client } = await signedIn(app, db, "profile@example.org", ORIGIN);
  const bad = await client.post("/settings/profile", { username: "No Spaces!", display_name: "P" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /lower-case letters/);
  const taken = await client.post("/settings/profile", { username: "taken", display_name: "P" });
  assert.equal(taken.status, 400);
  assert.match(await taken.text(), /is taken/);
});

test("API tokens: shown once, work as Bearer, stop working when revoked; stored hashed", async () => {
  const { client } = await signedIn(app, db, "script@example.org", ORIGIN);
  const res = await client.post("/settings/tokens", { name: "my script" });
  const token = /<code>(pb_[\w-]+)<\/code>/.exec(await res.text())?.[1];
  assert.ok(token);
  const again = await (await client.get("/settings")).text();
  assert.doesNotMatch(again, new RegExp(token), "never shown again");
  const stored = await db.kysely.selectFrom("api_tokens").select("token_hash").execute();
  assert.ok(stored.every((r) => r.token_hash !== token && r.token_hash.length === 64));

  const api = new TestClient(app);
  const me = await api.get("/api/me", { authorization: `Bearer ${token}` });
  assert.equal(me.status, 200);
  assert.equal(((await me.json()) as { via: string }).via, "token");
  const id = (await db.kysely.selectFrom("api_tokens").select("id").where("name", "=", "my script").executeTakeFirst())
    ?.id;
  assert.equal((await client.post(`/settings/tokens/${id}/revoke`)).status, 200);
  assert.equal((await api.get("/api/me", { authorization: `Bearer ${token}` })).status, 401);
  assert.equal((await api.get("/api/me", { authorization: "Bearer pb_forged" })).status, 401);
});

test("a suspended user can read but not write", async () => {
  const { client, user } = await signedIn(app, db, "suspended@example.org", ORIGIN);
  await sql`UPDATE users SET suspended_at = ${new Date().toISOString()}, suspended_reason = 'spam' WHERE id = ${user.id}`.execute(
    db.kysely,
  );
  assert.equal((await client.get("/settings")).status, 200);
  const res = await client.post("/settings/tokens", { name: "x" });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /suspended: spam/);
});

test("pages that need an account send anonymous visitors to sign in", async () => {
  const res = await new TestClient(app).get("/settings");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/signin?next=%2Fsettings");
  assert.equal((await new TestClient(app).get("/api/me")).status, 401);
});
