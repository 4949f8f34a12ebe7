// The HTTP application: security headers, static assets, the pages, the JSON API, the feeds and
// the health probes. Hono was chosen over Fastify for its built-in server-side JSX (pages without a
// template engine or a client framework) and `app.request()`, which lets tests call routes without
// a socket; both are fast enough here.
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import { secureHeaders } from "hono/secure-headers";
import { sql } from "kysely";
import { Forbidden, RateLimited, Unauthenticated } from "../accounts/policy.ts";
import { log } from "../app/log.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { createMailTransport, type MailTransport } from "../mail/transport.ts";
import type { SearchRuntime } from "../search/runtime.ts";
import { registerOpenApi } from "./api/openapi.ts";
import { registerPapersApi } from "./api/papers.ts";
import { registerSearchApi } from "./api/search.ts";
import { authenticate, CsrfError, csrfProtection } from "./auth.ts";
import { ResponseCache, responseCache } from "./cache.ts";
import { registerAdminPages } from "./community/admin-routes.tsx";
import { registerClaims } from "./community/claims-routes.tsx";
import { registerCollections } from "./community/collections-routes.tsx";
import { registerCommentRoutes } from "./community/comments-routes.tsx";
import { registerFollows } from "./community/follows-routes.tsx";
import { registerSavedSearches } from "./community/saved-searches-routes.tsx";
import { registerSubmitRoutes } from "./community/submit-routes.tsx";
import { registerVoteRoutes } from "./community/votes-routes.tsx";
import { registerDigestPages } from "./digests/routes.tsx";
import { registerFeeds } from "./feeds/routes.ts";
import { registerAccountPages } from "./pages/account-routes.tsx";
import { BadRequestPage, ForbiddenPage, NotFoundPage, ServerErrorPage } from "./pages/errors.tsx";
import { PageParamError, registerPages } from "./pages/routes.tsx";
import { registerStatic } from "./static.ts";

export interface AppDeps {
  db: Db;
  config: Config;
  search: SearchRuntime;
  /** How mail leaves (sign-in links, confirmations); made from MAIL_URL when not given. */
  mail?: MailTransport;
  /**
   * Cache anonymous pages for PAGE_CACHE_SECONDS (cache.ts). The server turns it on; tests that
   * change data between requests leave it off.
   */
  pageCache?: boolean;
}

export function createApp(input: AppDeps): Hono {
  const deps = {
    ...input,
    mail: input.mail ?? createMailTransport(input.config.mailUrl, { maxConnections: input.config.mailPoolSize }),
  };
  const { db, config } = deps;
  const app = new Hono();
  app.use(contextStorage());
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        styleSrc: ["'self'"],
        // KaTeX lays formulas out with style attributes; <style> elements and scripts stay 'self'.
        styleSrcAttr: ["'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: "strict-origin-when-cross-origin",
    }),
  );

  // Liveness: the process answers. Readiness: the database answers too. /api/health is the
  // trivial JSON endpoint benchmarks compare every other route against.
  app.get("/healthz", (c) => c.text("ok"));
  app.get("/api/health", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return c.text("ready");
    } catch (err) {
      return c.text(`database unavailable: ${(err as Error).message}`, 503);
    }
  });

  registerStatic(app);
  app.use(authenticate(db));
  app.use(csrfProtection(config));
  if (input.pageCache) app.use(responseCache(new ResponseCache(config.pageCacheSeconds * 1000)));
  registerSearchApi(app, db, deps.search);
  registerPapersApi(app, deps);
  registerOpenApi(app);
  registerFeeds(app, deps);
  registerPages(app, deps);
  registerAccountPages(app, deps);
  registerDigestPages(app, deps);
  registerCommentRoutes(app, deps);
  registerAdminPages(app, deps);
  registerVoteRoutes(app, deps);
  registerSubmitRoutes(app, deps);
  registerCollections(app, deps);
  registerFollows(app, deps);
  registerSavedSearches(app, deps);
  registerClaims(app, deps);

  app.notFound((c) =>
    c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : c.html(<NotFoundPage />, 404),
  );
  app.onError((err, c) => {
    const api = c.req.path.startsWith("/api/");
    if (err instanceof PageParamError) return c.html(<BadRequestPage message={err.message} />, 400);
    if (err instanceof Unauthenticated) {
      if (api || c.req.method !== "GET")
        return api ? c.json({ error: err.message }, 401) : c.html(<ForbiddenPage message={err.message} signIn />, 401);
      return c.redirect(`/signin?next=${encodeURIComponent(c.req.path)}`, 302);
    }
    if (err instanceof Forbidden || err instanceof CsrfError) {
      return api ? c.json({ error: err.message }, 403) : c.html(<ForbiddenPage message={err.message} />, 403);
    }
    if (err instanceof RateLimited) {
      c.header("Retry-After", String(err.retryAfter));
      return api
        ? c.json({ error: err.message, retryAfter: err.retryAfter }, 429)
        : c.html(<ForbiddenPage message={err.message} />, 429);
    }
    log.error("request failed", { method: c.req.method, path: c.req.path, error: err.stack ?? err.message });
    return c.req.path.startsWith("/api/") ? c.json({ error: "internal error" }, 500) : c.html(<ServerErrorPage />, 500);
  });
  return app;
}
