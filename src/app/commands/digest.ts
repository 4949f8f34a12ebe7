// `paperboy digest ...`: the operator's digest tools. `preview EMAIL [--eml]` shows the edition an
// address would get now (the default sections for an address that is not subscribed) and records
// nothing; `send [--edition KEY] [--dry-run]` makes the editions that are due and sends them until
// nothing is due (exit 1 when sending paused on failures in a row); `status` counts subscribers
// and messages; `unsuppress EMAIL` lifts the suppression of an address. A bad edition key or
// address is a bad command line (exit 2).
import type { Command } from "commander";
import { sql } from "kysely";
import nodemailer from "nodemailer";
import { normalizeEmail } from "../../accounts/users.ts";
import type { Config } from "../../config/config.ts";
import type { Db } from "../../db/client.ts";
import { ComposeContext, scheduleDue } from "../../digests/ledger.ts";
import { configuredPacing, runSender } from "../../digests/sender.ts";
import { pauseState, setPause } from "../../jobs/digests.ts";
import { createMailTransport, type OutgoingMessage } from "../../mail/transport.ts";
import { paperCards } from "../../papers/cards.ts";
import { openActiveIndex } from "../../search/runtime.ts";
import type { SemanticIndex } from "../../search/semantic.ts";
import { previewEdition } from "../../web/digests/preview.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);

/** YYYY-MM-DD (a real day) or YYYY-Www (a week that year has). */
export function isEditionKey(key: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) {
    const d = new Date(`${key}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === key;
  }
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!week) return false;
  const year = Number(week[1]);
  const n = Number(week[2]);
  // An ISO year has 53 weeks when it starts or ends on a Thursday.
  const weeks = new Date(Date.UTC(year, 0, 1)).getUTCDay() === 4 || new Date(Date.UTC(year, 11, 31)).getUTCDay() === 4;
  return n >= 1 && n <= (weeks ? 53 : 52);
}

function addressArg(raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) throw new CommandError(`"${raw}" is not an email address.`, EXIT.USAGE);
  return email;
}

/** The active search index when one can be opened (similar papers, saved searches); else null. */
async function semanticOf(db: Db, config: Config): Promise<SemanticIndex | null> {
  try {
    return await openActiveIndex(db, config);
  } catch {
    return null;
  }
}

/** The complete MIME message, built as OutboxTransport builds it. */
async function mime(m: OutgoingMessage): Promise<Buffer> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await builder.sendMail({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    ...(m.headers ? { headers: m.headers } : {}),
    ...(m.messageId ? { messageId: m.messageId } : {}),
    date: m.date ?? new Date(),
  });
  return info.message as Buffer;
}

async function countBy(db: Db, table: "deliveries" | "subscribers", column: "state" | "status") {
  const rows = await sql<{ k: string; n: number }>`
    SELECT ${sql.ref(column)} AS k, count(*) AS n FROM ${sql.table(table)} GROUP BY ${sql.ref(column)}
  `.execute(db.kysely);
  return Object.fromEntries(rows.rows.map((r) => [r.k, Number(r.n)])) as Record<string, number>;
}

export function registerDigestCommand(program: Command) {
  const digest = program.command("digest").description("Preview, send and inspect email digests");

  digest
    .command("preview")
    .description("Show the edition an address would get now, recording nothing (default sections if not subscribed)")
    .argument("<email>", "the address")
    .option("--eml", "write the complete MIME message to standard output")
    .action(async (raw: string, opts: { eml?: boolean }) => {
      const email = addressArg(raw);
      await withContext(async ({ db, config }) => {
        const preview = await previewEdition(db, config, await semanticOf(db, config), email);
        const m = preview.message;
        if (opts.eml) {
          process.stdout.write(await mime(m));
          return;
        }
        out(`To: ${m.to}`);
        out(`Subject: ${m.subject}`);
        out(`Message-ID: ${m.messageId ?? ""}`);
        for (const [k, v] of Object.entries(m.headers ?? {})) out(`${k}: ${v}`);
        out(`Edition: ${preview.edition} (${preview.subscriber.prefs.frequency})`);
        if (preview.blocked) out(`Note: ${preview.blocked}`);
        out();
        out(m.text);
      });
    });

  digest
    .command("send")
    .description("Make the editions that are due and send them until nothing is due")
    .option("--edition <key>", "force this edition key for everyone due (YYYY-MM-DD or YYYY-Www)")
    .option("--dry-run", "print what would be sent, with the reasons, and write nothing")
    .action(async (opts: { edition?: string; dryRun?: boolean }) => {
      if (opts.edition !== undefined && !isEditionKey(opts.edition)) {
        throw new CommandError(
          `--edition must be a day (2026-11-27) or an ISO week (2026-W48), got ${JSON.stringify(opts.edition)}`,
          EXIT.USAGE,
        );
      }
      const forced = opts.edition ? { edition: opts.edition } : {};
      await withContext(async ({ db, config }) => {
        const now = new Date();
        const ctx = new ComposeContext(db, await semanticOf(db, config));
        if (opts.dryRun) {
          const plan = await scheduleDue(db, config, ctx, now, { ...forced, dryRun: true });
          for (const p of plan.planned) {
            const cards = new Map(
              (
                await paperCards(
                  db,
                  p.items.map((i) => i.paperId),
                )
              ).map((c) => [c.id, c]),
            );
            const empty = p.items.length === 0 && !p.subscriber.sendEmpty;
            out(
              `${p.subscriber.email}  ${p.edition}  ${p.items.length} papers${empty ? " (skipped: nothing new)" : ""}`,
            );
            p.items.forEach((item, i) => {
              const card = cards.get(item.paperId);
              out(`  ${i + 1}. ${card?.title ?? `paper ${item.paperId}`} (${card?.arxivId ?? "?"}): ${item.reason}`);
            });
          }
          const queued = await db.kysely
            .selectFrom("deliveries")
            .select(sql<number>`count(*)`.as("n"))
            .where("state", "in", ["pending", "failed"])
            .where("next_attempt_at", "<=", now.toISOString())
            .executeTakeFirst();
          out(
            `dry run: ${plan.planned.length} editions would be made (${plan.existing} already made), ${Number(queued?.n ?? 0)} queued messages would be sent; nothing was written`,
          );
          return;
        }
        const pausedBefore = await pauseState(db, now);
        if (pausedBefore) {
          process.stderr.write(
            `note: the worker's sending is paused until ${pausedBefore.until} (${pausedBefore.reason}); sending anyway\n`,
          );
        }
        const made = await scheduleDue(db, config, ctx, now, forced);
        const transport = createMailTransport(config.mailUrl, { maxConnections: config.mailPoolSize });
        let sent: Awaited<ReturnType<typeof runSender>>;
        try {
          sent = await runSender({
            db,
            config,
            transport,
            ...configuredPacing(config),
            stopWhenIdle: true,
          });
        } finally {
          await transport.close();
        }
        out(
          `editions: ${made.due} due, ${made.queued} queued, ${made.skipped} skipped, ${made.existing} already made; messages: ${sent.sent} sent, ${sent.retried} to retry, ${sent.dead} given up (${transport.describe})`,
        );
        if (sent.paused) {
          await setPause(db, sent.paused);
          throw new CommandError(`sending paused: ${sent.paused}`, EXIT.FAILURE);
        }
        if (pausedBefore && sent.sent > 0) {
          await setPause(db, null);
          out("sending worked, so the worker's pause is lifted");
        }
      });
    });

  digest
    .command("status")
    .description("Count subscribers and messages by state, and say whether sending is paused")
    .action(async () => {
      await withContext(async ({ db }) => {
        const subs = await countBy(db, "subscribers", "status");
        const states = await countBy(db, "deliveries", "state");
        const paused = await pauseState(db);
        const suppressed = await db.kysely
          .selectFrom("suppressions")
          .select(sql<number>`count(*)`.as("n"))
          .executeTakeFirst();
        out(`subscribers: ${["active", "pending", "unsubscribed"].map((s) => `${subs[s] ?? 0} ${s}`).join(", ")}`);
        out(
          `messages: ${["pending", "sending", "sent", "failed", "dead", "skipped"].map((s) => `${states[s] ?? 0} ${s}`).join(", ")}`,
        );
        out(paused ? `sending: paused until ${paused.until}: ${paused.reason}` : "sending: running");
        out(`suppressed addresses: ${Number(suppressed?.n ?? 0)}`);
      });
    });

  digest
    .command("unsuppress")
    .description("Lift the suppression of an address (an operator's override); it must subscribe again")
    .argument("<email>", "the address")
    .action(async (raw: string) => {
      const email = addressArg(raw);
      await withContext(async ({ db }) => {
        const row = await db.kysely
          .selectFrom("suppressions")
          .selectAll()
          .where("email", "=", email)
          .executeTakeFirst();
        if (!row) {
          out(`${email} is not on the suppression list; nothing changed`);
          return;
        }
        await db.kysely.deleteFrom("suppressions").where("email", "=", email).execute();
        out(
          `${email} removed from the suppression list (was: ${row.reason} since ${row.created_at}${row.detail ? `, ${row.detail}` : ""}); it gets mail again once it subscribes and confirms`,
        );
      });
    });
}
