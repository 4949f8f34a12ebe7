// The periodic trending refresh: scores decay with age, so the worker re-scores every paper every
// TRENDING_REFRESH_MS (votes and imports re-score their own papers at once). One process at a time
// does it, under the "trending" lease.
import { log } from "../app/log.ts";
import type { Db } from "../db/client.ts";
import { refreshTrending } from "../papers/signals.ts";
import { acquireLease, releaseLease } from "./lease.ts";

/**
 * Ten minutes: with a day added to every age (ranking/trending.ts), a paper's score moves by
 * under 1% in ten minutes, far less than one vote moves it.
 */
export const TRENDING_REFRESH_MS = 10 * 60_000;

/** Runs one refresh if this process can take the lease; returns the number of papers re-scored. */
export async function runTrendingRefresh(db: Db, now: Date = new Date()): Promise<number | null> {
  if (!(await acquireLease(db, "trending", TRENDING_REFRESH_MS))) return null;
  try {
    return await refreshTrending(db, now);
  } finally {
    await releaseLease(db, "trending");
  }
}

/** Starts the periodic refresh (first run at once); the returned function stops it. */
export function startTrendingJob(db: Db, everyMs = TRENDING_REFRESH_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const n = await runTrendingRefresh(db);
      if (n !== null) log.debug("trending refreshed", { papers: n });
    } catch (err) {
      log.error("trending refresh failed", { error: (err as Error).message });
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
