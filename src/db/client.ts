// Opens the database named by DATABASE_URL: SQLite through better-sqlite3 (WAL, foreign keys, busy
// timeout) or PostgreSQL through a `pg` pool, both behind one Kysely<Database>. Values come back in
// the same shapes from both: integers as numbers, instants as ISO-8601 strings.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { sqlitePath } from "../config/config.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Database } from "./schema.ts";

export type DialectName = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** The raw SQLite handle, for the few bulk paths that bypass the query builder; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// int8 (counts, identity columns) would otherwise arrive as strings; ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// Instants arrive as ISO strings, the form SQLite stores, so callers never see a Date from one side only.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => new Date(`${v}Z`).toISOString());
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface OpenOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL only: the schema to work in (tests use one schema per test). */
  pgSchema?: string;
  /** PostgreSQL only: most connections in the pool (default 10). */
  poolSize?: number;
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  const db = url.startsWith("sqlite:") ? openSqlite(url) : openPostgres(url, options);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

/**
 * Runs `fn` in one transaction with a Db bound to it. Called inside another inTransaction, it joins
 * the outer one, so a feature can make several stores' writes one atomic change (for example an
 * imported page of records and the harvest checkpoint that says it was imported).
 */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.kysely.isTransaction) return fn(db);
  return db.kysely.transaction().execute((trx) => fn({ ...db, kysely: trx }));
}

function openSqlite(url: string): Db {
  const path = sqlitePath(url) as string;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const handle = new SQLite(path);
  handle.pragma("journal_mode = WAL");
  handle.pragma("synchronous = NORMAL");
  handle.pragma("foreign_keys = ON");
  handle.pragma("busy_timeout = 5000");
  handle.pragma("cache_size = -65536"); // 64 MiB page cache
  handle.pragma("temp_store = MEMORY");
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    kysely,
    dialect: "sqlite",
    sqlite: handle,
    close: () => kysely.destroy(),
  };
}

function openPostgres(url: string, options: OpenOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: "postgres", sqlite: null, close: () => kysely.destroy() };
}
