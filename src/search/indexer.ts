// Builds and maintains the semantic index: chooses the embedder (fitting the built-in model on the
// instance's own papers when it has none), embeds every paper whose vector is missing or stale in
// resumable batches, and brings the ANN index file up to date. `paperboy index`, the service at
// start-up, and imports all go through `updateIndex`.
import { sql } from "kysely";
import { log } from "../app/log.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { BuiltinEmbedder } from "./builtin/index.ts";
import { type Embedder, paperText } from "./embedder.ts";
import { createConfiguredEmbedder, type EmbedderConfig } from "./embedders/factory.ts";
import { SemanticIndex } from "./semantic.ts";
import {
  activeEmbedderId,
  countStale,
  deleteOtherModels,
  deleteOtherVectors,
  loadModel,
  newestModelId,
  saveModel,
  setActiveEmbedder,
  stalePapers,
  writeVectors,
} from "./vectors/store.ts";

/** Papers the built-in model is fitted on; the rest are folded in by projection. */
export const BUILTIN_FIT_SAMPLE = 30_000;
/** Papers embedded and written per transaction. */
const EMBED_BATCH = 512;

export type IndexProgress = (stage: "fit" | "embed" | "ann", done: number, total: number) => void;

export interface IndexOptions {
  /** Refit the built-in model and re-embed everything. */
  rebuild?: boolean;
  progress?: IndexProgress;
  /** Stop between batches when aborted (the work done so far is kept). */
  signal?: AbortSignal;
}

export interface IndexReport {
  embedderId: string;
  fitted: boolean;
  embedded: number;
  indexed: number;
  seconds: number;
}

/** The built-in embedder: the newest stored model, or a fresh fit on a sample of the papers. */
export async function builtinEmbedder(db: Db, options: { refit?: boolean; progress?: IndexProgress } = {}) {
  if (!options.refit) {
    const id = await newestModelId(db, "builtin:");
    const bytes = id ? await loadModel(db, id) : undefined;
    if (bytes) {
      try {
        return { embedder: BuiltinEmbedder.deserialize(bytes), fitted: false };
      } catch (err) {
        log.warn(`stored model ${id} cannot be used (${(err as Error).message}); refitting`);
      }
    }
  }
  const documents = await fitSample(db, BUILTIN_FIT_SAMPLE);
  options.progress?.("fit", 0, documents.length);
  const embedder = BuiltinEmbedder.fit(documents, { sampleSize: documents.length });
  options.progress?.("fit", documents.length, documents.length);
  await saveModel(db, embedder.id, embedder.dims, embedder.serialize());
  return { embedder, fitted: true };
}

/** Up to `size` paper texts spread evenly over the id range (deterministic). */
async function fitSample(db: Db, size: number): Promise<string[]> {
  const { n } = await db.kysely.selectFrom("papers").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const step = Math.max(1, Math.ceil(Number(n) / size));
  const rows = await db.kysely
    .selectFrom("papers")
    .select(["title", "abstract"])
    .where(sql<boolean>`id % ${step} = 0`)
    .orderBy("id")
    .limit(size)
    .execute();
  return rows.map((r) => paperText(r));
}

/** The embedder the configuration asks for (the built-in one from the database). */
export async function configuredEmbedder(db: Db, config: EmbedderConfig, refit = false) {
  let fitted = false;
  const embedder = await createConfiguredEmbedder(config, async () => {
    const built = await builtinEmbedder(db, { refit });
    fitted = built.fitted;
    return built.embedder;
  });
  return { embedder, fitted };
}

/**
 * Embeds every paper without a current vector from `embedder`; resumable (progress is the rows).
 * The papers left to do are counted only for a progress report: an import's few new papers need
 * no count of a million.
 */
export async function embedStale(db: Db, embedder: Embedder, options: IndexOptions = {}): Promise<number> {
  const total = options.progress ? await countStale(db, embedder.id) : 0;
  let done = 0;
  let after = 0;
  options.progress?.("embed", 0, total);
  while (!options.signal?.aborted) {
    const papers = await stalePapers(db, embedder.id, after, EMBED_BATCH);
    if (papers.length === 0) break;
    const vectors = await embedder.embed(
      papers.map((p) => paperText(p)),
      "document",
    );
    await writeVectors(
      db,
      embedder.id,
      papers.map((p, i) => ({ paperId: p.id, contentHash: p.content_hash, vector: vectors[i] as Float32Array })),
    );
    done += papers.length;
    after = (papers[papers.length - 1] as (typeof papers)[number]).id;
    options.progress?.("embed", done, Math.max(total, done));
    // Let a serving process answer requests between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return done;
}

/**
 * Brings everything up to date for the configured embedder: model, vectors, ANN file. Once every
 * paper has a vector from it, it becomes the active embedder and other embedders' vectors go.
 */
export async function updateIndex(
  db: Db,
  config: Config,
  options: IndexOptions = {},
): Promise<IndexReport & { index: SemanticIndex | null }> {
  const started = performance.now();
  const { embedder, fitted } = await configuredEmbedder(db, config, options.rebuild);
  const embedded = await embedStale(db, embedder, options);
  if (options.signal?.aborted) {
    return { embedderId: embedder.id, fitted, embedded, indexed: 0, seconds: 0, index: null };
  }
  options.progress?.("ann", 0, 1);
  const index = await SemanticIndex.open(db, config.dataDir, embedder);
  options.progress?.("ann", 1, 1);
  if ((await activeEmbedderId(db)) !== embedder.id) {
    await setActiveEmbedder(db, embedder.id);
    const dropped = await deleteOtherVectors(db, embedder.id);
    if (embedder.id.startsWith("builtin:")) await deleteOtherModels(db, "builtin:", embedder.id);
    if (dropped > 0) log.info(`switched search to ${embedder.id}; removed ${dropped} vectors of the previous embedder`);
  }
  return {
    embedderId: embedder.id,
    fitted,
    embedded,
    indexed: index.size,
    seconds: (performance.now() - started) / 1000,
    index,
  };
}
