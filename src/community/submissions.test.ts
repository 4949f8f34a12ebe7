// Submissions through submitPaper() on a real database, with arXiv replaced by a local server that
// replays recorded API answers: an unknown paper is fetched and featured; every refusal has its
// reason and message (bad id, not on arXiv, too old, bad day, per-day limit, duplicate, suspended,
// hourly limit, arXiv down); the admin's rules are validated, stored and audited; and concurrent
// submissions cannot make duplicates or pass the per-day limit.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { type FixtureServer, startFixtureServer } from "../../test/helpers/fixture-server.ts";
import { Forbidden, Unauthenticated } from "../accounts/policy.ts";
import { LIMITS } from "../accounts/rate-limit.ts";
import { findOrCreateUser, setRole, type Viewer } from "../accounts/users.ts";
import { ArxivClient } from "../papers/import/http.ts";
import { getPaperByArxivId, upsertRecords } from "../papers/store.ts";
import {
  DEFAULT_SUBMISSION_RULES,
  type RefusalReason,
  SubmissionRefused,
  SubmissionRulesError,
  setSubmissionRules,
  submissionRules,
  submitPaper,
} from "./submissions.ts";

/** The clock of these tests: 2611.00417 (first submitted 2026-11-02) is 8 days old. */
const NOW = new Date("2026-11-10T12:00:00Z");

let db: TestDb;
let server: FixtureServer;
let client: ArxivClient;
let config: { arxivApiUrl: string; arxivMinIntervalMs: number };
let arxivDown = false;

before(async () => {
  db = await testDb();
  server = await startFixtureServer((req) => {
    if (arxivDown) return { status: 503 };
    const ids = req.query.get("id_list") ?? "";
    if (ids === "2611.00417" || ids === "hep-th/9711200") return { file: "arxiv/api-id-v1.xml" };
    return { file: "arxiv/api-empty.xml" };
  });
  client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 5, maxAttempts: 2 });
  config = { arxivApiUrl: `${server.url}/api/query`, arxivMinIntervalMs: 0 };
});
after(async () => {
  await client.close();
  await server.close();
  await db.close();
});

async function viewer(email: string): Promise<Viewer> {
  const user = await findOrCreateUser(db, email);
  return { ...user, via: "token", sessionId: null, csrf: null };
}

const submit = (v: Viewer | null, idOrUrl: string, day?: string, now = NOW) =>
  submitPaper(db, config, v, { idOrUrl, ...(day ? { day } : {}) }, now, { client });

async function refusal(promise: Promise<unknown>, reason: RefusalReason, message: RegExp): Promise<SubmissionRefused> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof SubmissionRefused, `expected a refusal (${reason}), got ${String(caught)}`);
  assert.equal(caught.reason, reason);
  assert.match(caught.message, message);
  return caught;
}

/** Papers already in the archive, first submitted `daysOld` days before NOW. */
async function localPapers(n: number, daysOld = 2): Promise<string[]> {
  const submittedAt = new Date(NOW.getTime() - daysOld * 86_400_000).toISOString();
  const records = Array.from({ length: n }, () => paperRecord({ submittedAt }));
  await upsertRecords(db, records);
  return records.map((r) => r.paper.arxivId);
}

test("an unknown paper is fetched from arXiv and featured today in the submitter's name", async () => {
  const ada = await viewer("ada@example.org");
  const done = await submit(ada, "https://arxiv.org/abs/2611.00417v1");
  assert.equal(done.arxivId, "2611.00417");
  assert.equal(done.day, "2026-11-10");
  assert.equal(done.fetched, true);
  assert.equal(done.title, "Retrieval-Augmented Decoding for Low-Resource Machine Translation");
  assert.equal(server.requests.at(-1)?.query.get("id_list"), "2611.00417");
  const featuring = await db.kysely
    .selectFrom("featurings")
    .selectAll()
    .where("id", "=", done.featuringId)
    .executeTakeFirstOrThrow();
  assert.equal(featuring.day, "2026-11-10");
  assert.equal(featuring.source, "local");
  assert.equal(featuring.submitted_by, "ada");
  assert.equal(featuring.submitted_by_user_id, ada.id);
  assert.equal(featuring.submitted_at, NOW.toISOString());
  assert.equal(featuring.upvotes, 0);
  const signals = await db.kysely
    .selectFrom("paper_signals")
    .selectAll()
    .where("paper_id", "=", done.paperId)
    .executeTakeFirstOrThrow();
  assert.equal(signals.first_featured_at, NOW.toISOString());
  assert.ok(signals.trending > 0, "featured papers get a trending score at once");
});

test("a known paper is featured without asking arXiv, on an earlier day when asked", async () => {
  const [id] = await localPapers(1, 5);
  const before = server.requests.length;
  const done = await submit(await viewer("bea@example.org"), `arXiv:${id}`, "2026-11-08");
  assert.equal(done.fetched, false);
  assert.equal(done.day, "2026-11-08");
  assert.equal(server.requests.length, before);
});

test("refusals: not an id, not on arXiv, too old, bad days", async () => {
  const cy = await viewer("cy@example.org");
  await refusal(submit(cy, "https://example.org/paper"), "invalid-id", /is not an arXiv id or URL/);
  await refusal(submit(cy, "   "), "invalid-id", /Paste an arXiv id/);
  await refusal(submit(cy, "2611.99999"), "not-found", /arXiv has no paper 2611.99999/);
  assert.equal(await getPaperByArxivId(db, "2611.99999"), undefined);
  const old = await refusal(submit(cy, "hep-th/9711200"), "too-old", /first appeared on arXiv on 1997-11-28/);
  assert.equal(old.status, 422);
  assert.match(old.message, /up to 14 days old/);
  const [recent] = await localPapers(1, 3);
  await refusal(submit(cy, recent as string, "2026-11-11"), "invalid-day", /has not come yet/);
  await refusal(submit(cy, recent as string, "2026-02-30"), "invalid-day", /is not a date/);
  await refusal(submit(cy, recent as string, "2026-10-01"), "invalid-day", /too far back/);
  await refusal(submit(cy, recent as string, "2026-11-06"), "invalid-day", /cannot be featured on 2026-11-06/);
  const featured = await db.kysely
    .selectFrom("featurings")
    .select("id")
    .where("submitted_by_user_id", "=", cy.id)
    .execute();
  assert.equal(featured.length, 0);
});

test("the same paper twice on one day is refused as a duplicate; another day is fine", async () => {
  const dan = await viewer("dan@example.org");
  const [id] = (await localPapers(1)) as [string];
  await submit(dan, id);
  const dup = await refusal(
    submit(await viewer("dora@example.org"), id),
    "duplicate",
    /already on Daily Papers for 2026-11-10/,
  );
  assert.equal(dup.status, 409);
  await submit(dan, id, "2026-11-09");
});

test("ten simultaneous submissions of one paper for one day make one featuring", async () => {
  const [id] = (await localPapers(1)) as [string];
  const people = await Promise.all(Array.from({ length: 10 }, (_, i) => viewer(`race${i}@example.org`)));
  const outcomes = await Promise.allSettled(people.map((p) => submit(p, id)));
  assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
  for (const o of outcomes) {
    if (o.status === "rejected") assert.equal((o.reason as SubmissionRefused).reason, "duplicate");
  }
  const paper = await getPaperByArxivId(db, id);
  const rows = await db.kysely
    .selectFrom("featurings")
    .select("id")
    .where("paper_id", "=", paper?.id as number)
    .execute();
  assert.equal(rows.length, 1);
});

test("the per-day limit counts today's submissions, also when they arrive at once", async () => {
  const eve = await viewer("eve@example.org");
  const ids = await localPapers(DEFAULT_SUBMISSION_RULES.perUserPerDay + 3);
  const outcomes = await Promise.allSettled(ids.map((id) => submit(eve, id)));
  assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, DEFAULT_SUBMISSION_RULES.perUserPerDay);
  const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as SubmissionRefused] : []));
  assert.equal(refused.length, 3);
  for (const r of refused) {
    assert.equal(r.reason, "daily-limit");
    assert.match(r.message, /made your 5 submissions for today/);
    assert.equal(r.retryAfter, 12 * 3600, "until midnight UTC");
  }
  // The next UTC day starts afresh.
  const [later] = (await localPapers(1, 1)) as [string];
  const tomorrow = new Date("2026-11-11T00:30:00Z");
  const done = await submitPaper(db, config, eve, { idOrUrl: later }, tomorrow, { client });
  assert.equal(done.day, "2026-11-11");
});

test("suspended users, anonymous callers and the hourly limit are refused; arXiv down is said so", async () => {
  const [id] = (await localPapers(1)) as [string];
  await assert.rejects(submit(null, id), Unauthenticated);
  const fay = await viewer("fay@example.org");
  const suspended = { ...fay, suspendedAt: NOW.toISOString(), suspendedReason: "spam" };
  const s = await refusal(submit(suspended, id), "suspended", /suspended: spam/);
  assert.equal(s.status, 403);

  const gil = await viewer("gil@example.org");
  for (let i = 0; i < LIMITS.submissionsPerUser.max; i++) {
    await refusal(submit(gil, "not an id"), "invalid-id", /not an arXiv id/);
  }
  const limited = await refusal(submit(gil, id), "rate-limited", /Too many submissions/);
  assert.equal(limited.status, 429);
  assert.ok((limited.retryAfter ?? 0) > 0);

  arxivDown = true;
  try {
    const down = await refusal(
      submit(await viewer("hal@example.org"), "2611.55555"),
      "arxiv-unavailable",
      /arXiv could not be reached/,
    );
    assert.equal(down.status, 503);
  } finally {
    arxivDown = false;
  }
});

test("rules: defaults, validation, admins only, stored in settings with an audit entry", async () => {
  assert.deepEqual(await submissionRules(db), { maxAgeDays: 14, perUserPerDay: 5 });
  const member = await viewer("member@example.org");
  await assert.rejects(setSubmissionRules(db, member, { maxAgeDays: "30", perUserPerDay: "3" }), Forbidden);
  const adminUser = await findOrCreateUser(db, "admin@example.org");
  await setRole(db, adminUser.id, "admin");
  const admin: Viewer = { ...adminUser, role: "admin", via: "session", sessionId: null, csrf: null };
  for (const [input, field] of [
    [{ maxAgeDays: "0", perUserPerDay: "3" }, "maxAgeDays"],
    [{ maxAgeDays: "30", perUserPerDay: "2.5" }, "perUserPerDay"],
    [{ maxAgeDays: "lots", perUserPerDay: "3" }, "maxAgeDays"],
    [{ maxAgeDays: "30", perUserPerDay: "1001" }, "perUserPerDay"],
    [{ maxAgeDays: "30", perUserPerDay: undefined }, "perUserPerDay"],
  ] as const) {
    await assert.rejects(setSubmissionRules(db, admin, input), (err: Error) => {
      assert.ok(err instanceof SubmissionRulesError);
      assert.equal(err.field, field);
      assert.match(err.message, /must be a whole number from/);
      return true;
    });
  }
  assert.deepEqual(await setSubmissionRules(db, admin, { maxAgeDays: " 40 ", perUserPerDay: 2 }), {
    maxAgeDays: 40,
    perUserPerDay: 2,
  });
  assert.deepEqual(await submissionRules(db), { maxAgeDays: 40, perUserPerDay: 2 });
  const audit = await db.kysely.selectFrom("audit_log").selectAll().where("actor_id", "=", admin.id).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.action, "settings.submission_rules");
  assert.deepEqual(JSON.parse(audit[0]?.details ?? "{}"), {
    before: { maxAgeDays: 14, perUserPerDay: 5 },
    after: { maxAgeDays: 40, perUserPerDay: 2 },
  });

  // The new rules apply: a 30-day-old paper is accepted now, and the third submission of the day is not.
  const ivy = await viewer("ivy@example.org");
  const [old, a, b] = (await localPapers(3, 30)) as [string, string, string];
  await submit(ivy, old);
  await submit(ivy, a);
  await refusal(submit(ivy, b), "daily-limit", /made your 2 submissions/);
  await setSubmissionRules(db, admin, DEFAULT_SUBMISSION_RULES);
});
