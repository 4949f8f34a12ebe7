// The `paperboy` command. Each subcommand lives in src/app/commands/ and registers itself here;
// every one ends with an exit code from exit.ts and writes results to stdout, logs to stderr.
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/config.ts";
import { registerConfigCommand } from "./commands/config.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerDigestCommand } from "./commands/digest.ts";
import { registerFetchCommand } from "./commands/fetch.ts";
import { registerHarvestCommand } from "./commands/harvest.ts";
import { registerImportCommand } from "./commands/import.ts";
import { registerIndexCommand } from "./commands/index.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerSearchCommand } from "./commands/search.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { registerUsersCommand } from "./commands/users.ts";
import { registerWorkerCommand } from "./commands/worker.ts";
import { CommandError, EXIT } from "./exit.ts";
import { log } from "./log.ts";

export function buildProgram(): Command {
  const program = new Command("paperboy")
    .description("Research-paper discovery: daily papers, trending, search and digests.")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerImportCommand(program);
  registerDbCommands(program);
  registerConfigCommand(program);
  registerIngestCommand(program);
  registerHarvestCommand(program);
  registerFetchCommand(program);
  registerIndexCommand(program);
  registerSearchCommand(program);
  registerWorkerCommand(program);
  registerUsersCommand(program);
  registerDigestCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.CONFIG;
    }
    if (err instanceof CommandError) {
      log.error(err.message);
      return err.exitCode;
    }
    log.error((err as Error).stack ?? String(err));
    return EXIT.FAILURE;
  }
}

// The exit code applies when the process ends: at once for most commands, at shutdown for serve
// and worker, whose servers and timers keep it running.
process.exitCode = await main(process.argv);
