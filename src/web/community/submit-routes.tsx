// Routes for submitting papers to Daily Papers and for the admin's submission rules:
//   GET/POST /submit              the form; a refusal is shown on the form with its status, and a
//                                 submission that is accepted redirects (303) to the day's page
//   POST /api/papers/submit       JSON {"id": "2406.01234" or a URL, "date"?: "YYYY-MM-DD"} with a
//                                 Bearer token (or the session cookie + X-CSRF-Token):
//                                 201 {paper: PaperCard, day} or 4xx/503 {error, reason}
//   GET/POST /admin/submission-rules  admins edit the rules (settings table), with validation
// The work and every refusal are in src/community/submissions.ts.
import type { Context, Hono } from "hono";
import { assertAdmin, Unauthenticated } from "../../accounts/policy.ts";
import {
  SubmissionRefused,
  SubmissionRulesError,
  setSubmissionRules,
  submissionRules,
  submitPaper,
} from "../../community/submissions.ts";
import { paperCards } from "../../papers/cards.ts";
import { addDays } from "../../papers/periods.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { periodPath } from "../pages/daily.tsx";
import { SubmissionRulesPage, type SubmitForm, SubmitPage } from "./submit.tsx";

async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

export function registerSubmitRoutes(app: Hono, deps: AppDeps) {
  const { db, config } = deps;

  const submitPage = async (c: Context, values: SubmitForm, error?: SubmissionRefused): Promise<Response> => {
    const viewer = viewerOf(c);
    const rules = await submissionRules(db);
    const today = new Date().toISOString().slice(0, 10);
    if (error?.retryAfter) c.header("Retry-After", String(error.retryAfter));
    const suspended = viewer?.suspendedAt
      ? `Your account is suspended${viewer.suspendedReason ? `: ${viewer.suspendedReason}` : ""}. You cannot submit papers.`
      : undefined;
    return c.html(
      <SubmitPage
        form={values}
        rules={rules}
        today={today}
        earliest={addDays(today, -rules.maxAgeDays)}
        {...(error ? { error: { reason: error.reason, message: error.message } } : {})}
        {...(suspended && error?.reason !== "suspended" ? { suspended } : {})}
      />,
      (error?.status ?? 200) as 200,
    );
  };

  app.get("/submit", (c) => {
    if (!viewerOf(c)) throw new Unauthenticated("Sign in to submit a paper.");
    return submitPage(c, { id: c.req.query("id") ?? "", day: c.req.query("day") ?? "" });
  });

  app.post("/submit", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) return c.redirect(`/signin?next=${encodeURIComponent("/submit")}`, 303);
    const f = await form(c);
    const values = { id: (f.id ?? "").slice(0, 300), day: (f.day ?? "").slice(0, 40) };
    try {
      const done = await submitPaper(db, config, viewer, { idOrUrl: values.id, day: values.day });
      return c.redirect(periodPath("day", done.day), 303);
    } catch (err) {
      if (err instanceof SubmissionRefused) return submitPage(c, values, err);
      throw err;
    }
  });

  app.post("/api/papers/submit", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated("Send Authorization: Bearer TOKEN, or a session cookie with X-CSRF-Token.");
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json(
        { error: 'the body must be JSON: {"id": "2406.01234", "date": "YYYY-MM-DD"}', reason: "invalid-request" },
        400,
      );
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return c.json({ error: 'the body must be a JSON object: {"id": "2406.01234"}', reason: "invalid-request" }, 400);
    }
    const { id, date } = body as { id?: unknown; date?: unknown };
    if (typeof id !== "string") {
      return c.json({ error: '"id" must be an arXiv id or URL (a string)', reason: "invalid-id" }, 400);
    }
    if (date !== undefined && date !== null && typeof date !== "string") {
      return c.json({ error: '"date" must be a day written YYYY-MM-DD', reason: "invalid-day" }, 400);
    }
    try {
      const done = await submitPaper(db, config, viewer, { idOrUrl: id, day: date ?? null });
      const [paper] = await paperCards(db, [done.paperId]);
      return c.json({ paper, day: done.day }, 201);
    } catch (err) {
      if (err instanceof SubmissionRefused) {
        if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
        return c.json({ error: err.message, reason: err.reason }, err.status);
      }
      throw err;
    }
  });

  app.get("/admin/submission-rules", async (c) => {
    assertAdmin(viewerOf(c));
    return c.html(<SubmissionRulesPage rules={await submissionRules(db)} />);
  });

  app.post("/admin/submission-rules", async (c) => {
    const viewer = viewerOf(c);
    assertAdmin(viewer);
    const f = await form(c);
    try {
      const rules = await setSubmissionRules(db, viewer, {
        maxAgeDays: f.maxAgeDays,
        perUserPerDay: f.perUserPerDay,
      });
      return c.html(<SubmissionRulesPage rules={rules} notice="Submission rules saved." />);
    } catch (err) {
      if (err instanceof SubmissionRulesError) {
        return c.html(
          <SubmissionRulesPage
            rules={await submissionRules(db)}
            error={{ field: err.field, message: err.message }}
            values={{ maxAgeDays: f.maxAgeDays ?? "", perUserPerDay: f.perUserPerDay ?? "" }}
          />,
          400,
        );
      }
      throw err;
    }
  });
}
