// `paperboy digest` as an operator runs it, in a child process against the test database:
// preview (text, and --eml as a complete MIME message parsed with mailparser) for a subscriber and
// an unknown address; send --dry-run writing nothing; a bad --edition ending with exit code 2; a
// real send into a `file:` outbox; a run that pauses ending with exit code 1 and its reason;
// status; unsuppress.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { simpleParser } from "mailparser";
import { dbEnv, runCli } from "../../../test/helpers/cli.ts";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { findOrCreateUser } from "../../accounts/users.ts";
import { loadConfig } from "../../config/config.ts";
import { subscribe, subscriberByEmail, suppress } from "../../digests/subscribers.ts";
import { pauseState, setPause } from "../../jobs/digests.ts";
import { createMailTransport } from "../../mail/transport.ts";
import { upsertRecords } from "../../papers/store.ts";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let outbox: string;
const BASE_URL = "https://papers.example.org";
const SECRET_KEY = "c".repeat(40);

before(async () => {
  db = await testDb();
  dir = tempDir();
  outbox = join(dir.path, "outbox");
  env = { ...dbEnv(db), DATA_DIR: dir.path, MAIL_URL: `file:${outbox}`, BASE_URL, SECRET_KEY };
  const records = [];
  for (let i = 1; i <= 6; i++) {
    records.push(
      paperRecord({ arxivId: `2611.1000${i}`, title: `Digest paper ${i}` }, { day: "2026-11-26", upvotes: 40 - i }),
    );
  }
  await upsertRecords(db, records);
  const config = loadConfig({ DEMO_DATA: "off", BASE_URL, SECRET_KEY, MAIL_URL: `file:${outbox}` });
  const user = await findOrCreateUser(db, "reader@example.org");
  await subscribe(db, createMailTransport(config.mailUrl), config, { email: "reader@example.org", userId: user.id });
});
after(async () => {
  await db.close();
  dir.remove();
});

const outboxFiles = () => {
  try {
    return readdirSync(outbox).filter((n) => n.endsWith(".eml"));
  } catch {
    return [];
  }
};
const makeDue = () =>
  db.kysely
    .updateTable("subscribers")
    .set({ next_due_at: "2026-01-01T00:00:00.000Z" })
    .where("email", "=", "reader@example.org")
    .execute();
const tableCount = async (table: "deliveries" | "digest_papers") =>
  (await db.kysely.selectFrom(table).selectAll().execute()).length;

test("preview --eml prints a complete multipart message with the RFC 8058 headers, subscribed or not", async () => {
  const sub = await subscriberByEmail(db, "reader@example.org");
  for (const [email, unsubscribe] of [
    ["reader@example.org", new RegExp(`^<${BASE_URL}/digest/unsubscribe\\?s=${sub?.id}&t=[\\w-]+>, <mailto:`)],
    ["Unknown@Example.org", /^<https:\/\/papers\.example\.org\/digest\/unsubscribe\?s=0&t=preview>/],
  ] as const) {
    const run = await runCli(["digest", "preview", email, "--eml"], env);
    assert.equal(run.code, 0, run.stderr);
    const parsed = await simpleParser(run.stdout);
    assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : "", email.toLowerCase());
    assert.equal((parsed.headers.get("content-type") as { value: string }).value, "multipart/alternative");
    assert.ok(parsed.text && parsed.html, "a text and an HTML part");
    assert.match(parsed.text ?? "", /Why: #1 trending today/);
    assert.match(parsed.subject ?? "", /papers for you/);
    const lines = new Map(parsed.headerLines.map((h) => [h.key, h.line]));
    assert.equal(lines.get("list-unsubscribe-post"), "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const list = parsed.headers.get("list") as {
      unsubscribe?: { url?: string };
      "unsubscribe-post"?: { name?: string };
    };
    assert.equal(list["unsubscribe-post"]?.name, "List-Unsubscribe=One-Click");
    const header = lines.get("list-unsubscribe") ?? "";
    assert.match(header.replace(/^List-Unsubscribe:\s*/, "").replace(/\r?\n[ \t]+/g, " "), unsubscribe);
    assert.match(parsed.messageId ?? "", /^<digest\.\d{4}-\d{2}-\d{2}\.\d+\.[0-9a-f]{12}@papers\.example\.org>$/);
  }
  const text = await runCli(["digest", "preview", "unknown@example.org"], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^To: unknown@example\.org$/m);
  assert.match(text.stdout, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  assert.match(text.stdout, /^Note: the address is not subscribed/m);
  assert.match(text.stdout, /1\. Digest paper 1\n.*\n {3}Why: #1 trending today/);
  assert.equal(await tableCount("deliveries"), 0, "a preview records nothing");
  assert.equal((await runCli(["digest", "preview", "not-an-address"], env)).code, 2);
});

test("send --dry-run prints editions and reasons and writes nothing; a bad --edition exits 2", async () => {
  await makeDue();
  const before = await subscriberByEmail(db, "reader@example.org");
  const run = await runCli(["digest", "send", "--dry-run", "--edition", "2026-W48"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^reader@example\.org {2}2026-W48 {2}\d+ papers$/m);
  assert.match(run.stdout, /^ {2}1\. Digest paper 1 \(2611\.10001\): #1 trending today$/m);
  assert.match(run.stdout, /dry run: 1 editions would be made .*nothing was written/);
  assert.equal(await tableCount("deliveries"), 0);
  assert.equal(await tableCount("digest_papers"), 0);
  assert.deepEqual(await subscriberByEmail(db, "reader@example.org"), before);
  assert.deepEqual(outboxFiles(), []);

  for (const edition of ["bad", "2026-02-30", "2025-W53"]) {
    const bad = await runCli(["digest", "send", "--edition", edition], env);
    assert.equal(bad.code, 2, edition);
    assert.match(bad.stderr, /--edition must be a day \(2026-11-27\) or an ISO week \(2026-W48\)/);
  }
  assert.equal(await tableCount("deliveries"), 0);
});

test("send makes the due editions and sends them; status counts them; a paused run exits 1 with the reason", async () => {
  await makeDue();
  const run = await runCli(["digest", "send", "--edition", "2026-11-27"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /editions: 1 due, 1 queued, 0 skipped, 0 already made; messages: 1 sent/);
  assert.equal(outboxFiles().length, 1, `${run.stdout}${run.stderr}${JSON.stringify(outboxFiles())}`);
  const row = await db.kysely.selectFrom("deliveries").selectAll().executeTakeFirst();
  assert.deepEqual([row?.edition, row?.state], ["2026-11-27", "sent"]);

  const status = await runCli(["digest", "status"], env);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^subscribers: 1 active, 0 pending, 0 unsubscribed$/m);
  assert.match(status.stdout, /^messages: 0 pending, 0 sending, 1 sent, 0 failed, 0 dead, 0 skipped$/m);
  assert.match(status.stdout, /^sending: running$/m);

  // Nothing listens on port 9: every send fails, and after one failure in a row the run pauses.
  // (Every paper was sent already, so the subscriber asks for a message even when nothing is new.)
  await makeDue();
  await db.kysely.updateTable("subscribers").set({ send_empty: 1 }).execute();
  const failing = { ...env, MAIL_URL: "smtp://127.0.0.1:9?tls=off", DIGEST_PAUSE_AFTER: "1" };
  const paused = await runCli(["digest", "send", "--edition", "2026-11-28"], failing);
  assert.equal(paused.code, 1, `${paused.stdout}|${paused.stderr}`);
  assert.match(paused.stdout, /messages: 0 sent, 1 to retry/);
  assert.match(
    paused.stderr,
    /sending paused: 1 sends failed in a row; the last: .*ECONNREFUSED|sending paused: 1 sends failed/,
  );
  assert.ok(await pauseState(db), "the pause is recorded for the worker");
  assert.match((await runCli(["digest", "status"], env)).stdout, /^sending: paused until .*: 1 sends failed in a row/m);
  await setPause(db, null);
});

test("unsuppress lifts an address's suppression and says what it was", async () => {
  await suppress(db, "bounced@example.org", "bounce", "550 mailbox unavailable");
  assert.match((await runCli(["digest", "status"], env)).stdout, /^suppressed addresses: 1$/m);
  const run = await runCli(["digest", "unsuppress", "Bounced@Example.org"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /bounced@example\.org removed from the suppression list \(was: bounce since .*, 550 mailbox unavailable\)/,
  );
  assert.equal((await db.kysely.selectFrom("suppressions").selectAll().execute()).length, 0);
  const again = await runCli(["digest", "unsuppress", "bounced@example.org"], env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /is not on the suppression list; nothing changed/);
  assert.equal((await runCli(["digest", "unsuppress", "nope"], env)).code, 2);
});
