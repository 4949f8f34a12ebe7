// `paperboy worker`: runs the background jobs (search indexing) without serving HTTP, until
// SIGINT/SIGTERM, when it finishes the batch in hand and exits 0.
import type { Command } from "commander";
import { openContext } from "../context.ts";
import { log } from "../log.ts";
import { startWorker } from "../worker.ts";

export function registerWorkerCommand(program: Command) {
  program
    .command("worker")
    .description("Run background jobs (search indexing) without the web server")
    .action(async () => {
      const ctx = await openContext();
      const worker = startWorker(ctx.config, ctx.db);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info(`${signal} received, finishing the current batch`);
          resolve();
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      await worker.stop();
      await ctx.close();
    });
}
