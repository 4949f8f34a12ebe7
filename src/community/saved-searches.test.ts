// Saved searches against a real database: what a form may save (and the field named when not),
// stored filters, one row per distinct search, the feed token, owner-only delete, and running a
// saved search through search() with its filters (`to` inclusive).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { findOrCreateUser } from "../accounts/users.ts";
import { upsertRecords } from "../papers/store.ts";
import {
  deleteSavedSearch,
  parseSaveSearchInput,
  SavedSearchError,
  savedSearchByToken,
  savedSearchesOf,
  savedSearchMatches,
  savedSearchPath,
  saveSearch,
} from "./saved-searches.ts";

let db: TestDb;

before(async () => {
  db = await testDb();
  await upsertRecords(db, [
    paperRecord({
      arxivId: "2608.70001",
      title: "Quantum error correction codes",
      categories: ["quant-ph"],
      submittedAt: "2026-08-10T12:00:00Z",
    }),
    paperRecord({
      arxivId: "2608.70002",
      title: "Quantum error mitigation on hardware",
      categories: ["quant-ph"],
      submittedAt: "2026-08-11T12:00:00Z",
    }),
    paperRecord({
      arxivId: "2608.70003",
      title: "Quantum error in classical compilers",
      categories: ["cs.PL"],
      submittedAt: "2026-08-10T12:00:00Z",
    }),
  ]);
});
after(() => db.close());

test("form input is checked and normalised; the bad field is named", () => {
  assert.deepEqual(parseSaveSearchInput({ q: "  quantum  ", mode: "hybrid", category: "quant-ph, cs.PL quant-ph" }), {
    name: "quantum",
    query: "quantum",
    filters: { categories: ["quant-ph", "cs.PL"] },
  });
  assert.deepEqual(
    parseSaveSearchInput({ q: "x", mode: "semantic", from: "2026-08-01", to: "2026-08-31", name: "Mine" }),
    {
      name: "Mine",
      query: "x",
      filters: { mode: "semantic", from: "2026-08-01", to: "2026-08-31" },
    },
  );
  const fieldOf = (input: Parameters<typeof parseSaveSearchInput>[0]) => {
    try {
      parseSaveSearchInput(input);
      return null;
    } catch (err) {
      assert.ok(err instanceof SavedSearchError);
      return err.field;
    }
  };
  assert.equal(fieldOf({ q: "   " }), "q");
  assert.equal(fieldOf({ q: "x", mode: "fuzzy" }), "mode");
  assert.equal(fieldOf({ q: "x", category: "<b>" }), "category");
  assert.equal(fieldOf({ q: "x", to: "2026-02-30" }), "to");
});

test("saving: one row per distinct search, a random feed token, owner-only delete", async () => {
  const user = await findOrCreateUser(db, "saver@example.org");
  const other = await findOrCreateUser(db, "other@example.org");
  const a = await saveSearch(db, user.id, { q: "quantum error", category: "quant-ph" });
  const again = await saveSearch(db, user.id, { q: "quantum error", category: "quant-ph", mode: "hybrid" });
  const b = await saveSearch(db, user.id, { q: "quantum error" });
  assert.equal(again.id, a.id);
  assert.notEqual(b.id, a.id);
  assert.notEqual(a.feedToken, b.feedToken);
  assert.match(a.feedToken, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual((await savedSearchesOf(db, user.id)).map((s) => s.id).sort(), [a.id, b.id].sort());
  assert.equal((await savedSearchByToken(db, a.feedToken))?.id, a.id);
  assert.equal(await savedSearchByToken(db, "nope"), null);
  assert.equal(savedSearchPath(a), "/search?q=quantum+error&category=quant-ph");

  assert.equal(await deleteSavedSearch(db, other.id, a.id), false);
  assert.equal(await deleteSavedSearch(db, user.id, a.id), true);
  assert.equal(await savedSearchByToken(db, a.feedToken), null);
});

test("a saved search runs with its filters; `to` includes its own day", async () => {
  const user = await findOrCreateUser(db, "runner@example.org");
  const inCategory = await saveSearch(db, user.id, { q: "quantum error", mode: "keyword", category: "quant-ph" });
  const hits = await savedSearchMatches(db, null, inCategory, { limit: 5 });
  assert.deepEqual(hits.map((h) => h.paper.arxivId).sort(), ["2608.70001", "2608.70002"]);
  const dated = await saveSearch(db, user.id, { q: "quantum error", mode: "keyword", to: "2026-08-10" });
  assert.deepEqual((await savedSearchMatches(db, null, dated)).map((h) => h.paper.arxivId).sort(), [
    "2608.70001",
    "2608.70003",
  ]);
});
