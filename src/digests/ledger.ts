// The delivery ledger: editions become rows when they are due (composed once, with the papers
// recorded in the never-twice ledger in the same transaction), and senders claim rows in short
// transactions (on PostgreSQL with FOR UPDATE SKIP LOCKED, so several workers share the work),
// checkpointing each one as sent, failed (with a retry time) or dead. A claim is also a
// conditional UPDATE, so two senders can never both own a row on either database.
import { sql } from "kysely";
import type { Config } from "../config/config.ts";
import { type Db, inTransaction } from "../db/client.ts";
import type { DeliveryState } from "../db/schema.ts";
import { PROCESS_OWNER } from "../jobs/lease.ts";
import { ComposeContext, composeEdition, type DigestItem, previousEditionAt } from "./compose.ts";
import { editionMessageId } from "./render.ts";
import { lastSlot, nextSlot } from "./schedule.ts";
import { isSuppressed, type Subscriber, type SubscriberRow, toSubscriber } from "./subscribers.ts";

/** Failed sends are retried after 1, 2, 4 … minutes, at most this long apart. */
export const RETRY_BASE_MS = 60_000;
export const RETRY_MAX_MS = 6 * 3_600_000;
/** Attempts before a message is given up (dead). */
export const MAX_ATTEMPTS = 8;
const SCHEDULE_BATCH = 200;

export interface Delivery {
  id: number;
  subscriberId: number;
  edition: string;
  state: DeliveryState;
  attempts: number;
  messageId: string;
  items: DigestItem[];
}

export interface ScheduleReport {
  due: number;
  queued: number;
  skipped: number;
  /** Editions that already existed (made by another process, or sent before a restart). */
  existing: number;
}

/**
 * Makes the edition of every active subscriber whose delivery time has come: the latest slot at
 * or before `now` (after downtime, one edition, not one per missed day), then schedules the next.
 * `edition` forces an edition key for everyone due (operators' `digest send --edition`).
 */
export async function scheduleDue(
  db: Db,
  config: Pick<Config, "baseUrl">,
  ctx: ComposeContext,
  now: Date = new Date(),
  { edition: forced, dryRun = false }: { edition?: string; dryRun?: boolean } = {},
): Promise<ScheduleReport & { planned: { subscriber: Subscriber; edition: string; items: DigestItem[] }[] }> {
  const report = {
    due: 0,
    queued: 0,
    skipped: 0,
    existing: 0,
    planned: [] as { subscriber: Subscriber; edition: string; items: DigestItem[] }[],
  };
  let after = 0;
  for (;;) {
    // Named read: active subscribers whose next edition is due, in id order, one batch at a time.
    const rows = await db.kysely
      .selectFrom("subscribers")
      .selectAll()
      .where("status", "=", "active")
      .where("next_due_at", "<=", now.toISOString())
      .where("id", ">", after)
      .orderBy("id")
      .limit(SCHEDULE_BATCH)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    for (const row of rows as SubscriberRow[]) {
      report.due++;
      const sub = toSubscriber(row);
      const slot = lastSlot(sub.prefs, now);
      const edition = forced ?? slot.edition;
      const next = nextSlot(sub.prefs, now).at.toISOString();
      const exists = await db.kysely
        .selectFrom("deliveries")
        .select("id")
        .where("subscriber_id", "=", sub.id)
        .where("edition", "=", edition)
        .executeTakeFirst();
      if (exists) {
        report.existing++;
        if (!dryRun) await setNextDue(db, sub.id, next, now);
        continue;
      }
      const since = await previousEditionAt(db, sub, now);
      const items = await composeEdition(ctx, sub, since);
      if (dryRun) {
        report.planned.push({ subscriber: sub, edition, items });
        continue;
      }
      const empty = items.length === 0 && !sub.sendEmpty;
      const suppressed = await isSuppressed(db, sub.email);
      const made = await inTransaction(db, async (tx) => {
        // Named write: the edition's row; the unique (subscriber_id, edition) key makes a second
        // scheduler's insert a no-op.
        const inserted = await tx.kysely
          .insertInto("deliveries")
          .values({
            subscriber_id: sub.id,
            edition,
            state: empty || suppressed ? (suppressed ? "dead" : "skipped") : "pending",
            attempts: 0,
            next_attempt_at: now.toISOString(),
            message_id: editionMessageId(config, sub.id, edition),
            items: JSON.stringify(items),
            last_error: suppressed ? "address suppressed" : empty ? "nothing new worth sending" : null,
            created_at: now.toISOString(),
          })
          .onConflict((oc) => oc.columns(["subscriber_id", "edition"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) return false;
        if (!empty && !suppressed && items.length > 0) {
          await tx.kysely
            .insertInto("digest_papers")
            .values(items.map((i) => ({ subscriber_id: sub.id, paper_id: i.paperId, delivery_id: inserted.id })))
            .onConflict((oc) => oc.columns(["subscriber_id", "paper_id"]).doNothing())
            .execute();
        }
        await setNextDue(tx, sub.id, next, now);
        return true;
      });
      if (!made) report.existing++;
      else if (empty || suppressed) report.skipped++;
      else report.queued++;
    }
  }
  return report;
}

async function setNextDue(db: Db, subscriberId: number, next: string, now: Date): Promise<void> {
  await db.kysely
    .updateTable("subscribers")
    .set({ next_due_at: next, updated_at: now.toISOString() })
    .where("id", "=", subscriberId)
    .execute();
}

/** Claims the next due message for `owner`, or null when none is due. */
export async function claimNext(db: Db, owner = PROCESS_OWNER, now: Date = new Date()): Promise<Delivery | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const claimed = await inTransaction(db, async (tx) => {
      // Named read: the oldest due message; PostgreSQL skips rows other senders hold locked.
      const candidate = await sql<{ id: number }>`
        SELECT id FROM deliveries
         WHERE state IN ('pending', 'failed') AND next_attempt_at <= ${now.toISOString()}
         ORDER BY next_attempt_at, id
         LIMIT 1 ${sql.raw(db.dialect === "postgres" ? "FOR UPDATE SKIP LOCKED" : "")}
      `.execute(tx.kysely);
      const id = candidate.rows[0]?.id;
      if (id === undefined) return "none" as const;
      // Named write: the claim itself, conditional on the row still being claimable.
      const row = await tx.kysely
        .updateTable("deliveries")
        .set({ state: "sending", claimed_by: owner, claimed_at: now.toISOString() })
        .where("id", "=", Number(id))
        .where("state", "in", ["pending", "failed"])
        .returning(["id", "subscriber_id", "edition", "state", "attempts", "message_id", "items"])
        .executeTakeFirst();
      return row ?? ("lost" as const);
    });
    if (claimed === "none") return null;
    if (claimed === "lost") continue;
    return {
      id: claimed.id,
      subscriberId: claimed.subscriber_id,
      edition: claimed.edition,
      state: claimed.state,
      attempts: claimed.attempts,
      messageId: claimed.message_id,
      items: JSON.parse(claimed.items) as DigestItem[],
    };
  }
  return null;
}

/** Checkpoint: the transport took the message. */
export async function markSent(db: Db, id: number, owner = PROCESS_OWNER, now: Date = new Date()): Promise<void> {
  await db.kysely
    .updateTable("deliveries")
    .set({ state: "sent", sent_at: now.toISOString(), attempts: sql`attempts + 1`, last_error: null })
    .where("id", "=", id)
    .where("claimed_by", "=", owner)
    .execute();
}

/** The wait before attempt `attempts + 1`: 1, 2, 4 … minutes, capped. */
export function retryDelay(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** Checkpoint: the send failed; temporary failures are retried later, permanent ones are dead. */
export async function markFailed(
  db: Db,
  delivery: Pick<Delivery, "id" | "attempts">,
  error: string,
  permanent: boolean,
  owner = PROCESS_OWNER,
  now: Date = new Date(),
): Promise<DeliveryState> {
  const attempts = delivery.attempts + 1;
  const state: DeliveryState = permanent || attempts >= MAX_ATTEMPTS ? "dead" : "failed";
  await db.kysely
    .updateTable("deliveries")
    .set({
      state,
      attempts,
      last_error: error.slice(0, 500),
      next_attempt_at: new Date(now.getTime() + retryDelay(attempts)).toISOString(),
      claimed_by: null,
    })
    .where("id", "=", delivery.id)
    .where("claimed_by", "=", owner)
    .execute();
  return state;
}

/**
 * Messages left "sending" by a sender that died (its lease expired) go back to pending. Those
 * may have reached the SMTP server just before the crash: at most one per connection of the dead
 * sender's pool is sent twice, with the same Message-ID. `except` (the caller) keeps its own
 * messages even when its lease lapsed, e.g. a heartbeat late on a busy machine.
 */
export async function releaseOrphans(db: Db, now: Date = new Date(), except: string | null = null): Promise<number> {
  const r = await sql`
    UPDATE deliveries SET state = 'pending', claimed_by = NULL
     WHERE state = 'sending'
       AND (claimed_by IS NULL OR claimed_by <> ${except ?? ""})
       AND (claimed_by IS NULL OR NOT EXISTS (
             SELECT 1 FROM leases
              WHERE leases.name = 'digest-sender:' || deliveries.claimed_by
                AND leases.expires_at > ${now.toISOString()}))
  `.execute(db.kysely);
  return Number(r.numAffectedRows ?? 0);
}

export { ComposeContext };
