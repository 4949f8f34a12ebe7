// Collections: a member's named reading lists, public or private. Every read and write of
// collections and collection_items goes through here. Writes take the owner's id and touch only
// rows that user owns, so a caller that passes another user's collection id changes nothing and
// learns nothing (the functions answer as if the collection did not exist).
import { sql } from "kysely";
import type { Db } from "../db/client.ts";
import { type PaperCard, paperCards } from "../papers/cards.ts";
import type { Page, Paging } from "../papers/lists.ts";

export interface Collection {
  id: number;
  userId: number;
  /** The owner's username: the collection's page is /u/:username/:slug. */
  username: string;
  slug: string;
  name: string;
  description: string;
  isPublic: boolean;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A bad name or description; `field` names the form field. */
export class CollectionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "CollectionError";
  }
}

/** Enough lists for any reader's topics; a script creating thousands is stopped. */
export const MAX_COLLECTIONS_PER_USER = 200;
/** A reading list longer than this is an archive of its own. */
export const MAX_ITEMS_PER_COLLECTION = 5000;
export const MAX_NAME_CHARS = 80;
export const MAX_DESCRIPTION_CHARS = 1000;

/** The name lower-cased and accent-folded, runs of other characters as "-": "Été ML!" → "ete-ml". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "list";
}

function cleanFields(input: { name: string; description?: string }): { name: string; description: string } {
  const name = input.name.replace(/\s+/g, " ").trim();
  const description = (input.description ?? "").trim();
  if (name.length < 1 || name.length > MAX_NAME_CHARS || /\p{Cc}/u.test(name)) {
    throw new CollectionError("name", `A name is 1 to ${MAX_NAME_CHARS} characters, without control characters.`);
  }
  if (description.length > MAX_DESCRIPTION_CHARS) {
    throw new CollectionError("description", `A description is at most ${MAX_DESCRIPTION_CHARS} characters.`);
  }
  return { name, description };
}

// Named read: collections with their owner's username and item count (a correlated count, the
// same SQL on both dialects).
function collectionQuery(db: Db) {
  return db.kysely
    .selectFrom("collections as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select([
      "c.id",
      "c.user_id",
      "u.username",
      "c.slug",
      "c.name",
      "c.description",
      "c.is_public",
      "c.created_at",
      "c.updated_at",
      (eb) =>
        eb
          .selectFrom("collection_items as ci")
          .select(sql<number>`count(*)`.as("n"))
          .whereRef("ci.collection_id", "=", "c.id")
          .as("item_count"),
    ]);
}

type CollectionRow = {
  id: number;
  user_id: number;
  username: string;
  slug: string;
  name: string;
  description: string;
  is_public: number;
  created_at: string;
  updated_at: string;
  item_count: number | null;
};

function toCollection(r: CollectionRow): Collection {
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    slug: r.slug,
    name: r.name,
    description: r.description,
    isPublic: Number(r.is_public) === 1,
    itemCount: Number(r.item_count ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The user's collections, by name. */
export async function collectionsOf(db: Db, userId: number): Promise<Collection[]> {
  const rows = await collectionQuery(db).where("c.user_id", "=", userId).orderBy("c.name").orderBy("c.id").execute();
  return rows.map(toCollection);
}

/** One of the user's collections by id, or null when it is not theirs (or does not exist). */
export async function ownCollection(db: Db, userId: number, id: number): Promise<Collection | null> {
  const row = await collectionQuery(db).where("c.id", "=", id).where("c.user_id", "=", userId).executeTakeFirst();
  return row ? toCollection(row) : null;
}

/**
 * The collection at /u/:username/:slug as `viewerId` may see it: a private collection is null for
 * anyone but its owner, exactly as if it did not exist.
 */
export async function visibleCollection(
  db: Db,
  username: string,
  slug: string,
  viewerId: number | null,
): Promise<Collection | null> {
  const row = await collectionQuery(db)
    .where("u.username", "=", username.toLowerCase())
    .where("c.slug", "=", slug)
    .executeTakeFirst();
  if (!row) return null;
  const collection = toCollection(row);
  return collection.isPublic || collection.userId === viewerId ? collection : null;
}

/** Creates a collection with a slug unique among the owner's ("reading", "reading-2", ...). */
export async function createCollection(
  db: Db,
  userId: number,
  input: { name: string; description?: string; isPublic?: boolean },
  now: Date = new Date(),
): Promise<Collection> {
  const { name, description } = cleanFields(input);
  const count = await db.kysely
    .selectFrom("collections")
    .select(sql<number>`count(*)`.as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_COLLECTIONS_PER_USER) {
    throw new CollectionError("name", `You can have at most ${MAX_COLLECTIONS_PER_USER} collections.`);
  }
  const base = slugify(name);
  for (let attempt = 1; attempt <= 50; attempt++) {
    const slug = attempt === 1 ? base : `${base}-${attempt}`;
    // Named write: the (user_id, slug) unique key decides; a taken slug inserts nothing.
    const row = await db.kysely
      .insertInto("collections")
      .values({
        user_id: userId,
        slug,
        name,
        description,
        is_public: input.isPublic ? 1 : 0,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(["user_id", "slug"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (row) return (await ownCollection(db, userId, row.id)) as Collection;
  }
  throw new CollectionError("name", "Too many collections with that name; choose another.");
}

/** Renames a collection and sets its description and visibility; its slug (and so its URL) stays. */
export async function updateCollection(
  db: Db,
  userId: number,
  id: number,
  input: { name: string; description?: string; isPublic: boolean },
  now: Date = new Date(),
): Promise<boolean> {
  const { name, description } = cleanFields(input);
  const r = await db.kysely
    .updateTable("collections")
    .set({ name, description, is_public: input.isPublic ? 1 : 0, updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a collection and its items (ON DELETE CASCADE). */
export async function deleteCollection(db: Db, userId: number, id: number): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom("collections")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Adds a paper to one of the user's collections (adding it twice changes nothing). Returns false
 * when the collection is not theirs.
 */
export async function addToCollection(
  db: Db,
  userId: number,
  collectionId: number,
  paperId: number,
  now: Date = new Date(),
): Promise<boolean> {
  const own = await ownCollection(db, userId, collectionId);
  if (!own) return false;
  if (own.itemCount >= MAX_ITEMS_PER_COLLECTION) {
    throw new CollectionError("collection", `A collection holds at most ${MAX_ITEMS_PER_COLLECTION} papers.`);
  }
  // Named write: the (collection_id, paper_id) primary key makes a second add a no-op.
  await db.kysely
    .insertInto("collection_items")
    .values({ collection_id: collectionId, paper_id: paperId, added_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["collection_id", "paper_id"]).doNothing())
    .execute();
  await db.kysely
    .updateTable("collections")
    .set({ updated_at: now.toISOString() })
    .where("id", "=", collectionId)
    .execute();
  return true;
}

/** Removes a paper from one of the user's collections. Returns false when the collection is not theirs. */
export async function removeFromCollection(
  db: Db,
  userId: number,
  collectionId: number,
  paperId: number,
  now: Date = new Date(),
): Promise<boolean> {
  const own = await ownCollection(db, userId, collectionId);
  if (!own) return false;
  await db.kysely
    .deleteFrom("collection_items")
    .where("collection_id", "=", collectionId)
    .where("paper_id", "=", paperId)
    .execute();
  await db.kysely
    .updateTable("collections")
    .set({ updated_at: now.toISOString() })
    .where("id", "=", collectionId)
    .execute();
  return true;
}

/** Ids of the user's collections that hold `paperId`. */
export async function collectionsHolding(db: Db, userId: number, paperId: number): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom("collection_items as ci")
    .innerJoin("collections as c", "c.id", "ci.collection_id")
    .select("c.id")
    .where("c.user_id", "=", userId)
    .where("ci.paper_id", "=", paperId)
    .execute();
  return rows.map((r) => r.id);
}

/** A collection's papers, most recently added first. */
export async function collectionPapers(
  db: Db,
  collectionId: number,
  { limit, offset = 0 }: Paging,
): Promise<Page<PaperCard> & { addedAt: Map<number, string> }> {
  const [countRow, rows] = await Promise.all([
    db.kysely
      .selectFrom("collection_items")
      .select(sql<number>`count(*)`.as("n"))
      .where("collection_id", "=", collectionId)
      .executeTakeFirst(),
    db.kysely
      .selectFrom("collection_items")
      .select(["paper_id", "added_at"])
      .where("collection_id", "=", collectionId)
      .orderBy("added_at", "desc")
      .orderBy("paper_id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return {
    items: await paperCards(
      db,
      rows.map((r) => r.paper_id),
    ),
    addedAt: new Map(rows.map((r) => [r.paper_id, r.added_at])),
    total: Number(countRow?.n ?? 0),
    limit,
    offset,
  };
}

/** The stored paper's id for an arXiv id (as written in forms), or null. */
export async function paperIdOf(db: Db, arxivId: string): Promise<number | null> {
  const row = await db.kysely.selectFrom("papers").select("id").where("arxiv_id", "=", arxivId).executeTakeFirst();
  return row?.id ?? null;
}
