// A fresh, migrated database for one test: an SQLite file in a temporary folder, or, when
// TEST_DATABASE_URL names a PostgreSQL server (npm run test:pg), a schema of its own there.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Db, openDatabase } from "../../src/db/client.ts";

export interface TestDb extends Db {
  /** The DATABASE_URL a child process would use to reach the same database. */
  url: string;
  /** PostgreSQL schema name, when on PostgreSQL (child processes need it too). */
  pgSchema?: string;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL?.startsWith("postgres"));

/** Opens a fresh database; call `close()` at the end of the test (it also removes the data). */
export async function testDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
  if (onPostgres) {
    const url = process.env.TEST_DATABASE_URL as string;
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = await openDatabase(url, { pgSchema: schema, poolSize: 4, ...options });
    return {
      ...db,
      url,
      pgSchema: schema,
      close: async () => {
        await db.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "paperboy-test-"));
  const url = `sqlite:${join(dir, "test.db")}`;
  const db = await openDatabase(url, options);
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A temporary folder removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "paperboy-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
