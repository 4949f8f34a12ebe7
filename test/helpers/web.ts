// Tests of the app through `app.request()`: `testApp()` builds the app on a fresh database and
// temporary data folder (and takes them down again), and a small HTTP client keeps cookies like a
// browser, sends forms with the page's CSRF token, and signs a user in directly (a session row)
// when the sign-in flow itself is not what the test is about.
import type { Hono } from "hono";
import { createSession, findOrCreateUser, type User } from "../../src/accounts/users.ts";
import { type Config, loadConfig } from "../../src/config/config.ts";
import type { Db } from "../../src/db/client.ts";
import { SearchRuntime } from "../../src/search/runtime.ts";
import { type AppDeps, createApp } from "../../src/web/app.tsx";
import { type TestDb, tempDir, testDb } from "./db.ts";

export interface TestAppOptions extends Pick<AppDeps, "mail" | "pageCache"> {
  /**
   * Settings over DATA_DIR (the temporary folder) and DEMO_DATA=off; as a function, it is given the
   * folder's path (for settings that point inside it).
   */
  env?: Record<string, string> | ((dir: string) => Record<string, string>);
}

export interface TestApp {
  db: TestDb;
  dir: ReturnType<typeof tempDir>;
  config: Config;
  /**
   * The search runtime the app uses (createApp needs one). Its timers are never started, so it
   * searches by keyword only until the test runs `runtime.cycle()` (after seeding its papers).
   */
  runtime: SearchRuntime;
  app: Hono;
  /** Stops the runtime, closes and removes the database, and removes the folder. */
  close: () => Promise<void>;
}

/** The app on a fresh database and data folder; call `close()` in the test's `after`. */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { env = {}, ...deps } = options;
  const db = await testDb();
  const dir = tempDir();
  const config = loadConfig({
    DATA_DIR: dir.path,
    DEMO_DATA: "off",
    ...(typeof env === "function" ? env(dir.path) : env),
  });
  const runtime = new SearchRuntime(db, config);
  const app = createApp({ db, config, search: runtime, ...deps });
  const close = async () => {
    await runtime.stop();
    await db.close();
    dir.remove();
  };
  return { db, dir, config, runtime, app, close };
}

export class TestClient {
  cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(
    readonly app: Hono,
    readonly origin = "http://localhost",
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const res = await this.app.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      if (!name) continue;
      const value = rest.join("=");
      if (value === "" || attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** POSTs a form; adds `_csrf` (this client's token) unless `fields._csrf` is given or null. */
  post(path: string, fields: Record<string, string | null> = {}, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    const withCsrf = { _csrf: this.csrf, ...fields };
    for (const [k, v] of Object.entries(withCsrf)) if (v !== null) body.set(k, v);
    return this.request(path, {
      method: "POST",
      body: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin, ...headers },
    });
  }

  /** POSTs JSON with the session's CSRF header (what the pages' scripts do). */
  postJson(path: string, data: unknown, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: "POST",
      body: JSON.stringify(data),
      headers: {
        "content-type": "application/json",
        origin: this.origin,
        ...(this.csrf ? { "x-csrf-token": this.csrf } : {}),
        ...headers,
      },
    });
  }
}

/** A client signed in as `email` (the account is created if needed). */
export async function signedIn(
  app: Hono,
  db: Db,
  email: string,
  origin?: string,
): Promise<{ client: TestClient; user: User }> {
  const user = await findOrCreateUser(db, email);
  const session = await createSession(db, user.id, "test");
  const client = new TestClient(app, origin);
  client.cookies.set("pb_session", session.token);
  client.csrf = session.csrf;
  return { client, user };
}

/** The `_csrf` value of the first form on a page. */
export function csrfFrom(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}
