// `paperboy db migrate` and `paperboy db status`: apply and list database migrations, and
// `paperboy stats`: what the database holds.
import type { Command } from "commander";
import { loadConfig } from "../../config/config.ts";
import { openDatabase } from "../../db/client.ts";
import { migrateToLatest, migrationStatus } from "../../db/migrate.ts";
import { countRows } from "../../papers/store.ts";
import { withContext } from "../context.ts";
import { log } from "../log.ts";

export function registerDbCommands(program: Command) {
  const db = program.command("db").description("Database maintenance");
  db.command("migrate")
    .description("Apply pending migrations (the service also does this when it starts)")
    .action(async () => {
      const config = loadConfig();
      const handle = await openDatabase(config.databaseUrl, { migrate: false });
      try {
        const applied = await migrateToLatest(handle);
        log.info(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date", {
          applied: applied.join(",") || undefined,
        });
      } finally {
        await handle.close();
      }
    });
  db.command("status")
    .description("List migrations and whether each has been applied")
    .action(async () => {
      const config = loadConfig();
      const handle = await openDatabase(config.databaseUrl, { migrate: false });
      try {
        for (const m of await migrationStatus(handle)) {
          process.stdout.write(
            `${m.appliedAt ? "applied" : "pending"}  ${m.name}${m.appliedAt ? `  ${m.appliedAt}` : ""}\n`,
          );
        }
      } finally {
        await handle.close();
      }
    });
  program
    .command("stats")
    .description("Count the papers, authors and featurings stored")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withContext(async ({ db }) => {
        const counts = await countRows(db);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(counts)}\n`
            : `papers ${counts.papers}\nauthors ${counts.authors}\nfeaturings ${counts.featurings}\n`,
        );
      });
    });
}
