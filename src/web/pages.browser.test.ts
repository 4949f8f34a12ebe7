// The public pages in a real browser (headless Chromium, `npm run test:browser`), against the real
// server over the demo set: stepping through days, tabs and the date picker, live search, the paper
// page, no horizontal scroll on a phone, no serious or critical axe-core (WCAG 2 A/AA) violations
// in light and dark colour schemes, and screenshots of every page in test-results/.
// The tests rely only on the pages' public contract: cards are <article class="card"> with an <h2>
// or <h3> linking to /papers/:id, day navigation uses rel="prev"/rel="next", a paper page's <h1> is
// its title, and search has an <input type="search" name="q"> whose results are <article>s.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import {
  a11yMessage,
  checkA11y,
  launchBrowser,
  screenshot,
  startTestServer,
  type TestServer,
} from "../../test/helpers/browser.ts";

// page.evaluate callbacks run in the browser; tsconfig has no DOM lib, so declare what they use.
interface BrowserElement {
  tagName: string;
  className: unknown;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { right: number };
}
declare const document: {
  documentElement: { scrollWidth: number };
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
};

/** A word many demo papers share; the before hook checks that search finds it. */
const QUERY = "diffusion";
const PHONE = { width: 375, height: 800 };

let server: TestServer | undefined;
let browser: Browser | undefined;
/** A featured demo paper (from the search API, so no page is needed to find it). */
let sample: { arxivId: string; title: string; author: string; category: string; day: string };

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const res = await fetch(`${server.baseUrl}/api/search?q=${QUERY}&limit=50&mode=keyword`);
  assert.equal(res.status, 200, "the search API answers");
  const body = (await res.json()) as {
    hits: {
      paper: { arxivId: string; title: string; authors: string[]; categories: string[]; featuredOn: string | null };
    }[];
  };
  const hit = body.hits.find(
    (h) =>
      h.paper.featuredOn && h.paper.authors.length > 0 && h.paper.categories.length > 0 && !/[$\\]/.test(h.paper.title),
  );
  assert.ok(hit, `a featured demo paper matches "${QUERY}"`);
  const p = hit.paper;
  sample = {
    arxivId: p.arxivId,
    title: p.title,
    author: p.authors[0] as string,
    category: p.categories[0] as string,
    day: p.featuredOn as string,
  };
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Runs `fn` on a fresh page in its own context (so colour scheme and viewport never leak between
 * tests) and fails when the page threw an uncaught error or the browser refused something under the
 * Content-Security-Policy (an inline script or style would be).
 */
async function withPage<T>(fn: (page: Page) => Promise<T>, options: BrowserContextOptions = {}): Promise<T> {
  assert.ok(browser, "the browser started");
  const context = await browser.newContext(options);
  // Short timeouts: a missing element should fail its test in seconds, not Playwright's 30 s.
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`uncaught error: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" && /Content.Security.Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
    });
    const result = await fn(page);
    assert.deepEqual(problems, [], `errors on ${page.url()}`);
    return result;
  } finally {
    await context.close();
  }
}

/** Opens `path` and checks that it answered 200. */
async function open(page: Page, path: string, waitUntil: "load" | "networkidle" = "load"): Promise<void> {
  assert.ok(server, "the server started");
  const res = await page.goto(`${server.baseUrl}${path}`, { waitUntil });
  assert.equal(res?.status(), 200, `GET ${path}`);
}

const squash = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
const h1 = async (page: Page) => squash(await page.locator("h1").first().textContent());
const pathOf = (page: Page) => new URL(page.url()).pathname;

/** The paper links of the cards on a list page (the heading link of every <article class="card">). */
function cardLinks(page: Page): Promise<string[]> {
  return page.$$eval("article.card", (cards) =>
    cards.map((card) => card.querySelector(":is(h2, h3) a")?.getAttribute("href") ?? ""),
  );
}

async function assertCards(page: Page): Promise<void> {
  const links = await cardLinks(page);
  assert.ok(links.length > 0, `${pathOf(page)} shows cards (article.card)`);
  for (const href of links)
    assert.match(href, /^(https?:\/\/[^/]+)?\/papers\/[^/?#]+$/, "a card's heading links to its paper");
}

/** ISO-8601 week of a day, as the weekly route names it: 2026-W34. */
function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday of that week decides its year
  const year = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

test("the harness serves the app: /healthz and / in the browser", async () => {
  await withPage(async (page) => {
    await open(page, "/healthz");
    assert.equal(squash(await page.textContent("body")), "ok");
    await open(page, "/");
    assert.ok((await h1(page)).length > 0, "the home page has a heading");
    assert.ok(Array.isArray(await checkA11y(page)), "axe-core runs under the app's CSP");
  });
});

test("the daily page lists cards that link to paper pages", async () => {
  await withPage(async (page) => {
    await open(page, "/");
    await assertCards(page);
  });
});

test("rel=prev steps to the previous day, which links on with rel=next", async () => {
  await withPage(async (page) => {
    await open(page, "/");
    const before = await h1(page);
    const prev = page.locator('a[rel~="prev"]').first();
    await Promise.all([page.waitForURL(/\/papers\/date\/\d{4}-\d{2}-\d{2}$/), prev.click()]);
    await page.waitForLoadState();
    const after = await h1(page);
    assert.notEqual(after, before, "the heading names the new day");
    await assertCards(page);
    assert.ok((await page.locator('a[rel~="next"]').count()) > 0, "the previous day links to the next one");
  });
});

test("the Weekly and Monthly tabs open those lists", async () => {
  await withPage(async (page) => {
    for (const [kind, pattern] of [
      ["week", /\/papers\/week\/\d{4}-W\d{2}$/],
      ["month", /\/papers\/month\/\d{4}-\d{2}$/],
    ] as const) {
      await open(page, "/");
      await Promise.all([page.waitForURL(pattern), page.locator(`a[href*="/papers/${kind}/"]`).first().click()]);
      await assertCards(page);
    }
  });
});

test("the date picker opens the chosen day", async () => {
  await withPage(async (page) => {
    await open(page, "/");
    const input = page.locator('form input[type="date"]').first();
    await input.fill(sample.day);
    await Promise.all([
      page.waitForURL((url) => url.href.includes(sample.day)),
      input.evaluate((el) => (el as unknown as { form: { requestSubmit(): void } | null }).form?.requestSubmit()),
    ]);
    await page.waitForLoadState();
    await assertCards(page);
  });
});

test("search shows results as you type, and a result opens its paper", async () => {
  await withPage(async (page) => {
    await open(page, "/search");
    // The search page's own box (a site-wide one in the header may come first in the document).
    const inMain = page.locator('main input[type="search"][name="q"]');
    const box = ((await inMain.count()) > 0 ? inMain : page.locator('input[type="search"][name="q"]')).first();
    const resultLinks = 'article a[href*="/papers/"]';
    const initial = await page.$$eval(resultLinks, (as) => as.map((a) => a.getAttribute("href")));
    let loads = 0;
    page.on("domcontentloaded", () => loads++);
    await box.pressSequentially(QUERY, { delay: 60 });
    // No Enter: the list must change on its own (fetching results in the page).
    await page
      .waitForFunction(
        ({ selector, initial }) => {
          const now = Array.from(document.querySelectorAll(selector)).map((a) => a.getAttribute("href"));
          return now.length > 0 && now.join(" ") !== initial.join(" ");
        },
        { selector: resultLinks, initial },
      )
      .catch((err: Error) => {
        assert.fail(`no search results appeared while typing "${QUERY}" (live search): ${err.message.split("\n")[0]}`);
      });
    assert.equal(loads, 0, "results appeared without a page load (live search, not a form submission)");

    const first = page.locator(resultLinks).first();
    const text = squash(await first.textContent());
    const href = (await first.getAttribute("href")) as string;
    await Promise.all([page.waitForURL(/\/papers\/[^/?#]+$/), first.click()]);
    assert.equal(pathOf(page), new URL(href, page.url()).pathname, "the first result opened");
    assert.equal(await h1(page), text, "the paper page's <h1> is the title the result showed");
  });
});

test("a paper page has the title as its <h1>", async () => {
  await withPage(async (page) => {
    await open(page, `/papers/${sample.arxivId}`);
    assert.equal(await h1(page), squash(sample.title));
  });
});

test("no horizontal scroll at 375 px", async (t) => {
  for (const [name, path] of [
    ["home", "/"],
    ["paper", `/papers/${sample.arxivId}`],
    ["search", `/search?q=${QUERY}`],
  ] as const) {
    await t.test(path, async () => {
      await withPage(
        async (page) => {
          await open(page, path, "networkidle");
          await screenshot(page, `mobile-${name}`);
          const { scrollWidth, wide } = await page.evaluate((limit) => {
            const wide = Array.from(document.querySelectorAll("body *"))
              .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
              .slice(0, 5)
              .map(
                (el) =>
                  `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`,
              );
            return { scrollWidth: document.documentElement.scrollWidth, wide };
          }, PHONE.width);
          assert.ok(
            scrollWidth <= PHONE.width,
            `${path} is ${scrollWidth} px wide at ${PHONE.width} px; widest elements: ${wide.join(", ")}`,
          );
        },
        { viewport: PHONE },
      );
    });
  }
});

test("no serious or critical accessibility violations (axe-core, WCAG 2 A/AA)", async (t) => {
  const pages = ["/", `/search?q=${QUERY}`, `/papers/${sample.arxivId}`, "/trending"];
  for (const path of pages) {
    for (const colorScheme of ["light", "dark"] as const) {
      await t.test(`${path} (${colorScheme})`, async () => {
        await withPage(
          async (page) => {
            await open(page, path, "networkidle");
            const violations = await checkA11y(page);
            assert.equal(violations.length, 0, a11yMessage(violations, `${path} (${colorScheme})`));
          },
          { colorScheme },
        );
      });
    }
  }
});

test("screenshots of every page, light and dark (test-results/)", async (t) => {
  const pages: [string, string][] = [
    ["home", "/"],
    ["day", `/papers/date/${sample.day}`],
    ["week", `/papers/week/${isoWeek(sample.day)}`],
    ["month", `/papers/month/${sample.day.slice(0, 7)}`],
    ["trending", "/trending"],
    ["about-ranking", "/about/ranking"],
    ["paper", `/papers/${sample.arxivId}`],
    ["search", `/search?q=${QUERY}`],
    ["author", `/authors/${encodeURIComponent(sample.author)}`],
    ["category", `/c/${encodeURIComponent(sample.category)}`],
  ];
  for (const [name, path] of pages) {
    await t.test(`${name}: ${path}`, async () => {
      await withPage(async (page) => {
        assert.ok(server);
        const res = await page.goto(`${server.baseUrl}${path}`, { waitUntil: "networkidle" });
        // Screenshots first, so a page that answers wrongly can still be looked at.
        await screenshot(page, `${name}-light`);
        await page.emulateMedia({ colorScheme: "dark" });
        await screenshot(page, `${name}-dark`);
        assert.equal(res?.status(), 200, `GET ${path}`);
      });
    });
  }
});
