// Leases: "only one process does this job at a time" across every process sharing the database.
// Taking or renewing a lease is one upsert that succeeds only when the lease is free, expired, or
// already ours; releasing deletes it if it is ours. Works the same on SQLite and PostgreSQL.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../db/client.ts";

/** This process's owner name: unique even for two processes with the same pid on two hosts. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** Takes or renews `name` for `ttlMs`; true when this owner now holds it. */
export async function acquireLease(
  db: Db,
  name: string,
  ttlMs: number,
  owner = PROCESS_OWNER,
  now: Date = new Date(),
): Promise<boolean> {
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await db.kysely
    .insertInto("leases")
    .values({ name, owner, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ owner, expires_at: expires })
        .where((eb) => eb.or([eb("leases.owner", "=", owner), eb("leases.expires_at", "<", now.toISOString())])),
    )
    .execute();
  const row = await db.kysely.selectFrom("leases").select("owner").where("name", "=", name).executeTakeFirst();
  return row?.owner === owner;
}

/** Gives the lease up if this owner holds it. */
export async function releaseLease(db: Db, name: string, owner = PROCESS_OWNER): Promise<void> {
  await db.kysely.deleteFrom("leases").where("name", "=", name).where("owner", "=", owner).execute();
}
