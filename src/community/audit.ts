// The audit log of moderator and admin actions: written with the same transaction handle as the
// action itself, so an action and its record land together or not at all.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

type Exec = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  actorId: number | null;
  /** What was done: comment.hide, submission.remove, user.suspend, claim.approve, user.promote ... */
  action: string;
  targetType: string;
  targetId: string | number;
  details?: Record<string, unknown>;
}

export async function writeAudit(exec: Exec, entry: AuditEntry, now: Date = new Date()): Promise<void> {
  await exec
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: String(entry.targetId),
      details: JSON.stringify(entry.details ?? {}),
      created_at: now.toISOString(),
    })
    .execute();
}
