// The background worker: the jobs that keep an instance current without a web request. In the
// embedded setup `paperboy serve` runs it in the same process; at scale `paperboy worker` runs it
// alone, any number of times, and leases make sure each job runs in one process at a time.
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { startTrendingJob } from "../jobs/trending.ts";
import { SearchRuntime } from "../search/runtime.ts";
import { log } from "./log.ts";

export interface RunningWorker {
  search: SearchRuntime;
  stop(): Promise<void>;
}

export function startWorker(config: Config, db: Db): RunningWorker {
  const search = new SearchRuntime(db, config, { indexer: true });
  search.start();
  const stopTrending = startTrendingJob(db);
  log.info("worker started", { jobs: "search-index, trending" });
  return {
    search,
    stop: async () => {
      stopTrending();
      await search.stop();
    },
  };
}
