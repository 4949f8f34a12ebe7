// The background worker: the jobs that keep an instance current without a web request (search
// indexing, trending scores, digest editions and their delivery). In the embedded setup
// `paperboy serve` runs them in the same process; at scale `paperboy worker` runs them alone, any
// number of times, and leases make sure each job runs in one process at a time.
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { startDigestJob } from "../jobs/digests.ts";
import { startTrendingJob } from "../jobs/trending.ts";
import { createMailTransport, type MailTransport } from "../mail/transport.ts";
import { SearchRuntime } from "../search/runtime.ts";
import { log } from "./log.ts";

export interface RunningWorker {
  search: SearchRuntime;
  stop(): Promise<void>;
}

/** Starts the periodic jobs beside an existing search runtime; the returned function stops them. */
export function startBackgroundJobs(
  config: Config,
  db: Db,
  search: SearchRuntime,
  transport: MailTransport,
): () => void {
  const stopTrending = startTrendingJob(db);
  const stopDigests = startDigestJob({ db, config, transport, semantic: () => search.semantic });
  log.info("background jobs started", { jobs: "search-index, trending, digests" });
  return () => {
    stopTrending();
    stopDigests();
  };
}

export function startWorker(config: Config, db: Db): RunningWorker {
  const search = new SearchRuntime(db, config, { indexer: true });
  search.start();
  const transport = createMailTransport(config.mailUrl, { maxConnections: config.mailPoolSize });
  const stopJobs = startBackgroundJobs(config, db, search, transport);
  return {
    search,
    stop: async () => {
      stopJobs();
      await search.stop();
      await transport.close();
    },
  };
}
