// The paper store's guarantees: a batch is one transaction (a failure leaves nothing of it), and
// counts and relation rows stay consistent with the papers table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { testDb } from "../../test/helpers/db.ts";
import type { ImportRecord } from "./model.ts";
import { countRows, upsertRecords } from "./store.ts";

const record = (arxivId: string, categories: string[], extra: Partial<ImportRecord> = {}): ImportRecord => ({
  ref: `test:${arxivId}`,
  source: "arxiv-listing",
  paper: { arxivId, title: `Paper ${arxivId}`, abstract: "An abstract.", authors: ["A Author"], categories },
  ...extra,
});

test("a batch that fails half-way leaves nothing behind", async () => {
  const db = await testDb();
  try {
    // A trigger stands in for any database failure in the middle of a batch.
    if (db.dialect === "sqlite") {
      await sql
        .raw(`CREATE TRIGGER boom BEFORE INSERT ON paper_categories WHEN NEW.category = 'boom.XX'
              BEGIN SELECT RAISE(ABORT, 'boom'); END`)
        .execute(db.kysely);
    } else {
      await sql
        .raw(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.category = 'boom.XX' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`)
        .execute(db.kysely);
      await sql
        .raw("CREATE TRIGGER boom BEFORE INSERT ON paper_categories FOR EACH ROW EXECUTE FUNCTION boom()")
        .execute(db.kysely);
    }
    await assert.rejects(
      upsertRecords(db, [record("2607.00001", ["cs.CL"]), record("2607.00002", ["boom.XX"])]),
      /boom/,
    );
    assert.deepEqual(await countRows(db), { papers: 0, featurings: 0, authors: 0 });
    // The next batch goes through as usual.
    const ok = await upsertRecords(db, [record("2607.00003", ["cs.CL"])]);
    assert.equal(ok.inserted, 1);
  } finally {
    await db.close();
  }
});

test("categories keep their order with the primary first, and are replaced on change", async () => {
  const db = await testDb();
  try {
    await upsertRecords(db, [record("2607.00010", ["cs.LG", "cs.CL", "stat.ML"])]);
    await upsertRecords(db, [record("2607.00010", ["cs.CL", "cs.AI"])]);
    const rows = await db.kysely
      .selectFrom("paper_categories")
      .select(["category", "position"])
      .orderBy("position")
      .execute();
    assert.deepEqual(rows, [
      { category: "cs.CL", position: 0 },
      { category: "cs.AI", position: 1 },
    ]);
  } finally {
    await db.close();
  }
});

test("authors are shared between papers and listed in order", async () => {
  const db = await testDb();
  try {
    await upsertRecords(db, [
      {
        ...record("2607.00020", ["cs.CL"]),
        paper: { arxivId: "2607.00020", title: "One", authors: ["Zoë Ma", "Li Wei"] },
      },
      { ...record("2607.00021", ["cs.CL"]), paper: { arxivId: "2607.00021", title: "Two", authors: ["Li Wei"] } },
    ]);
    const authors = await db.kysely.selectFrom("authors").select(["name", "name_key"]).orderBy("name").execute();
    assert.deepEqual(authors, [
      { name: "Li Wei", name_key: "li wei" },
      { name: "Zoë Ma", name_key: "zoe ma" },
    ]);
    const links = await db.kysely
      .selectFrom("paper_authors")
      .select(db.kysely.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(links.n), 3);
  } finally {
    await db.close();
  }
});
