// Routes for signing in and out and for account settings. Every change is a POST that passes the
// CSRF check in auth.ts; GET pages only show things.
import type { Context, Hono } from "hono";
import { assertCanWrite, Unauthenticated } from "../../accounts/policy.ts";
import { completeSignIn, InvalidEmail, requestSignIn, safeNext } from "../../accounts/signin.ts";
import {
  createApiToken,
  deleteAllSessions,
  deleteSession,
  listApiTokens,
  loginTokenState,
  ProfileError,
  revokeApiToken,
  updateProfile,
  userById,
} from "../../accounts/users.ts";
import type { MailTransport } from "../../mail/transport.ts";
import type { AppDeps } from "../app.tsx";
import { clearSessionCookie, clientIp, setSessionCookie, viewerOf } from "../auth.ts";
import { CheckInboxPage, SettingsPage, SignInPage, VerifyPage } from "./account.tsx";

async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

export function registerAccountPages(app: Hono, deps: AppDeps & { mail: MailTransport }) {
  const { db, config } = deps;

  // Who the credentials belong to: for scripts checking their API token.
  app.get("/api/me", (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated("Send a session cookie or Authorization: Bearer TOKEN.");
    return c.json({
      username: viewer.username,
      displayName: viewer.displayName,
      role: viewer.role,
      suspended: viewer.suspendedAt !== null,
      via: viewer.via,
    });
  });

  app.get("/signin", (c) => {
    if (viewerOf(c)) return c.redirect("/settings", 302);
    return c.html(<SignInPage next={safeNext(c.req.query("next"))} />);
  });

  app.post("/signin", async (c) => {
    const f = await form(c);
    const next = safeNext(f.next);
    try {
      await requestSignIn(db, deps.mail, config, f.email ?? "", clientIp(c, config.trustProxy), next);
    } catch (err) {
      if (err instanceof InvalidEmail) {
        return c.html(<SignInPage next={next} error={err.message} email={f.email} />, 400);
      }
      throw err;
    }
    return c.html(<CheckInboxPage email={(f.email ?? "").trim()} />);
  });

  app.get("/signin/verify", async (c) => {
    const token = c.req.query("token") ?? "";
    const state = token ? await loginTokenState(db, token) : "unknown";
    return c.html(
      <VerifyPage token={token} next={safeNext(c.req.query("next"))} state={state} />,
      state === "valid" ? 200 : 400,
    );
  });

  app.post("/signin/verify", async (c) => {
    const f = await form(c);
    const done = await completeSignIn(db, f.token ?? "", c.req.header("user-agent") ?? null);
    if (!done) {
      const state = f.token ? await loginTokenState(db, f.token) : "unknown";
      return c.html(<VerifyPage token="" next={null} state={state === "valid" ? "unknown" : state} />, 400);
    }
    setSessionCookie(c, config, done.session.token);
    return c.redirect(safeNext(f.next) ?? (done.created ? "/settings?welcome=1" : "/"), 303);
  });

  app.post("/signout", async (c) => {
    const viewer = viewerOf(c);
    if (viewer?.sessionId) await deleteSession(db, viewer.sessionId);
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });

  app.post("/signout/everywhere", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    await deleteAllSessions(db, viewer.id);
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });

  const settings = async (c: Context, extra: Partial<Parameters<typeof SettingsPage>[0]> = {}, status = 200) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    const user = (await userById(db, viewer.id)) ?? viewer;
    const tokens = await listApiTokens(db, viewer.id);
    return c.html(<SettingsPage user={user} tokens={tokens} {...extra} />, status as 200);
  };

  app.get("/settings", (c) =>
    settings(c, c.req.query("welcome") ? { notice: "Welcome! Choose the name others see next to your comments." } : {}),
  );

  app.post("/settings/profile", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await form(c);
    try {
      await updateProfile(db, viewer.id, { username: f.username ?? "", displayName: f.display_name ?? "" });
    } catch (err) {
      if (err instanceof ProfileError) return settings(c, { error: { field: err.field, message: err.message } }, 400);
      throw err;
    }
    return settings(c, { notice: "Profile saved." });
  });

  app.post("/settings/tokens", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await form(c);
    const name = (f.name ?? "").trim();
    if (!name) return settings(c, { error: { field: "name", message: "Give the token a name." } }, 400);
    const token = await createApiToken(db, viewer.id, name);
    return settings(c, { newToken: token });
  });

  app.post("/settings/tokens/:id/revoke", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    const id = Number(c.req.param("id"));
    const ok = Number.isInteger(id) && (await revokeApiToken(db, viewer.id, id));
    return settings(
      c,
      ok ? { notice: "Token revoked." } : { error: { field: "id", message: "No such token." } },
      ok ? 200 : 404,
    );
  });
}
