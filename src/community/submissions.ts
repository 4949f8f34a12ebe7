// Submissions to Daily Papers: a signed-in reader names an arXiv paper (id or URL) and a day, and
// the paper is featured on that day with their name. A paper this archive does not hold yet is
// fetched from the arXiv API first. Every refusal is a SubmissionRefused with a reason code, an
// HTTP status and a message the person sees. The admin's rules (how old a paper may be, how many
// submissions a user may make per day) live in the settings table and are read and written here.
//
// Concurrency. The featuring insert is INSERT ... ON CONFLICT (day, paper_id) DO NOTHING: the
// unique key is the final guard against duplicates, and a conflict is answered "already featured"
// (no exception, so a PostgreSQL transaction is not aborted by it). The per-day limit is checked
// after the insert, in the same transaction, counting the new row, and the transaction is rolled
// back when it is over. On PostgreSQL the user's row is locked first (FOR NO KEY UPDATE: it does not
// block votes or comments, whose foreign-key checks only take KEY SHARE), so two submissions of one
// user count one after the other; the paper's row is locked too (lockPaperForSignals) before the
// signals are recounted, in the same order every writer uses (user, then paper), so no deadlock.
import { assertAdmin, assertCanWrite, Forbidden, Unauthenticated } from "../accounts/policy.ts";
import { hit, LIMITS } from "../accounts/rate-limit.ts";
import type { Viewer } from "../accounts/users.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { parseArxivId } from "../papers/arxiv-id.ts";
import { type FetchConfig, type FetchOptions, fetchPaper } from "../papers/import/fetch-one.ts";
import { ArxivHttpError } from "../papers/import/http.ts";
import { addDays, isDay } from "../papers/periods.ts";
import { refreshSignals } from "../papers/signals.ts";
import { writeAudit } from "./audit.ts";
import { lockPaperForSignals, paperIdByArxivId } from "./votes.ts";

const DAY_MS = 86_400_000;

/** The `source` of featurings made by local submissions. */
export const LOCAL_SOURCE = "local";

// ---------------------------------------------------------------------------------------------
// The admin's rules.

export interface SubmissionRules {
  /** Papers first submitted to arXiv more than this many days ago cannot be submitted. */
  maxAgeDays: number;
  /** Submissions one user may make per UTC day. */
  perUserPerDay: number;
}

/** Keys of the rules in the settings table. */
export const SUBMISSION_RULE_KEYS: Record<keyof SubmissionRules, string> = {
  maxAgeDays: "submission.max_age_days",
  perUserPerDay: "submission.per_user_per_day",
};

/** The rules until an admin changes them: two weeks keeps Daily Papers about new work; five a day is generous for a person. */
export const DEFAULT_SUBMISSION_RULES: SubmissionRules = { maxAgeDays: 14, perUserPerDay: 5 };

/** What an admin may set: whole numbers in these ranges. */
export const SUBMISSION_RULE_BOUNDS: Record<keyof SubmissionRules, { min: number; max: number; label: string }> = {
  maxAgeDays: { min: 1, max: 3650, label: "Oldest paper, in days" },
  perUserPerDay: { min: 1, max: 1000, label: "Submissions per user per day" },
};

/** A rule an admin entered is not acceptable; `field` names it (maxAgeDays or perUserPerDay). */
export class SubmissionRulesError extends Error {
  constructor(
    readonly field: keyof SubmissionRules,
    message: string,
  ) {
    super(message);
    this.name = "SubmissionRulesError";
  }
}

/** The rules in force: the stored values, or the defaults for any not stored (or not readable). */
export async function submissionRules(db: Db): Promise<SubmissionRules> {
  // Named read: the submission rules in the settings table.
  const rows = await db.kysely
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", "in", Object.values(SUBMISSION_RULE_KEYS))
    .execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const rules = { ...DEFAULT_SUBMISSION_RULES };
  for (const name of Object.keys(SUBMISSION_RULE_KEYS) as (keyof SubmissionRules)[]) {
    const n = Number(stored.get(SUBMISSION_RULE_KEYS[name]));
    const { min, max } = SUBMISSION_RULE_BOUNDS[name];
    if (stored.has(SUBMISSION_RULE_KEYS[name]) && Number.isInteger(n) && n >= min && n <= max) rules[name] = n;
  }
  return rules;
}

/** Checks rules as entered (form strings or JSON numbers); throws SubmissionRulesError naming the first bad one. */
export function validateSubmissionRules(input: Record<keyof SubmissionRules, unknown>): SubmissionRules {
  const out = { ...DEFAULT_SUBMISSION_RULES };
  for (const name of Object.keys(SUBMISSION_RULE_BOUNDS) as (keyof SubmissionRules)[]) {
    const { min, max, label } = SUBMISSION_RULE_BOUNDS[name];
    const raw = input[name];
    const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
    const n = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new SubmissionRulesError(name, `${label} must be a whole number from ${min} to ${max}.`);
    }
    out[name] = n;
  }
  return out;
}

/** Stores new rules (admins only), with an audit entry, in one transaction; returns what was stored. */
export async function setSubmissionRules(
  db: Db,
  viewer: Viewer | null,
  input: Record<keyof SubmissionRules, unknown>,
  now: Date = new Date(),
): Promise<SubmissionRules> {
  assertAdmin(viewer);
  const rules = validateSubmissionRules(input);
  const before = await submissionRules(db);
  await inTransaction(db, async (tx) => {
    for (const name of Object.keys(SUBMISSION_RULE_KEYS) as (keyof SubmissionRules)[]) {
      // Named write: one rule, created or replaced.
      await tx.kysely
        .insertInto("settings")
        .values({ key: SUBMISSION_RULE_KEYS[name], value: String(rules[name]), updated_at: now.toISOString() })
        .onConflict((oc) =>
          oc
            .column("key")
            .doUpdateSet((eb) => ({ value: eb.ref("excluded.value"), updated_at: eb.ref("excluded.updated_at") })),
        )
        .execute();
    }
    await writeAudit(
      tx.kysely,
      {
        actorId: viewer.id,
        action: "settings.submission_rules",
        targetType: "settings",
        targetId: "submission",
        details: { before, after: rules },
      },
      now,
    );
  });
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Submitting a paper.

export type RefusalReason =
  /** Not an arXiv id or URL, or one arXiv itself refuses. */
  | "invalid-id"
  /** The day is not a date, is in the future, is too far back, or is before the paper appeared. */
  | "invalid-day"
  /** arXiv has no such paper. */
  | "not-found"
  /** First submitted to arXiv longer ago than the admin's maximum age. */
  | "too-old"
  /** The user has made their submissions for today (admin rule). */
  | "daily-limit"
  /** Already featured on that day. */
  | "duplicate"
  /** The account is suspended. */
  | "suspended"
  /** Too many attempts in a short time (LIMITS.submissionsPerUser). */
  | "rate-limited"
  /** arXiv could not be reached, or its answer could not be read. */
  | "arxiv-unavailable";

/** HTTP status of each refusal, for the pages and the API. */
export const REFUSAL_STATUS = {
  "invalid-id": 400,
  "invalid-day": 400,
  "not-found": 404,
  "too-old": 422,
  "daily-limit": 429,
  duplicate: 409,
  suspended: 403,
  "rate-limited": 429,
  "arxiv-unavailable": 503,
} as const satisfies Record<RefusalReason, number>;

/** A submission that was not accepted, and why (`reason`), in words a person understands (`message`). */
export class SubmissionRefused extends Error {
  readonly status: (typeof REFUSAL_STATUS)[RefusalReason];
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** Seconds until trying again can succeed (limits), for Retry-After. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "SubmissionRefused";
    this.status = REFUSAL_STATUS[reason];
  }
}

export interface SubmissionInput {
  /** An arXiv id or URL, as pasted. */
  idOrUrl: string;
  /** The Daily Papers day (YYYY-MM-DD); today (UTC) when absent or empty. */
  day?: string | null;
}

export interface Submission {
  featuringId: number;
  paperId: number;
  arxivId: string;
  title: string;
  day: string;
  /** True when the paper was fetched from arXiv for this submission. */
  fetched: boolean;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * Features a paper on a day for `viewer`; see the file comment. `options.client` is the arXiv
 * client to fetch unknown papers with (tests); by default the process-wide one.
 */
export async function submitPaper(
  db: Db,
  config: FetchConfig,
  viewer: Viewer | null,
  input: SubmissionInput,
  now: Date = new Date(),
  options: FetchOptions = {},
): Promise<Submission> {
  if (!viewer) throw new Unauthenticated("Sign in to submit a paper.");
  try {
    assertCanWrite(viewer);
  } catch (err) {
    if (err instanceof Forbidden) throw new SubmissionRefused("suspended", err.message);
    throw err;
  }
  const rate = await hit(db, `submit:user:${viewer.id}`, LIMITS.submissionsPerUser, now);
  if (!rate.allowed) {
    throw new SubmissionRefused(
      "rate-limited",
      `Too many submissions in a short time; try again in ${Math.ceil(rate.retryAfter / 60)} minutes.`,
      rate.retryAfter,
    );
  }

  const typed = input.idOrUrl.trim();
  const parsed = parseArxivId(typed);
  if (!parsed) {
    throw new SubmissionRefused(
      "invalid-id",
      typed
        ? `"${typed.slice(0, 100)}" is not an arXiv id or URL. Paste an id like 2406.01234 or a link to the paper on arxiv.org.`
        : "Paste an arXiv id like 2406.01234 or a link to the paper on arxiv.org.",
    );
  }

  const rules = await submissionRules(db);
  const today = utcDay(now);
  const earliestDay = addDays(today, -rules.maxAgeDays);
  const day = input.day?.trim() || today;
  if (!isDay(day)) {
    throw new SubmissionRefused("invalid-day", `"${day.slice(0, 40)}" is not a date; write it like ${today}.`);
  }
  if (day > today) {
    throw new SubmissionRefused(
      "invalid-day",
      `${day} has not come yet; submit for today (${today}) or an earlier day.`,
    );
  }
  if (day < earliestDay) {
    throw new SubmissionRefused(
      "invalid-day",
      `${day} is too far back: papers can be submitted for the last ${rules.maxAgeDays} days (from ${earliestDay}).`,
    );
  }

  const tomorrowMs = Date.parse(`${today}T00:00:00Z`) + DAY_MS;
  const dailyLimit = () =>
    new SubmissionRefused(
      "daily-limit",
      `You have made your ${rules.perUserPerDay} submissions for today; you can submit more tomorrow (UTC).`,
      Math.ceil((tomorrowMs - now.getTime()) / 1000),
    );
  // Before asking arXiv anything: a user at the limit is told so at once (checked again below).
  if ((await submissionsToday(db, viewer.id, today, earliestDay)) >= rules.perUserPerDay) throw dailyLimit();

  let paperId = await paperIdByArxivId(db, parsed.id);
  const fetched = paperId === null;
  if (paperId === null) paperId = await fetchUnknown(db, config, parsed.id, options);

  // Named read: what the age rule and the answer need of the paper.
  const paper = await db.kysely
    .selectFrom("papers")
    .select(["id", "arxiv_id", "title", "submitted_at", "announced_on"])
    .where("id", "=", paperId)
    .executeTakeFirstOrThrow();
  const firstSeen = [paper.submitted_at?.slice(0, 10), paper.announced_on].filter((d): d is string => !!d).sort()[0];
  if (firstSeen) {
    const age = daysBetween(firstSeen, today);
    if (age > rules.maxAgeDays) {
      throw new SubmissionRefused(
        "too-old",
        `${paper.arxiv_id} first appeared on arXiv on ${firstSeen}, ${age} days ago; this instance takes papers up to ${rules.maxAgeDays} days old.`,
      );
    }
    if (day < firstSeen) {
      throw new SubmissionRefused(
        "invalid-day",
        `${paper.arxiv_id} first appeared on arXiv on ${firstSeen}; it cannot be featured on ${day}.`,
      );
    }
  }

  const stamp = now.toISOString();
  const featuringId = await inTransaction(db, async (tx) => {
    const k = tx.kysely;
    if (tx.dialect === "postgres") {
      // Named lock: the submitter's row, so their submissions are counted one at a time.
      await k.selectFrom("users").select("id").where("id", "=", viewer.id).forNoKeyUpdate().execute();
    }
    await lockPaperForSignals(tx, paper.id);
    // Named write: the featuring; the unique (day, paper_id) key refuses a second one for the day.
    const inserted = await k
      .insertInto("featurings")
      .values({
        paper_id: paper.id,
        day,
        submitted_by: viewer.username,
        submitted_by_user_id: viewer.id,
        submitted_at: stamp,
        upvotes: 0,
        num_comments: 0,
        organization: null,
        source: LOCAL_SOURCE,
        created_at: stamp,
        modified_at: stamp,
      })
      .onConflict((oc) => oc.columns(["day", "paper_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      throw new SubmissionRefused("duplicate", `${paper.arxiv_id} is already on Daily Papers for ${day}.`);
    }
    if ((await submissionsToday(tx, viewer.id, today, earliestDay)) > rules.perUserPerDay) throw dailyLimit();
    await refreshSignals(k, [paper.id], now);
    return inserted.id;
  });
  return { featuringId, paperId: paper.id, arxivId: paper.arxiv_id, title: paper.title, day, fetched };
}

/**
 * Submissions `userId` made on the UTC day `today`. Such featurings are for days from
 * `earliestDay` (the oldest day one may submit for) to today, so the day range keeps the read on
 * the featurings (day, paper_id) index instead of scanning the table.
 */
async function submissionsToday(db: Db, userId: number, today: string, earliestDay: string): Promise<number> {
  // Named read: count of a user's local submissions made today.
  const row = await db.kysely
    .selectFrom("featurings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("day", ">=", earliestDay)
    .where("day", "<=", today)
    .where("submitted_by_user_id", "=", userId)
    .where("submitted_at", ">=", `${today}T00:00:00.000Z`)
    .where("submitted_at", "<", `${addDays(today, 1)}T00:00:00.000Z`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Fetches a paper this archive does not hold from arXiv; returns its new id or refuses. */
async function fetchUnknown(db: Db, config: FetchConfig, arxivId: string, options: FetchOptions): Promise<number> {
  let outcome: Awaited<ReturnType<typeof fetchPaper>>;
  try {
    outcome = await fetchPaper(db, config, arxivId, options);
  } catch (err) {
    if (err instanceof ArxivHttpError) {
      throw new SubmissionRefused(
        "arxiv-unavailable",
        "arXiv could not be reached just now; try again in a few minutes.",
      );
    }
    throw err;
  }
  if ("paperId" in outcome) return outcome.paperId;
  if (outcome.status === "not-found") {
    throw new SubmissionRefused("not-found", `arXiv has no paper ${arxivId}. Check the id and try again.`);
  }
  if (outcome.status === "invalid") {
    throw new SubmissionRefused("invalid-id", `arXiv does not accept ${arxivId} as an id: ${outcome.message}`);
  }
  throw new SubmissionRefused(
    "arxiv-unavailable",
    `arXiv's record of ${arxivId} could not be read: ${outcome.message}`,
  );
}
