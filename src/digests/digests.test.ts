// Digests end to end below the web layer: double opt-in, editions made at each subscriber's local
// hour, composition that never repeats a paper, and messages received by a real SMTP server
// (smtp-server, parsed with mailparser) with the RFC 8058 headers and a stable Message-ID.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { sql } from "kysely";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { startSmtp, type TestSmtp } from "../../test/helpers/smtp.ts";
import { findOrCreateUser } from "../accounts/users.ts";
import { follow } from "../community/follows.ts";
import { saveSearch } from "../community/saved-searches.ts";
import { loadConfig } from "../config/config.ts";
import { createMailTransport, type MailTransport } from "../mail/transport.ts";
import { upsertRecords } from "../papers/store.ts";
import { ComposeContext, scheduleDue } from "./ledger.ts";
import { editionMessageId } from "./render.ts";
import { runSender } from "./sender.ts";
import { confirmSubscription, subscribe, subscriberByEmail, updatePreferences } from "./subscribers.ts";

let db: TestDb;
let smtp: TestSmtp;
let mail: MailTransport;
const config = loadConfig({
  DEMO_DATA: "off",
  BASE_URL: "https://papers.example.org",
  MAIL_FROM: "Paperboy <papers@example.org>",
  SECRET_KEY: "k".repeat(40),
});

before(async () => {
  smtp = await startSmtp();
  mail = createMailTransport(smtp.url, { maxConnections: 2 });
});
after(async () => {
  await mail.close();
  await smtp.close();
});
beforeEach(async () => {
  await db?.close();
  db = await testDb();
  smtp.received.length = 0;
  smtp.reply = () => undefined;
  const records = [];
  for (let i = 1; i <= 30; i++) {
    const id = `2611.${String(i).padStart(5, "0")}`;
    records.push(
      paperRecord({ arxivId: id, title: `Paper number ${i} on alignment` }, { day: "2026-11-26", upvotes: 100 - i }),
    );
  }
  await upsertRecords(db, records, new Date("2026-11-26T12:00:00Z"));
});
after(async () => db?.close());

const send = (at = "2026-12-31T00:00:00Z") =>
  runSender({
    db,
    config,
    transport: mail,
    concurrency: 2,
    ratePerSecond: 1000,
    pauseAfter: 5,
    stopWhenIdle: true,
    now: () => new Date(at),
  });

/** A header as sent, unfolded (mailparser turns List-* headers into structures). */
const rawHeader = (raw: string, name: string) =>
  new RegExp(`^${name}:[ \t]*(.*(?:\r?\n[ \t].*)*)`, "im")
    .exec(raw)?.[1]
    ?.replace(/\r?\n[ \t]+/g, " ")
    .trim();

async function activeSubscriber(email: string, prefs: Partial<Parameters<typeof updatePreferences>[2]> = {}) {
  const user = await findOrCreateUser(db, email);
  await subscribe(db, mail, config, { email, userId: user.id }, new Date("2026-11-20T00:00:00Z"));
  const sub = await subscriberByEmail(db, email);
  assert.ok(sub);
  await updatePreferences(
    db,
    sub.id,
    {
      frequency: "daily",
      weekdaysOnly: false,
      weeklyDay: 1,
      deliveryHour: 7,
      timeZone: "UTC",
      sections: { trending: 5, follows: true, savedSearches: true, collections: true },
      maxPapers: 5,
      sendEmpty: false,
      ...prefs,
    },
    new Date("2026-11-20T00:00:00Z"),
  );
  return sub;
}

test("double opt-in: a confirmation only, no digest until it is confirmed", async () => {
  await subscribe(db, mail, config, { email: "new@example.org" }, new Date("2026-11-26T00:00:00Z"));
  const [confirmation] = await smtp.waitFor(1);
  assert.equal(confirmation?.parsed.subject, "Confirm your Paperboy digest");
  const token = /token=([\w-]+)/.exec(confirmation?.parsed.text ?? "")?.[1] ?? "";
  let report = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T08:00:00Z"));
  assert.equal(report.due, 0, "pending subscribers get nothing");
  assert.ok(await confirmSubscription(db, token, new Date("2026-11-27T08:00:00Z")));
  assert.equal(await confirmSubscription(db, token), null, "a confirmation link works once");
  report = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-28T08:00:00Z"));
  assert.equal(report.queued, 1);
});

test("an edition arrives over SMTP: multipart, reasons, stable Message-ID, RFC 8058 headers, no tracking", async () => {
  const sub = await activeSubscriber("reader@example.org");
  const report = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T07:30:00Z"));
  assert.deepEqual({ due: report.due, queued: report.queued }, { due: 1, queued: 1 });
  const sent = await send();
  assert.equal(sent.sent, 1);
  const [m] = await smtp.waitFor(1);
  assert.ok(m);
  const { parsed } = m;
  assert.deepEqual(m.envelopeTo, ["reader@example.org"]);
  assert.equal(parsed.messageId, editionMessageId(config, sub.id, "2026-11-27"));
  assert.match(parsed.from?.text ?? "", /papers@example.org/);
  assert.ok(parsed.date instanceof Date);
  const unsub = rawHeader(m.raw, "List-Unsubscribe") ?? "";
  assert.match(
    unsub,
    /^<https:\/\/papers\.example\.org\/digest\/unsubscribe\?s=\d+&t=[\w-]+>, <mailto:papers@example\.org\?subject=/,
  );
  assert.equal(rawHeader(m.raw, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  assert.ok(parsed.text && parsed.html, "plain text and HTML");
  assert.match(parsed.text ?? "", /#1 trending today/);
  assert.match(parsed.text ?? "", /Paper number 1 on alignment/);
  const html = String(parsed.html);
  assert.match(html, /#1 trending today/);
  assert.doesNotMatch(html, /<script|<img|<link|<style/i, "no scripts, images or external styles");
  assert.match(html, /href="https:\/\/papers\.example\.org\/papers\/2611\.00001"/);
  assert.match(html, /digest\/manage\?s=/);
  assert.equal(parsed.subject?.startsWith("5 papers for you, 27 Nov 2026"), true);
});

test("a paper is never sent twice to the same subscriber across editions", async () => {
  await activeSubscriber("twice@example.org");
  const seen = new Set<string>();
  for (const day of ["2026-11-27", "2026-11-28", "2026-11-29"]) {
    await scheduleDue(db, config, new ComposeContext(db, null), new Date(`${day}T07:05:00Z`));
    await send();
  }
  const messages = await smtp.waitFor(3);
  for (const m of messages) {
    const ids = [...(m.parsed.text ?? "").matchAll(/papers\/(2611\.\d{5})/g)].map((x) => x[1] as string);
    assert.equal(ids.length, 5);
    for (const id of ids) {
      assert.ok(!seen.has(id), `${id} sent twice`);
      seen.add(id);
    }
  }
});

test("after downtime the scheduler catches up once, and never makes an edition twice", async () => {
  await activeSubscriber("late@example.org");
  // Down from the 27th to the 30th: one edition, for the latest slot.
  const report = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-30T09:00:00Z"));
  assert.equal(report.queued, 1);
  const again = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-30T09:01:00Z"));
  assert.equal(again.due, 0);
  const forced = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-12-01T09:00:00Z"), {
    edition: "2026-11-30",
  });
  assert.equal(forced.existing, 1, "an edition that exists is not made again");
  const rows = await db.kysely.selectFrom("deliveries").select("edition").execute();
  assert.deepEqual(
    rows.map((r) => r.edition),
    ["2026-11-30"],
  );
});

test("a weekdays-only subscriber gets nothing on Saturday", async () => {
  await activeSubscriber("weekdays@example.org", { weekdaysOnly: true });
  await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T07:10:00Z")); // Friday
  const saturday = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-28T12:00:00Z"));
  assert.equal(saturday.queued, 0);
  const sunday = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-29T12:00:00Z"));
  assert.equal(sunday.queued, 0);
  const monday = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-30T07:10:00Z"));
  assert.equal(monday.queued, 1);
});

test("subscribers at UTC+13 and UTC-10 get their editions at their own 7:00, keyed by their local day", async () => {
  await activeSubscriber("tonga@example.org", { timeZone: "Pacific/Tongatapu" });
  await activeSubscriber("hawaii@example.org", { timeZone: "Pacific/Honolulu" });
  const at = async (iso: string) => {
    await scheduleDue(db, config, new ComposeContext(db, null), new Date(iso));
    return (
      await sql<{ email: string; edition: string }>`
        SELECT s.email, d.edition FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id ORDER BY d.id
      `.execute(db.kysely)
    ).rows.map((r) => `${r.email.split("@")[0]} ${r.edition}`);
  };
  // 18:00 UTC on the 26th is 07:00 on the 27th in Tonga and 08:00 on the 26th in Hawaii.
  assert.deepEqual(await at("2026-11-26T18:00:00Z"), ["tonga 2026-11-27", "hawaii 2026-11-26"]);
  assert.deepEqual(await at("2026-11-27T16:59:00Z"), ["tonga 2026-11-27", "hawaii 2026-11-26"]);
  assert.deepEqual(await at("2026-11-27T17:00:00Z"), ["tonga 2026-11-27", "hawaii 2026-11-26", "hawaii 2026-11-27"]);
});

test("nothing worth sending: no message, unless the subscriber wants one anyway", async () => {
  await activeSubscriber("empty@example.org", {
    sections: { trending: 0, follows: false, savedSearches: false, collections: false },
  });
  const r = await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T07:10:00Z"));
  assert.deepEqual({ queued: r.queued, skipped: r.skipped }, { queued: 0, skipped: 1 });
  assert.equal((await send()).sent, 0);
});

test("follows and saved searches bring papers added since the previous edition, with their reasons", async () => {
  await activeSubscriber("personal@example.org", {
    sections: { trending: 0, follows: true, savedSearches: true, collections: false },
  });
  const user = await findOrCreateUser(db, "personal@example.org");
  await follow(db, user.id, "author", "Grace Hopper");
  await saveSearch(db, user.id, { q: "quantum error correction", name: "qec" });
  await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T07:05:00Z"));
  // Papers that arrive after that edition was made.
  await upsertRecords(
    db,
    [
      paperRecord({ arxivId: "2611.09001", title: "Compilers revisited", authors: ["Grace Hopper"] }),
      paperRecord({ arxivId: "2611.09002", title: "Quantum error correction with new codes" }),
      paperRecord({ arxivId: "2611.09003", title: "Unrelated work on gardens" }),
    ],
    new Date("2026-11-27T12:00:00Z"),
  );
  await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-28T07:05:00Z"));
  const second = await db.kysely
    .selectFrom("deliveries")
    .select("items")
    .where("edition", "=", "2026-11-28")
    .executeTakeFirstOrThrow();
  const items = JSON.parse(second.items) as { paperId: number; reason: string }[];
  const ids = await db.kysely
    .selectFrom("papers")
    .select(["id", "arxiv_id"])
    .where(
      "id",
      "in",
      items.map((i) => i.paperId),
    )
    .execute();
  const byId = new Map(ids.map((r) => [r.id, r.arxiv_id]));
  assert.deepEqual(
    items.map((i) => [byId.get(i.paperId), i.reason]),
    [
      ["2611.09001", "new from Grace Hopper, an author you follow"],
      ["2611.09002", "matches your saved search 'qec'"],
    ],
  );
});

test("hostile titles, abstracts and names are text in the email, in both parts", async () => {
  await upsertRecords(
    db,
    [
      paperRecord(
        {
          arxivId: "2611.08888",
          title: `<script>alert(1)</script> <img src=x onerror=alert(2)> & $x^2$`,
          abstract: `<a href="javascript:alert(3)">click</a> &amp; entities`,
          authors: ["<b>Mallory</b>"],
        },
        { day: "2026-11-26", upvotes: 500 },
      ),
    ],
    new Date("2026-11-26T12:00:00Z"),
  );
  await activeSubscriber("careful@example.org");
  await scheduleDue(db, config, new ComposeContext(db, null), new Date("2026-11-27T07:05:00Z"));
  await send();
  const [m] = await smtp.waitFor(1);
  const html = String(m?.parsed.html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.doesNotMatch(html, /<script|<img|<b>Mallory|href="javascript:/i);
  assert.match(m?.parsed.text ?? "", /<script>alert\(1\)<\/script>/, "the plain-text part shows the text as written");
});
