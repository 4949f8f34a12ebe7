// Tests that the keyword index follows the papers table (migration 0002_search): imports, re-imports
// that change a title, authors or abstract, unchanged re-imports, deletions, updates of other
// columns, papers stored before the migration, and, on PostgreSQL, accent folding agreeing on both
// sides.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { onPostgres, testDb } from "../../../test/helpers/db.ts";
import type { Db } from "../../db/client.ts";
import { migrateToLatest, splitStatements } from "../../db/migrate.ts";
import { postgresMigrations } from "../../db/migrations/postgres.ts";
import { sqliteMigrations } from "../../db/migrations/sqlite.ts";
import type { SqlMigration } from "../../db/migrations/types.ts";
import type { SourceItem } from "../../papers/import/jsonl.ts";
import { importItems } from "../../papers/import/run.ts";
import type { ImportRecord, PaperInput } from "../../papers/model.ts";
import { upsertRecords } from "../../papers/store.ts";
import { parseQuery } from "../query.ts";
import { keywordSearch } from "./index.ts";
import { foldLatin } from "./postgres.ts";

const listing = (paper: PaperInput, ref = "t"): ImportRecord => ({ paper, ref, source: "arxiv-listing" });

async function importRecords(db: Db, records: ImportRecord[]) {
  async function* items(): AsyncGenerator<SourceItem> {
    for (const record of records) yield { kind: "record", record };
  }
  return importItems(db, items());
}

async function found(db: Db, text: string): Promise<number> {
  return (await keywordSearch(db, parseQuery(text))).total;
}

const paper: PaperInput = {
  arxivId: "2501.00001",
  title: "Quantum Annealing for Scheduling",
  abstract: "We schedule jobs with an annealer built from qubits.",
  authors: ["Ada Lovelace", "Conan O'Brien"],
  categories: ["quant-ph"],
};

test("a re-import that changes the title finds the new title and not the old", async () => {
  const db = await testDb();
  try {
    await importRecords(db, [listing(paper)]);
    assert.equal(await found(db, "annealing"), 1);
    const report = await importRecords(db, [listing({ ...paper, title: "Photonic Circuits for Scheduling" })]);
    assert.equal(report.updated, 1);
    assert.equal(await found(db, "photonic"), 1);
    assert.equal(await found(db, "scheduling"), 1);
    assert.equal(await found(db, '"quantum annealing"'), 0);
    assert.equal(await found(db, "annealing"), 1, "still in the abstract");
    assert.equal(await found(db, "annealing -annealer"), 0);
  } finally {
    await db.close();
  }
});

test("changed authors and abstracts are re-indexed; unchanged re-imports leave one entry", async () => {
  const db = await testDb();
  try {
    await importRecords(db, [listing(paper)]);
    assert.equal(await found(db, 'author:"Conan O\'Brien"'), 1);
    await importRecords(db, [listing({ ...paper, authors: ["Grace Hopper"], abstract: "Compilers, not annealers." })]);
    assert.equal(await found(db, "author:lovelace"), 0);
    assert.equal(await found(db, "author:hopper"), 1);
    assert.equal(await found(db, "compilers"), 1);
    assert.equal(await found(db, "jobs"), 0);
    const again = await importRecords(db, [
      listing({ ...paper, authors: ["Grace Hopper"], abstract: "Compilers, not annealers." }),
    ]);
    assert.equal(again.unchanged, 1);
    assert.equal(await found(db, "compilers"), 1);
  } finally {
    await db.close();
  }
});

test("updates of other columns keep the entry; deleting a paper removes it", async () => {
  const db = await testDb();
  try {
    await upsertRecords(db, [listing(paper), listing({ ...paper, arxivId: "2501.00002", title: "Other Annealing" })]);
    await db.kysely.updateTable("papers").set({ code_stars: 5, comment: "12 pages" }).execute();
    assert.equal(await found(db, "annealing"), 2);
    await db.kysely.deleteFrom("papers").where("arxiv_id", "=", "2501.00002").execute();
    assert.equal(await found(db, "annealing"), 1);
    assert.equal(await found(db, "other"), 0);
  } finally {
    await db.close();
  }
});

/**
 * Brings a fresh database to migration 0001 only, as an installation made before keyword search
 * was: runs its SQL and records it where migrate.ts keeps track, so migrateToLatest runs 0002 next.
 */
async function migrateToFirst(db: Db) {
  const first = (db.dialect === "sqlite" ? sqliteMigrations : postgresMigrations)[0] as SqlMigration;
  assert.equal(first.name, "0001_papers");
  for (const statement of splitStatements(first.up)) await sql.raw(statement).execute(db.kysely);
  await sql`CREATE TABLE paperboy_migrations (name text PRIMARY KEY, applied_at text NOT NULL)`.execute(db.kysely);
  await sql`INSERT INTO paperboy_migrations (name, applied_at) VALUES (${first.name}, ${new Date().toISOString()})`.execute(
    db.kysely,
  );
}

test("papers stored before the search migration are indexed by it", async () => {
  const db = await testDb({ migrate: false });
  try {
    await migrateToFirst(db);
    await upsertRecords(db, [listing(paper)]);
    const applied = await migrateToLatest(db);
    assert.ok(applied.includes("0002_search"));
    assert.equal(await found(db, "annealing"), 1);
    assert.equal(await found(db, "author:lovelace"), 1);
  } finally {
    await db.close();
  }
});

test("accented names are found without their accents", async () => {
  const db = await testDb();
  try {
    await upsertRecords(db, [listing({ ...paper, authors: ["Zoë Müller-Ñúñez", "Łukasz Kaiser"] })]);
    assert.equal(await found(db, "author:zoe"), 1);
    assert.equal(await found(db, 'author:"Muller Nunez"'), 1);
    assert.equal(await found(db, "author:müller"), 1);
    assert.equal(await found(db, "author:łukasz"), 1);
  } finally {
    await db.close();
  }
});

test("the index folds accents exactly as the query side does", { skip: !onPostgres }, async () => {
  const db = await testDb();
  try {
    let all = "";
    for (let c = 0xc0; c <= 0x24f; c++) all += String.fromCodePoint(c);
    const { rows } = await sql<{ f: string }>`SELECT paper_search_fold(${all}) AS f`.execute(db.kysely);
    assert.equal(rows[0]?.f, foldLatin(all));
  } finally {
    await db.close();
  }
});
