// The admins' digest pages over HTTP: only admins may open them (anonymous → sign in, members and
// moderators → 403); the preview shows headers, papers with their reasons, the HTML in a sandboxed
// frame and the text part, for a subscriber and for an unknown address, and records nothing; the
// outbox of a `file:` MAIL_URL lists the newest messages and shows one's text, refusing names that
// leave the folder; the dashboard shows counts by state and edition, the pause and suppressions.
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient } from "../../../test/helpers/web.ts";
import { findOrCreateUser, setRole } from "../../accounts/users.ts";
import { loadConfig } from "../../config/config.ts";
import { ComposeContext, scheduleDue } from "../../digests/ledger.ts";
import { runSender } from "../../digests/sender.ts";
import { subscribe, subscriberByEmail, suppress } from "../../digests/subscribers.ts";
import { setPause } from "../../jobs/digests.ts";
import { createMailTransport } from "../../mail/transport.ts";
import { upsertRecords } from "../../papers/store.ts";
import { SearchRuntime } from "../../search/runtime.ts";
import { createApp } from "../app.tsx";

const ORIGIN = "https://papers.example.org";
let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let runtime: SearchRuntime;
let app: Hono;
let config: ReturnType<typeof loadConfig>;
let outbox: string;

before(async () => {
  db = await testDb();
  dir = tempDir();
  outbox = join(dir.path, "outbox");
  config = loadConfig({
    DATA_DIR: dir.path,
    DEMO_DATA: "off",
    BASE_URL: ORIGIN,
    SECRET_KEY: "a".repeat(40),
    MAIL_URL: `file:${outbox}`,
  });
  const records = [
    paperRecord(
      { arxivId: "2611.00001", title: "Über alignment: naïve models — revisited" },
      { day: "2026-11-26", upvotes: 90 },
    ),
  ];
  for (let i = 2; i <= 8; i++) {
    records.push(
      paperRecord({ arxivId: `2611.0000${i}`, title: `Plain paper ${i}` }, { day: "2026-11-26", upvotes: 50 - i }),
    );
  }
  await upsertRecords(db, records);
  runtime = new SearchRuntime(db, config);
  app = createApp({ db, config, search: runtime });
});
after(async () => {
  await runtime.stop();
  await db.close();
  dir.remove();
});

async function withRole(email: string, role: "member" | "moderator" | "admin") {
  const s = await signedIn(app, db, email, ORIGIN);
  await setRole(db, s.user.id, role);
  return s.client;
}
const count = async (table: "deliveries" | "digest_papers" | "subscribers") =>
  (await db.kysely.selectFrom(table).selectAll().execute()).length;

test("only admins: anonymous visitors are sent to sign in, members and moderators get 403", async () => {
  const paths = [
    "/admin/digests",
    "/admin/digests/preview?email=x@example.org",
    "/admin/outbox",
    "/admin/outbox/a.eml",
  ];
  const anon = new TestClient(app, ORIGIN);
  for (const path of paths) assert.equal((await anon.get(path)).status, 302, path);
  const member = await withRole("member@example.org", "member");
  const moderator = await withRole("mod@example.org", "moderator");
  for (const path of paths) {
    assert.equal((await member.get(path)).status, 403, path);
    assert.equal((await moderator.get(path)).status, 403, path);
  }
});

test("preview: headers, papers with reasons, a sandboxed HTML frame and the text part; nothing recorded", async () => {
  const admin = await withRole("admin@example.org", "admin");
  const unknown = await admin.get("/admin/digests/preview?email=Stranger@Example.org");
  assert.equal(unknown.status, 200);
  let html = await unknown.text();
  assert.match(html, /not subscribed; this is what a new subscriber would get/);
  assert.match(html, /<strong>#1 trending today<\/strong> \(trending\): Über alignment/);
  assert.match(
    html,
    /<iframe class="digest-frame" title="[^"]+" sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;!doctype html&gt;/,
  );
  assert.match(html, /<th scope="row">List-Unsubscribe-Post<\/th><td><code>List-Unsubscribe=One-Click<\/code>/);
  assert.match(html, /<pre class="digest-text">Paperboy daily digest, /);
  assert.match(html, /stranger@example\.org/);

  const user = await findOrCreateUser(db, "reader@example.org");
  await subscribe(db, createMailTransport(config.mailUrl), config, { email: "reader@example.org", userId: user.id });
  const before = await subscriberByEmail(db, "reader@example.org");
  html = await (await admin.get("/admin/digests/preview?email=reader@example.org")).text();
  assert.match(html, /#1 trending today/);
  assert.doesNotMatch(html, /not subscribed/);
  assert.match(html, new RegExp(`/digest/unsubscribe\\?s=${before?.id}&amp;t=`));
  assert.equal(await count("deliveries"), 0, "no delivery recorded");
  assert.equal(await count("digest_papers"), 0, "nothing put in the never-twice ledger");
  assert.deepEqual(await subscriberByEmail(db, "reader@example.org"), before, "the schedule is untouched");

  const bad = await admin.get("/admin/digests/preview?email=nope");
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /&quot;nope&quot; is not an email address/);
});

test("outbox: the newest messages with date, to and subject; one message's text; no path traversal", async () => {
  const admin = await withRole("admin@example.org", "admin");
  await new TestClient(app, ORIGIN).post("/subscribe", { email: "boxed@example.org" });
  // A digest with non-ASCII in its subject (RFC 2047) and quoted-printable text.
  const user = await findOrCreateUser(db, "digest@example.org");
  const transport = createMailTransport(config.mailUrl);
  await subscribe(db, transport, config, { email: "digest@example.org", userId: user.id });
  const at = new Date(Date.now() + 2 * 86_400_000);
  await scheduleDue(db, config, new ComposeContext(db, null), at);
  const sent = await runSender({
    db,
    config,
    transport,
    concurrency: 1,
    ratePerSecond: 1000,
    pauseAfter: 3,
    stopWhenIdle: true,
    now: () => at,
  });
  assert.equal(sent.sent, 2, "the subscriber of the preview test and this one");
  writeFileSync(join(outbox, "notes.txt"), "not a message");

  const res = await admin.get("/admin/outbox");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /3 messages in/);
  assert.match(
    html,
    /<td>boxed@example.org<\/td><td><a href="\/admin\/outbox\/[\w.-]+\.eml">Confirm your Paperboy digest<\/a>/,
  );
  assert.match(
    html,
    /<td>digest@example.org<\/td><td><a href="[^"]+">\d+ papers for you, [^:]+: Über alignment: naïve models — revisited/,
  );
  assert.doesNotMatch(html, /notes\.txt/);

  const names = readdirSync(outbox).filter((n) => n.endsWith(".eml"));
  const pages = await Promise.all(names.map(async (n) => (await admin.get(`/admin/outbox/${n}`)).text()));
  const confirm = pages.find((p) => p.includes("Confirm with this link"));
  assert.ok(confirm, "the confirmation's text is shown");
  assert.match(confirm, /https:\/\/papers\.example\.org\/subscribe\/confirm\?token=/);
  const digest = pages.find((p) => p.includes("List-Unsubscribe-Post"));
  assert.match(digest ?? "", /Why: #1 trending today/);
  assert.match(digest ?? "", /Über alignment: naïve models — revisited/);
  assert.doesNotMatch(digest ?? "", /<table role="presentation"/, "the HTML part is never shown raw");

  for (const path of [
    "/admin/outbox/..%2F..%2Fetc%2Fpasswd",
    "/admin/outbox/..%2Fsecret.eml",
    "/admin/outbox/notes.txt",
    "/admin/outbox/missing.eml",
  ]) {
    assert.equal((await admin.get(path)).status, 404, path);
  }
});

test("with SMTP there is no outbox to list", async () => {
  const smtpApp = createApp({ db, config: { ...config, mailUrl: "smtp://127.0.0.1:2525" }, search: runtime });
  const s = await signedIn(smtpApp, db, "admin2@example.org", ORIGIN);
  await setRole(db, s.user.id, "admin");
  const res = await s.client.get("/admin/outbox");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /no outbox to show/);
});

test("dashboard: deliveries by state and edition, the pause and its reason, suppressions newest first", async () => {
  const admin = await withRole("admin@example.org", "admin");
  await suppress(db, "bounced@example.org", "bounce", "550 no such user", new Date("2026-11-01T10:00:00Z"));
  await suppress(db, "left@example.org", "unsubscribe", null, new Date("2026-11-20T10:00:00Z"));
  await setPause(db, "3 sends failed in a row; the last: 421 try later");
  const html = await (await admin.get("/admin/digests")).text();
  assert.match(
    html,
    /Paused until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: 3 sends failed in a row; the last: 421 try later/,
  );
  assert.match(html, /<th scope="row">All<\/th><td>0<\/td><td>0<\/td><td>2<\/td>/, "the outbox test's two sent");
  assert.match(html, /<th scope="row">\d{4}-\d{2}-\d{2}<\/th><td>0<\/td><td>0<\/td><td>2<\/td>/);
  assert.match(html, /Subscribers: 2 active, 1 waiting for confirmation/);
  assert.match(html, /Suppression list \(2\)/);
  assert.ok(html.indexOf("left@example.org") < html.indexOf("bounced@example.org"), "newest first");
  assert.match(html, /550 no such user/);
  await setPause(db, null);
  assert.match(await (await admin.get("/admin/digests")).text(), /Running: the worker sends/);
});
