// Starts the service: opens and migrates the database, loads the demo set into an empty one,
// listens for HTTP, and shuts down cleanly on SIGINT/SIGTERM (stop accepting, finish requests,
// close the database).
import { type ServerType, serve } from "@hono/node-server";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { loadDemoIfEmpty } from "../papers/demo.ts";
import { summarize } from "../papers/import/run.ts";
import { createApp } from "../web/app.tsx";
import { log } from "./log.ts";
import { instanceSecret } from "./secret.ts";

export interface RunningServer {
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, db: Db): Promise<RunningServer> {
  await instanceSecret(db, config.secretKey);
  if (config.demoData === "auto") {
    const report = await loadDemoIfEmpty(db);
    if (report) log.info(`loaded demo data: ${summarize(report)}`);
  }
  const app = createApp({ db, config });
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
