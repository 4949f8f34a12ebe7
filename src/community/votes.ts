// Upvotes: one per user per paper, set, cleared or toggled. Every change is one transaction that
// writes the votes row and recomputes the paper's signals (upvotes = imported + local votes, and
// the trending score, src/papers/signals.ts), so a count never disagrees with the rows.
//
// Concurrency. The votes primary key (user_id, paper_id) makes a double insert impossible
// (ON CONFLICT DO NOTHING). The signals are recounted from the votes table inside the transaction,
// never incremented. On PostgreSQL (READ COMMITTED, many processes) two transactions on the same
// paper could still each count before the other commits and write stale totals, so each change
// first locks the paper's row (SELECT ... FOR UPDATE): changes to one paper then run one after
// another, and each recount sees every vote committed before it. FOR UPDATE also makes writers that
// add rows referencing the paper (comments, featurings: their foreign-key check takes KEY SHARE)
// wait for the vote to commit, so their own recount includes it. On SQLite the process has one
// connection and transactions run one at a time; the first statement is a write, so a second
// process sharing the file waits on the busy timeout instead of failing to upgrade a read.
import { sql } from "kysely";
import { assertCanWrite, RateLimited } from "../accounts/policy.ts";
import { hit, LIMITS } from "../accounts/rate-limit.ts";
import type { Viewer } from "../accounts/users.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { refreshSignals } from "../papers/signals.ts";

/** The paper asked for is not in this archive. */
export class PaperNotFound extends Error {
  constructor(message = "That paper is not in this archive.") {
    super(message);
    this.name = "PaperNotFound";
  }
}

export interface VoteResult {
  paperId: number;
  /** Whether the viewer's upvote is there after the change. */
  voted: boolean;
  /** The paper's upvotes after the change (imported + local), as stored in paper_signals. */
  upvotes: number;
  /** False when nothing changed (an upvote set twice, or cleared when there was none). */
  changed: boolean;
}

type Mode = "toggle" | "on" | "off";

/** The stored paper id of an arXiv id (canonical, without version), or null. */
export async function paperIdByArxivId(db: Db, arxivId: string): Promise<number | null> {
  // Named read: papers by arXiv id (unique index).
  const row = await db.kysely.selectFrom("papers").select("id").where("arxiv_id", "=", arxivId).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Call first in a transaction that will refreshSignals() for `paperId`: on PostgreSQL it locks the
 * paper's row until commit, so recounts of one paper cannot interleave and overwrite each other
 * with stale totals (see the file comment); throws PaperNotFound when the row is gone. On SQLite,
 * where transactions already run one at a time, it does nothing.
 */
export async function lockPaperForSignals(tx: Db, paperId: number): Promise<void> {
  if (tx.dialect !== "postgres") return;
  // Named lock: the paper's row, held until the transaction ends.
  const locked = await sql<{ id: number }>`SELECT id FROM papers WHERE id = ${paperId} FOR UPDATE`.execute(tx.kysely);
  if (locked.rows.length === 0) throw new PaperNotFound();
}

/** Adds the viewer's upvote if it is not there, removes it if it is. */
export function toggleVote(
  db: Db,
  viewer: Viewer | null,
  paperId: number,
  now: Date = new Date(),
): Promise<VoteResult> {
  return applyVote(db, viewer, paperId, "toggle", now);
}

/** Sets the viewer's upvote on (`on` true) or off; idempotent, so a repeated request changes nothing. */
export function setVote(
  db: Db,
  viewer: Viewer | null,
  paperId: number,
  on: boolean,
  now: Date = new Date(),
): Promise<VoteResult> {
  return applyVote(db, viewer, paperId, on ? "on" : "off", now);
}

/** Every paper id `userId` has upvoted (for the vote buttons of a page, read once per request). */
export async function votedPaperIds(db: Db, userId: number): Promise<Set<number>> {
  // Named read: a user's votes, a prefix of the votes primary key (user_id, paper_id).
  const rows = await db.kysely.selectFrom("votes").select("paper_id").where("user_id", "=", userId).execute();
  return new Set(rows.map((r) => r.paper_id));
}

async function applyVote(db: Db, viewer: Viewer | null, paperId: number, mode: Mode, now: Date): Promise<VoteResult> {
  assertCanWrite(viewer);
  const userId = viewer.id;
  const rate = await hit(db, `vote:user:${userId}`, LIMITS.votesPerUser, now);
  if (!rate.allowed) {
    throw new RateLimited(`Too many votes in a short time; try again in ${rate.retryAfter} seconds.`, rate.retryAfter);
  }
  // Named read: does the paper exist (outside the transaction, so SQLite's transaction starts with a write).
  const exists = await db.kysely.selectFrom("papers").select("id").where("id", "=", paperId).executeTakeFirst();
  if (!exists) throw new PaperNotFound();

  return inTransaction(db, async (tx) => {
    const k = tx.kysely;
    await lockPaperForSignals(tx, paperId);
    let voted: boolean;
    let changed: boolean;
    if (mode === "on") {
      changed = await insertVote();
      voted = true;
    } else if (mode === "off") {
      changed = await deleteVote();
      voted = false;
    } else {
      // Toggle: remove the vote if there is one, otherwise add it (a write first, in both cases).
      changed = true;
      voted = !(await deleteVote());
      if (voted) await insertVote();
    }
    if (changed) await refreshSignals(k, [paperId], now);
    // Named read: the paper's upvotes after the change, from the row refreshSignals just wrote.
    const signals = await k
      .selectFrom("paper_signals")
      .select("upvotes")
      .where("paper_id", "=", paperId)
      .executeTakeFirst();
    return { paperId, voted, upvotes: signals?.upvotes ?? 0, changed };

    /** Named write: the viewer's vote, unless it is there already; true when a row was added. */
    async function insertVote(): Promise<boolean> {
      const row = await k
        .insertInto("votes")
        .values({ user_id: userId, paper_id: paperId, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(["user_id", "paper_id"]).doNothing())
        .returning("paper_id")
        .executeTakeFirst();
      return row !== undefined;
    }

    /** Named write: the viewer's vote removed; true when there was one. */
    async function deleteVote(): Promise<boolean> {
      const r = await k
        .deleteFrom("votes")
        .where("user_id", "=", userId)
        .where("paper_id", "=", paperId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    }
  });
}
