// `paperboy users ...`: the operator's account tools. `promote` sets a role (the way to make the
// first admin), `list` shows accounts, `suspend` / `unsuspend` stop or allow an account's writing.
// Each change goes through community/moderation.ts as the command line (audit log actor null).
// An unknown email ends with exit code 1 and says so.
import { type Command, Option } from "commander";
import { normalizeEmail, type User, userByEmail } from "../../accounts/users.ts";
import {
  CLI_ACTOR,
  findUsers,
  ModerationError,
  ROLES,
  setRole,
  suspendUser,
  unsuspendUser,
} from "../../community/moderation.ts";
import type { Db } from "../../db/client.ts";
import type { Role } from "../../db/schema.ts";
import { withContext } from "../context.ts";
import { CommandError, EXIT } from "../exit.ts";

/** The account with `email`, or a CommandError (exit 1) that says there is none. */
async function accountOf(db: Db, email: string): Promise<User> {
  const normalized = normalizeEmail(email);
  if (!normalized) throw new CommandError(`"${email}" is not an email address.`, EXIT.FAILURE);
  const user = await userByEmail(db, normalized);
  if (!user) {
    throw new CommandError(
      `No account has the email ${normalized}. The person must sign in once to create it.`,
      EXIT.FAILURE,
    );
  }
  return user;
}

/** Runs a change; a refusal from moderation.ts (a blank reason, say) ends with exit code 1 and its message. */
async function change<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ModerationError) throw new CommandError(err.message, EXIT.FAILURE);
    throw err;
  }
}

const roleOption = () => new Option("--role <role>", "role").choices([...ROLES]);

export function registerUsersCommand(program: Command) {
  const users = program.command("users").description("List accounts, set roles, suspend and unsuspend");

  users
    .command("promote")
    .description("Give an account a role (default admin); the person must have signed in once")
    .argument("<email>", "the account's email address")
    .addOption(roleOption().default("admin"))
    .action(async (email: string, opts: { role: Role }) => {
      await withContext(async ({ db }) => {
        const user = await accountOf(db, email);
        const changed = await change(() => setRole(db, CLI_ACTOR, user.id, opts.role));
        process.stdout.write(
          changed
            ? `${user.email} (@${user.username}) is now ${opts.role}\n`
            : `${user.email} is already ${opts.role}\n`,
        );
      });
    });

  users
    .command("list")
    .description("List accounts, newest first")
    .addOption(roleOption())
    .option("--json", "print JSON lines")
    .action(async (opts: { role?: Role; json?: boolean }) => {
      await withContext(async ({ db }) => {
        const rows = await findUsers(db, { role: opts.role, limit: 100_000 });
        for (const u of rows) {
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(u)}\n`
              : `${u.id}\t${u.email}\t@${u.username}\t${u.role}${u.suspendedAt ? `\tsuspended: ${u.suspendedReason ?? ""}` : ""}\n`,
          );
        }
      });
    });

  users
    .command("suspend")
    .description("Stop an account from writing (it can still read); the reason is shown to the person")
    .argument("<email>", "the account's email address")
    .requiredOption("--reason <text>", "why, shown to the person")
    .action(async (email: string, opts: { reason: string }) => {
      await withContext(async ({ db }) => {
        const user = await accountOf(db, email);
        await change(() => suspendUser(db, CLI_ACTOR, user.id, opts.reason));
        process.stdout.write(`${user.email} is suspended\n`);
      });
    });

  users
    .command("unsuspend")
    .description("Let a suspended account write again")
    .argument("<email>", "the account's email address")
    .action(async (email: string) => {
      await withContext(async ({ db }) => {
        const user = await accountOf(db, email);
        await change(() => unsuspendUser(db, CLI_ACTOR, user.id));
        process.stdout.write(`${user.email} can write again\n`);
      });
    });
}
