// The semantic half of search for one process: the active embedder and its ANN index, kept in step
// with paper_vectors. `open` loads the index file or rebuilds it from the database; `refresh`
// extends it with vectors written since (by this process or any other sharing the database).
import { join } from "node:path";
import { log } from "../app/log.ts";
import type { Db } from "../db/client.ts";
import type { Embedder } from "./embedder.ts";
import { type AnnHit, AnnIndex } from "./vectors/ann.ts";
import { getVector, getVectors, vectorStats, vectorsChangedSince } from "./vectors/store.ts";

const PAGE = 5000;

/** Where the index of an embedder lives under DATA_DIR. */
export function annPath(dataDir: string, embedderId: string): string {
  return join(dataDir, "vectors", `${embedderId.replace(/[^A-Za-z0-9._-]+/g, "_")}.usearch`);
}

export class SemanticIndex {
  private rebuilding = false;

  private constructor(
    private readonly db: Db,
    readonly embedder: Embedder,
    private ann: AnnIndex,
    private readonly path: string,
  ) {}

  /** Opens the index of `embedder`: the saved file when it is current, else built from the database. */
  static async open(db: Db, dataDir: string, embedder: Embedder): Promise<SemanticIndex> {
    const path = annPath(dataDir, embedder.id);
    const loaded = AnnIndex.load(path, embedder.id, embedder.dims);
    const index = new SemanticIndex(db, embedder, loaded ?? AnnIndex.empty(embedder.id, embedder.dims), path);
    if (!loaded) log.info("building the vector index from the database", { embedder: embedder.id });
    await index.refresh();
    return index;
  }

  /** A label that changes whenever the index's content does: cached neighbour lists key on it. */
  get generation(): string {
    const c = this.ann.manifest.cursor;
    return `${this.embedder.id}|${this.ann.size}|${c ? `${c.updatedAt}#${c.paperId}` : "-"}`;
  }

  get size(): number {
    return this.ann.size;
  }

  /**
   * Brings the index up to the database: adds vectors written since its cursor; rebuilds when rows
   * were deleted. Saves the file when anything changed. Returns how many vectors were added.
   */
  async refresh(): Promise<number> {
    const stats = await vectorStats(this.db, this.embedder.id);
    const m = this.ann.manifest;
    if (stats.count === m.count && stats.newest === (m.cursor?.updatedAt ?? null)) return 0;
    if (stats.count < m.count) {
      // Papers were deleted: start over rather than track removals.
      this.ann = AnnIndex.empty(this.embedder.id, this.embedder.dims);
    }
    // Vectors are written by one process at a time (the holder of the search-index lease), batch
    // after batch, so rows commit in (updated_at, paper_id) order and a keyset cursor misses none.
    // Should a lease change hands mid-batch and a row slip behind the cursor, the count check
    // below notices the shortfall and the index is rebuilt.
    let cursor = this.ann.manifest.cursor;
    let added = 0;
    for (;;) {
      const page = await vectorsChangedSince(this.db, this.embedder.id, cursor, PAGE);
      if (page.length === 0) break;
      this.ann.upsert(page);
      added += page.length;
      const last = page[page.length - 1] as (typeof page)[number];
      cursor = { updatedAt: last.updatedAt, paperId: last.paperId };
      if (!this.ann.manifest.cursor || cursor.updatedAt >= this.ann.manifest.cursor.updatedAt) {
        this.ann.manifest.cursor = cursor;
      }
      if (page.length < PAGE) break;
    }
    if (this.ann.size < stats.count && m.count > 0 && !this.rebuilding) {
      this.rebuilding = true;
      try {
        this.ann = AnnIndex.empty(this.embedder.id, this.embedder.dims);
        return await this.refresh();
      } finally {
        this.rebuilding = false;
      }
    }
    if (added > 0) this.ann.save(this.path);
    return added;
  }

  /** Papers nearest to a free-text query, best first. */
  async search(text: string, k: number): Promise<AnnHit[]> {
    const vector = await this.embedQuery(text);
    return vector ? this.ann.search(vector, k) : [];
  }

  /** The unit vector of a query, or null when the embedder knows none of its words. */
  async embedQuery(text: string): Promise<Float32Array | null> {
    const [vector] = await this.embedder.embed([text], "query");
    return vector && !isZero(vector) ? vector : null;
  }

  /** Papers nearest to a unit vector, best first. */
  searchVector(vector: Float32Array, k: number): AnnHit[] {
    return this.ann.search(vector, k);
  }

  /** Stored vectors of these papers (those that have one). */
  vectorsOf(paperIds: number[]): Promise<Float32Array[]> {
    return getVectors(this.db, this.embedder.id, paperIds);
  }

  /** Papers nearest to a paper (itself excluded), best first. */
  async neighbours(paperId: number, k: number): Promise<AnnHit[]> {
    const vector = await getVector(this.db, this.embedder.id, paperId);
    if (!vector) return [];
    return this.ann
      .search(vector, k + 1)
      .filter((h) => h.paperId !== paperId)
      .slice(0, k);
  }
}

function isZero(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}
