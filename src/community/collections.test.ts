// Collections against a real database: slugs (folded, unique per owner), visibility rules, owner-
// only writes, idempotent adds, counts and order of items, and cascade on delete.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { findOrCreateUser, type User } from "../accounts/users.ts";
import { upsertRecords } from "../papers/store.ts";
import {
  addToCollection,
  CollectionError,
  collectionPapers,
  collectionsHolding,
  collectionsOf,
  createCollection,
  deleteCollection,
  paperIdOf,
  removeFromCollection,
  slugify,
  updateCollection,
  visibleCollection,
} from "./collections.ts";

let db: TestDb;
let ada: User;
let bob: User;
let p1: number;
let p2: number;

before(async () => {
  db = await testDb();
  await upsertRecords(db, [paperRecord({ arxivId: "2608.50001" }), paperRecord({ arxivId: "2608.50002" })]);
  ada = await findOrCreateUser(db, "ada@example.org");
  bob = await findOrCreateUser(db, "bob@example.org");
  p1 = (await paperIdOf(db, "2608.50001")) as number;
  p2 = (await paperIdOf(db, "2608.50002")) as number;
});
after(() => db.close());

test("slugify folds accents and punctuation, and never returns an empty slug", () => {
  assert.equal(slugify("Été: ML & NLP!"), "ete-ml-nlp");
  assert.equal(slugify("  --  "), "list");
  assert.equal(slugify("日本語"), "list");
  assert.equal(slugify("a".repeat(100)).length, 60);
});

test("slugs are unique per owner; the same name is free for another member", async () => {
  const a = await createCollection(db, ada.id, { name: "Reading" });
  const b = await createCollection(db, ada.id, { name: "reading!" });
  const c = await createCollection(db, bob.id, { name: "Reading", isPublic: true });
  assert.deepEqual([a.slug, b.slug, c.slug], ["reading", "reading-2", "reading"]);
  assert.equal(a.isPublic, false);
  assert.equal(c.isPublic, true);
  assert.equal(a.username, "ada");
  await assert.rejects(createCollection(db, ada.id, { name: "" }), CollectionError);
  await assert.rejects(createCollection(db, ada.id, { name: "x".repeat(81) }), CollectionError);
  await assert.rejects(createCollection(db, ada.id, { name: "ok", description: "d".repeat(1001) }), CollectionError);
});

test("private collections are visible to their owner only; public ones to everyone", async () => {
  const secret = await createCollection(db, ada.id, { name: "Secret" });
  const open = await createCollection(db, ada.id, { name: "Open", isPublic: true });
  assert.equal((await visibleCollection(db, "ada", "secret", ada.id))?.id, secret.id);
  assert.equal(await visibleCollection(db, "ada", "secret", bob.id), null);
  assert.equal(await visibleCollection(db, "ada", "secret", null), null);
  assert.equal((await visibleCollection(db, "ADA", "open", null))?.id, open.id);
  assert.equal(await visibleCollection(db, "ada", "missing", ada.id), null);
});

test("only the owner adds, removes, edits and deletes; adding twice keeps one item", async () => {
  const list = await createCollection(db, ada.id, { name: "Owned" });
  assert.equal(await addToCollection(db, bob.id, list.id, p1), false);
  assert.equal(await addToCollection(db, ada.id, list.id, p1, new Date("2026-08-01T00:00:00Z")), true);
  assert.equal(await addToCollection(db, ada.id, list.id, p1), true);
  assert.equal(await addToCollection(db, ada.id, list.id, p2, new Date("2026-08-02T00:00:00Z")), true);
  const page = await collectionPapers(db, list.id, { limit: 10 });
  assert.equal(page.total, 2);
  assert.deepEqual(
    page.items.map((c) => c.arxivId),
    ["2608.50002", "2608.50001"],
    "most recently added first",
  );
  assert.deepEqual(await collectionsHolding(db, ada.id, p1), [list.id]);
  assert.deepEqual(await collectionsHolding(db, bob.id, p1), []);

  assert.equal(await removeFromCollection(db, bob.id, list.id, p1), false);
  assert.equal(await updateCollection(db, bob.id, list.id, { name: "Stolen", isPublic: true }), false);
  assert.equal(await deleteCollection(db, bob.id, list.id), false);
  assert.equal(await removeFromCollection(db, ada.id, list.id, p1), true);
  assert.equal((await collectionPapers(db, list.id, { limit: 10 })).total, 1);

  assert.equal(await updateCollection(db, ada.id, list.id, { name: "Renamed", isPublic: true }), true);
  const renamed = (await collectionsOf(db, ada.id)).find((c) => c.id === list.id);
  assert.equal(renamed?.name, "Renamed");
  assert.equal(renamed?.slug, "owned");
  assert.equal(renamed?.itemCount, 1);

  assert.equal(await deleteCollection(db, ada.id, list.id), true);
  const left = await db.kysely
    .selectFrom("collection_items")
    .selectAll()
    .where("collection_id", "=", list.id)
    .execute();
  assert.deepEqual(left, [], "items go with their collection");
});
