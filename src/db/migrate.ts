// Applies the dialect's migrations in order and records each in paperboy_migrations. All pending
// migrations run in one transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
// advisory lock on the schema), so processes starting together never migrate twice, and a failed
// migration leaves the database as it was. Nothing here inspects other schemas, so many databases
// or schemas on one PostgreSQL server can migrate at the same time.
import { sql } from "kysely";
import type { Db } from "./client.ts";
import { postgresMigrations } from "./migrations/postgres.ts";
import { sqliteMigrations } from "./migrations/sqlite.ts";
import type { SqlMigration } from "./migrations/types.ts";

const TABLE = "paperboy_migrations";

/** Splits migration SQL at semicolons that end a line; comment lines are dropped. */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split("\n")
        .filter((line) => !line.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter((s) => s.length > 0);
}

function migrationsFor(db: Db): SqlMigration[] {
  return db.dialect === "sqlite" ? sqliteMigrations : postgresMigrations;
}

function failure(name: string, err: unknown): Error {
  return new Error(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
}

/** Runs every pending migration; returns the names applied. Throws naming the failing migration. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const list = migrationsFor(db);
  const now = new Date().toISOString();
  if (db.sqlite) {
    const h = db.sqlite;
    h.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const apply = h.transaction(() => {
      const done = new Set(h.prepare(`SELECT name FROM ${TABLE}`).pluck().all() as string[]);
      const applied: string[] = [];
      for (const m of list) {
        if (done.has(m.name)) continue;
        try {
          // exec runs the whole script, so trigger bodies may hold semicolons anywhere.
          h.exec(m.up);
        } catch (err) {
          throw failure(m.name, err);
        }
        h.prepare(`INSERT INTO ${TABLE} (name, applied_at) VALUES (?, ?)`).run(m.name, now);
        applied.push(m.name);
      }
      return applied;
    });
    return apply.immediate();
  }
  return db.kysely.transaction().execute(async (trx) => {
    // One migrator per schema at a time; the lock is released at commit or rollback.
    await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.${sql.raw(TABLE)}'))`.execute(trx);
    await sql
      .raw(`CREATE TABLE IF NOT EXISTS ${TABLE} (name text PRIMARY KEY, applied_at timestamptz NOT NULL)`)
      .execute(trx);
    const rows = await sql<{ name: string }>`SELECT name FROM ${sql.raw(TABLE)}`.execute(trx);
    const done = new Set(rows.rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.name)) continue;
      try {
        for (const statement of splitStatements(m.up)) await sql.raw(statement).execute(trx);
      } catch (err) {
        throw failure(m.name, err);
      }
      await sql`INSERT INTO ${sql.raw(TABLE)} (name, applied_at) VALUES (${m.name}, ${now})`.execute(trx);
      applied.push(m.name);
    }
    return applied;
  });
}

/** Every migration with when it was applied (null: pending), for `paperboy db status`. */
export async function migrationStatus(db: Db): Promise<{ name: string; appliedAt: string | null }[]> {
  let applied = new Map<string, string>();
  try {
    const rows = await sql<{
      name: string;
      applied_at: string;
    }>`SELECT name, applied_at FROM ${sql.raw(TABLE)}`.execute(db.kysely);
    applied = new Map(rows.rows.map((r) => [r.name, r.applied_at]));
  } catch {
    // No bookkeeping table yet: nothing has been applied.
  }
  return migrationsFor(db).map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
}
