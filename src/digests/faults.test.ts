// The digest sender against a misbehaving SMTP server (test/helpers/smtp.ts, in this process):
// temporary refusals (421, 451) are retried with backoff and delivered later; a permanent refusal
// (550) kills the message, suppresses the address as a bounce and is never retried; connections
// cut by the server are retried; and failures in a row pause the run with the reason. Time is
// driven with runSender's `now` option: the sender is run again at later instants, no sleeping.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { activeSubscriberRow, paperRecord } from "../../test/helpers/factories.ts";
import { startSmtp, type TestSmtp } from "../../test/helpers/smtp.ts";
import { loadConfig } from "../config/config.ts";
import { createMailTransport, type MailTransport } from "../mail/transport.ts";
import { upsertRecords } from "../papers/store.ts";
import { ComposeContext, RETRY_BASE_MS, scheduleDue } from "./ledger.ts";
import { runSender, type SenderOptions } from "./sender.ts";

let db: TestDb;
let smtp: TestSmtp;
let mail: MailTransport;
const config = loadConfig({
  DEMO_DATA: "off",
  BASE_URL: "https://papers.example.org",
  MAIL_FROM: "Paperboy <papers@example.org>",
  SECRET_KEY: "k".repeat(40),
});

/** Editions are due at 07:00 UTC; the scheduler runs at 07:05 and the first send at 07:06. */
const SCHEDULED = new Date("2026-11-27T07:05:00.000Z");
const T1 = new Date("2026-11-27T07:06:00.000Z");
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

before(async () => {
  smtp = await startSmtp();
});
after(async () => {
  await smtp.close();
});
beforeEach(async () => {
  db = await testDb();
  smtp.received.length = 0;
  smtp.rcptTo.length = 0;
  smtp.reply = () => undefined;
  smtp.drop = () => false;
  smtp.dropConnections = 0;
  mail = createMailTransport(smtp.url, { maxConnections: 2 });
  const records = [];
  for (let i = 1; i <= 20; i++) {
    const id = `2611.${String(i).padStart(5, "0")}`;
    records.push(paperRecord({ arxivId: id, title: `Paper number ${i}` }, { day: "2026-11-26", upvotes: 100 - i }));
  }
  await upsertRecords(db, records, new Date("2026-11-26T12:00:00Z"));
});
afterEach(async () => {
  await mail.close();
  await db.close();
});

/** Active subscribers (in id order), due at 07:00 UTC on the 27th, 3 trending papers each. */
async function subscribers<const N extends string[]>(...names: N): Promise<{ [K in keyof N]: string }> {
  const stamp = "2026-11-20T00:00:00.000Z";
  await db.kysely
    .insertInto("subscribers")
    .values(names.map((name) => activeSubscriberRow(`${name}@example.org`, { stamp, due: "2026-11-27T07:00:00.000Z" })))
    .execute();
  return names.map((n) => `${n}@example.org`) as { [K in keyof N]: string };
}

const send = (at: Date, options: Partial<SenderOptions> = {}) =>
  runSender({
    db,
    config,
    transport: mail,
    concurrency: 2,
    ratePerSecond: 1000,
    pauseAfter: 10,
    stopWhenIdle: true,
    now: () => at,
    ...options,
  });

/** The ledger by address (latest edition last). */
async function ledger(edition = "2026-11-27") {
  const rows = await db.kysely
    .selectFrom("deliveries as d")
    .innerJoin("subscribers as s", "s.id", "d.subscriber_id")
    .select(["s.email", "d.state", "d.attempts", "d.next_attempt_at", "d.last_error", "d.sent_at", "d.claimed_by"])
    .where("d.edition", "=", edition)
    .orderBy("s.id")
    .execute();
  return new Map(rows.map((r) => [r.email.split("@")[0] as string, r]));
}

/** How many messages the server took for `email`, and how many times it was asked to (RCPT TO). */
const receivedBy = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email)).length;
const askedFor = (email: string) => smtp.rcptTo.filter((r) => r === email).length;
const counts = (r: { sent: number; retried: number; dead: number }) => ({
  sent: r.sent,
  retried: r.retried,
  dead: r.dead,
});

test("421 and 451 for a while: retried with backoff, delivered later, attempts counted", async () => {
  const [ok1, greylisted, busy, ok2] = await subscribers("ok1", "greylisted", "busy", "ok2");
  let refusing = true;
  smtp.reply = (rcpt) => {
    if (!refusing) return undefined;
    if (rcpt === greylisted) return [451, "4.7.1 Greylisted, please try again later"];
    if (rcpt === busy) return [421, "4.3.2 Too busy, try again later"];
    return undefined;
  };
  assert.equal((await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED)).queued, 4);

  // First attempt: the two others are delivered, the refused two wait a minute.
  assert.deepEqual(counts(await send(T1)), { sent: 2, retried: 2, dead: 0 });
  let rows = await ledger();
  for (const name of ["greylisted", "busy"]) {
    const row = rows.get(name);
    assert.equal(row?.state, "failed", name);
    assert.equal(row?.attempts, 1, name);
    assert.equal(row?.next_attempt_at, plus(T1, RETRY_BASE_MS).toISOString(), `${name}: retried after 1 minute`);
    assert.equal(row?.claimed_by, null, name);
  }
  assert.match(rows.get("greylisted")?.last_error ?? "", /451/);
  assert.match(rows.get("busy")?.last_error ?? "", /421/);
  assert.deepEqual(
    smtp.received.map((m) => m.envelopeTo[0]),
    [ok1, ok2],
  );

  // Before the retry time nothing is tried.
  const asked = smtp.rcptTo.length;
  assert.deepEqual(counts(await send(plus(T1, RETRY_BASE_MS - 1000))), { sent: 0, retried: 0, dead: 0 });
  assert.equal(smtp.rcptTo.length, asked, "no attempt before next_attempt_at");

  // Second attempt, refused again: the wait doubles.
  const T2 = plus(T1, RETRY_BASE_MS);
  assert.deepEqual(counts(await send(T2)), { sent: 0, retried: 2, dead: 0 });
  rows = await ledger();
  for (const name of ["greylisted", "busy"]) {
    assert.equal(rows.get(name)?.attempts, 2, name);
    assert.equal(rows.get(name)?.next_attempt_at, plus(T2, 2 * RETRY_BASE_MS).toISOString(), `${name}: 2 minutes`);
  }
  assert.deepEqual(counts(await send(plus(T2, 2 * RETRY_BASE_MS - 1000))), { sent: 0, retried: 0, dead: 0 });

  // The server accepts again: the third attempt delivers both, once each.
  refusing = false;
  const T3 = plus(T2, 2 * RETRY_BASE_MS);
  assert.deepEqual(counts(await send(T3)), { sent: 2, retried: 0, dead: 0 });
  rows = await ledger();
  for (const name of ["ok1", "greylisted", "busy", "ok2"]) assert.equal(rows.get(name)?.state, "sent", name);
  for (const name of ["greylisted", "busy"]) {
    assert.equal(rows.get(name)?.attempts, 3, name);
    assert.equal(rows.get(name)?.sent_at, T3.toISOString(), name);
    assert.equal(rows.get(name)?.last_error, null, name);
  }
  for (const email of [ok1, greylisted, busy, ok2]) assert.equal(receivedBy(email), 1, email);
  const suppressed = await db.kysely.selectFrom("suppressions").select("email").execute();
  assert.deepEqual(suppressed, [], "temporary refusals suppress nobody");
});

test("550: the message is dead, the address suppressed as a bounce, never retried, and left out of later editions", async () => {
  const [ok, gone] = await subscribers("ok", "gone");
  smtp.reply = (rcpt) => (rcpt === gone ? [550, "5.1.1 <gone@example.org>: no such user here"] : undefined);
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);

  // A permanent refusal is not a failure "in a row": even pauseAfter 1 does not pause.
  const first = await send(T1, { pauseAfter: 1, concurrency: 1 });
  assert.deepEqual({ ...counts(first), paused: first.paused }, { sent: 1, retried: 0, dead: 1, paused: null });
  const row = (await ledger()).get("gone");
  assert.equal(row?.state, "dead");
  assert.equal(row?.attempts, 1);
  assert.match(row?.last_error ?? "", /550/);
  const suppression = await db.kysely
    .selectFrom("suppressions")
    .selectAll()
    .where("email", "=", gone)
    .executeTakeFirst();
  assert.equal(suppression?.reason, "bounce");
  assert.match(suppression?.detail ?? "", /550 5\.1\.1/);

  // Not retried, however long we wait.
  assert.deepEqual(counts(await send(plus(T1, 86_400_000))), { sent: 0, retried: 0, dead: 0 });
  assert.equal(askedFor(gone), 1);

  // The next edition: made for the other subscriber, not for the bounced address.
  const next = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-28T07:05:00.000Z"));
  assert.deepEqual({ queued: next.queued, skipped: next.skipped }, { queued: 1, skipped: 1 });
  const rows = await ledger("2026-11-28");
  assert.equal(rows.get("ok")?.state, "pending");
  assert.deepEqual([rows.get("gone")?.state, rows.get("gone")?.last_error], ["dead", "address suppressed"]);
  assert.deepEqual(counts(await send(new Date("2026-11-28T07:06:00.000Z"))), { sent: 1, retried: 0, dead: 0 });
  assert.equal(receivedBy(ok), 2, "two editions");
  assert.equal(receivedBy(gone), 0);
  assert.equal(askedFor(gone), 1, "the bounced address was never asked for again");
});

test("connections cut as they open: the pooled transport reconnects and the run delivers everything once", async () => {
  const emails = await subscribers("a", "b", "c", "d");
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);
  smtp.dropConnections = 3;
  const report = await send(T1);
  assert.deepEqual(counts(report), { sent: 4, retried: 0, dead: 0 });
  assert.equal(smtp.dropConnections, 0, "the three connections were cut");
  for (const email of emails) assert.equal(receivedBy(email), 1, email);
});

test("a connection cut at every attempt: the message fails, is retried after the backoff and delivered", async () => {
  const [ok, cut] = await subscribers("ok", "cut");
  let cutting = true;
  smtp.drop = (rcpt) => cutting && rcpt === cut;
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);

  assert.deepEqual(counts(await send(T1)), { sent: 1, retried: 1, dead: 0 });
  let row = (await ledger()).get("cut");
  assert.deepEqual([row?.state, row?.attempts], ["failed", 1]);
  assert.equal(row?.next_attempt_at, plus(T1, RETRY_BASE_MS).toISOString());
  assert.match(row?.last_error ?? "", /connection (was )?closed/i, "the connection error is recorded");
  assert.ok(askedFor(cut) >= 1);
  assert.equal(receivedBy(cut), 0);

  cutting = false;
  const T2 = plus(T1, RETRY_BASE_MS);
  assert.deepEqual(counts(await send(T2)), { sent: 1, retried: 0, dead: 0 });
  row = (await ledger()).get("cut");
  assert.deepEqual([row?.state, row?.attempts, row?.sent_at], ["sent", 2, T2.toISOString()]);
  assert.equal(receivedBy(cut), 1);
  assert.equal(receivedBy(ok), 1);
});

test("pauseAfter: failures in a row stop the run, report.paused says why, the rest stays queued", async () => {
  await subscribers("s1", "s2", "s3", "s4", "s5", "s6");
  smtp.reply = () => [421, "4.3.2 Service shutting down, try later"];
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);

  const report = await send(T1, { concurrency: 1, pauseAfter: 3 });
  assert.deepEqual(counts(report), { sent: 0, retried: 3, dead: 0 });
  assert.match(report.paused ?? "", /^3 sends failed in a row; the last: .*421 4\.3\.2 Service shutting down/);
  const states = [...(await ledger()).values()].map((r) => `${r.state}/${r.attempts}`);
  assert.deepEqual(states, ["failed/1", "failed/1", "failed/1", "pending/0", "pending/0", "pending/0"]);
  assert.equal(smtp.received.length, 0);
});

test("pauseAfter: an SMTP server that is down pauses the run; nothing is left claimed", async () => {
  await subscribers("s1", "s2", "s3", "s4", "s5", "s6");
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);
  // A port nobody listens on.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const down = createMailTransport(`smtp://127.0.0.1:${port}?tls=off`, { maxConnections: 2 });
  try {
    const report = await send(T1, { transport: down, concurrency: 2, pauseAfter: 2 });
    assert.match(report.paused ?? "", /sends failed in a row; the last: .*ECONNREFUSED/);
    assert.equal(report.sent, 0);
    // Both loops finish the message they hold: two or three failures, never a claim left behind.
    assert.ok(report.retried >= 2 && report.retried <= 3, `${report.retried} failures`);
    const states = [...(await ledger()).values()].map((r) => r.state);
    assert.equal(states.filter((s) => s === "failed").length, report.retried);
    assert.equal(states.filter((s) => s === "pending").length, 6 - report.retried);
  } finally {
    await down.close();
  }
});

test("failures that are not in a row do not pause the run", async () => {
  const emails = await subscribers("bad1", "good1", "bad2", "good2", "bad3", "good3");
  smtp.reply = (rcpt) => (rcpt.startsWith("bad") ? [451, "4.7.1 Try again later"] : undefined);
  await scheduleDue(db, config, new ComposeContext(db, null), SCHEDULED);
  const report = await send(T1, { concurrency: 1, pauseAfter: 2 });
  assert.deepEqual({ ...counts(report), paused: report.paused }, { sent: 3, retried: 3, dead: 0, paused: null });
  for (const email of emails) assert.equal(receivedBy(email), email.startsWith("good") ? 1 : 0, email);
});
