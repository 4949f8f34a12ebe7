// The HTTP application: health probes and the Daily Papers page. Hono was chosen over Fastify for
// its built-in server-side JSX (pages without a template engine or a client framework) and
// `app.request()`, which lets tests call routes without a socket; both are fast enough here.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { sql } from "kysely";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { featuredOn, latestFeaturedDay } from "../papers/daily.ts";
import type { SearchRuntime } from "../search/runtime.ts";
import { registerSearchApi } from "./api/search.ts";
import { DailyPage } from "./daily-page.tsx";

export interface AppDeps {
  db: Db;
  config: Config;
  search: SearchRuntime;
}

export function createApp({ db, search }: AppDeps): Hono {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: "strict-origin-when-cross-origin",
    }),
  );

  // Liveness: the process answers. Readiness: the database answers too.
  app.get("/healthz", (c) => c.text("ok"));
  app.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return c.text("ready");
    } catch (err) {
      return c.text(`database unavailable: ${(err as Error).message}`, 503);
    }
  });

  app.get("/", async (c) => {
    const day = await latestFeaturedDay(db);
    const entries = day ? await featuredOn(db, day) : [];
    return c.html(<DailyPage day={day} entries={entries} />);
  });

  registerSearchApi(app, db, search);

  app.notFound((c) =>
    c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : c.text("Not found", 404),
  );
  return app;
}
