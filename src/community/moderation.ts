// Moderation and roles: hiding comments and dismissing their reports, removing local submissions,
// suspending accounts, and setting roles; plus the reads behind the admin pages. Every action is
// checked against the actor's role first and writes its audit_log row in the same transaction as
// the change. The command line acts as CLI_ACTOR: allowed everything, recorded with actor null.
import { type SqlBool, sql } from "kysely";
import { assertAdmin, assertModerator, Forbidden } from "../accounts/policy.ts";
import { type User, userById, type Viewer, setRole as writeRole } from "../accounts/users.ts";
import { type Db, inTransaction } from "../db/client.ts";
import type { Role } from "../db/schema.ts";
import { refreshSignals } from "../papers/signals.ts";
import { writeAudit } from "./audit.ts";

/** Who acts: a signed-in viewer (checked), null (refused), or the `paperboy` command line. */
export const CLI_ACTOR = "cli" as const;
export type Actor = Viewer | null | typeof CLI_ACTOR;

export const ROLES: readonly Role[] = ["member", "moderator", "admin"];
const RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };
const MAX_REASON = 500;

/** A moderation request that cannot be done as asked; the message is shown to the person. */
export class ModerationError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = "ModerationError";
  }
}

const actorId = (actor: Viewer | typeof CLI_ACTOR) => (actor === CLI_ACTOR ? null : actor.id);

function checkModerator(actor: Actor): asserts actor is Viewer | typeof CLI_ACTOR {
  if (actor !== CLI_ACTOR) assertModerator(actor);
}

function cleanReason(raw: string | undefined, required: boolean): string {
  const reason = (raw ?? "").replaceAll("\0", "").trim();
  if (required && reason.length === 0) throw new ModerationError("Give a reason; the person will see it.");
  if (reason.length > MAX_REASON) throw new ModerationError(`A reason is at most ${MAX_REASON} characters.`);
  return reason;
}

// Named read: the comment a moderator acts on.
async function commentOf(db: Db, id: number) {
  const row = Number.isSafeInteger(id)
    ? await db.kysely
        .selectFrom("comments")
        .select(["id", "paper_id", "hidden_at", "deleted_at"])
        .where("id", "=", id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new ModerationError("There is no such comment.", 404);
  return row;
}

/** Hides a comment from everyone but moderators and closes its open reports. */
export async function hideComment(db: Db, actor: Actor, commentId: number, reason?: string, now = new Date()) {
  checkModerator(actor);
  const why = cleanReason(reason, false);
  const comment = await commentOf(db, commentId);
  return inTransaction(db, async (tx) => {
    // Named writes: hide (unless already hidden), close the reports, recount, record.
    await tx.kysely
      .updateTable("comments")
      .set({ hidden_at: now.toISOString(), hidden_by: actorId(actor) })
      .where("id", "=", commentId)
      .where("hidden_at", "is", null)
      .execute();
    const closed = await tx.kysely
      .updateTable("comment_reports")
      .set({ resolved_at: now.toISOString() })
      .where("comment_id", "=", commentId)
      .where("resolved_at", "is", null)
      .executeTakeFirst();
    await refreshSignals(tx.kysely, [comment.paper_id], now);
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: "comment.hide",
        targetType: "comment",
        targetId: commentId,
        details: { paperId: comment.paper_id, reason: why || undefined, reportsClosed: Number(closed.numUpdatedRows) },
      },
      now,
    );
    return { paperId: comment.paper_id };
  });
}

/** Shows a hidden comment again. */
export async function unhideComment(db: Db, actor: Actor, commentId: number, now = new Date()) {
  checkModerator(actor);
  const comment = await commentOf(db, commentId);
  return inTransaction(db, async (tx) => {
    // Named write: clear the hidden mark; then recount and record.
    await tx.kysely
      .updateTable("comments")
      .set({ hidden_at: null, hidden_by: null })
      .where("id", "=", commentId)
      .execute();
    await refreshSignals(tx.kysely, [comment.paper_id], now);
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: "comment.unhide",
        targetType: "comment",
        targetId: commentId,
        details: { paperId: comment.paper_id },
      },
      now,
    );
    return { paperId: comment.paper_id };
  });
}

/** Closes a comment's open reports without hiding it. */
export async function dismissReports(db: Db, actor: Actor, commentId: number, now = new Date()): Promise<number> {
  checkModerator(actor);
  await commentOf(db, commentId);
  return inTransaction(db, async (tx) => {
    // Named write: mark every open report of the comment resolved; then record.
    const r = await tx.kysely
      .updateTable("comment_reports")
      .set({ resolved_at: now.toISOString() })
      .where("comment_id", "=", commentId)
      .where("resolved_at", "is", null)
      .executeTakeFirst();
    const count = Number(r.numUpdatedRows);
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: "report.dismiss",
        targetType: "comment",
        targetId: commentId,
        details: { count },
      },
      now,
    );
    return count;
  });
}

/** Removes a submission made on this instance (a featuring with submitted_by_user_id). */
export async function removeSubmission(db: Db, actor: Actor, featuringId: number, reason?: string, now = new Date()) {
  checkModerator(actor);
  const why = cleanReason(reason, false);
  // Named read: the featuring, to check it is a local submission and record what it was.
  const row = Number.isSafeInteger(featuringId)
    ? await db.kysely
        .selectFrom("featurings")
        .select(["id", "paper_id", "day", "submitted_by_user_id"])
        .where("id", "=", featuringId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new ModerationError("There is no such submission.", 404);
  if (row.submitted_by_user_id === null) {
    throw new ModerationError(
      "That featuring was imported, not submitted here; only local submissions can be removed.",
    );
  }
  await inTransaction(db, async (tx) => {
    // Named write: delete the featuring; then recount the paper's signals and record.
    await tx.kysely.deleteFrom("featurings").where("id", "=", featuringId).execute();
    await refreshSignals(tx.kysely, [row.paper_id], now);
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: "submission.remove",
        targetType: "featuring",
        targetId: featuringId,
        details: {
          paperId: row.paper_id,
          day: row.day,
          submittedBy: row.submitted_by_user_id,
          reason: why || undefined,
        },
      },
      now,
    );
  });
  return { paperId: row.paper_id };
}

async function targetUser(db: Db, actor: Viewer | typeof CLI_ACTOR, userId: number, verb: string) {
  const target = Number.isSafeInteger(userId) ? await userById(db, userId) : null;
  if (!target) throw new ModerationError("There is no such user.", 404);
  if (actor !== CLI_ACTOR) {
    if (target.id === actor.id) throw new ModerationError(`You cannot ${verb} yourself.`);
    if (target.role === "admin" && actor.role !== "admin") throw new Forbidden(`Only an admin can ${verb} an admin.`);
  }
  return target;
}

/** Suspends an account: it can still read and sign in, but not write. A moderator cannot suspend an admin. */
export async function suspendUser(db: Db, actor: Actor, userId: number, reason: string, now = new Date()) {
  checkModerator(actor);
  const why = cleanReason(reason, true);
  const target = await targetUser(db, actor, userId, "suspend");
  await inTransaction(db, async (tx) => {
    // Named write: the suspension and its reason (shown to the person); then record.
    await tx.kysely
      .updateTable("users")
      .set({ suspended_at: now.toISOString(), suspended_reason: why, updated_at: now.toISOString() })
      .where("id", "=", target.id)
      .execute();
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: "user.suspend",
        targetType: "user",
        targetId: target.id,
        details: { reason: why },
      },
      now,
    );
  });
  return target;
}

/** Lifts a suspension. */
export async function unsuspendUser(db: Db, actor: Actor, userId: number, now = new Date()) {
  checkModerator(actor);
  const target = await targetUser(db, actor, userId, "unsuspend");
  await inTransaction(db, async (tx) => {
    // Named write: clear the suspension; then record.
    await tx.kysely
      .updateTable("users")
      .set({ suspended_at: null, suspended_reason: null, updated_at: now.toISOString() })
      .where("id", "=", target.id)
      .execute();
    await writeAudit(
      tx.kysely,
      { actorId: actorId(actor), action: "user.unsuspend", targetType: "user", targetId: target.id },
      now,
    );
  });
  return target;
}

/** Sets a user's role (admins, or the command line). Returns false when it was already that role. */
export async function setRole(db: Db, actor: Actor, userId: number, role: Role, now = new Date()): Promise<boolean> {
  if (actor !== CLI_ACTOR) assertAdmin(actor);
  if (!ROLES.includes(role)) throw new ModerationError(`A role is one of ${ROLES.join(", ")}.`);
  const target = Number.isSafeInteger(userId) ? await userById(db, userId) : null;
  if (!target) throw new ModerationError("There is no such user.", 404);
  if (actor !== CLI_ACTOR && target.id === actor.id) {
    throw new ModerationError("You cannot change your own role; ask another admin or use `paperboy users promote`.");
  }
  if (target.role === role) return false;
  await inTransaction(db, async (tx) => {
    await writeRole(tx, target.id, role, now);
    await writeAudit(
      tx.kysely,
      {
        actorId: actorId(actor),
        action: RANK[role] > RANK[target.role] ? "user.promote" : "user.demote",
        targetType: "user",
        targetId: target.id,
        details: { from: target.role, to: role, ...(actor === CLI_ACTOR ? { via: "cli" } : {}) },
      },
      now,
    );
  });
  return true;
}

/** A user as the admin pages list them: the account itself. */
export type UserListing = User;

/** Users whose email or username contains `q` (all when empty), optionally of one role, newest first. */
export async function findUsers(
  db: Db,
  { q = "", role, limit = 50 }: { q?: string; role?: Role; limit?: number } = {},
) {
  const needle = q.trim().toLowerCase();
  // Named read: the admin user search; LIKE with the user's text escaped, emails and usernames are lower-case.
  let query = db.kysely
    .selectFrom("users")
    .select(["id", "email", "username", "display_name", "role", "suspended_at", "suspended_reason", "created_at"])
    .orderBy("id", "desc")
    .limit(limit);
  if (needle) {
    const pattern = `%${needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where(sql<SqlBool>`(email LIKE ${pattern} ESCAPE '\\' OR username LIKE ${pattern} ESCAPE '\\')`);
  }
  if (role) query = query.where("role", "=", role);
  const rows = await query.execute();
  return rows.map(
    (r): UserListing => ({
      id: r.id,
      email: r.email,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      suspendedAt: r.suspended_at,
      suspendedReason: r.suspended_reason,
      createdAt: r.created_at,
    }),
  );
}

export interface AuditListing {
  id: number;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** One page of the audit log, newest first; `more` says whether an older page exists. */
export async function auditPage(db: Db, { page, pageSize = 50 }: { page: number; pageSize?: number }) {
  // Named read: audit rows with the actor's username (null for the command line or a deleted account).
  const rows = await db.kysely
    .selectFrom("audit_log as l")
    .leftJoin("users as u", "u.id", "l.actor_id")
    .select(["l.id", "u.username", "l.action", "l.target_type", "l.target_id", "l.details", "l.created_at"])
    .orderBy("l.created_at", "desc")
    .orderBy("l.id", "desc")
    .limit(pageSize + 1)
    .offset((Math.max(1, page) - 1) * pageSize)
    .execute();
  const items = rows.slice(0, pageSize).map(
    (r): AuditListing => ({
      id: r.id,
      actor: r.username,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: safeJson(r.details),
      createdAt: r.created_at,
    }),
  );
  return { items, more: rows.length > pageSize };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/** The latest submissions made on this instance, for moderators to review. */
export async function recentSubmissions(db: Db, limit = 50) {
  // Named read: local featurings (submitted_by_user_id set) with their paper and submitter.
  const rows = await db.kysely
    .selectFrom("featurings as f")
    .innerJoin("papers as p", "p.id", "f.paper_id")
    .innerJoin("users as u", "u.id", "f.submitted_by_user_id")
    .select(["f.id", "f.day", "f.created_at", "p.arxiv_id", "p.title", "u.username"])
    .orderBy("f.created_at", "desc")
    .orderBy("f.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    createdAt: r.created_at,
    arxivId: r.arxiv_id,
    title: r.title,
    submitter: r.username,
  }));
}
