// Community signals of papers (paper_signals): upvotes (imported plus local votes), comment counts
// (imported plus visible local comments), the first time a paper was featured (or voted on), and
// the stored trending score. Every write that changes what they derive from calls
// refreshSignals() in its own transaction, so counts and the score never disagree with the rows;
// refreshTrending() re-scores every paper as time passes (run periodically by the worker).
import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Db } from "../db/client.ts";
import type { Database } from "../db/schema.ts";
import { trendingScore } from "../ranking/trending.ts";

type Exec = Kysely<Database> | Transaction<Database>;

const BATCH = 500;

/** Recomputes the signals of `paperIds` from their featurings, in the caller's transaction. */
export async function refreshSignals(exec: Exec, paperIds: number[], now: Date = new Date()): Promise<void> {
  const ids = [...new Set(paperIds)];
  const stamp = now.toISOString();
  const postgres = exec.getExecutor().adapter instanceof PostgresAdapter;
  for (let i = 0; i < ids.length; i += BATCH) {
    const part = ids.slice(i, i + BATCH).sort((a, b) => a - b);
    if (postgres) {
      // Named lock: the papers' rows, in id order, until the transaction ends. Two transactions
      // recounting the same paper (a vote and a comment) then run one after the other, and the
      // second sees the first's rows, so neither writes a stale count. SQLite runs one writer at a time.
      await sql`SELECT id FROM papers WHERE id IN (${sql.join(part)}) ORDER BY id FOR UPDATE`.execute(exec);
    }
    // Named read: the featurings of these papers, aggregated below (the same code on both dialects).
    const featurings = await exec
      .selectFrom("featurings")
      .select(["paper_id", "day", "submitted_at", "upvotes", "num_comments"])
      .where("paper_id", "in", part)
      .execute();
    const agg = new Map<number, { upvotes: number; comments: number; since: number }>();
    const entry = (paperId: number) => {
      let a = agg.get(paperId);
      if (!a) {
        a = { upvotes: 0, comments: 0, since: Number.POSITIVE_INFINITY };
        agg.set(paperId, a);
      }
      return a;
    };
    for (const f of featurings) {
      const a = entry(f.paper_id);
      const at = Date.parse(f.submitted_at ?? `${f.day}T00:00:00Z`);
      a.upvotes += f.upvotes;
      a.comments += f.num_comments;
      if (at < a.since) a.since = at;
    }
    // Named reads: local votes (age counts from the first one when the paper was never featured)
    // and visible local comments.
    const [votes, comments] = await Promise.all([
      exec
        .selectFrom("votes")
        .select(["paper_id", sql<number>`count(*)`.as("n"), sql<string>`min(created_at)`.as("first")])
        .where("paper_id", "in", part)
        .groupBy("paper_id")
        .execute(),
      exec
        .selectFrom("comments")
        .select(["paper_id", sql<number>`count(*)`.as("n")])
        .where("paper_id", "in", part)
        .where("deleted_at", "is", null)
        .where("hidden_at", "is", null)
        .groupBy("paper_id")
        .execute(),
    ]);
    for (const v of votes) {
      const a = entry(v.paper_id);
      a.upvotes += Number(v.n);
      const at = Date.parse(v.first);
      if (at < a.since) a.since = at;
    }
    for (const c of comments) entry(c.paper_id).comments += Number(c.n);
    const gone = part.filter((id) => !agg.has(id));
    if (gone.length > 0) await exec.deleteFrom("paper_signals").where("paper_id", "in", gone).execute();
    if (agg.size === 0) continue;
    const values = [...agg].map(([paperId, a]) => {
      const since = Number.isFinite(a.since) ? new Date(a.since) : null;
      return {
        paper_id: paperId,
        upvotes: a.upvotes,
        num_comments: a.comments,
        first_featured_at: since?.toISOString() ?? null,
        trending: trendingScore({ upvotes: a.upvotes, since }, now),
        computed_at: stamp,
      };
    });
    await exec
      .insertInto("paper_signals")
      .values(values)
      .onConflict((oc) =>
        oc.column("paper_id").doUpdateSet((eb) => ({
          upvotes: eb.ref("excluded.upvotes"),
          num_comments: eb.ref("excluded.num_comments"),
          first_featured_at: eb.ref("excluded.first_featured_at"),
          trending: eb.ref("excluded.trending"),
          computed_at: eb.ref("excluded.computed_at"),
        })),
      )
      .execute();
  }
}

/** Re-scores every paper with signals for `now`; returns how many scores were written. */
export async function refreshTrending(db: Db, now: Date = new Date()): Promise<number> {
  let after = 0;
  let written = 0;
  for (;;) {
    const rows = await db.kysely
      .selectFrom("paper_signals")
      .select(["paper_id", "upvotes", "first_featured_at"])
      .where("paper_id", ">", after)
      .orderBy("paper_id")
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return written;
    after = rows[rows.length - 1]?.paper_id ?? after;
    const scored = rows.map((r) => ({
      id: r.paper_id,
      score: trendingScore(
        { upvotes: r.upvotes, since: r.first_featured_at ? new Date(r.first_featured_at) : null },
        now,
      ),
    }));
    // Named write: one statement per batch, each row's new score looked up in a VALUES list.
    const values = sql.join(scored.map((s) => sql`(CAST(${s.id} AS BIGINT), CAST(${s.score} AS DOUBLE PRECISION))`));
    await sql`
      WITH scores (id, score) AS (VALUES ${values})
      UPDATE paper_signals
         SET trending = (SELECT score FROM scores WHERE scores.id = paper_signals.paper_id),
             computed_at = ${now.toISOString()}
       WHERE paper_id IN (SELECT id FROM scores)
    `.execute(db.kysely);
    written += rows.length;
  }
}
