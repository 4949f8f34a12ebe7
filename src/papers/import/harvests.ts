// The SQL of OAI-PMH harvest checkpoints (the `harvests` table). One row per harvest key (endpoint,
// metadata prefix, set and date range) holds the resumption token of the next page to ask for, how
// many records were seen, and whether the harvest is running, done or failed.
import type { Db } from "../../db/client.ts";
import type { HarvestRow } from "../../db/schema.ts";

export interface HarvestSpec {
  endpoint: string;
  metadataPrefix: string;
  set: string | null;
  from: string | null;
  until: string | null;
}

/** The key that names a harvest: two runs with the same key continue each other. */
export function harvestKey(spec: HarvestSpec): string {
  return [spec.endpoint, spec.metadataPrefix, spec.set ?? "", spec.from ?? "", spec.until ?? ""].join("|");
}

/** The checkpoint of a harvest, or undefined when it never ran (or was discarded). */
export async function getHarvest(db: Db, key: string): Promise<HarvestRow | undefined> {
  return db.kysely.selectFrom("harvests").selectAll().where("key", "=", key).executeTakeFirst();
}

/** Discards a checkpoint, so that the next run starts from the first page. */
export async function deleteHarvest(db: Db, key: string): Promise<void> {
  await db.kysely.deleteFrom("harvests").where("key", "=", key).execute();
}

/** Starts (or starts over) a harvest at its first page: no token, nothing seen, running. */
export async function startHarvest(db: Db, spec: HarvestSpec, now: Date = new Date()): Promise<void> {
  const stamp = now.toISOString();
  await db.kysely
    .insertInto("harvests")
    .values({
      key: harvestKey(spec),
      endpoint: spec.endpoint,
      metadata_prefix: spec.metadataPrefix,
      set_spec: spec.set,
      from_date: spec.from,
      until_date: spec.until,
      resumption_token: null,
      records_seen: 0,
      status: "running",
      error: null,
      started_at: stamp,
      updated_at: stamp,
    })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        resumption_token: null,
        records_seen: 0,
        status: "running",
        error: null,
        started_at: stamp,
        updated_at: stamp,
      }),
    )
    .execute();
}

/** Marks a stopped harvest as running again, keeping its token and count. */
export async function resumeHarvest(db: Db, key: string, now: Date = new Date()): Promise<void> {
  await db.kysely
    .updateTable("harvests")
    .set({ status: "running", error: null, updated_at: now.toISOString() })
    .where("key", "=", key)
    .execute();
}

/** Records that every page before `token` is stored: the next run asks for `token`. */
export async function saveCheckpoint(
  db: Db,
  key: string,
  token: string | null,
  recordsSeen: number,
  now: Date = new Date(),
): Promise<void> {
  await db.kysely
    .updateTable("harvests")
    .set({ resumption_token: token, records_seen: recordsSeen, updated_at: now.toISOString() })
    .where("key", "=", key)
    .execute();
}

/** Marks a harvest done: the list was read to its end. */
export async function finishHarvest(db: Db, key: string, recordsSeen: number, now: Date = new Date()): Promise<void> {
  await db.kysely
    .updateTable("harvests")
    .set({
      status: "done",
      resumption_token: null,
      records_seen: recordsSeen,
      error: null,
      updated_at: now.toISOString(),
    })
    .where("key", "=", key)
    .execute();
}

/** Marks a harvest failed with the reason; its token stays for the next run to resume from. */
export async function failHarvest(db: Db, key: string, error: string, now: Date = new Date()): Promise<void> {
  await db.kysely
    .updateTable("harvests")
    .set({ status: "failed", error: error.slice(0, 2000), updated_at: now.toISOString() })
    .where("key", "=", key)
    .execute();
}
