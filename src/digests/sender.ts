// The digest sender: claims due messages from the ledger, renders each for its subscriber, and
// hands it to the mail transport, with as many messages in flight as the SMTP pool has
// connections, at most `ratePerSecond`. Temporary failures are retried with backoff; a permanent
// refusal (5xx) kills the message and suppresses the address; after `pauseAfter` failures in a
// row the run stops and says why (the SMTP server is probably down or refusing us).
// The sender talks to the database through the ledger and to mail through MailTransport only.
import { log } from "../app/log.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { acquireLease, PROCESS_OWNER, releaseLease } from "../jobs/lease.ts";
import { MailError, type MailTransport } from "../mail/transport.ts";
import { paperCards } from "../papers/cards.ts";
import { claimNext, type Delivery, markFailed, markSent, releaseOrphans } from "./ledger.ts";
import { renderDigest } from "./render.ts";
import { isSuppressed, manageToken, subscriberById, suppress } from "./subscribers.ts";

export interface SenderOptions {
  db: Db;
  config: Pick<Config, "baseUrl" | "mailFrom" | "secretKey">;
  transport: MailTransport;
  /** Messages in flight at once: the SMTP pool's connections. */
  concurrency: number;
  ratePerSecond: number;
  /** Failures in a row that pause the run. */
  pauseAfter: number;
  /** Stop when nothing is due (a CLI run) instead of waiting for more (the worker). */
  stopWhenIdle: boolean;
  /** How long this sender's liveness lease lasts; others reclaim its messages after it expires. */
  leaseTtlMs?: number;
  owner?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

/** The pacing the configuration sets: MAIL_POOL_SIZE messages in flight, DIGEST_RATE, DIGEST_PAUSE_AFTER. */
export function configuredPacing(
  config: Pick<Config, "mailPoolSize" | "digestRate" | "digestPauseAfter">,
): Pick<SenderOptions, "concurrency" | "ratePerSecond" | "pauseAfter"> {
  return { concurrency: config.mailPoolSize, ratePerSecond: config.digestRate, pauseAfter: config.digestPauseAfter };
}

export interface SendReport {
  sent: number;
  retried: number;
  dead: number;
  /** Why the run paused, when it did. */
  paused: string | null;
}

/** Links of a subscriber's manage and one-click unsubscribe pages. */
export async function subscriberLinks(db: Db, config: SenderOptions["config"], subscriberId: number) {
  const token = await manageToken(db, config, subscriberId);
  const q = `s=${subscriberId}&t=${token}`;
  return { manage: `${config.baseUrl}/digest/manage?${q}`, unsubscribe: `${config.baseUrl}/digest/unsubscribe?${q}` };
}

/** Renders one claimed delivery as the message to send; null when its subscriber is gone. */
export async function buildMessage(db: Db, config: SenderOptions["config"], delivery: Delivery, date: Date) {
  const sub = await subscriberById(db, delivery.subscriberId);
  if (!sub) return null;
  const cards = await paperCards(
    db,
    delivery.items.map((i) => i.paperId),
  );
  return renderDigest({
    config,
    to: sub.email,
    edition: delivery.edition,
    frequency: sub.prefs.frequency,
    items: delivery.items,
    cards: new Map(cards.map((c) => [c.id, c])),
    links: await subscriberLinks(db, config, sub.id),
    messageId: delivery.messageId,
    date,
  });
}

export async function runSender(o: SenderOptions): Promise<SendReport> {
  const owner = o.owner ?? PROCESS_OWNER;
  const leaseName = `digest-sender:${owner}`;
  const ttl = o.leaseTtlMs ?? 60_000;
  const now = o.now ?? (() => new Date());
  const report: SendReport = { sent: 0, retried: 0, dead: 0, paused: null };
  let failuresInARow = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  o.signal?.addEventListener("abort", stop);

  await acquireLease(o.db, leaseName, ttl, owner);
  const heartbeat = setInterval(
    () => {
      void acquireLease(o.db, leaseName, ttl, owner).catch((err) =>
        log.warn("digest sender heartbeat failed", { error: (err as Error).message }),
      );
    },
    Math.max(200, Math.floor(ttl / 3)),
  );
  await releaseOrphans(o.db, now());

  // A shared pacer: each send waits for its slot, so all loops together keep to the rate.
  const interval = 1000 / Math.max(0.001, o.ratePerSecond);
  let nextSlotAt = Date.now();
  const pace = async () => {
    const wait = nextSlotAt - Date.now();
    nextSlotAt = Math.max(Date.now(), nextSlotAt) + interval;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };

  const loop = async () => {
    while (!stopped) {
      const delivery = await claimNext(o.db, owner, now());
      if (!delivery) {
        // A dead sender's messages come back only once its lease has expired, which can be after
        // this run began (a sender restarted at once after a crash): look again before idling.
        if ((await releaseOrphans(o.db, now(), owner)) > 0) continue;
        if (o.stopWhenIdle) return;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const sub = await subscriberById(o.db, delivery.subscriberId);
      if (sub?.status !== "active" || (await isSuppressed(o.db, sub.email))) {
        await markFailed(o.db, delivery, "subscriber gone, unsubscribed or suppressed", true, owner, now());
        report.dead++;
        continue;
      }
      const message = await buildMessage(o.db, o.config, delivery, now());
      if (!message) continue;
      await pace();
      try {
        await o.transport.send(message);
        await markSent(o.db, delivery.id, owner, now());
        report.sent++;
        failuresInARow = 0;
      } catch (err) {
        const permanent = err instanceof MailError && err.permanent;
        const reason = (err as Error).message;
        const state = await markFailed(o.db, delivery, reason, permanent, owner, now());
        if (permanent) await suppress(o.db, sub.email, "bounce", reason, now());
        if (state === "dead") report.dead++;
        else report.retried++;
        if (!permanent) failuresInARow++;
        if (failuresInARow >= o.pauseAfter && !report.paused) {
          report.paused = `${failuresInARow} sends failed in a row; the last: ${reason}`;
          log.error("digest sending paused", { reason: report.paused });
          stopped = true;
        }
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, loop));
  } finally {
    clearInterval(heartbeat);
    o.signal?.removeEventListener("abort", stop);
    await releaseLease(o.db, leaseName, owner);
  }
  return report;
}
