// A digest sender in a process of its own, for the crash-safety test (src/digests/crash.test.ts),
// which kills it with SIGKILL in the middle of a run and starts another. It is configured like
// the real worker, from the environment (DATABASE_URL, plus PGOPTIONS for a test's PostgreSQL
// schema, MAIL_URL, MAIL_POOL_SIZE, DIGEST_RATE, DIGEST_PAUSE_AFTER, BASE_URL, MAIL_FROM,
// SECRET_KEY), and from argv: --lease-ttl-ms N (how soon another sender may reclaim what this one
// held). It runs runSender until nothing is due, prints "STARTED <owner>" once sending starts and
// "REPORT <json>" at the end, and exits 0; any failure exits 1.
import { parseArgs } from "node:util";
import { setLogLevel } from "../../src/app/log.ts";
import { loadConfig } from "../../src/config/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { configuredPacing, runSender } from "../../src/digests/sender.ts";
import { PROCESS_OWNER } from "../../src/jobs/lease.ts";
import { createMailTransport } from "../../src/mail/transport.ts";

const { values: args } = parseArgs({ options: { "lease-ttl-ms": { type: "string", default: "1000" } } });

try {
  const config = loadConfig({ ...process.env, DEMO_DATA: "off" });
  setLogLevel(config.logLevel);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  const transport = createMailTransport(config.mailUrl, { maxConnections: config.mailPoolSize });
  try {
    console.log(`STARTED ${PROCESS_OWNER}`);
    const report = await runSender({
      db,
      config,
      transport,
      ...configuredPacing(config),
      stopWhenIdle: true,
      leaseTtlMs: Number(args["lease-ttl-ms"]),
    });
    console.log(`REPORT ${JSON.stringify(report)}`);
  } finally {
    await transport.close();
    await db.close();
  }
} catch (err) {
  console.error((err as Error).stack ?? err);
  process.exitCode = 1;
}
