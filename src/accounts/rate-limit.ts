// Abuse limits as fixed-window counters in the database (rate_limits), so every process sharing
// the database counts the same hits. Each limit is named with its reason below.
import { sql } from "kysely";
import type { Db } from "../db/client.ts";

export interface Limit {
  /** Most hits per window. */
  max: number;
  windowMs: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const LIMITS = {
  /** Sign-in mails to one address: enough for a lost mail or two, too few to flood an inbox. */
  signinPerAddress: { max: 5, windowMs: HOUR },
  /** Sign-in mails requested from one IP: a lab behind one NAT signs in together; a script does not. */
  signinPerIp: { max: 30, windowMs: HOUR },
  /** Comments per user: a lively discussion, not a flood. */
  commentsPerUser: { max: 20, windowMs: 10 * MINUTE },
  /** Submissions per user per hour (the per-day rule is an admin setting). */
  submissionsPerUser: { max: 20, windowMs: HOUR },
  /** Vote toggles per user: fast clicking through a daily list, not a script. */
  votesPerUser: { max: 120, windowMs: MINUTE },
  /** Subscribe requests per IP (digest confirmations). */
  subscribePerIp: { max: 10, windowMs: HOUR },
} satisfies Record<string, Limit>;

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/** Counts one hit on `key` and says whether it is within `limit`. */
export async function hit(db: Db, key: string, limit: Limit, now: Date = new Date()): Promise<RateDecision> {
  const start = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const windowStart = new Date(start).toISOString();
  // Named write: bump the window's counter, creating it on the first hit; one statement, race-free.
  const row = await db.kysely
    .insertInto("rate_limits")
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(["key", "window_start"]).doUpdateSet({ count: sql`rate_limits.count + 1` }))
    .returning("count")
    .executeTakeFirstOrThrow();
  return { allowed: row.count <= limit.max, retryAfter: Math.ceil((start + limit.windowMs - now.getTime()) / 1000) };
}

/** Drops windows that ended more than a day ago (run by the worker). */
export async function pruneRateLimits(db: Db, now: Date = new Date()): Promise<void> {
  await db.kysely
    .deleteFrom("rate_limits")
    .where("window_start", "<", new Date(now.getTime() - 24 * HOUR).toISOString())
    .execute();
}
