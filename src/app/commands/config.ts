// `paperboy config`: the effective configuration (secrets hidden), or `--markdown` for the README's
// configuration table. Exits 78 naming every invalid variable, like every other command.
import type { Command } from "commander";
import { loadConfig, settingsMarkdown } from "../../config/config.ts";

export function registerConfigCommand(program: Command) {
  program
    .command("config")
    .description("Print the effective configuration (secrets hidden), or the settings table")
    .option("--markdown", "print the table of every setting, its default and meaning")
    .action((opts: { markdown?: boolean }) => {
      if (opts.markdown) {
        process.stdout.write(`${settingsMarkdown()}\n`);
        return;
      }
      const config = loadConfig();
      const shown = {
        ...config,
        databaseUrl: config.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@"),
        mailUrl: config.mailUrl.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@"),
        secretKey: config.secretKey ? "***" : "(generated, kept in the database)",
      };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    });
}
