// `paperboy users` as an operator runs it: promote (default admin, recorded in the audit log with
// no actor), an unknown email ending with exit code 1 and a clear message, list with --role, and
// suspend / unsuspend.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { dbEnv, runCli } from "../../../test/helpers/cli.ts";
import { type TestDb, tempDir, testDb } from "../../../test/helpers/db.ts";
import { findOrCreateUser, userByEmail } from "../../accounts/users.ts";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let env: Record<string, string>;

before(async () => {
  db = await testDb();
  dir = tempDir();
  env = { ...dbEnv(db), DATA_DIR: dir.path };
  await findOrCreateUser(db, "ada@example.org");
  await findOrCreateUser(db, "bob@example.org");
});
after(async () => {
  await db.close();
  dir.remove();
});

test("promote makes an admin by default, writes the audit log with no actor, and takes --role", async () => {
  const run = await runCli(["users", "promote", "  ADA@example.org "], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /ada@example.org \(@ada\) is now admin/);
  assert.equal((await userByEmail(db, "ada@example.org"))?.role, "admin");
  const audit = await db.kysely.selectFrom("audit_log").selectAll().where("action", "=", "user.promote").execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor_id, null);
  assert.deepEqual(JSON.parse(audit[0]?.details ?? "{}"), { from: "member", to: "admin", via: "cli" });

  const again = await runCli(["users", "promote", "ada@example.org"], env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already admin/);

  const mod = await runCli(["users", "promote", "bob@example.org", "--role", "moderator"], env);
  assert.equal(mod.code, 0, mod.stderr);
  assert.equal((await userByEmail(db, "bob@example.org"))?.role, "moderator");
});

test("an unknown email exits 1 and says so; a bad role exits 2", async () => {
  const run = await runCli(["users", "promote", "nobody@example.org"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /No account has the email nobody@example.org/);
  assert.equal(run.stdout, "");
  assert.equal((await runCli(["users", "suspend", "nobody@example.org", "--reason", "x"], env)).code, 1);
  const bad = await runCli(["users", "promote", "ada@example.org", "--role", "owner"], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Allowed choices are member, moderator, admin/);
});

test("list shows accounts, --role narrows it; suspend and unsuspend change and record", async () => {
  await findOrCreateUser(db, "carol@example.org");
  const all = await runCli(["users", "list"], env);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /carol@example.org\t@carol\tmember/);
  const admins = await runCli(["users", "list", "--role", "admin"], env);
  assert.match(admins.stdout, /ada@example.org/);
  assert.doesNotMatch(admins.stdout, /carol@example.org/);

  assert.equal((await runCli(["users", "suspend", "carol@example.org"], env)).code, 2, "--reason is required");
  const blank = await runCli(["users", "suspend", "carol@example.org", "--reason", "  "], env);
  assert.equal(blank.code, 1);
  assert.match(blank.stderr, /Give a reason/);
  const suspend = await runCli(["users", "suspend", "carol@example.org", "--reason", "spam"], env);
  assert.equal(suspend.code, 0, suspend.stderr);
  assert.equal((await userByEmail(db, "carol@example.org"))?.suspendedReason, "spam");
  assert.match((await runCli(["users", "list"], env)).stdout, /carol@example.org\t@carol\tmember\tsuspended: spam/);
  const lift = await runCli(["users", "unsuspend", "carol@example.org"], env);
  assert.equal(lift.code, 0, lift.stderr);
  assert.equal((await userByEmail(db, "carol@example.org"))?.suspendedAt, null);
  const actions = await db.kysely
    .selectFrom("audit_log")
    .select(["action", "actor_id"])
    .where("action", "in", ["user.suspend", "user.unsuspend"])
    .orderBy("id")
    .execute();
  assert.deepEqual(actions, [
    { action: "user.suspend", actor_id: null },
    { action: "user.unsuspend", actor_id: null },
  ]);
});
