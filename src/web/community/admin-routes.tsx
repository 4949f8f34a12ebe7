// Routes of the moderators' pages under /admin: every one checks assertModerator (setting roles,
// assertAdmin) before it reads or changes anything; every change is a CSRF-checked POST that goes
// through community/moderation.ts (which writes the audit log) and answers 303 back to its page.
import type { Context, Hono } from "hono";
import { assertModerator } from "../../accounts/policy.ts";
import { userById } from "../../accounts/users.ts";
import { openReports } from "../../community/comments.ts";
import {
  auditPage,
  dismissReports,
  findUsers,
  hideComment,
  ModerationError,
  ROLES,
  recentSubmissions,
  removeSubmission,
  setRole,
  suspendUser,
  unsuspendUser,
} from "../../community/moderation.ts";
import type { Role } from "../../db/schema.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { PageParamError } from "../pages/routes.tsx";
import { AdminHomePage, AdminProblemPage, AuditPage, ReportsPage, SubmissionsPage, UsersPage } from "./admin.tsx";

async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function idParam(c: Context): number {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id <= 0) throw new PageParamError("That id is not a number.");
  return id;
}

/** Runs a moderation action; its ModerationError becomes a page saying why, with a way back. */
async function act(c: Context, back: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (err) {
    if (err instanceof ModerationError)
      return c.html(<AdminProblemPage message={err.message} back={back} />, err.status);
    throw err;
  }
  return c.redirect(back, 303);
}

export function registerAdminPages(app: Hono, deps: AppDeps) {
  const { db } = deps;

  app.get("/admin", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const reports = await openReports(db);
    return c.html(<AdminHomePage openReports={reports.length} viewer={viewer} />);
  });

  app.get("/admin/reports", async (c) => {
    assertModerator(viewerOf(c));
    return c.html(<ReportsPage reports={await openReports(db)} />);
  });

  app.post("/admin/reports/:id/hide", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    return act(c, "/admin/reports", () => hideComment(db, viewer, id, "reported"));
  });

  app.post("/admin/reports/:id/dismiss", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    return act(c, "/admin/reports", () => dismissReports(db, viewer, id));
  });

  app.get("/admin/users", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const role = c.req.query("role");
    const users = await findUsers(db, { q, role: ROLES.includes(role as Role) ? (role as Role) : undefined });
    return c.html(<UsersPage users={users} q={q} viewer={viewer} />);
  });

  const usersBack = async (id: number) => {
    // Back to the list, narrowed to the account acted on.
    const user = await userById(db, id);
    return user ? `/admin/users?q=${encodeURIComponent(user.username)}#user-${id}` : "/admin/users";
  };

  app.post("/admin/users/:id/suspend", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    const reason = (await form(c)).reason ?? "";
    return act(c, await usersBack(id), () => suspendUser(db, viewer, id, reason));
  });

  app.post("/admin/users/:id/unsuspend", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    return act(c, await usersBack(id), () => unsuspendUser(db, viewer, id));
  });

  app.post("/admin/users/:id/role", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    const role = (await form(c)).role ?? "";
    return act(c, await usersBack(id), () => setRole(db, viewer, id, role as Role));
  });

  app.get("/admin/submissions", async (c) => {
    assertModerator(viewerOf(c));
    return c.html(<SubmissionsPage submissions={await recentSubmissions(db)} />);
  });

  app.post("/admin/submissions/:id/remove", async (c) => {
    const viewer = viewerOf(c);
    assertModerator(viewer);
    const id = idParam(c);
    const reason = (await form(c)).reason;
    return act(c, "/admin/submissions", () => removeSubmission(db, viewer, id, reason));
  });

  app.get("/admin/audit", async (c) => {
    assertModerator(viewerOf(c));
    const raw = c.req.query("page") ?? "1";
    const page = Number(raw);
    if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
      throw new PageParamError(`"page" must be a whole number from 1.`);
    }
    const { items, more } = await auditPage(db, { page });
    return c.html(<AuditPage items={items} page={page} more={more} />);
  });
}
