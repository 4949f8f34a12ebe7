// The instance secret: SECRET_KEY when set, otherwise one generated on first start and kept in the
// settings table, so every process sharing the database signs with the same key.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";

const KEY = "secret_key";

export async function instanceSecret(db: Db, configured: string): Promise<string> {
  if (configured) return configured;
  const fresh = randomBytes(32).toString("hex");
  // Insert-if-absent, then read: two processes starting together agree on the first one written.
  await db.kysely
    .insertInto("settings")
    .values({ key: KEY, value: fresh, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.kysely.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirstOrThrow();
  return row.value;
}
