// Who is asking, and may they change anything: the session cookie (or, for the API, an
// `Authorization: Bearer` token) becomes the request's Viewer; every state-changing request
// passes a CSRF check; and the errors of the policy module become 401/403/429 answers.
//
// CSRF, in two layers: (1) a request that a browser marks as cross-site (Sec-Fetch-Site) or whose
// Origin is another site is refused; (2) a request authenticated by the session cookie must send
// the session's CSRF token back, as the `_csrf` form field or the `X-CSRF-Token` header. Requests
// with a Bearer token carry no cookie a third site could ride on, so they skip layer 2.
import type { Context, MiddlewareHandler } from "hono";
import { tryGetContext } from "hono/context-storage";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { sameSecret } from "../accounts/tokens.ts";
import type { Viewer } from "../accounts/users.ts";
import { SESSION_TTL_MS, viewerFromApiToken, viewerFromSession } from "../accounts/users.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { AppDeps } from "./app.tsx";

declare module "hono" {
  interface ContextVariableMap {
    viewer: Viewer | null;
    /** The app's dependencies, for components that load their own data (vote state, collections). */
    deps: AppDeps & { mail: MailTransport };
    /** Request-scoped memo for components (e.g. the viewer's votes, loaded once per page). */
    memo: Map<string, unknown>;
  }
}

export const SESSION_COOKIE = "pb_session";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Paths whose POST must work without an Origin or a session (RFC 8058 one-click unsubscribe). */
export const CSRF_EXEMPT: RegExp[] = [/^\/digest\/unsubscribe$/];

export function sessionCookieOptions(config: Pick<Config, "baseUrl">) {
  return {
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: config.baseUrl.startsWith("https:"),
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  };
}

export function setSessionCookie(c: Context, config: Pick<Config, "baseUrl">, token: string) {
  setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(config));
}

export function clearSessionCookie(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** Resolves the Viewer of every request (null when anonymous or the credentials are stale). */
export function authenticate(db: Db): MiddlewareHandler {
  return async (c, next) => {
    let viewer: Viewer | null = null;
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer) {
      viewer = await viewerFromApiToken(db, bearer);
      if (!viewer) return c.json({ error: "invalid or revoked API token" }, 401);
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) {
        viewer = await viewerFromSession(db, token);
        if (!viewer) clearSessionCookie(c);
      }
    }
    c.set("viewer", viewer);
    await next();
  };
}

export class CsrfError extends Error {}

/** Refuses cross-site state changes; see the file comment. */
export function csrfProtection(config: Pick<Config, "baseUrl">): MiddlewareHandler {
  const trusted = new URL(config.baseUrl).origin;
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method) || CSRF_EXEMPT.some((re) => re.test(c.req.path))) return next();
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") throw new CsrfError("cross-site request refused");
    const origin = c.req.header("origin");
    if (origin && origin !== "null" && origin !== trusted && origin !== new URL(c.req.url).origin) {
      throw new CsrfError("request from another site refused");
    }
    const viewer = c.get("viewer");
    if (viewer?.via === "session") {
      const sent = c.req.header("x-csrf-token") ?? (await formField(c, "_csrf"));
      if (!sent || !viewer.csrf || !sameSecret(sent, viewer.csrf)) {
        throw new CsrfError("the form has expired or did not come from this site; reload the page and try again");
      }
    }
    return next();
  };
}

async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return undefined;
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

export function viewerOf(c: Context): Viewer | null {
  return c.get("viewer") ?? null;
}

/** The viewer of the request being rendered, for the layout (null outside a request). */
export function currentViewer(): Viewer | null {
  return tryGetContext()?.get("viewer") ?? null;
}

/** The client's address, for rate limits: the socket's, or X-Forwarded-For's first hop when behind a proxy. */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const fwd = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return fwd;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

/** The app's dependencies from inside a request (components); throws outside one. */
export function currentDeps(): AppDeps & { mail: MailTransport } {
  const deps = tryGetContext()?.get("deps");
  if (!deps) throw new Error("currentDeps() called outside a request");
  return deps;
}

/** Computes `load()` once per request under `key` (e.g. every paper the viewer voted for). */
export async function requestMemo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const c = tryGetContext();
  if (!c) return load();
  let memo = c.get("memo");
  if (!memo) {
    memo = new Map();
    c.set("memo", memo);
  }
  if (!memo.has(key)) memo.set(key, load());
  return memo.get(key) as Promise<T>;
}
