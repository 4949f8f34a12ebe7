// Migrations: applied once, recorded, safe to run concurrently, and all-or-nothing on failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { testDb } from "../../test/helpers/db.ts";
import { openDatabase } from "./client.ts";
import { migrateToLatest, migrationStatus, splitStatements } from "./migrate.ts";
import { postgresMigrations } from "./migrations/postgres.ts";
import { sqliteMigrations } from "./migrations/sqlite.ts";

test("both dialects have the same migrations in the same order", () => {
  assert.deepEqual(
    sqliteMigrations.map((m) => m.name),
    postgresMigrations.map((m) => m.name),
  );
  const names = sqliteMigrations.map((m) => m.name);
  assert.deepEqual([...names].sort(), names, "names sort in run order");
});

test("a fresh database gets every migration once; running again applies nothing", async () => {
  const db = await testDb({ migrate: false });
  try {
    const before = await migrationStatus(db);
    assert.ok(before.every((m) => m.appliedAt === null));
    const applied = await migrateToLatest(db);
    assert.deepEqual(
      applied,
      before.map((m) => m.name),
    );
    assert.deepEqual(await migrateToLatest(db), []);
    const after = await migrationStatus(db);
    assert.ok(after.every((m) => m.appliedAt !== null));
  } finally {
    await db.close();
  }
});

test("two processes' worth of concurrent migrators apply each migration exactly once", async () => {
  const db = await testDb({ migrate: false });
  const other = await openDatabase(db.url, { migrate: false, ...(db.pgSchema ? { pgSchema: db.pgSchema } : {}) });
  try {
    const [a, b] = await Promise.all([migrateToLatest(db), migrateToLatest(other)]);
    assert.equal(a.length + b.length, sqliteMigrations.length, "each migration applied by exactly one");
    const n = await sql<{ n: number }>`SELECT count(*) AS n FROM paperboy_migrations`.execute(db.kysely);
    assert.equal(Number(n.rows[0]?.n), sqliteMigrations.length);
  } finally {
    await other.close();
    await db.close();
  }
});

test("splitting keeps statements whole and drops comment lines", () => {
  assert.deepEqual(splitStatements("-- a comment\nCREATE TABLE a (x int);\n\nCREATE INDEX b ON a (x);\n"), [
    "CREATE TABLE a (x int)",
    "CREATE INDEX b ON a (x)",
  ]);
});
