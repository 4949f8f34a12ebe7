// Search inside a running process. Every serving process keeps a SemanticIndex for the active
// embedder and refreshes it from the database on a timer (imports by other processes show up within
// REFRESH_EVERY_MS). The process that holds the "search-index" lease also does the indexing work:
// fit the model when there is none, embed new and changed papers, and switch embedders.

import { log } from "../app/log.ts";
import { createProgress, type Progress } from "../app/progress.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { acquireLease, releaseLease } from "../jobs/lease.ts";
import { BuiltinEmbedder } from "./builtin/index.ts";
import { configuredEmbedder, embedStale, updateIndex } from "./indexer.ts";
import { SemanticIndex } from "./semantic.ts";
import { activeEmbedderId, loadModel, newestModelId } from "./vectors/store.ts";

/** How often a process looks for vectors written elsewhere (and, as indexer, for stale papers). */
export const REFRESH_EVERY_MS = 15_000;
/** The indexer lease outlives a few cycles, so a healthy holder keeps it and a dead one loses it soon. */
const LEASE_MS = 60_000;
export const INDEX_LEASE = "search-index";
const LEASE = INDEX_LEASE;

export type SemanticStatus = "starting" | "indexing" | "ready" | "unavailable";

export class SearchRuntime {
  private current: SemanticIndex | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  status: SemanticStatus = "starting";
  progress: { done: number; total: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly options: { indexer: boolean } = { indexer: true },
  ) {}

  /** The semantic index searches use, or null while none is ready (search is keyword-only then). */
  get semantic(): SemanticIndex | null {
    return this.current;
  }

  /** Starts the first cycle now and then one every REFRESH_EVERY_MS. */
  start(): void {
    const tick = () => {
      this.running = this.cycle()
        .catch((err) => log.error(`search index: ${(err as Error).message}`))
        .finally(() => {
          this.running = null;
          if (!this.abort.signal.aborted) this.timer = setTimeout(tick, REFRESH_EVERY_MS);
        });
    };
    tick();
  }

  /** Runs one cycle to completion (tests and `paperboy index` use this without timers). */
  async cycle(): Promise<void> {
    if (this.options.indexer && (await acquireLease(this.db, LEASE, LEASE_MS))) {
      await this.indexCycle();
    } else {
      await this.followCycle();
    }
  }

  /** As the indexer: bring vectors and the file up to date, then serve from the result. */
  private async indexCycle(): Promise<void> {
    if (!this.current) await this.openActive();
    if (this.current === null) this.status = "indexing";
    let embedLog: Progress | undefined;
    const progress = (stage: string, done: number, total: number) => {
      if (stage !== "embed") return;
      this.progress = { done, total };
      // A long build (a first start on a big corpus, an embedder switch) says how far it got.
      if (total >= 5000) {
        embedLog ??= createProgress({ label: "embedding papers for search", total, unit: "items", mode: "log" });
        embedLog.update(done, { papers: done });
      }
      // Keep the lease while a long build runs.
      if (done % 8192 === 0) void acquireLease(this.db, LEASE, LEASE_MS);
    };
    const current = await this.reusable();
    if (current) {
      // The usual cycle: the index in memory is the configured one, so only new and changed papers
      // are embedded and added; the model and the index file are not read again.
      const embedded = await embedStale(this.db, current.embedder, { signal: this.abort.signal, progress });
      await current.refresh();
      this.progress = null;
      if (embedded > 0) log.info(`search index: ${embedded} papers added`, { embedder: current.embedder.id });
      return;
    }
    const report = await updateIndex(this.db, this.config, { signal: this.abort.signal, progress });
    this.progress = null;
    if (report.index) {
      if (report.embedded > 0 || this.current?.embedder.id !== report.index.embedder.id) {
        log.info(`search index ready: ${report.indexed} papers`, {
          embedder: report.embedderId,
          embedded: report.embedded,
        });
      }
      this.current = report.index;
      this.status = "ready";
    }
  }

  /**
   * The index in memory when it is still the one to maintain: it serves the active embedder, that
   * embedder is of the configured kind, and (built-in) no newer fit has been stored since.
   */
  private async reusable(): Promise<SemanticIndex | null> {
    const current = this.current;
    if (!current) return null;
    const id = current.embedder.id;
    if (id.slice(0, id.indexOf(":")) !== this.config.embedder) return null;
    if (id !== (await activeEmbedderId(this.db))) return null;
    if (this.config.embedder === "builtin" && (await newestModelId(this.db, "builtin:")) !== id) return null;
    return current;
  }

  /** As a follower: open the active embedder's index and pick up vectors written by the indexer. */
  private async followCycle(): Promise<void> {
    if (this.current && this.current.embedder.id === (await activeEmbedderId(this.db))) {
      await this.current.refresh();
      return;
    }
    await this.openActive();
  }

  private async openActive(): Promise<void> {
    this.current = await openActiveIndex(this.db, this.config);
    if (this.current) this.status = "ready";
    else this.status = this.options.indexer ? "indexing" : "unavailable";
  }

  /** Stops the timer, waits for a running cycle to reach a batch boundary, gives up the lease. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await releaseLease(this.db, LEASE).catch(() => {});
  }
}

/**
 * The index of the active embedder, when this process can construct that embedder: a built-in
 * model is read from the database; another kind must be the one this process is configured with.
 * Null before the first index build (search is keyword-only then).
 */
export async function openActiveIndex(db: Db, config: Config): Promise<SemanticIndex | null> {
  const active = await activeEmbedderId(db);
  if (!active) return null;
  if (active.startsWith("builtin:")) {
    const bytes = await loadModel(db, active);
    if (!bytes) return null;
    let embedder: BuiltinEmbedder;
    try {
      embedder = BuiltinEmbedder.deserialize(bytes);
    } catch (err) {
      // A model written by another version of Paperboy: the indexer refits; keyword search meanwhile.
      log.warn(`cannot read the stored model ${active}: ${(err as Error).message}; run paperboy index --rebuild`);
      return null;
    }
    return SemanticIndex.open(db, config.dataDir, embedder);
  }
  if (config.embedder !== "builtin") {
    const { embedder } = await configuredEmbedder(db, config);
    if (embedder.id === active) return SemanticIndex.open(db, config.dataDir, embedder);
  }
  return null;
}

/**
 * After an import: brings an existing index up to date when no other process is indexing (with a
 * service running, its indexer picks the new papers up within REFRESH_EVERY_MS instead). Returns
 * what it did: "updated", "busy" (another process holds the lease) or "none" (no index yet).
 */
export async function indexAfterImport(
  db: Db,
  config: Config,
): Promise<{ outcome: "updated" | "busy" | "none"; embedded: number }> {
  if (!(await activeEmbedderId(db))) return { outcome: "none", embedded: 0 };
  if (!(await acquireLease(db, INDEX_LEASE, LEASE_MS))) return { outcome: "busy", embedded: 0 };
  try {
    const report = await updateIndex(db, config);
    return { outcome: "updated", embedded: report.embedded };
  } finally {
    await releaseLease(db, INDEX_LEASE);
  }
}
