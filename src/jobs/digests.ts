// The digest job of the worker: every minute, make the editions that have come due (one process
// at a time, under the "digest-schedule" lease) and send what is queued (any number of processes
// at once: the ledger's claims keep them apart). A run that paused on repeated failures keeps
// sending off for PAUSE_MS, recorded in settings so every process sees it.
import { log } from "../app/log.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { ComposeContext, scheduleDue } from "../digests/ledger.ts";
import { configuredPacing, runSender, type SendReport } from "../digests/sender.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { SemanticIndex } from "../search/semantic.ts";
import { acquireLease, releaseLease } from "./lease.ts";

export const DIGEST_TICK_MS = 60_000;
/** How long sending stays off after a run paused on failures in a row. */
export const PAUSE_MS = 15 * 60_000;
const PAUSE_KEY = "digest.paused";

export interface PauseState {
  until: string;
  reason: string;
}

export async function pauseState(db: Db, now: Date = new Date()): Promise<PauseState | null> {
  const row = await db.kysely.selectFrom("settings").select("value").where("key", "=", PAUSE_KEY).executeTakeFirst();
  if (!row) return null;
  const state = JSON.parse(row.value) as PauseState;
  return state.until > now.toISOString() ? state : null;
}

export async function setPause(db: Db, reason: string | null, now: Date = new Date()): Promise<void> {
  if (reason === null) {
    await db.kysely.deleteFrom("settings").where("key", "=", PAUSE_KEY).execute();
    return;
  }
  const value = JSON.stringify({ until: new Date(now.getTime() + PAUSE_MS).toISOString(), reason });
  await db.kysely
    .insertInto("settings")
    .values({ key: PAUSE_KEY, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}

export interface DigestRunDeps {
  db: Db;
  config: Config;
  transport: MailTransport;
  semantic: () => SemanticIndex | null;
}

/** One tick: schedule what is due, then send until nothing is due. */
export async function runDigestTick(deps: DigestRunDeps, now: Date = new Date()): Promise<SendReport | null> {
  const { db, config } = deps;
  if (await acquireLease(db, "digest-schedule", DIGEST_TICK_MS * 2)) {
    try {
      const r = await scheduleDue(db, config, new ComposeContext(db, deps.semantic()), now);
      if (r.due > 0) log.info("digest editions made", { due: r.due, queued: r.queued, skipped: r.skipped });
    } finally {
      await releaseLease(db, "digest-schedule");
    }
  }
  const paused = await pauseState(db, now);
  if (paused) return null;
  const report = await runSender({
    db,
    config,
    transport: deps.transport,
    ...configuredPacing(config),
    stopWhenIdle: true,
  });
  if (report.paused) await setPause(db, report.paused, now);
  if (report.sent + report.retried + report.dead > 0) log.info("digests sent", { ...report });
  return report;
}

/** Starts the periodic tick; the returned function stops it. */
export function startDigestJob(deps: DigestRunDeps, everyMs = DIGEST_TICK_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await runDigestTick(deps);
    } catch (err) {
      log.error("digest job failed", { error: (err as Error).stack ?? (err as Error).message });
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  timer = setTimeout(tick, 5_000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
