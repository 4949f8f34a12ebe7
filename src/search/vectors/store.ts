// The SQL of semantic search: fitted models, one vector per paper per embedder (the source of truth
// the ANN index is built from), which embedder is active, and the similar-papers cache.
import { sql } from "kysely";
import type { Db } from "../../db/client.ts";

const ACTIVE_KEY = "search.active_embedder";

/** Float32 vector → bytes for a BLOB/bytea column (little-endian, as every supported CPU stores it). */
export function vectorToBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Bytes from the database → a Float32Array that owns an aligned copy. */
export function bytesToVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** Stores a fitted model's bytes under its id (a refit with the same bytes is a no-op). */
export async function saveModel(db: Db, id: string, dims: number, bytes: Uint8Array): Promise<void> {
  await db.kysely
    .insertInto("embedder_models")
    .values({ id, dims, model: Buffer.from(bytes), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** A stored model's bytes, or undefined. */
export async function loadModel(db: Db, id: string): Promise<Uint8Array | undefined> {
  const row = await db.kysely.selectFrom("embedder_models").select("model").where("id", "=", id).executeTakeFirst();
  return row ? new Uint8Array(row.model) : undefined;
}

/** The newest stored model whose id starts with `prefix` (e.g. "builtin:"). */
export async function newestModelId(db: Db, prefix: string): Promise<string | undefined> {
  const row = await db.kysely
    .selectFrom("embedder_models")
    .select("id")
    .where("id", "like", `${prefix}%`)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .executeTakeFirst();
  return row?.id;
}

/** Removes models other than `keep` whose id starts with `prefix`. */
export async function deleteOtherModels(db: Db, prefix: string, keep: string): Promise<void> {
  await db.kysely.deleteFrom("embedder_models").where("id", "like", `${prefix}%`).where("id", "<>", keep).execute();
}

/** The embedder whose vectors searches use, or undefined before the first index build. */
export async function activeEmbedderId(db: Db): Promise<string | undefined> {
  const row = await db.kysely.selectFrom("settings").select("value").where("key", "=", ACTIVE_KEY).executeTakeFirst();
  return row?.value;
}

export async function setActiveEmbedder(db: Db, id: string): Promise<void> {
  const now = new Date().toISOString();
  await db.kysely
    .insertInto("settings")
    .values({ key: ACTIVE_KEY, value: id, updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: id, updated_at: now }))
    .execute();
}

export interface PaperToEmbed {
  id: number;
  title: string;
  abstract: string;
  content_hash: string;
}

/**
 * The staleness test, on the covering indexes of migration 0010 (papers_content on SQLite is named
 * so the planner walks it rather than the table): a paper has no vector from the embedder, or one
 * made from other content. Reads no abstract and no vector blob.
 */
function staleIds(db: Db, embedderId: string, afterId = 0) {
  const papers = db.dialect === "sqlite" ? sql`papers AS p INDEXED BY papers_content` : sql`papers AS p`;
  return sql<{ id: number }>`
    SELECT p.id FROM ${papers}
    LEFT JOIN paper_vectors v ON v.paper_id = p.id AND v.embedder_id = ${embedderId}
    WHERE p.id > ${afterId} AND (v.paper_id IS NULL OR v.content_hash <> p.content_hash)`;
}

/**
 * Papers with no vector from `embedderId`, or whose vector predates their last change, in id order
 * after `afterId` (keyset paging, so a long run never rescans what it has done). The ids are found
 * on the indexes first, and only those papers' rows are read.
 */
export async function stalePapers(db: Db, embedderId: string, afterId: number, limit: number): Promise<PaperToEmbed[]> {
  const { rows } = await sql<PaperToEmbed>`
    SELECT id, title, abstract, content_hash FROM papers
    WHERE id IN (SELECT id FROM (${staleIds(db, embedderId, afterId)} ORDER BY p.id LIMIT ${limit}) s)
    ORDER BY id`.execute(db.kysely);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** How many papers still need a vector from `embedderId`. */
export async function countStale(db: Db, embedderId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${staleIds(db, embedderId)}) s`.execute(
    db.kysely,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Inserts or replaces vectors in one statement per chunk. */
export async function writeVectors(
  db: Db,
  embedderId: string,
  rows: { paperId: number; contentHash: string; vector: Float32Array }[],
  now: string = new Date().toISOString(),
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500).map((r) => ({
      paper_id: r.paperId,
      embedder_id: embedderId,
      content_hash: r.contentHash,
      vector: vectorToBytes(r.vector),
      updated_at: now,
    }));
    await db.kysely
      .insertInto("paper_vectors")
      .values(part)
      .onConflict((oc) =>
        oc.columns(["embedder_id", "paper_id"]).doUpdateSet((eb) => ({
          content_hash: eb.ref("excluded.content_hash"),
          vector: eb.ref("excluded.vector"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}

export interface StoredVector {
  paperId: number;
  vector: Float32Array;
  updatedAt: string;
}

/**
 * Vectors of `embedderId` changed after `since` (all when null), in (updated_at, paper_id) order
 * after the cursor, so the ANN index can follow the table in pages.
 */
export async function vectorsChangedSince(
  db: Db,
  embedderId: string,
  since: { updatedAt: string; paperId: number } | null,
  limit: number,
): Promise<StoredVector[]> {
  let q = db.kysely
    .selectFrom("paper_vectors")
    .select(["paper_id", "vector", "updated_at"])
    .where("embedder_id", "=", embedderId);
  if (since) {
    q = q.where((eb) =>
      eb.or([
        eb("updated_at", ">", since.updatedAt),
        eb.and([eb("updated_at", "=", since.updatedAt), eb("paper_id", ">", since.paperId)]),
      ]),
    );
  }
  const rows = await q.orderBy("updated_at").orderBy("paper_id").limit(limit).execute();
  return rows.map((r) => ({ paperId: r.paper_id, vector: bytesToVector(r.vector), updatedAt: r.updated_at }));
}

/** Number of vectors an embedder has and when the newest was written: the index's freshness key. */
export async function vectorStats(db: Db, embedderId: string): Promise<{ count: number; newest: string | null }> {
  const row = await db.kysely
    .selectFrom("paper_vectors")
    .select([sql<number>`count(*)`.as("n"), sql<string | null>`max(updated_at)`.as("newest")])
    .where("embedder_id", "=", embedderId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), newest: row.newest };
}

/** One paper's vector from `embedderId`. */
export async function getVector(db: Db, embedderId: string, paperId: number): Promise<Float32Array | undefined> {
  const row = await db.kysely
    .selectFrom("paper_vectors")
    .select("vector")
    .where("embedder_id", "=", embedderId)
    .where("paper_id", "=", paperId)
    .executeTakeFirst();
  return row ? bytesToVector(row.vector) : undefined;
}

/** Vectors of several papers from `embedderId`, in one query (papers without one are left out). */
export async function getVectors(db: Db, embedderId: string, paperIds: number[]): Promise<Float32Array[]> {
  if (paperIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom("paper_vectors")
    .select(["paper_id", "vector"])
    .where("embedder_id", "=", embedderId)
    .where("paper_id", "in", paperIds)
    .execute();
  return rows.map((r) => bytesToVector(r.vector));
}

/** Drops the vectors of every embedder but `keep` (after a switch completes). */
export async function deleteOtherVectors(db: Db, keep: string): Promise<number> {
  const r = await db.kysely.deleteFrom("paper_vectors").where("embedder_id", "<>", keep).executeTakeFirst();
  return Number(r.numDeletedRows);
}
