// Authorship claims: a member says "I am this author of this paper" (one claim per member per
// paper, naming one of the paper's author names as written); an admin approves or rejects it, and
// the decision and its audit-log entry are written in one transaction. Approved claims are shown
// beside the paper and on the author's page. Every read and write of authorship_claims is here.
import { Forbidden } from "../accounts/policy.ts";
import type { Viewer } from "../accounts/users.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { writeAudit } from "./audit.ts";

export type ClaimStatus = "pending" | "approved" | "rejected";

export interface Claim {
  id: number;
  userId: number;
  username: string;
  displayName: string;
  paperId: number;
  arxivId: string;
  paperTitle: string;
  authorName: string;
  status: ClaimStatus;
  createdAt: string;
  decidedAt: string | null;
}

export class ClaimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClaimError";
  }
}

// Named read: claims with the claimant's handle and the paper's id and title.
function claimQuery(db: Db) {
  return db.kysely
    .selectFrom("authorship_claims as ac")
    .innerJoin("users as u", "u.id", "ac.user_id")
    .innerJoin("papers as p", "p.id", "ac.paper_id")
    .select([
      "ac.id",
      "ac.user_id",
      "u.username",
      "u.display_name",
      "ac.paper_id",
      "p.arxiv_id",
      "p.title",
      "ac.author_name",
      "ac.status",
      "ac.created_at",
      "ac.decided_at",
    ]);
}

type ClaimRow = {
  id: number;
  user_id: number;
  username: string;
  display_name: string;
  paper_id: number;
  arxiv_id: string;
  title: string;
  author_name: string;
  status: ClaimStatus;
  created_at: string;
  decided_at: string | null;
};

function toClaim(r: ClaimRow): Claim {
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    paperId: r.paper_id,
    arxivId: r.arxiv_id,
    paperTitle: r.title,
    authorName: r.author_name,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

/**
 * Files a pending claim that `userId` is `authorName` on the paper. The name must be one of the
 * paper's authors as written; a second claim by the same member on the same paper is refused.
 */
export async function claimAuthorship(
  db: Db,
  userId: number,
  paperId: number,
  authorName: string,
  now: Date = new Date(),
): Promise<Claim> {
  const paper = await db.kysely.selectFrom("papers").select("authors").where("id", "=", paperId).executeTakeFirst();
  if (!paper) throw new ClaimError("There is no such paper.");
  const authors = JSON.parse(paper.authors) as string[];
  if (!authors.includes(authorName)) throw new ClaimError("Pick one of the paper's authors.");
  // Named write: the (user_id, paper_id) unique key allows one claim per member per paper.
  const row = await db.kysely
    .insertInto("authorship_claims")
    .values({
      user_id: userId,
      paper_id: paperId,
      author_name: authorName,
      status: "pending",
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(["user_id", "paper_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new ClaimError("You have already claimed an authorship of this paper.");
  return (await claimById(db, row.id)) as Claim;
}

export async function claimById(db: Db, id: number): Promise<Claim | null> {
  const row = await claimQuery(db).where("ac.id", "=", id).executeTakeFirst();
  return row ? toClaim(row) : null;
}

/** The member's claim on a paper, whatever its status, or null. */
export async function claimOf(db: Db, userId: number, paperId: number): Promise<Claim | null> {
  const row = await claimQuery(db)
    .where("ac.user_id", "=", userId)
    .where("ac.paper_id", "=", paperId)
    .executeTakeFirst();
  return row ? toClaim(row) : null;
}

/** Claims waiting for an admin, oldest first. */
export async function pendingClaims(db: Db, { limit = 100 }: { limit?: number } = {}): Promise<Claim[]> {
  const rows = await claimQuery(db)
    .where("ac.status", "=", "pending")
    .orderBy("ac.created_at")
    .orderBy("ac.id")
    .limit(limit)
    .execute();
  return rows.map(toClaim);
}

/** Recently decided claims, newest decision first (for the admin page's history). */
export async function decidedClaims(db: Db, { limit = 20 }: { limit?: number } = {}): Promise<Claim[]> {
  const rows = await claimQuery(db)
    .where("ac.status", "!=", "pending")
    .orderBy("ac.decided_at", "desc")
    .orderBy("ac.id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toClaim);
}

/**
 * An admin approves or rejects a pending claim. The status change and the audit-log entry
 * (claim.approve / claim.reject) are one transaction. Returns null when there is no pending claim
 * with that id (already decided, or never filed).
 */
export async function decideClaim(
  db: Db,
  admin: Viewer,
  claimId: number,
  decision: "approved" | "rejected",
  now: Date = new Date(),
): Promise<Claim | null> {
  if (admin.role !== "admin" || admin.suspendedAt) throw new Forbidden("Only admins can do that.");
  return inTransaction(db, async (tx) => {
    // Named write: only a pending claim changes, so two admins deciding at once cannot both win.
    const row = await tx.kysely
      .updateTable("authorship_claims")
      .set({ status: decision, decided_at: now.toISOString(), decided_by: admin.id })
      .where("id", "=", claimId)
      .where("status", "=", "pending")
      .returning("id")
      .executeTakeFirst();
    if (!row) return null;
    const claim = (await claimById(tx, claimId)) as Claim;
    await writeAudit(
      tx.kysely,
      {
        actorId: admin.id,
        action: decision === "approved" ? "claim.approve" : "claim.reject",
        targetType: "authorship_claim",
        targetId: claimId,
        details: { user: claim.username, paper: claim.arxivId, author: claim.authorName },
      },
      now,
    );
    return claim;
  });
}

export interface ClaimedAuthor {
  authorName: string;
  username: string;
  displayName: string;
}

/** Approved claims on a paper: who is which author. */
export async function approvedClaimsOnPaper(db: Db, paperId: number): Promise<ClaimedAuthor[]> {
  const rows = await claimQuery(db)
    .where("ac.paper_id", "=", paperId)
    .where("ac.status", "=", "approved")
    .orderBy("ac.decided_at")
    .execute();
  return rows.map((r) => ({ authorName: r.author_name, username: r.username, displayName: r.display_name }));
}

/**
 * Members with an approved claim as the author written any of `names` (the spellings an author
 * page gathers), each once, with how many papers they claimed under those names.
 */
export async function approvedClaimsForAuthor(
  db: Db,
  names: string[],
): Promise<{ username: string; displayName: string; papers: number }[]> {
  if (names.length === 0) return [];
  const rows = await claimQuery(db)
    .where("ac.author_name", "in", [...new Set(names)])
    .where("ac.status", "=", "approved")
    .orderBy("ac.decided_at")
    .execute();
  const byUser = new Map<string, { username: string; displayName: string; papers: number }>();
  for (const r of rows) {
    const seen = byUser.get(r.username);
    if (seen) seen.papers++;
    else byUser.set(r.username, { username: r.username, displayName: r.display_name, papers: 1 });
  }
  return [...byUser.values()];
}
