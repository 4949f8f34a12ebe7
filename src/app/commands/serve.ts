// `paperboy serve`: the web service (what `npm start` runs).
import type { Command } from "commander";
import { openContext } from "../context.ts";
import { log } from "../log.ts";
import { startServer } from "../server.ts";
import { positiveInt } from "./import.ts";

export function registerServeCommand(program: Command) {
  program
    .command("serve")
    .description("Start the web service (loads the demo data into an empty database)")
    .option("-p, --port <port>", "port to listen on (default: PORT)", (v) => positiveInt(v, "--port"))
    .option("--host <host>", "interface to listen on (default: HOST)")
    .option("--no-demo", "do not load the demo data into an empty database")
    .option("--no-worker", "serve only; leave background work (indexing) to `paperboy worker` processes")
    .action(async (opts: { port?: number; host?: string; demo: boolean; worker: boolean }) => {
      const ctx = await openContext();
      const config = {
        ...ctx.config,
        ...(opts.port ? { port: opts.port } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.demo ? {} : { demoData: "off" as const }),
      };
      const running = await startServer(config, ctx.db, { worker: opts.worker });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info(`${signal} received, shutting down`);
        await running.close();
        await ctx.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop("SIGINT"));
      process.on("SIGTERM", () => void stop("SIGTERM"));
    });
}
