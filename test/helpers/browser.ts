// Browser test harness (*.browser.test.ts, run by `npm run test:browser`): the real HTTP server on a
// loopback port over a temporary SQLite database holding the demo set and its search index, a
// headless Chromium through playwright-core, an axe-core accessibility check and screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AxeResults, RunOptions } from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { setLogLevel } from "../../src/app/log.ts";
import { startServer } from "../../src/app/server.ts";
import { loadConfig } from "../../src/config/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { loadDemoIfEmpty } from "../../src/papers/demo.ts";
import { updateIndex } from "../../src/search/indexer.ts";

const require = createRequire(import.meta.url);

// page.evaluate callbacks run in the browser; tsconfig has no DOM lib, so declare what they use.
declare const window: { axe: { run(context: unknown, options: RunOptions): Promise<AxeResults> } };
declare const document: unknown;

/** Where screenshots go (ignored by git). */
export const RESULTS_DIR = fileURLToPath(new URL("../../test-results/", import.meta.url));

export interface TestServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Load the bundled demo set (default true). */
  demo?: boolean;
  /** Build the search index before serving, so semantic search is ready at once (default true). */
  index?: boolean;
  /**
   * Run the background jobs in the server process, as `npm start` does (default true). The index is
   * already built, so the indexer only checks it; the jobs keep e.g. trending scores as in production.
   */
  worker?: boolean;
  /** Extra environment settings for loadConfig (DATABASE_URL, DATA_DIR and HOST are set here). */
  env?: Record<string, string>;
}

/**
 * Starts the real server (startServer, as `paperboy serve` does) on 127.0.0.1 with a free port over
 * a fresh SQLite file in a temporary folder. Always SQLite, even when TEST_DATABASE_URL names a
 * PostgreSQL server: the browser suite tests pages, not dialects.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-browser-"));
  setLogLevel("warn");
  const config = {
    ...loadConfig({
      LOG_LEVEL: "warn",
      ...options.env,
      DATABASE_URL: `sqlite:${join(dir, "paperboy.db")}`,
      DATA_DIR: dir,
      DEMO_DATA: "off",
      HOST: "127.0.0.1",
    }),
    port: 0,
  };
  const db = await openDatabase(config.databaseUrl);
  try {
    if (options.demo ?? true) await loadDemoIfEmpty(db);
    if (options.index ?? true) await updateIndex(db, config);
    const running = await startServer(config, db, { worker: options.worker ?? true });
    return {
      baseUrl: running.url,
      close: async () => {
        await running.close();
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Headless Chromium: the Debian package by default, or CHROMIUM_PATH. `--no-sandbox` because CI runs as root. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
}

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page and returns the serious and critical
 * violations. `message(violations)` formats them for an assertion.
 *
 * The app's CSP (script-src 'self') refuses inline <script> tags, so axe is not injected with
 * addScriptTag: its source is evaluated through the DevTools protocol (page.evaluate with a string),
 * which the page's CSP does not govern. The page under test keeps its real CSP this way (no bypassCSP).
 */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate("typeof window.axe === 'object'");
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.map(String).join(" >>> ")),
      }));
  });
}

/** A readable assertion message: one line per violation with the elements it was found on. */
export function a11yMessage(violations: A11yViolation[], where = ""): string {
  const lines = violations.map(
    (v) =>
      `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n    on ${v.targets.slice(0, 5).join(", ")}${
        v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ""
      }`,
  );
  return `${violations.length} serious/critical accessibility violation(s)${where ? ` on ${where}` : ""}:\n${lines.join("\n")}`;
}

/** Saves a full-page screenshot as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
