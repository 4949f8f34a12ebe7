// The upvote button in a real browser (headless Chromium, `npm run test:browser`) against the real
// server: with JavaScript, vote.js (loaded under the app's strict CSP) votes without leaving the
// page, by mouse and keyboard, and the button's state, label and count follow; without JavaScript
// the same form posts and comes back to the page; visitors are led to sign in; and the signed-in
// page has no serious or critical axe-core violations.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { a11yMessage, checkA11y, launchBrowser } from "../../../test/helpers/browser.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { createSession, findOrCreateUser } from "../../accounts/users.ts";
import { setLogLevel } from "../../app/log.ts";
import { type RunningServer, startServer } from "../../app/server.ts";
import { loadConfig } from "../../config/config.ts";
import { type Db, openDatabase } from "../../db/client.ts";
import { getPaperByArxivId, upsertRecords } from "../../papers/store.ts";

// page.evaluate callbacks run in the browser; tsconfig has no DOM lib, so declare what they use.
declare const window: { paperboyMarker?: number };

const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const ID = "2611.40001";
const BUTTON = `form.votes[action="/papers/${ID}/vote"] button.vote`;
const COUNT = `form.votes[action="/papers/${ID}/vote"] .count`;

let dir: string;
let db: Db;
let running: RunningServer;
let browser: Browser;
let sessionToken: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "paperboy-votes-browser-"));
  setLogLevel("warn");
  const config = {
    ...loadConfig({
      LOG_LEVEL: "warn",
      DATABASE_URL: `sqlite:${join(dir, "paperboy.db")}`,
      DATA_DIR: dir,
      DEMO_DATA: "off",
      HOST: "127.0.0.1",
    }),
    port: 0,
  };
  db = await openDatabase(config.databaseUrl);
  await upsertRecords(db, [
    paperRecord(
      { arxivId: ID, title: "Voting in the browser" },
      { day: DAY, upvotes: 3, submittedAt: `${DAY}T08:00:00.000Z` },
    ),
  ]);
  const user = await findOrCreateUser(db, "browser-voter@example.org");
  sessionToken = (await createSession(db, user.id, "playwright")).token;
  running = await startServer(config, db, { worker: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await running?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedInContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: "pb_session", value: sessionToken, url: running.url }]);
  return context;
}

async function votes(): Promise<number> {
  const paper = await getPaperByArxivId(db, ID);
  const rows = await db.kysely
    .selectFrom("votes")
    .select("user_id")
    .where("paper_id", "=", paper?.id as number)
    .execute();
  return rows.length;
}

test("with JavaScript: a click and a key press vote in place, without leaving the page", async () => {
  const context = await signedInContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    await page.goto(`${running.url}/`);
    const button = page.locator(BUTTON);
    assert.equal(await button.getAttribute("aria-pressed"), "false");
    assert.equal(await page.locator(COUNT).textContent(), "3");
    await page.evaluate(() => {
      window.paperboyMarker = 1;
    });

    await button.click();
    await page.waitForSelector(`${BUTTON}[aria-pressed="true"]`);
    assert.equal(await page.locator(COUNT).textContent(), "4");
    assert.equal(await button.getAttribute("aria-label"), "Remove upvote from Voting in the browser");
    assert.equal(await votes(), 1);

    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${BUTTON}[aria-pressed="false"]`);
    assert.equal(await page.locator(COUNT).textContent(), "3");
    assert.equal(await button.getAttribute("aria-label"), "Upvote Voting in the browser");
    assert.equal(await votes(), 0);
    assert.equal(await page.evaluate(() => window.paperboyMarker), 1, "the page was not reloaded");
    assert.equal(page.url(), `${running.url}/`);

    const violations = await checkA11y(page);
    assert.deepEqual(violations, [], a11yMessage(violations, "/ signed in"));
    assert.deepEqual(errors, [], "no script or CSP errors");
  } finally {
    await context.close();
  }
});

test("without JavaScript: the form posts and comes back to the same page", async () => {
  const context = await signedInContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/papers/${ID}`);
    await Promise.all([page.waitForURL(`${running.url}/papers/${ID}`), page.locator(BUTTON).click()]);
    await page.waitForSelector(`${BUTTON}[aria-pressed="true"]`);
    assert.equal(await page.locator(COUNT).textContent(), "4");
    assert.equal(await votes(), 1);
    await page.locator(BUTTON).click();
    await page.waitForSelector(`${BUTTON}[aria-pressed="false"]`);
    assert.equal(await votes(), 0);
  } finally {
    await context.close();
  }
});

test("a visitor's upvote link leads to sign in, and back afterwards", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/papers/${ID}`);
    await page.locator('a.votes[aria-label^="Sign in to upvote Voting in the browser"]').click();
    await page.waitForURL(/\/signin\?next=/);
    assert.equal(new URL(page.url()).searchParams.get("next"), `/papers/${ID}`);
  } finally {
    await context.close();
  }
});
