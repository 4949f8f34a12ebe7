// Starts the service: opens and migrates the database, loads the demo set into an empty one,
// listens for HTTP, and shuts down cleanly on SIGINT/SIGTERM (stop accepting, finish requests,
// close the database).
import { type ServerType, serve } from "@hono/node-server";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { createMailTransport } from "../mail/transport.ts";
import { loadDemoIfEmpty } from "../papers/demo.ts";
import { summarize } from "../papers/import/run.ts";
import { SearchRuntime } from "../search/runtime.ts";
import { createApp } from "../web/app.tsx";
import { log } from "./log.ts";
import { instanceSecret } from "./secret.ts";
import { startBackgroundJobs } from "./worker.ts";

export interface RunningServer {
  server: ServerType;
  url: string;
  search: SearchRuntime;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Also do background work (indexing) in this process; the default for the embedded setup. */
  worker?: boolean;
}

export async function startServer(config: Config, db: Db, options: ServerOptions = {}): Promise<RunningServer> {
  await instanceSecret(db, config.secretKey);
  if (config.demoData === "auto") {
    const report = await loadDemoIfEmpty(db);
    if (report) log.info(`loaded demo data: ${summarize(report)}`);
  }
  // The index is brought up to date in the background: the site answers at once, keyword-only
  // until the semantic index is ready.
  const search = new SearchRuntime(db, config, { indexer: options.worker ?? true });
  search.start();
  const mail = createMailTransport(config.mailUrl, { maxConnections: config.mailPoolSize });
  const stopJobs = (options.worker ?? true) ? startBackgroundJobs(config, db, search, mail) : () => {};
  const app = createApp({ db, config, search, mail, pageCache: true });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  log.info(`listening on ${url}`, { database: config.databaseUrl.replace(/\/\/[^@/]*@/, "//***@") });
  return {
    server,
    url,
    search,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      stopJobs();
      await search.stop();
      await mail.close();
    },
  };
}
