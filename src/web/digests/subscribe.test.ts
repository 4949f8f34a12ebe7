// The digest pages as a subscriber meets them, over HTTP with mail received by a real SMTP server:
// the subscribe box (one page whatever the address's state; only a confirmation is sent), the
// confirmation link (a button, works once), signed manage links (good and bad tokens, named
// validation errors), RFC 8058 one-click unsubscribe without cookie or Origin (and no mail of any
// kind afterwards), account settings, and the box's rate limit.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { startSmtp, type TestSmtp } from "../../../test/helpers/smtp.ts";
import { csrfFrom, signedIn, TestClient } from "../../../test/helpers/web.ts";
import { findOrCreateUser } from "../../accounts/users.ts";
import { loadConfig } from "../../config/config.ts";
import { ComposeContext, scheduleDue } from "../../digests/ledger.ts";
import { runSender } from "../../digests/sender.ts";
import { manageToken, subscribe, subscriberByEmail, suppress } from "../../digests/subscribers.ts";
import { createMailTransport, type MailTransport } from "../../mail/transport.ts";
import { upsertRecords } from "../../papers/store.ts";
import { SearchRuntime } from "../../search/runtime.ts";
import { createApp } from "../app.tsx";

const ORIGIN = "https://papers.example.org";
const DAY = 86_400_000;
let db: TestDb;
let smtp: TestSmtp;
let mail: MailTransport;
let dir: ReturnType<typeof tempDir>;
let runtime: SearchRuntime;
let app: Hono;
const config = loadConfig({
  DEMO_DATA: "off",
  BASE_URL: ORIGIN,
  MAIL_FROM: "Paperboy <papers@example.org>",
  SECRET_KEY: "s".repeat(40),
  TRUST_PROXY: "true",
});

before(async () => {
  smtp = await startSmtp();
  mail = createMailTransport(smtp.url, { maxConnections: 2 });
  dir = tempDir();
});
after(async () => {
  await mail.close();
  await smtp.close();
  dir.remove();
});
beforeEach(async () => {
  db = await testDb();
  smtp.received.length = 0;
  smtp.reply = () => undefined;
  const records = [];
  for (let i = 1; i <= 12; i++) {
    const id = `2611.${String(i).padStart(5, "0")}`;
    records.push(paperRecord({ arxivId: id, title: `Trending paper ${i}` }, { day: "2026-11-26", upvotes: 50 - i }));
  }
  await upsertRecords(db, records);
  runtime = new SearchRuntime(db, { ...config, dataDir: dir.path });
  app = createApp({ db, config, search: runtime, mail });
});
afterEach(async () => {
  await runtime.stop();
  await db.close();
});

/** Makes whatever editions are due `days` from now and sends them. */
async function deliverIn(days: number) {
  const at = new Date(Date.now() + days * DAY);
  await scheduleDue(db, config, new ComposeContext(db, null), at);
  return runSender({
    db,
    config,
    transport: mail,
    concurrency: 1,
    ratePerSecond: 1000,
    pauseAfter: 5,
    stopWhenIdle: true,
    now: () => at,
  });
}

/** A little time for any mail in flight to arrive (the box sends before it answers). */
const settle = () => new Promise((r) => setTimeout(r, 150));

async function activeSubscriber(email: string) {
  const user = await findOrCreateUser(db, email);
  await subscribe(db, mail, config, { email, userId: user.id });
  const sub = await subscriberByEmail(db, email);
  assert.ok(sub);
  return { sub, token: await manageToken(db, config, sub.id) };
}

const prefsForm = (over: Record<string, string> = {}) => ({
  frequency: "weekly",
  weekly_day: "5",
  delivery_hour: "9",
  time_zone: "Europe/Paris",
  trending: "3",
  follows: "1",
  max_papers: "7",
  ...over,
});

test("the box sends one confirmation, and its page is the same for new, active, suppressed and repeated addresses", async () => {
  const anon = new TestClient(app, ORIGIN);
  await activeSubscriber("active@example.org");
  await suppress(db, "gone@example.org", "bounce");
  const pages: string[] = [];
  for (const email of ["new@example.org", "active@example.org", "gone@example.org", "new@example.org"]) {
    const res = await anon.post("/subscribe", { email });
    assert.equal(res.status, 200, email);
    pages.push((await res.text()).replaceAll(email, "ADDRESS"));
  }
  assert.match(pages[0] ?? "", /Check your inbox/);
  for (const page of pages) assert.equal(page, pages[0], "the page reveals nothing about the address");
  await settle();
  assert.equal(smtp.received.length, 1, "one confirmation, to the new address only");
  const [m] = smtp.received;
  assert.deepEqual(m?.envelopeTo, ["new@example.org"]);
  assert.equal(m?.parsed.subject, "Confirm your Paperboy digest");

  const bad = await anon.post("/subscribe", { email: "not an address" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /&quot;not an address&quot; is not an email address\./);
});

test("only the confirmation is sent before confirming; the confirm link is a button and works once", async () => {
  const anon = new TestClient(app, ORIGIN);
  await anon.post("/subscribe", { email: "reader@example.org" });
  const [confirmation] = await smtp.waitFor(1);
  const link = /https:\/\/papers\.example\.org(\/subscribe\/confirm\?token=[\w-]+)/.exec(
    confirmation?.parsed.text ?? "",
  );
  assert.ok(link?.[1]);
  const token = new URL(link[1], ORIGIN).searchParams.get("token") ?? "";

  const page = await anon.get(link[1]);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<form method="post" action="\/subscribe\/confirm">/);
  assert.equal((await subscriberByEmail(db, "reader@example.org"))?.status, "pending", "GET changes nothing");
  assert.equal((await deliverIn(2)).sent, 0);
  assert.equal(smtp.received.length, 1, "nothing but the confirmation before confirming");

  const confirmed = await anon.post("/subscribe/confirm", { token });
  assert.equal(confirmed.status, 200);
  const html = await confirmed.text();
  assert.match(html, /You are subscribed/);
  const sub = await subscriberByEmail(db, "reader@example.org");
  assert.equal(sub?.status, "active");
  assert.ok(html.includes(`/digest/manage?s=${sub?.id}&amp;t=${await manageToken(db, config, sub?.id ?? 0)}`));

  assert.equal((await anon.post("/subscribe/confirm", { token })).status, 400, "a confirm link works once");
  assert.equal((await anon.get(link[1])).status, 404);
  assert.equal((await deliverIn(2)).sent, 1, "once confirmed, the digest comes");
});

test("manage links: a bad token is refused and changes nothing; refused values are named; good ones are saved", async () => {
  const { sub, token } = await activeSubscriber("prefs@example.org");
  const anon = new TestClient(app, ORIGIN);
  const good = `/digest/manage?s=${sub.id}&t=${token}`;
  const badToken = `/digest/manage?s=${sub.id}&t=${token.slice(0, -2)}xx`;
  const before = await db.kysely.selectFrom("subscribers").selectAll().where("id", "=", sub.id).executeTakeFirst();

  const page = await anon.get(good);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<option value="Europe\/Paris"/);
  assert.match(html, /<option value="UTC" selected/);
  assert.equal(page.headers.get("cache-control"), "no-store");

  const refused = await anon.get(badToken);
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /This link is not valid/);
  assert.equal((await anon.get(`/digest/manage?s=abc&t=${token}`)).status, 404);
  assert.equal((await anon.post(badToken, prefsForm())).status, 403);
  assert.equal((await anon.post(`/digest/manage?s=${sub.id + 1}&t=${token}`, prefsForm())).status, 403);

  const mars = await anon.post(good, prefsForm({ time_zone: "Mars/Olympus" }));
  assert.equal(mars.status, 400);
  const marsHtml = await mars.text();
  assert.match(marsHtml, /<a href="#time_zone">Time zone<\/a>: &quot;Mars\/Olympus&quot; is not a time zone/);
  assert.match(marsHtml, /id="time_zone" name="time_zone" aria-invalid="true"/);
  const late = await anon.post(good, prefsForm({ delivery_hour: "25" }));
  assert.equal(late.status, 400);
  assert.match(await late.text(), /Delivery hour<\/a>: The delivery hour must be a whole hour from 0 to 23\./);
  const blank = await anon.post(good, prefsForm({ max_papers: "" }));
  assert.match(await blank.text(), /Most papers per email<\/a>: The most papers per email must be 1 to 50\./);
  const unchanged = await db.kysely.selectFrom("subscribers").selectAll().where("id", "=", sub.id).executeTakeFirst();
  assert.deepEqual(unchanged, before, "refused requests change nothing");

  const saved = await anon.post(good, prefsForm());
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get("location"), `${good}&saved=1`);
  const after = await subscriberByEmail(db, "prefs@example.org");
  assert.deepEqual(after?.prefs, {
    frequency: "weekly",
    weekdaysOnly: false,
    weeklyDay: 5,
    deliveryHour: 9,
    timeZone: "Europe/Paris",
  });
  assert.deepEqual(after?.sections, { trending: 3, follows: true, savedSearches: false, collections: false });
  assert.equal(after?.maxPapers, 7);
  const shown = await (await anon.get(`${good}&saved=1`)).text();
  assert.match(shown, /Preferences saved\./);
  assert.match(shown, /<option value="Europe\/Paris" selected/);
});

test("RFC 8058 one-click: a bare POST unsubscribes and suppresses; afterwards no digest and no confirmation", async () => {
  const { sub, token } = await activeSubscriber("leaving@example.org");
  const url = `/digest/unsubscribe?s=${sub.id}&t=${token}`;
  const oneClick = (path: string) =>
    app.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });

  const page = await new TestClient(app, ORIGIN).get(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<form method="post" action="\/digest\/unsubscribe\?s=\d+&amp;t=[\w-]+">/);
  assert.equal((await subscriberByEmail(db, "leaving@example.org"))?.status, "active", "GET changes nothing");

  const forged = await oneClick(`/digest/unsubscribe?s=${sub.id}&t=${"A".repeat(token.length)}`);
  assert.equal(forged.status, 403);
  assert.equal((await subscriberByEmail(db, "leaving@example.org"))?.status, "active");

  const res = await oneClick(url);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /You are unsubscribed/);
  assert.equal((await subscriberByEmail(db, "leaving@example.org"))?.status, "unsubscribed");
  const suppression = await db.kysely.selectFrom("suppressions").selectAll().executeTakeFirst();
  assert.equal(suppression?.email, "leaving@example.org");
  assert.equal(suppression?.reason, "unsubscribe");
  assert.equal((await oneClick(url)).status, 200, "a repeated one-click is answered the same");

  assert.equal((await deliverIn(2)).sent, 0);
  const again = await new TestClient(app, ORIGIN).post("/subscribe", { email: "leaving@example.org" });
  assert.equal(again.status, 200);
  assert.match(await again.text(), /Check your inbox/);
  assert.equal((await deliverIn(3)).sent, 0);
  await settle();
  assert.equal(smtp.received.length, 0, "no digest and no confirmation to a suppressed address");
});

test("account settings: subscribe at once with the account's address, change preferences, unsubscribe", async () => {
  assert.equal((await new TestClient(app, ORIGIN).get("/settings/digest")).status, 302);
  const { client, user } = await signedIn(app, db, "ada@example.org", ORIGIN);
  assert.match(await (await client.get("/settings")).text(), /href="\/settings\/digest"/);
  assert.match(await (await client.get("/settings/digest")).text(), /Subscribe with ada@example.org/);

  const res = await client.post("/settings/digest", { action: "subscribe" });
  assert.equal(res.status, 303);
  let sub = await subscriberByEmail(db, "ada@example.org");
  assert.equal(sub?.status, "active");
  assert.equal(sub?.userId, user.id);
  await settle();
  assert.equal(smtp.received.length, 0, "an account's address is proven: no confirmation");

  const form = await (await client.get("/settings/digest?done=subscribed")).text();
  assert.match(form, /You are subscribed/);
  assert.match(form, /name="time_zone"/);
  const bad = await client.post("/settings/digest", prefsForm({ action: "save", time_zone: "Mars/Olympus" }));
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Time zone<\/a>: &quot;Mars\/Olympus&quot; is not a time zone/);
  assert.equal((await client.post("/settings/digest", prefsForm({ action: "save" }))).status, 303);
  sub = await subscriberByEmail(db, "ada@example.org");
  assert.equal(sub?.prefs.timeZone, "Europe/Paris");
  assert.equal(sub?.prefs.frequency, "weekly");

  assert.equal((await client.post("/settings/digest", { action: "unsubscribe" })).status, 303);
  assert.equal((await subscriberByEmail(db, "ada@example.org"))?.status, "unsubscribed");
  assert.equal((await client.post("/settings/digest", { action: "subscribe" })).status, 303);
  assert.equal(
    (await subscriberByEmail(db, "ada@example.org"))?.status,
    "active",
    "signed in, an unsubscribe is lifted",
  );

  const forged = await client.post("/settings/digest", { action: "unsubscribe", _csrf: "wrong" });
  assert.equal(forged.status, 403);
  assert.equal((await subscriberByEmail(db, "ada@example.org"))?.status, "active");
});

test("signed in, the confirm page's form works; the subscription is linked to the account on saving", async () => {
  await new TestClient(app, ORIGIN).post("/subscribe", { email: "bob@example.org" });
  const [m] = await smtp.waitFor(1);
  const token = /token=([\w-]+)/.exec(m?.parsed.text ?? "")?.[1] ?? "";
  const { client, user } = await signedIn(app, db, "bob@example.org", ORIGIN);
  const page = await (await client.get(`/subscribe/confirm?token=${token}`)).text();
  const form = page.slice(page.indexOf('action="/subscribe/confirm"'));
  assert.equal(csrfFrom(form), client.csrf, "the confirm form carries the session's CSRF token");
  assert.equal((await client.post("/subscribe/confirm", { token })).status, 200);
  assert.equal((await subscriberByEmail(db, "bob@example.org"))?.userId, null);
  assert.match(await (await client.get("/settings/digest")).text(), /name="time_zone"/);
  assert.equal((await client.post("/settings/digest", prefsForm({ action: "save" }))).status, 303);
  assert.equal((await subscriberByEmail(db, "bob@example.org"))?.userId, user.id);
});

test("a confirmation the mail server refused is sent on the next try, not held back as sent recently", async () => {
  const anon = new TestClient(app, ORIGIN);
  smtp.reply = () => [451, "Try again later"];
  assert.equal((await anon.post("/subscribe", { email: "retry@example.org" })).status, 500);
  smtp.reply = () => undefined;
  assert.equal((await anon.post("/subscribe", { email: "retry@example.org" })).status, 200);
  const [m] = await smtp.waitFor(1);
  assert.deepEqual(m?.envelopeTo, ["retry@example.org"]);
});

test("the box is rate-limited per client address: 429 with Retry-After", async () => {
  const anon = new TestClient(app, ORIGIN);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await anon.post("/subscribe", { email: "same@example.org" }, { "x-forwarded-for": "203.0.113.9" });
    statuses.push(res.status);
    if (res.status === 429) assert.ok(Number(res.headers.get("retry-after")) > 0);
  }
  assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
  const other = await anon.post("/subscribe", { email: "same@example.org" }, { "x-forwarded-for": "203.0.113.10" });
  assert.equal(other.status, 200);
});
