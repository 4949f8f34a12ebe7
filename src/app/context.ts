// What every command needs: the validated configuration and an open, migrated database.
import { type Config, loadConfig } from "../config/config.ts";
import { type Db, openDatabase } from "../db/client.ts";
import { setLogLevel } from "./log.ts";

export interface AppContext {
  config: Config;
  db: Db;
  close(): Promise<void>;
}

/** Loads the configuration (throws ConfigError) and opens the database it names. */
export async function openContext(env: Record<string, string | undefined> = process.env): Promise<AppContext> {
  const config = loadConfig(env);
  setLogLevel(config.logLevel);
  const db = await openDatabase(config.databaseUrl);
  return { config, db, close: () => db.close() };
}

/** Runs `fn` with a context and always closes the database afterwards. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
