// npm run bench:digest — digest composition and sending on the full corpus (../shared/data/arxiv,
// 134,939 papers, plus the Daily Papers records in ../shared/data/hf-daily, which make trending):
//  1. imports both into a fresh SQLite database and builds the search index as `paperboy index`
//     does (or reuses a prepared folder: --reuse DIR, e.g. one left by bench:http or bench:search);
//  2. creates 10,000 subscribers: most anonymous and trending-only, the rest accounts that follow a
//     few authors and categories and keep a saved search (users, follows and saved_searches rows
//     written directly), all due at the same instant, the day after the corpus's last paper;
//  3. times composeEdition for every subscriber with one ComposeContext, as scheduleDue does
//     (target p95 ≤ 5 ms);
//  4. starts an SMTP sink (smtp-server in a child process: accepts and discards) and sends 10,000
//     copies of one pre-rendered digest through the pooled transport: the sink's own rate, the
//     same-run baseline;
//  5. end to end through the same transport: scheduleDue (compose + ledger) for all 10,000, then
//     runSender until nothing is due (target ≥ 150 messages/s), and the ratio to the baseline;
//  6. prints a table with whether each target is met. The exit code is 0 unless the bench fails.
// The subscribers, accounts and deliveries it made are deleted at the end, so a reused folder is
// left as it was (apart from migrations).
// Usage: npm run bench:digest [-- --reuse DIR] [-- --subscribers N] [-- --accounts SHARE] [-- --pool N]
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { SMTPServer } from "smtp-server";
import { setLogLevel } from "../src/app/log.ts";
import { loadConfig } from "../src/config/config.ts";
import { type Db, inTransaction, openDatabase } from "../src/db/client.ts";
import { ComposeContext, composeEdition, type DigestItem, previousEditionAt } from "../src/digests/compose.ts";
import { scheduleDue } from "../src/digests/ledger.ts";
import { editionMessageId, renderDigest } from "../src/digests/render.ts";
import { runSender, subscriberLinks } from "../src/digests/sender.ts";
import { DEFAULT_SECTIONS, type SubscriberRow, toSubscriber } from "../src/digests/subscribers.ts";
import { createMailTransport, type MailTransport, type OutgoingMessage } from "../src/mail/transport.ts";
import { paperCards } from "../src/papers/cards.ts";
import { expandPaths, readJsonlFiles } from "../src/papers/import/jsonl.ts";
import { importItems } from "../src/papers/import/run.ts";
import { latestFeaturedDay } from "../src/papers/lists.ts";
import { authorKey } from "../src/papers/model.ts";
import { updateIndex } from "../src/search/indexer.ts";
import type { SemanticIndex } from "../src/search/semantic.ts";
import { activeSubscriberRow } from "../test/helpers/factories.ts";
import { type BenchChild, lineFrom, listening, spawnScript, stopChild } from "./lib/child.ts";
import { titleQuery } from "./lib/queries.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/arxiv" },
    daily: { type: "string", default: "../shared/data/hf-daily" },
    reuse: { type: "string" },
    subscribers: { type: "string", default: "10000" },
    /** Share of subscribers with an account (follows and a saved search). */
    accounts: { type: "string", default: "0.15" },
    pool: { type: "string", default: "5" },
    rate: { type: "string", default: "100000" },
    // Internal: the child process that runs the SMTP sink and prints its port.
    sink: { type: "boolean", default: false },
  },
});

/** Addresses of the bench's subscribers and accounts, so a reused database can be cleaned. */
const DOMAIN = "digest-bench.invalid";
const COMPOSE_P95_MS = 5;
const END_TO_END_MIN_RATE = 150;

if (args.sink) await sink();
else await bench();

/** The child: an SMTP server that accepts every message and discards it, until SIGTERM. */
async function sink(): Promise<void> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        received++;
        callback();
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  console.log(`LISTENING ${(server.server.address() as AddressInfo).port}`);
  process.once("SIGTERM", () => {
    console.log(`RECEIVED ${received}`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

async function bench(): Promise<void> {
  setLogLevel("warn");
  const dir = args.reuse ?? mkdtempSync(join(tmpdir(), "paperboy-bench-digest-"));
  mkdirSync(dir, { recursive: true });
  const fresh = !existsSync(join(dir, "bench.db"));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, "bench.db")}`,
    DATA_DIR: dir,
    DEMO_DATA: "off",
    LOG_LEVEL: "warn",
    BASE_URL: "https://papers.example.org",
    MAIL_FROM: "Paperboy <papers@example.org>",
    SECRET_KEY: "b".repeat(40),
  });
  const seconds = (t: number) => (performance.now() - t) / 1000;
  const total = Number(args.subscribers);
  const pool = Number(args.pool);
  let db: Db | undefined;
  let child: BenchChild | undefined;
  let transport: MailTransport | undefined;
  try {
    // 1. Data and index.
    db = await openDatabase(config.databaseUrl);
    let t = performance.now();
    if (fresh) {
      const r = await importItems(db, readJsonlFiles(expandPaths([args.data as string])));
      console.log(`import arXiv listings: ${r.inserted} papers in ${seconds(t).toFixed(1)} s`);
      t = performance.now();
    }
    if ((await latestFeaturedDay(db)) === null) {
      const daily = await importItems(db, readJsonlFiles(expandPaths([args.daily as string])));
      console.log(
        `import Daily Papers: ${daily.inserted} inserted, ${daily.updated} updated in ${seconds(t).toFixed(1)} s`,
      );
    }
    t = performance.now();
    const built = await updateIndex(db, config);
    const index = built.index as SemanticIndex;
    console.log(`search index: ${built.indexed} papers (${built.embedded} embedded now) in ${seconds(t).toFixed(1)} s`);
    const lastDay = await latestFeaturedDay(db);
    if (!lastDay) throw new Error("no Daily Papers featurings in the database: are the hf-daily records there?");
    // The scheduler's instant: 07:05 UTC the day after the last featured day.
    const now = new Date(Date.parse(`${lastDay}T07:05:00.000Z`) + 86_400_000);

    // A bench database got every paper in one import, so every paper looks "new" to a digest.
    // An instance that has run for months received them day by day: date each paper's arrival
    // (created_at) from its announcement (imported at noon UTC), as the daily imports would have, so
    // the last day's papers are new to the editions made the next morning. Ids are assigned in
    // the corpus's (chronological) file order, so they still grow with arrivals, as in production.
    t = performance.now();
    await sql`UPDATE papers SET created_at = COALESCE(announced_on || 'T12:00:00.000Z', submitted_at, created_at)`.execute(
      db.kysely,
    );
    console.log(`papers dated by arrival (created_at from the announcement day) in ${seconds(t).toFixed(1)} s`);

    // 2. Subscribers.
    await removeBenchRows(db);
    t = performance.now();
    const made = await createSubscribers(db, total, Number(args.accounts), now);
    console.log(
      `${made.subscribers} subscribers (${made.accounts} with accounts: ${made.follows} follows, ${made.savedSearches} saved searches) in ${seconds(t).toFixed(1)} s`,
    );

    // 3. Composition, one ComposeContext for everyone, as scheduleDue does it.
    const ctx = new ComposeContext(db, index);
    t = performance.now();
    await ctx.trendingIds();
    const trendingMs = performance.now() - t;
    const times = { all: [] as number[], anonymous: [] as number[], accounts: [] as number[] };
    const composeStarted = performance.now();
    let items = 0;
    let sample: { subscriberId: number; email: string; items: DigestItem[] } | null = null;
    for (let after = 0; ; ) {
      const rows = (await db.kysely
        .selectFrom("subscribers")
        .selectAll()
        .where("email", "like", `%@${DOMAIN}`)
        .where("id", ">", after)
        .orderBy("id")
        .limit(500)
        .execute()) as SubscriberRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.id ?? after;
      for (const row of rows) {
        const sub = toSubscriber(row);
        const since = await previousEditionAt(db, sub, now);
        const started = performance.now();
        const edition = await composeEdition(ctx, sub, since);
        const ms = performance.now() - started;
        times.all.push(ms);
        (sub.userId === null ? times.anonymous : times.accounts).push(ms);
        items += edition.length;
        if (!sample && edition.length > 0) sample = { subscriberId: sub.id, email: sub.email, items: edition };
      }
    }
    if (!sample) throw new Error("no subscriber's edition has any paper");
    console.log(
      `composition: ${times.all.length} editions, ${(items / times.all.length).toFixed(1)} papers each on average, in ${seconds(composeStarted).toFixed(1)} s`,
    );

    // 4. The sink, and its own rate for one pre-rendered message sent over and over.
    child = spawnScript(fileURLToPath(import.meta.url), ["--sink"]);
    const port = await listening(child, "the SMTP sink");
    transport = createMailTransport(`smtp://127.0.0.1:${port}?tls=off`, { maxConnections: pool });
    const cards = await paperCards(
      db,
      sample.items.map((i) => i.paperId),
    );
    const message = renderDigest({
      config,
      to: sample.email,
      edition: lastDay,
      frequency: "daily",
      items: sample.items,
      cards: new Map(cards.map((c) => [c.id, c])),
      links: await subscriberLinks(db, config, sample.subscriberId),
      messageId: editionMessageId(config, sample.subscriberId, lastDay),
      date: now,
    });
    const warmUp = 200;
    await sendCopies(transport, message, warmUp, pool);
    t = performance.now();
    await sendCopies(transport, message, total, pool);
    const baselineSeconds = seconds(t);
    const baselineRate = total / baselineSeconds;
    console.log(
      `baseline: ${total} pre-rendered messages (${message.html?.length ?? 0} bytes of HTML) in ${baselineSeconds.toFixed(1)} s`,
    );

    // 5. End to end: make every edition, then send them all, through the same transport.
    t = performance.now();
    const scheduled = await scheduleDue(db, config, new ComposeContext(db, index), now);
    const scheduleSeconds = seconds(t);
    const t2 = performance.now();
    const sent = await runSender({
      db,
      config,
      transport,
      concurrency: pool,
      ratePerSecond: Number(args.rate),
      pauseAfter: 20,
      stopWhenIdle: true,
    });
    const sendSeconds = seconds(t2);
    const endToEnd = seconds(t);
    const rate = sent.sent / endToEnd;
    console.log(
      `end to end: ${scheduled.queued} editions made (${scheduled.skipped} skipped) in ${scheduleSeconds.toFixed(1)} s, ${sent.sent} sent in ${sendSeconds.toFixed(1)} s (retried ${sent.retried}, dead ${sent.dead}${sent.paused ? `, paused: ${sent.paused}` : ""})`,
    );

    // The sink's count: every message of both runs arrived.
    await transport.close();
    transport = undefined;
    const receivedLine = lineFrom(child, "RECEIVED ");
    child.process.kill("SIGTERM");
    const received = Number((await receivedLine) ?? -1);

    // 6. Report.
    const p = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? (s[Math.min(s.length - 1, Math.floor((q / 100) * s.length))] as number) : Number.NaN;
    };
    const lat = (xs: number[]) =>
      `p50 ${p(xs, 50).toFixed(2)} ms, p95 ${p(xs, 95).toFixed(2)} ms, max ${p(xs, 100).toFixed(1)} ms`;
    const expected = warmUp + total + sent.sent;
    const rows: [string, string, string][] = [
      ["trending pool (once per run, 300 papers)", `${trendingMs.toFixed(1)} ms`, "—"],
      [
        `composeEdition, all ${times.all.length} subscribers`,
        lat(times.all),
        `p95 ≤ ${COMPOSE_P95_MS} ms: ${p(times.all, 95) <= COMPOSE_P95_MS ? "met" : "NOT met"}`,
      ],
      [`  anonymous, trending only (${times.anonymous.length})`, lat(times.anonymous), "—"],
      [`  accounts: follows + saved search (${times.accounts.length})`, lat(times.accounts), "—"],
      [
        `scheduleDue: compose + ledger, ${scheduled.queued} editions`,
        `${scheduleSeconds.toFixed(1)} s (${((scheduleSeconds * 1000) / Math.max(1, scheduled.due)).toFixed(2)} ms each)`,
        "—",
      ],
      [`runSender, pool ${pool}`, `${sendSeconds.toFixed(1)} s, ${(sent.sent / sendSeconds).toFixed(0)} msg/s`, "—"],
      [
        "end to end: compose + send",
        `${rate.toFixed(0)} msg/s (${sent.sent} in ${endToEnd.toFixed(1)} s)`,
        `≥ ${END_TO_END_MIN_RATE} msg/s: ${rate >= END_TO_END_MIN_RATE ? "met" : "NOT met"}`,
      ],
      ["baseline: pre-rendered, same transport", `${baselineRate.toFixed(0)} msg/s`, "—"],
      ["ratio end to end / baseline", `${(rate / baselineRate).toFixed(2)}×`, "—"],
      [
        "messages the sink received",
        `${received} of ${expected}`,
        received === expected ? "all arrived" : "NOT all arrived",
      ],
    ];
    const header: [string, string, string] = ["measure", "result", "target"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd();
    console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
    for (const r of rows) console.log(line(r));
  } finally {
    await transport?.close();
    await stopChild(child);
    if (db) {
      if (args.reuse) await removeBenchRows(db);
      await db.close();
    }
    if (!args.reuse) rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends `count` copies of `message` with `concurrency` in flight, as the sender's loops do. */
async function sendCopies(transport: MailTransport, message: OutgoingMessage, count: number, concurrency: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await transport.send(message);
      }
    }),
  );
}

/** Deletes what an earlier run made: subscribers (with their deliveries), accounts (with follows and saved searches). */
async function removeBenchRows(db: Db): Promise<void> {
  await db.kysely.deleteFrom("subscribers").where("email", "like", `%@${DOMAIN}`).execute();
  await db.kysely.deleteFrom("suppressions").where("email", "like", `%@${DOMAIN}`).execute();
  await db.kysely.deleteFrom("users").where("email", "like", `%@${DOMAIN}`).execute();
  await db.kysely.deleteFrom("leases").where("name", "like", "digest-sender:%").execute();
}

/**
 * `total` active subscribers due before `now`: a `share` of them accounts following 1–2 prolific
 * authors and 1–2 categories with one saved search (2–3 words from a title), the rest anonymous
 * and trending-only. A few time zones, all due at the same instant. One transaction.
 */
async function createSubscribers(db: Db, total: number, share: number, now: Date) {
  const authors = (
    await sql<{ name: string }>`
      SELECT a.name FROM authors a JOIN paper_authors pa ON pa.author_id = a.id
       GROUP BY a.id, a.name ORDER BY count(*) DESC LIMIT 300
    `.execute(db.kysely)
  ).rows.map((r) => r.name);
  const categories = (
    await sql<{ category: string }>`
      SELECT category FROM paper_categories GROUP BY category ORDER BY count(*) DESC LIMIT 30
    `.execute(db.kysely)
  ).rows.map((r) => r.category);
  const titles = (
    await db.kysely
      .selectFrom("papers")
      .select("title")
      .where(sql<boolean>`id % 97 = 3`)
      .orderBy("id")
      .limit(2000)
      .execute()
  ).map((r) => r.title);
  const queryFrom = (title: string, i: number) => titleQuery(title, i, 2 + (i % 2)) || "language models";
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length] as T;
  const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "America/Los_Angeles"];
  const stamp = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const due = new Date(now.getTime() - 5 * 60_000).toISOString();
  const accountEvery = share > 0 ? Math.max(1, Math.round(1 / share)) : Number.POSITIVE_INFINITY;
  const counts = { subscribers: 0, accounts: 0, follows: 0, savedSearches: 0 };

  await inTransaction(db, async (tx) => {
    const subscriberRows = [];
    for (let i = 0; i < total; i++) {
      const email = `reader${i}@${DOMAIN}`;
      let userId: number | null = null;
      if (i % accountEvery === 0) {
        const user = await tx.kysely
          .insertInto("users")
          .values({
            email,
            username: `bench-reader-${i}`,
            display_name: `Bench reader ${i}`,
            role: "member",
            suspended_at: null,
            suspended_reason: null,
            created_at: stamp,
            updated_at: stamp,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        userId = user.id;
        const follows = [];
        for (let k = 0; k <= i % 2; k++) {
          const name = pick(authors, i * 7 + k * 13);
          follows.push({
            user_id: userId,
            kind: "author" as const,
            value: authorKey(name),
            label: name,
            created_at: stamp,
          });
        }
        for (let k = 0; k <= (i >> 1) % 2; k++) {
          const category = pick(categories, i * 3 + k * 5);
          follows.push({
            user_id: userId,
            kind: "category" as const,
            value: category,
            label: category,
            created_at: stamp,
          });
        }
        await tx.kysely
          .insertInto("follows")
          .values(follows)
          .onConflict((oc) => oc.columns(["user_id", "kind", "value"]).doNothing())
          .execute();
        const query = queryFrom(pick(titles, i), i);
        await tx.kysely
          .insertInto("saved_searches")
          .values({
            user_id: userId,
            name: query,
            query,
            filters: "{}",
            feed_token: randomBytes(16).toString("base64url"),
            created_at: stamp,
          })
          .execute();
        counts.accounts++;
        counts.follows += follows.length;
        counts.savedSearches++;
      }
      subscriberRows.push(
        activeSubscriberRow(
          email,
          { stamp, due },
          {
            user_id: userId,
            time_zone: pick(zones, i),
            sections: JSON.stringify(
              userId === null
                ? { trending: 10, follows: false, savedSearches: false, collections: false }
                : { ...DEFAULT_SECTIONS, trending: 5 },
            ),
            max_papers: userId === null ? 10 : 15,
          },
        ),
      );
    }
    for (let i = 0; i < subscriberRows.length; i += 500) {
      await tx.kysely
        .insertInto("subscribers")
        .values(subscriberRows.slice(i, i + 500))
        .execute();
    }
    counts.subscribers = subscriberRows.length;
  });
  return counts;
}
