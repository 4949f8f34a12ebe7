// The HTTP application: security headers, static assets, the pages, the JSON API, the feeds and
// the health probes. Hono was chosen over Fastify for its built-in server-side JSX (pages without a
// template engine or a client framework) and `app.request()`, which lets tests call routes without
// a socket; both are fast enough here.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { sql } from "kysely";
import { log } from "../app/log.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import type { SearchRuntime } from "../search/runtime.ts";
import { registerOpenApi } from "./api/openapi.ts";
import { registerPapersApi } from "./api/papers.ts";
import { registerSearchApi } from "./api/search.ts";
import { registerFeeds } from "./feeds/routes.ts";
import { BadRequestPage, NotFoundPage, ServerErrorPage } from "./pages/errors.tsx";
import { PageParamError, registerPages } from "./pages/routes.tsx";
import { registerStatic } from "./static.ts";

export interface AppDeps {
  db: Db;
  config: Config;
  search: SearchRuntime;
}

export function createApp(deps: AppDeps): Hono {
  const { db } = deps;
  const app = new Hono();
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
  registerSearchApi(app, db, deps.search);
  registerPapersApi(app, deps);
  registerOpenApi(app);
  registerFeeds(app, deps);
  registerPages(app, deps);

  app.notFound((c) =>
    c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : c.html(<NotFoundPage />, 404),
  );
  app.onError((err, c) => {
    if (err instanceof PageParamError) return c.html(<BadRequestPage message={err.message} />, 400);
    log.error("request failed", { method: c.req.method, path: c.req.path, error: err.stack ?? err.message });
    return c.req.path.startsWith("/api/") ? c.json({ error: "internal error" }, 500) : c.html(<ServerErrorPage />, 500);
  });
  return app;
}
