// Comments on papers: adding (replies one level deep), editing and deleting one's own, reporting
// someone else's, and the thread as a page shows it. Every change that alters how many comments a
// paper visibly has refreshes its paper_signals row in the same transaction, so the counts on
// cards never disagree with the comments. Policy checks come first, from accounts/policy.ts.
// Also here: the reported comments moderators review (openReports).

import { assertCanWrite, assertOwner, Forbidden, isModerator, RateLimited } from "../accounts/policy.ts";
import { hit, LIMITS } from "../accounts/rate-limit.ts";
import type { Viewer } from "../accounts/users.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { refreshSignals } from "../papers/signals.ts";

/** Longest comment body, in characters. */
export const MAX_COMMENT_LENGTH = 10_000;
/** Longest report reason, in characters. */
export const MAX_REPORT_REASON = 1_000;

/** A comment request that cannot be done as asked; the message is shown to the person. */
export class CommentError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = "CommentError";
  }
}

/** Where a comment lives: enough to link to it (`/papers/ARXIV#comment-ID`). */
export interface CommentRef {
  id: number;
  paperId: number;
  arxivId: string;
}

export interface CommentAuthor {
  id: number;
  username: string;
  displayName: string;
}

export interface CommentView {
  id: number;
  parentId: number | null;
  /** visible; deleted by its author ("[deleted]"); hidden by a moderator (shown to moderators, marked). */
  state: "visible" | "deleted" | "hidden";
  /** Null when the viewer may not see who wrote it (deleted, or hidden and the viewer is no moderator). */
  author: CommentAuthor | null;
  /** Markdown source; null when the viewer may not read it. */
  body: string | null;
  createdAt: string;
  editedAt: string | null;
  /** The viewer wrote it. */
  mine: boolean;
  /** The viewer has reported it already. */
  reported: boolean;
  replies: CommentView[];
}

/** Trims, normalises line ends, drops NUL (PostgreSQL refuses it) and checks the length. */
export function normalizeBody(raw: string): string {
  const body = raw.replace(/\r\n?/g, "\n").replaceAll("\0", "").trim();
  if (body.length === 0) throw new CommentError("Write something before posting.");
  if (body.length > MAX_COMMENT_LENGTH) {
    throw new CommentError(
      `A comment is at most ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters; this one has ${body.length.toLocaleString("en")}.`,
    );
  }
  return body;
}

// Named read: one comment with its paper's arXiv id, for policy checks and redirects.
async function commentRow(db: Db, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return db.kysely
    .selectFrom("comments as c")
    .innerJoin("papers as p", "p.id", "c.paper_id")
    .select(["c.id", "c.paper_id", "c.user_id", "c.parent_id", "c.body", "c.deleted_at", "c.hidden_at", "p.arxiv_id"])
    .where("c.id", "=", id)
    .executeTakeFirst();
}

async function existingComment(db: Db, id: number) {
  const row = await commentRow(db, id);
  if (!row) throw new CommentError("There is no such comment.", 404);
  return row;
}

const refOf = (row: { id: number; paper_id: number; arxiv_id: string }): CommentRef => ({
  id: row.id,
  paperId: row.paper_id,
  arxivId: row.arxiv_id,
});

/** Where comment `id` lives, or null when there is no such comment. */
export async function commentRef(db: Db, id: number): Promise<CommentRef | null> {
  const row = await commentRow(db, id);
  return row ? refOf(row) : null;
}

/** The paper a comment form posts to, by arXiv id (null when the archive does not hold it). */
export async function paperByArxivId(db: Db, arxivId: string): Promise<{ id: number; arxivId: string } | null> {
  // Named read: the paper's row id for its canonical arXiv id.
  const row = await db.kysely
    .selectFrom("papers")
    .select(["id", "arxiv_id"])
    .where("arxiv_id", "=", arxivId)
    .executeTakeFirst();
  return row ? { id: row.id, arxivId: row.arxiv_id } : null;
}

/**
 * Adds a comment to a paper, or a reply. Replies are one level deep: a reply to a reply is
 * attached to the comment that one replies to. Counts against LIMITS.commentsPerUser.
 */
export async function addComment(
  db: Db,
  viewer: Viewer | null,
  paperId: number,
  rawBody: string,
  parentId: number | null = null,
  now: Date = new Date(),
): Promise<CommentRef> {
  assertCanWrite(viewer);
  const body = normalizeBody(rawBody);
  // Named read: the paper commented on.
  const paper = await db.kysely
    .selectFrom("papers")
    .select(["id", "arxiv_id"])
    .where("id", "=", paperId)
    .executeTakeFirst();
  if (!paper) throw new CommentError("There is no such paper.", 404);
  let rootId: number | null = null;
  if (parentId !== null) {
    const parent = await commentRow(db, parentId);
    if (!parent || parent.paper_id !== paperId)
      throw new CommentError("The comment you replied to is not on this paper.");
    if (parent.deleted_at || parent.hidden_at) throw new CommentError("That comment was removed; it takes no replies.");
    rootId = parent.parent_id ?? parent.id;
  }
  const rate = await hit(db, `comment:user:${viewer.id}`, LIMITS.commentsPerUser, now);
  if (!rate.allowed) {
    throw new RateLimited(
      `You have posted many comments in a short time. Try again in ${Math.ceil(rate.retryAfter / 60)} minutes.`,
      rate.retryAfter,
    );
  }
  return inTransaction(db, async (tx) => {
    // Named write: the new comment; then the paper's visible count.
    const row = await tx.kysely
      .insertInto("comments")
      .values({
        paper_id: paperId,
        user_id: viewer.id,
        parent_id: rootId,
        body,
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await refreshSignals(tx.kysely, [paperId], now);
    return { id: row.id, paperId, arxivId: paper.arxiv_id };
  });
}

/** The comment its author is about to edit (for the edit form). */
export async function commentForEdit(
  db: Db,
  viewer: Viewer | null,
  id: number,
): Promise<CommentRef & { body: string }> {
  const row = await existingComment(db, id);
  assertOwner(viewer, row.user_id, "comments");
  if (row.deleted_at) throw new CommentError("This comment was deleted.");
  if (row.hidden_at) throw new Forbidden("A moderator hid this comment; it cannot be edited.");
  return { ...refOf(row), body: row.body };
}

/** Replaces the body of one's own comment and marks it edited. */
export async function editComment(
  db: Db,
  viewer: Viewer | null,
  id: number,
  rawBody: string,
  now: Date = new Date(),
): Promise<CommentRef> {
  const row = await commentForEdit(db, viewer, id);
  const body = normalizeBody(rawBody);
  // Named write: the new text, unless the comment was deleted or hidden meanwhile.
  const done = await db.kysely
    .updateTable("comments")
    .set({ body, edited_at: now.toISOString() })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new CommentError("This comment was removed meanwhile.");
  return refOf({ id: row.id, paper_id: row.paperId, arxiv_id: row.arxivId });
}

/**
 * Deletes one's own comment softly: the row stays (so replies keep their place and "[deleted]"
 * shows where it was) but its text is erased. Deleting twice is harmless.
 */
export async function deleteComment(
  db: Db,
  viewer: Viewer | null,
  id: number,
  now: Date = new Date(),
): Promise<CommentRef> {
  const row = await existingComment(db, id);
  assertOwner(viewer, row.user_id, "comments");
  if (row.deleted_at) return refOf(row);
  await inTransaction(db, async (tx) => {
    // Named write: mark deleted and erase the text; then the paper's visible count.
    await tx.kysely
      .updateTable("comments")
      .set({ deleted_at: now.toISOString(), body: "" })
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .execute();
    await refreshSignals(tx.kysely, [row.paper_id], now);
  });
  return refOf(row);
}

/** Reports someone else's comment to the moderators, once per person and comment. */
export async function reportComment(
  db: Db,
  viewer: Viewer | null,
  id: number,
  rawReason: string,
  now: Date = new Date(),
): Promise<CommentRef> {
  assertCanWrite(viewer);
  const reason = rawReason.replaceAll("\0", "").trim();
  if (reason.length === 0) throw new CommentError("Say briefly what is wrong with the comment.");
  if (reason.length > MAX_REPORT_REASON) {
    throw new CommentError(`A report reason is at most ${MAX_REPORT_REASON.toLocaleString("en")} characters.`);
  }
  const row = await existingComment(db, id);
  if (row.deleted_at) throw new CommentError("This comment was deleted.");
  if (row.user_id === viewer.id) throw new CommentError("You cannot report your own comment; edit or delete it.");
  // Named write: the report; the unique (comment_id, user_id) key makes it once per person.
  const inserted = await db.kysely
    .insertInto("comment_reports")
    .values({ comment_id: id, user_id: viewer.id, reason, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) throw new CommentError("You have already reported this comment. Moderators will look at it.");
  return refOf(row);
}

/**
 * The discussion of a paper as `viewer` may see it: top-level comments oldest first, each with its
 * replies. Deleted comments show as "[deleted]". Hidden comments are shown, marked, to moderators;
 * others see a placeholder only where replies hang on it, and nothing otherwise.
 */
export async function listComments(db: Db, paperId: number, viewer: Viewer | null): Promise<CommentView[]> {
  const moderator = isModerator(viewer);
  // Named read: every comment of the paper with its author, in posting order.
  const rows = await db.kysely
    .selectFrom("comments as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select([
      "c.id",
      "c.parent_id",
      "c.user_id",
      "c.body",
      "c.created_at",
      "c.edited_at",
      "c.deleted_at",
      "c.hidden_at",
      "u.username",
      "u.display_name",
    ])
    .where("c.paper_id", "=", paperId)
    .orderBy("c.created_at")
    .orderBy("c.id")
    .execute();
  const reported = new Set<number>();
  if (viewer && rows.length > 0) {
    // Named read: which of these comments the viewer has reported.
    const mine = await db.kysely
      .selectFrom("comment_reports as r")
      .innerJoin("comments as c", "c.id", "r.comment_id")
      .select("r.comment_id")
      .where("c.paper_id", "=", paperId)
      .where("r.user_id", "=", viewer.id)
      .execute();
    for (const r of mine) reported.add(r.comment_id);
  }
  const views = new Map<number, CommentView>();
  const top: CommentView[] = [];
  for (const r of rows) {
    const state = r.deleted_at ? "deleted" : r.hidden_at ? "hidden" : "visible";
    const readable = state === "visible" || (state === "hidden" && moderator);
    const view: CommentView = {
      id: r.id,
      parentId: r.parent_id,
      state,
      author: readable ? { id: r.user_id, username: r.username, displayName: r.display_name } : null,
      body: readable ? r.body : null,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      mine: viewer?.id === r.user_id,
      reported: reported.has(r.id),
      replies: [],
    };
    views.set(r.id, view);
    const parent = r.parent_id === null ? undefined : views.get(r.parent_id);
    if (parent) parent.replies.push(view);
    else top.push(view);
  }
  const shown = (v: CommentView) => moderator || v.state !== "hidden";
  return top.map((t) => ({ ...t, replies: t.replies.filter(shown) })).filter((t) => shown(t) || t.replies.length > 0);
}

export interface OpenReport {
  commentId: number;
  arxivId: string;
  author: string;
  body: string;
  state: "visible" | "deleted" | "hidden";
  createdAt: string;
  reports: { reporter: string; reason: string; createdAt: string }[];
}

/** Comments with open reports, the longest-waiting first, each with its reports. */
export async function openReports(db: Db, limit = 100): Promise<OpenReport[]> {
  // Named read: every open report with its comment, the comment's author and paper, and the reporter.
  const rows = await db.kysely
    .selectFrom("comment_reports as r")
    .innerJoin("comments as c", "c.id", "r.comment_id")
    .innerJoin("papers as p", "p.id", "c.paper_id")
    .innerJoin("users as a", "a.id", "c.user_id")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select([
      "r.comment_id",
      "r.reason",
      "r.created_at as reported_at",
      "u.username as reporter",
      "a.username as author",
      "c.body",
      "c.deleted_at",
      "c.hidden_at",
      "c.created_at",
      "p.arxiv_id",
    ])
    .where("r.resolved_at", "is", null)
    .orderBy("r.created_at")
    .orderBy("r.id")
    .execute();
  const byComment = new Map<number, OpenReport>();
  for (const r of rows) {
    let item = byComment.get(r.comment_id);
    if (!item) {
      if (byComment.size >= limit) continue;
      item = {
        commentId: r.comment_id,
        arxivId: r.arxiv_id,
        author: r.author,
        body: r.body,
        state: r.deleted_at ? "deleted" : r.hidden_at ? "hidden" : "visible",
        createdAt: r.created_at,
        reports: [],
      };
      byComment.set(r.comment_id, item);
    }
    item.reports.push({ reporter: r.reporter, reason: r.reason, createdAt: r.reported_at });
  }
  return [...byComment.values()];
}
