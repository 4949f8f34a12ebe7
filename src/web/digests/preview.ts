// The edition an address would get now, built exactly as the sender builds it (compose with a
// ComposeContext, render with renderDigest) but without recording anything: no delivery row, no
// never-twice ledger entry, no schedule change. An address that is not subscribed is previewed
// with the defaults a new subscriber gets (default sections, no account). Used by the admin
// preview page and by `paperboy digest preview`.
import type { Config } from "../../config/config.ts";
import type { Db } from "../../db/client.ts";
import { ComposeContext, composeEdition, type DigestItem, previousEditionAt } from "../../digests/compose.ts";
import { editionMessageId, renderDigest } from "../../digests/render.ts";
import { lastSlot, nextSlot } from "../../digests/schedule.ts";
import { subscriberLinks } from "../../digests/sender.ts";
import { DEFAULT_MAX_PAPERS, DEFAULT_SECTIONS, type Subscriber, subscriberByEmail } from "../../digests/subscribers.ts";
import type { OutgoingMessage } from "../../mail/transport.ts";
import { type PaperCard, paperCards } from "../../papers/cards.ts";
import type { SemanticIndex } from "../../search/semantic.ts";

export interface EditionPreview {
  subscriber: Subscriber;
  /** False when the address has no subscription: the preview uses a new subscriber's defaults. */
  subscribed: boolean;
  /** Why this address would get nothing now (pending, unsubscribed, suppressed), or null. */
  blocked: string | null;
  edition: string;
  items: DigestItem[];
  cards: Map<number, PaperCard>;
  message: OutgoingMessage;
}

/** The subscriber a new address would become: daily at 07:00 UTC, default sections, no account. */
export function defaultSubscriber(email: string): Subscriber {
  return {
    id: 0,
    email,
    userId: null,
    status: "pending",
    prefs: { frequency: "daily", weekdaysOnly: false, weeklyDay: 1, deliveryHour: 7, timeZone: "UTC" },
    sections: { ...DEFAULT_SECTIONS },
    maxPapers: DEFAULT_MAX_PAPERS,
    sendEmpty: false,
    nextDueAt: null,
  };
}

/** Builds the edition `email` (already normalized) would get at `now`, writing nothing. */
export async function previewEdition(
  db: Db,
  config: Pick<Config, "baseUrl" | "mailFrom" | "secretKey">,
  semantic: SemanticIndex | null,
  email: string,
  now: Date = new Date(),
): Promise<EditionPreview> {
  const existing = await subscriberByEmail(db, email);
  const subscriber = existing ?? defaultSubscriber(email);
  const suppression = await db.kysely
    .selectFrom("suppressions")
    .select(["reason", "created_at"])
    .where("email", "=", email)
    .executeTakeFirst();
  let blocked: string | null = null;
  if (suppression) blocked = `the address is suppressed (${suppression.reason}, since ${suppression.created_at})`;
  else if (!existing) blocked = "the address is not subscribed; this is what a new subscriber would get";
  else if (existing.status !== "active") blocked = `the subscription is ${existing.status}`;

  // The current slot's edition, or the next one when the current edition was already made.
  let edition = lastSlot(subscriber.prefs, now).edition;
  if (existing) {
    const made = await db.kysely
      .selectFrom("deliveries")
      .select("id")
      .where("subscriber_id", "=", existing.id)
      .where("edition", "=", edition)
      .executeTakeFirst();
    if (made) edition = nextSlot(subscriber.prefs, now).edition;
  }

  const ctx = new ComposeContext(db, semantic);
  const since = await previousEditionAt(db, subscriber, now);
  const items = await composeEdition(ctx, subscriber, since);
  const cards = new Map(
    (
      await paperCards(
        db,
        items.map((i) => i.paperId),
      )
    ).map((c) => [c.id, c]),
  );
  const links = existing
    ? await subscriberLinks(db, config, existing.id)
    : {
        manage: `${config.baseUrl}/digest/manage?s=0&t=preview`,
        unsubscribe: `${config.baseUrl}/digest/unsubscribe?s=0&t=preview`,
      };
  const message = renderDigest({
    config,
    to: email,
    edition,
    frequency: subscriber.prefs.frequency,
    items,
    cards,
    links,
    messageId: editionMessageId(config, subscriber.id, edition),
    date: now,
  });
  return { subscriber, subscribed: existing !== null, blocked, edition, items, cards, message };
}
