// Follows: a member follows authors (by their folded name, authors.name_key) and arXiv
// categories, and sees new papers from them on the Following page and, later, in digests. Every
// read and write of the follows table goes through here.
import { sql } from "kysely";
import type { Db } from "../db/client.ts";
import { type PaperCard, paperCards } from "../papers/cards.ts";
import { authorKey } from "../papers/model.ts";

export type FollowKind = "author" | "category";

export interface Follow {
  id: number;
  kind: FollowKind;
  /** The author's name_key (authorKey(name)) or the category. */
  value: string;
  /** As shown: the author's name as it was followed, or the category. */
  label: string;
  createdAt: string;
}

export interface FollowedPaper {
  card: PaperCard;
  /** The follows that brought the paper in (an author, a category, or several). */
  matched: Follow[];
}

export class FollowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FollowError";
  }
}

/** More than any reader follows by hand; keeps the Following query bounded. */
export const MAX_FOLLOWS_PER_USER = 500;
/** What a category looks like (cs.CL, hep-th, astro-ph.CO, cond-mat.mes-hall): as the /c/ pages accept. */
export const CATEGORY_PATTERN = /^[a-z-]+(\.[A-Za-z-]+)?$/;
const MAX_AUTHOR_CHARS = 300;

/** The follow's value and label for an author name or a category, or a FollowError. */
export function followTarget(kind: FollowKind, raw: string): { value: string; label: string } {
  const label = raw.replace(/\s+/g, " ").trim();
  if (kind === "category") {
    if (!CATEGORY_PATTERN.test(label) || label.length > 64) {
      throw new FollowError(`"${label.slice(0, 40)}" is not an arXiv category name.`);
    }
    return { value: label, label };
  }
  if (label.length < 1 || label.length > MAX_AUTHOR_CHARS || /\p{Cc}/u.test(label)) {
    throw new FollowError("An author name is 1 to 300 characters.");
  }
  return { value: authorKey(label), label };
}

/** Follows an author (by name) or a category; following again changes nothing. */
export async function follow(
  db: Db,
  userId: number,
  kind: FollowKind,
  nameOrCategory: string,
  now: Date = new Date(),
): Promise<Follow> {
  const { value, label } = followTarget(kind, nameOrCategory);
  const count = await db.kysely
    .selectFrom("follows")
    .select(sql<number>`count(*)`.as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_FOLLOWS_PER_USER) {
    throw new FollowError(`You can follow at most ${MAX_FOLLOWS_PER_USER} authors and categories.`);
  }
  // Named write: the (user_id, kind, value) unique key makes a second follow a no-op.
  await db.kysely
    .insertInto("follows")
    .values({ user_id: userId, kind, value, label, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["user_id", "kind", "value"]).doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom("follows")
    .select(["id", "kind", "value", "label", "created_at"])
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .where("value", "=", value)
    .executeTakeFirstOrThrow();
  return toFollow(row);
}

/** Stops following; returns whether there was such a follow. */
export async function unfollow(db: Db, userId: number, kind: FollowKind, nameOrCategory: string): Promise<boolean> {
  const { value } = followTarget(kind, nameOrCategory);
  const r = await db.kysely
    .deleteFrom("follows")
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .where("value", "=", value)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

function toFollow(r: { id: number; kind: FollowKind; value: string; label: string; created_at: string }): Follow {
  return { id: r.id, kind: r.kind, value: r.value, label: r.label, createdAt: r.created_at };
}

/** What the user follows: authors first, then categories, each by label. */
export async function followsOf(db: Db, userId: number): Promise<Follow[]> {
  const rows = await db.kysely
    .selectFrom("follows")
    .select(["id", "kind", "value", "label", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("kind")
    .orderBy("label")
    .execute();
  return rows.map(toFollow);
}

/** Whether `follows` holds the author `name` (compared by authorKey) or the category. */
export function isFollowing(follows: Follow[], kind: FollowKind, nameOrCategory: string): boolean {
  const value = kind === "author" ? authorKey(nameOrCategory) : nameOrCategory;
  return follows.some((f) => f.kind === kind && f.value === value);
}

/**
 * Papers by the authors and in the categories the user follows, newest submission first, each
 * with the follows that matched it. `since` (an instant) keeps only papers that reached this
 * archive at or after it (papers.created_at), so a digest sent with the previous run's time sees
 * each paper once, even one imported days after its submission. `sinceId` (the first id added since
 * then, see digests/compose.ts) bounds the same set by primary key, so only new rows are read.
 * `limit` defaults to 50.
 */
export async function followingPapers(
  db: Db,
  userId: number,
  { since, sinceId, limit = 50 }: { since?: Date | string; sinceId?: number; limit?: number } = {},
): Promise<FollowedPaper[]> {
  const follows = await followsOf(db, userId);
  if (follows.length === 0) return [];
  const authorKeys = follows.filter((f) => f.kind === "author").map((f) => f.value);
  const categories = follows.filter((f) => f.kind === "category").map((f) => f.value);
  // Named read: ids of papers with a followed author (via authors.name_key) or in a followed
  // category, newest submission first; both halves use the lookup tables' indexes.
  let q = db.kysely
    .selectFrom("papers as p")
    .select("p.id")
    .where((eb) =>
      eb.or([
        ...(authorKeys.length
          ? [
              eb(
                "p.id",
                "in",
                eb
                  .selectFrom("paper_authors as pa")
                  .innerJoin("authors as a", "a.id", "pa.author_id")
                  .select("pa.paper_id")
                  .where("a.name_key", "in", authorKeys),
              ),
            ]
          : []),
        ...(categories.length
          ? [
              eb(
                "p.id",
                "in",
                eb.selectFrom("paper_categories as pc").select("pc.paper_id").where("pc.category", "in", categories),
              ),
            ]
          : []),
      ]),
    )
    .orderBy(sql`p.submitted_at desc nulls last`)
    .orderBy("p.id", "desc")
    .limit(limit);
  if (since !== undefined) {
    q = q.where("p.created_at", ">=", typeof since === "string" ? since : since.toISOString());
  }
  // Ids grow as papers arrive: a lower bound lets the query read only the newest rows of papers.
  if (sinceId !== undefined) q = q.where("p.id", ">=", sinceId);
  const ids = (await q.execute()).map((r) => r.id);
  const cards = await paperCards(db, ids);
  return cards.map((card) => {
    const keys = new Set(card.authors.map(authorKey));
    const cats = new Set(card.categories);
    return {
      card,
      matched: follows.filter((f) => (f.kind === "author" ? keys.has(f.value) : cats.has(f.value))),
    };
  });
}
