// Digest subscriptions and the suppression list: subscribe with double opt-in (a confirmation
// message, nothing else until it is clicked), confirm, change preferences, unsubscribe; signed
// links let a subscriber manage or leave without signing in. No digest or confirmation is ever
// sent to a suppressed address (unsubscribed, bounced, complained).
import { createHmac } from "node:crypto";
import { RateLimited } from "../accounts/policy.ts";
import { hit, LIMITS } from "../accounts/rate-limit.ts";
import { hashToken, newToken, sameSecret } from "../accounts/tokens.ts";
import { normalizeEmail } from "../accounts/users.ts";
import { instanceSecret } from "../app/secret.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import type { SubscribersTable, SuppressionsTable } from "../db/schema.ts";
import { sendLogged } from "../mail/log.ts";
import type { MailTransport } from "../mail/transport.ts";
import { isTimeZone, nextSlot, type SchedulePrefs } from "./schedule.ts";

export interface DigestSections {
  /** How many trending papers (0: none). */
  trending: number;
  /** New papers from followed authors and categories (accounts only). */
  follows: boolean;
  /** New matches of saved searches (accounts only). */
  savedSearches: boolean;
  /** Papers like the ones in your collections (accounts only). */
  collections: boolean;
}

export const DEFAULT_SECTIONS: DigestSections = { trending: 10, follows: true, savedSearches: true, collections: true };
/** Most papers in one message unless the subscriber says otherwise: a few minutes of reading. */
export const DEFAULT_MAX_PAPERS = 15;
/** A pending subscription's confirmation is re-sent at most this often. */
const CONFIRM_RESEND_MS = 10 * 60_000;

export interface Subscriber {
  id: number;
  email: string;
  userId: number | null;
  status: SubscribersTable["status"];
  prefs: SchedulePrefs;
  sections: DigestSections;
  maxPapers: number;
  sendEmpty: boolean;
  nextDueAt: string | null;
}

export type SubscriberRow = Omit<SubscribersTable, "id"> & { id: number };

export function toSubscriber(r: SubscriberRow): Subscriber {
  return {
    id: r.id,
    email: r.email,
    userId: r.user_id,
    status: r.status,
    prefs: {
      frequency: r.frequency,
      weekdaysOnly: r.weekdays_only === 1,
      weeklyDay: r.weekly_day,
      deliveryHour: r.delivery_hour,
      timeZone: r.time_zone,
    },
    sections: { ...DEFAULT_SECTIONS, ...(JSON.parse(r.sections) as Partial<DigestSections>) },
    maxPapers: r.max_papers,
    sendEmpty: r.send_empty === 1,
    nextDueAt: r.next_due_at,
  };
}

export class SubscribeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export async function subscriberByEmail(db: Db, email: string): Promise<Subscriber | null> {
  const row = await db.kysely.selectFrom("subscribers").selectAll().where("email", "=", email).executeTakeFirst();
  return row ? toSubscriber(row) : null;
}

export async function subscriberById(db: Db, id: number): Promise<Subscriber | null> {
  const row = await db.kysely.selectFrom("subscribers").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toSubscriber(row) : null;
}

export async function isSuppressed(db: Db, email: string): Promise<boolean> {
  const row = await db.kysely.selectFrom("suppressions").select("email").where("email", "=", email).executeTakeFirst();
  return !!row;
}

/** Adds `email` to the suppression list (keeps the first reason when already there). */
export async function suppress(
  db: Db,
  email: string,
  reason: SuppressionsTable["reason"],
  detail: string | null = null,
  now: Date = new Date(),
): Promise<void> {
  await db.kysely
    .insertInto("suppressions")
    .values({ email, reason, detail: detail?.slice(0, 500) ?? null, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("email").doNothing())
    .execute();
}

/** The instance secret, read once per database handle. */
const secrets = new WeakMap<Db, Promise<string>>();
function secretOf(db: Db, config: Pick<Config, "secretKey">): Promise<string> {
  let s = secrets.get(db);
  if (!s) {
    s = instanceSecret(db, config.secretKey);
    secrets.set(db, s);
  }
  return s;
}

/** The token of a subscriber's manage and unsubscribe links: an HMAC of the id, never stored. */
export async function manageToken(db: Db, config: Pick<Config, "secretKey">, subscriberId: number): Promise<string> {
  const secret = await secretOf(db, config);
  return createHmac("sha256", secret).update(`digest:${subscriberId}`).digest("base64url").slice(0, 32);
}

export async function checkManageToken(
  db: Db,
  config: Pick<Config, "secretKey">,
  subscriberId: number,
  token: string,
): Promise<boolean> {
  return sameSecret(await manageToken(db, config, subscriberId), token);
}

export interface SubscribeInput {
  email: string;
  /** The account subscribing from its settings: its address is proven, so no confirmation. */
  userId?: number | null;
  ip?: string | null;
}

export type SubscribeOutcome = "confirmation-sent" | "already-active" | "activated" | "suppressed" | "resent-recently";

/**
 * Subscribes an address. From the public box: a pending row and a confirmation message (the
 * answer shown is the same whatever happened, so the box reveals nothing about an address).
 * From account settings: active at once.
 */
export async function subscribe(
  db: Db,
  mail: MailTransport,
  config: Pick<Config, "baseUrl" | "mailFrom" | "secretKey">,
  input: SubscribeInput,
  now: Date = new Date(),
): Promise<SubscribeOutcome> {
  const email = normalizeEmail(input.email);
  if (!email) throw new SubscribeError("email", `"${input.email.slice(0, 100)}" is not an email address.`);
  if (input.ip) {
    const limit = await hit(db, `subscribe-ip:${input.ip}`, LIMITS.subscribePerIp, now);
    if (!limit.allowed) {
      throw new RateLimited("Too many subscription requests from your network. Try again later.", limit.retryAfter);
    }
  }
  const stamp = now.toISOString();
  const existing = await subscriberByEmail(db, email);
  if (input.userId) {
    // Signed in with this address: proven; an earlier unsubscribe is lifted, bounces are not.
    const suppression = await db.kysely
      .selectFrom("suppressions")
      .select("reason")
      .where("email", "=", email)
      .executeTakeFirst();
    if (suppression && suppression.reason !== "unsubscribe") return "suppressed";
    if (suppression) await db.kysely.deleteFrom("suppressions").where("email", "=", email).execute();
    if (existing?.status === "active") {
      // Subscribed from the box before the account existed: link it, so the account sections apply.
      if (existing.userId !== input.userId) {
        await db.kysely
          .updateTable("subscribers")
          .set({ user_id: input.userId, updated_at: stamp })
          .where("id", "=", existing.id)
          .execute();
      }
      return "already-active";
    }
    const prefs = existing?.prefs ?? defaultPrefs();
    const values = {
      user_id: input.userId,
      status: "active" as const,
      confirmed_at: stamp,
      unsubscribed_at: null,
      next_due_at: nextSlot(prefs, now).at.toISOString(),
      updated_at: stamp,
    };
    if (existing) await db.kysely.updateTable("subscribers").set(values).where("id", "=", existing.id).execute();
    else
      await db.kysely
        .insertInto("subscribers")
        .values({ ...newRow(email, stamp), ...values })
        .execute();
    return "activated";
  }
  if (await isSuppressed(db, email)) return "suppressed";
  if (existing?.status === "active") return "already-active";
  const sentAt = existing
    ? (
        await db.kysely
          .selectFrom("subscribers")
          .select("confirm_sent_at")
          .where("id", "=", existing.id)
          .executeTakeFirst()
      )?.confirm_sent_at
    : null;
  if (sentAt && now.getTime() - Date.parse(sentAt) < CONFIRM_RESEND_MS) return "resent-recently";
  const token = newToken();
  if (existing) {
    await db.kysely
      .updateTable("subscribers")
      .set({ status: "pending", confirm_token_hash: hashToken(token), confirm_sent_at: stamp, updated_at: stamp })
      .where("id", "=", existing.id)
      .execute();
  } else {
    await db.kysely
      .insertInto("subscribers")
      .values({ ...newRow(email, stamp), confirm_token_hash: hashToken(token), confirm_sent_at: stamp })
      .execute();
  }
  const link = new URL("/subscribe/confirm", config.baseUrl);
  link.searchParams.set("token", token);
  await sendLogged(
    db,
    mail,
    "digest-confirm",
    {
      from: config.mailFrom,
      to: email,
      subject: "Confirm your Paperboy digest",
      text: [
        "Someone (we hope you) asked to get Paperboy's digest of trending papers at this address.",
        "",
        "Confirm with this link:",
        link.toString(),
        "",
        "If it was not you, ignore this message: nothing more will be sent.",
      ].join("\n"),
      html: [
        "<p>Someone (we hope you) asked to get Paperboy's digest of trending papers at this address.</p>",
        `<p><a href="${link.toString().replace(/&/g, "&amp;")}">Confirm my subscription</a></p>`,
        "<p>If it was not you, ignore this message: nothing more will be sent.</p>",
      ].join("\n"),
      date: now,
    },
    now,
  ).catch(async (err) => {
    // Not sent: let the next request try again at once instead of answering "resent-recently".
    await db.kysely
      .updateTable("subscribers")
      .set({ confirm_sent_at: null })
      .where("email", "=", email)
      .where("confirm_sent_at", "=", stamp)
      .execute();
    throw err;
  });
  return "confirmation-sent";
}

function defaultPrefs(): SchedulePrefs {
  return { frequency: "daily", weekdaysOnly: false, weeklyDay: 1, deliveryHour: 7, timeZone: "UTC" };
}

function newRow(email: string, stamp: string) {
  const p = defaultPrefs();
  return {
    email,
    user_id: null,
    status: "pending" as const,
    frequency: p.frequency,
    weekdays_only: 0,
    weekly_day: p.weeklyDay,
    delivery_hour: p.deliveryHour,
    time_zone: p.timeZone,
    sections: JSON.stringify(DEFAULT_SECTIONS),
    max_papers: DEFAULT_MAX_PAPERS,
    send_empty: 0,
    created_at: stamp,
    updated_at: stamp,
  };
}

/** Uses a confirmation link: the subscription becomes active; null when the link is not valid. */
export async function confirmSubscription(db: Db, token: string, now: Date = new Date()): Promise<Subscriber | null> {
  const row = await db.kysely
    .selectFrom("subscribers")
    .selectAll()
    .where("confirm_token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (row?.status !== "pending" || (await isSuppressed(db, row.email))) return null;
  const sub = toSubscriber(row);
  await db.kysely
    .updateTable("subscribers")
    .set({
      status: "active",
      confirm_token_hash: null,
      confirmed_at: now.toISOString(),
      next_due_at: nextSlot(sub.prefs, now).at.toISOString(),
      updated_at: now.toISOString(),
    })
    .where("id", "=", row.id)
    .where("status", "=", "pending")
    .execute();
  return subscriberById(db, row.id);
}

/** Leaves the digest: no more mail, and the address goes on the suppression list. */
export async function unsubscribe(db: Db, subscriberId: number, now: Date = new Date()): Promise<boolean> {
  const sub = await subscriberById(db, subscriberId);
  if (!sub) return false;
  await db.kysely
    .updateTable("subscribers")
    .set({
      status: "unsubscribed",
      unsubscribed_at: now.toISOString(),
      next_due_at: null,
      updated_at: now.toISOString(),
    })
    .where("id", "=", subscriberId)
    .execute();
  // Editions made but not yet sent are dropped with it.
  await db.kysely
    .updateTable("deliveries")
    .set({ state: "dead", last_error: "unsubscribed" })
    .where("subscriber_id", "=", subscriberId)
    .where("state", "in", ["pending", "failed"])
    .execute();
  await suppress(db, sub.email, "unsubscribe", null, now);
  return true;
}

export interface PreferencesInput {
  frequency: string;
  weekdaysOnly: boolean;
  weeklyDay: number;
  deliveryHour: number;
  timeZone: string;
  sections: DigestSections;
  maxPapers: number;
  sendEmpty: boolean;
}

/** Validates and stores preferences; the next edition is rescheduled to match them. */
export async function updatePreferences(
  db: Db,
  subscriberId: number,
  input: PreferencesInput,
  now: Date = new Date(),
): Promise<void> {
  if (input.frequency !== "daily" && input.frequency !== "weekly") {
    throw new SubscribeError("frequency", "Frequency must be daily or weekly.");
  }
  if (!Number.isInteger(input.deliveryHour) || input.deliveryHour < 0 || input.deliveryHour > 23) {
    throw new SubscribeError("delivery_hour", "The delivery hour must be a whole hour from 0 to 23.");
  }
  if (!Number.isInteger(input.weeklyDay) || input.weeklyDay < 1 || input.weeklyDay > 7) {
    throw new SubscribeError("weekly_day", "The weekly day must be 1 (Monday) to 7 (Sunday).");
  }
  if (!isTimeZone(input.timeZone)) {
    throw new SubscribeError("time_zone", `"${input.timeZone.slice(0, 60)}" is not a time zone (e.g. Europe/Paris).`);
  }
  if (!Number.isInteger(input.maxPapers) || input.maxPapers < 1 || input.maxPapers > 50) {
    throw new SubscribeError("max_papers", "The most papers per email must be 1 to 50.");
  }
  const trending = input.sections.trending;
  if (!Number.isInteger(trending) || trending < 0 || trending > 50) {
    throw new SubscribeError("trending", "Trending papers must be 0 to 50.");
  }
  const prefs: SchedulePrefs = {
    frequency: input.frequency,
    weekdaysOnly: input.weekdaysOnly,
    weeklyDay: input.weeklyDay,
    deliveryHour: input.deliveryHour,
    timeZone: input.timeZone,
  };
  const sub = await subscriberById(db, subscriberId);
  await db.kysely
    .updateTable("subscribers")
    .set({
      frequency: prefs.frequency,
      weekdays_only: prefs.weekdaysOnly ? 1 : 0,
      weekly_day: prefs.weeklyDay,
      delivery_hour: prefs.deliveryHour,
      time_zone: prefs.timeZone,
      sections: JSON.stringify(input.sections),
      max_papers: input.maxPapers,
      send_empty: input.sendEmpty ? 1 : 0,
      ...(sub?.status === "active" ? { next_due_at: nextSlot(prefs, now).at.toISOString() } : {}),
      updated_at: now.toISOString(),
    })
    .where("id", "=", subscriberId)
    .execute();
}
