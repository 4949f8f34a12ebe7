// Crash safety of the digest sender: 2,000 editions are queued, a sender in a child process
// (test/helpers/digest-sender-child.ts) is killed with SIGKILL a third of the way through, and a
// second sender finishes the run. Afterwards every subscriber has exactly one delivery, sent; the
// SMTP server (in this process) got every subscriber's message; and the only messages sent twice
// are the ones in flight at the kill, at most one per pooled connection, with the same Message-ID.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { dbEnv } from "../../test/helpers/cli.ts";
import { testDb } from "../../test/helpers/db.ts";
import { activeSubscriberRow, paperRecord } from "../../test/helpers/factories.ts";
import { startSmtp } from "../../test/helpers/smtp.ts";
import { loadConfig } from "../config/config.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { acquireLease } from "../jobs/lease.ts";
import { createMailTransport } from "../mail/transport.ts";
import { upsertRecords } from "../papers/store.ts";
import { ComposeContext, claimNext, scheduleDue } from "./ledger.ts";
import { runSender } from "./sender.ts";

const CHILD = fileURLToPath(new URL("../../test/helpers/digest-sender-child.ts", import.meta.url));
const SUBSCRIBERS = 2000;
/** The SMTP pool of each sender: also the most messages in flight when the first one is killed. */
const POOL = 5;
/** Fast enough to finish in seconds, slow enough to be killed in the middle. */
const RATE = 400;
const LEASE_TTL_MS = 1000;

const config = loadConfig({
  DEMO_DATA: "off",
  BASE_URL: "https://papers.example.org",
  MAIL_FROM: "Paperboy <papers@example.org>",
  SECRET_KEY: "k".repeat(40),
});

/** A few papers with featurings, so every edition has items, and `count` active subscribers due an hour ago. */
async function seed(db: Db, count: number, now: Date): Promise<string[]> {
  const records = [];
  for (let i = 1; i <= 12; i++) {
    const id = `2611.${String(i).padStart(5, "0")}`;
    records.push(paperRecord({ arxivId: id, title: `Crash-safe paper ${i}` }, { day: "2026-11-26", upvotes: 50 - i }));
  }
  await upsertRecords(db, records, new Date("2026-11-26T12:00:00Z"));
  const stamp = now.toISOString();
  const due = new Date(now.getTime() - 3_600_000).toISOString();
  const rows = Array.from({ length: count }, (_, i) =>
    activeSubscriberRow(`reader${String(i).padStart(4, "0")}@example.org`, { stamp, due }),
  );
  // One transaction; 500 rows per statement keeps under SQLite's limit of bound parameters.
  await inTransaction(db, async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await tx.kysely
        .insertInto("subscribers")
        .values(rows.slice(i, i + 500))
        .execute();
    }
  });
  return rows.map((r) => r.email);
}

interface Sender {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed) and what the sender printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startSender(env: Record<string, string>): Sender {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, "--lease-ttl-ms", String(LEASE_TTL_MS)], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on("line", (l) => {
    stdout += `${l}\n`;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, exited };
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number, sender?: Sender): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (sender && sender.child.exitCode !== null) throw new Error(`the sender exited before ${what}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("a sender killed with SIGKILL mid-run: a second one finishes; nothing lost, duplicates only in flight", {
  timeout: 120_000,
}, async (t) => {
  const db = await testDb();
  const smtp = await startSmtp({ parse: false });
  const senders: Sender[] = [];
  try {
    const now = new Date();
    const emails = await seed(db, SUBSCRIBERS, now);

    let started = performance.now();
    const scheduled = await scheduleDue(db, config, new ComposeContext(db, null), now);
    assert.equal(scheduled.queued, SUBSCRIBERS);
    t.diagnostic(`scheduleDue: ${scheduled.queued} editions in ${Math.round(performance.now() - started)} ms`);

    const env = {
      ...dbEnv(db),
      MAIL_URL: smtp.url,
      MAIL_POOL_SIZE: String(POOL),
      DIGEST_RATE: String(RATE),
      DIGEST_PAUSE_AFTER: "20",
      BASE_URL: config.baseUrl,
      MAIL_FROM: config.mailFrom,
      SECRET_KEY: config.secretKey ?? "",
    };

    // The first sender, killed once about a third of the messages have arrived.
    started = performance.now();
    const first = startSender(env);
    senders.push(first);
    await waitUntil("a third of the messages", () => smtp.received.length >= SUBSCRIBERS / 3, 60_000, first);
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    assert.equal(killed.signal, "SIGKILL", `the first sender was killed (stderr: ${killed.stderr})`);
    const atKill = smtp.received.length;
    const ledger = await db.kysely
      .selectFrom("deliveries as d")
      .innerJoin("subscribers as s", "s.id", "d.subscriber_id")
      .select(["s.email", "d.state", "d.message_id"])
      .execute();
    const byState: Record<string, number> = {};
    for (const d of ledger) byState[d.state] = (byState[d.state] ?? 0) + 1;
    const inFlight = new Set(ledger.filter((d) => d.state === "sending").map((d) => d.email));
    t.diagnostic(
      `killed after ${Math.round(performance.now() - started)} ms: ${atKill} messages received, ledger ${JSON.stringify(byState)}`,
    );
    assert.ok((byState.pending ?? 0) > 0, "the sender was killed in the middle of the run");
    assert.ok(inFlight.size <= POOL, "at most one message per connection was in flight");

    // The second sender, started at once: it takes over the dead one's messages once its lease expires.
    const second = startSender(env);
    senders.push(second);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      second.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the second sender did not finish")), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.equal(finished.code, 0, `the second sender finished (stderr: ${finished.stderr})`);
    const report = JSON.parse(/^REPORT (.*)$/m.exec(finished.stdout)?.[1] ?? "null") as { sent: number } | null;
    assert.ok(report, `the second sender reported (stdout: ${finished.stdout})`);

    // Every subscriber: exactly one delivery for the edition, sent.
    const deliveries = await db.kysely
      .selectFrom("deliveries")
      .select(["subscriber_id", "edition", "state", "message_id"])
      .execute();
    assert.equal(deliveries.length, SUBSCRIBERS);
    assert.equal(new Set(deliveries.map((d) => d.subscriber_id)).size, SUBSCRIBERS, "one delivery per subscriber");
    assert.equal(new Set(deliveries.map((d) => d.edition)).size, 1, "one edition");
    const notSent = deliveries.filter((d) => d.state !== "sent");
    assert.deepEqual(notSent, [], "every delivery is sent");

    // The SMTP server: everyone at least once, with the edition's Message-ID; twice only for
    // messages that were in flight at the kill.
    const messageIds = new Map(ledger.map((d) => [d.email, d.message_id]));
    const copies = new Map<string, string[]>();
    for (const m of smtp.received) {
      const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw)?.[1] ?? "";
      for (const to of m.envelopeTo) copies.set(to, [...(copies.get(to) ?? []), messageId]);
    }
    const lost = emails.filter((e) => !copies.has(e));
    assert.deepEqual(lost, [], "no subscriber's message is lost");
    const twice = [...copies].filter(([, ids]) => ids.length > 1);
    const duplicates = twice.length;
    console.log(`crash test: ${duplicates} subscriber(s) received two copies (pool size ${POOL})`);
    t.diagnostic(
      `received ${smtp.received.length} messages for ${SUBSCRIBERS} subscribers; ${duplicates} got two copies; second sender sent ${report.sent}; ${smtp.errors.length} connection(s) reset by the kill`,
    );
    assert.ok(duplicates <= POOL, `${duplicates} subscribers got two copies; at most ${POOL} were in flight`);
    for (const [to, ids] of twice) {
      assert.equal(ids.length, 2, `${to} got ${ids.length} copies`);
      assert.ok(inFlight.has(to), `${to} got two copies but was not in flight at the kill`);
    }
    for (const [to, ids] of copies) {
      for (const id of ids) assert.equal(id, messageIds.get(to), `${to}: every copy carries the edition's Message-ID`);
    }
    assert.equal(smtp.received.length, SUBSCRIBERS + duplicates);
  } finally {
    for (const s of senders) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await Promise.all(senders.map((s) => s.exited.catch(() => undefined)));
    await smtp.close();
    await db.close();
  }
});

test("a sender started before a dead sender's lease expired still takes over its messages", async () => {
  const db = await testDb();
  const smtp = await startSmtp();
  const mail = createMailTransport(smtp.url, { maxConnections: 1 });
  try {
    const now = new Date();
    const emails = await seed(db, 3, now);
    await scheduleDue(db, config, new ComposeContext(db, null), now);
    // A sender that claimed a message and died: its lease is still live for 300 ms.
    await acquireLease(db, "digest-sender:dead-sender", 300, "dead-sender");
    const orphan = await claimNext(db, "dead-sender");
    assert.ok(orphan);
    // The restarted sender sends the other two, 500 ms apart, and by then the lease has expired.
    const report = await runSender({
      db,
      config,
      transport: mail,
      concurrency: 1,
      ratePerSecond: 2,
      pauseAfter: 5,
      stopWhenIdle: true,
      leaseTtlMs: 1000,
    });
    assert.equal(report.sent, 3, "the dead sender's message too");
    const states = await db.kysely.selectFrom("deliveries").select("state").execute();
    assert.deepEqual(
      states.map((s) => s.state),
      ["sent", "sent", "sent"],
    );
    assert.deepEqual(smtp.received.map((m) => m.envelopeTo[0]).sort(), emails);
  } finally {
    await mail.close();
    await smtp.close();
    await db.close();
  }
});
