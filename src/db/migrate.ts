// Applies the dialect's migrations in order with Kysely's Migrator, which records what ran in
// kysely_migration and holds a lock so two processes starting at once do not both migrate.
import { type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { Db } from "./client.ts";
import { postgresMigrations } from "./migrations/postgres.ts";
import { sqliteMigrations } from "./migrations/sqlite.ts";
import type { SqlMigration } from "./migrations/types.ts";

class SqlMigrationProvider implements MigrationProvider {
  constructor(private readonly list: SqlMigration[]) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of this.list) {
      out[m.name] = {
        up: async (db) => {
          for (const statement of splitStatements(m.up)) await sql.raw(statement).execute(db);
        },
      };
    }
    return out;
  }
}

/** Splits migration SQL at semicolons that end a line; comments are dropped. */
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

async function migratorFor(db: Db): Promise<Migrator> {
  const list = db.dialect === "sqlite" ? sqliteMigrations : postgresMigrations;
  // On PostgreSQL the bookkeeping tables live in the schema being migrated (search_path's first),
  // not wherever a table of the same name happens to exist in another schema of the database.
  const schema =
    db.dialect === "postgres"
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  return new Migrator({
    db: db.kysely,
    provider: new SqlMigrationProvider(list),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Runs every pending migration; returns the names applied. Throws with the failing name on error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await (await migratorFor(db)).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Every migration with whether it has been applied, for `paperboy db status`. */
export async function migrationStatus(db: Db): Promise<{ name: string; appliedAt: string | null }[]> {
  const infos = await (await migratorFor(db)).getMigrations();
  return infos.map((m) => ({
    name: m.name,
    appliedAt: m.executedAt ? m.executedAt.toISOString() : null,
  }));
}
