// The HTML routes: each validates its parameters (a bad one gets a 400 page saying which), reads
// through the named queries of papers/lists.ts, and renders a page. GET never changes state.
import type { Context, Hono } from "hono";
import { assertCanWrite, RateLimited } from "../../accounts/policy.ts";
import { hit, LIMITS } from "../../accounts/rate-limit.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { paperCards } from "../../papers/cards.ts";
import { fetchPaper } from "../../papers/import/fetch-one.ts";
import {
  adjacentFeaturedDays,
  authorPapers,
  categoryPapers,
  DAILY_SORTS,
  type DailySort,
  featuredIn,
  latestFeaturedDay,
  paperDetail,
  trendingPapers,
} from "../../papers/lists.ts";
import { isDay, type Period, type PeriodKind, parsePeriod, periodOf } from "../../papers/periods.ts";
import { SearchFilterError } from "../../search/lexical/index.ts";
import { SEARCH_MODES, type SearchMode, type SearchResponse, search } from "../../search/service.ts";
import { similarPapers } from "../../search/similar.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { paperPath } from "../components.tsx";
import { feedLinks, searchFeedPath } from "../feeds/links.ts";
import { AboutRankingPage } from "./about.tsx";
import { DailyPage, periodPath } from "./daily.tsx";
import { NotFoundPage } from "./errors.tsx";
import { AuthorPage, CATEGORY_NAMES, CategoryPage } from "./lists.tsx";
import { PaperPage, paperMarkdown, UnknownPaperPage } from "./paper.tsx";
import { type SearchForm, SearchPage } from "./search.tsx";
import { TrendingPage } from "./trending.tsx";

/** Papers per page on Daily Papers (a day rarely has more), trending, author and category pages. */
export const PAGE_SIZE = 50;
/** Results per search page: a screenful or two of abstracts. */
export const SEARCH_PAGE_SIZE = 20;
/** Similar papers shown on a paper page. */
export const SIMILAR_SHOWN = 8;
const MAX_PAGE = 1000;

/** A bad query parameter on a page: answered with a 400 page saying what was wrong (see app.tsx). */
export class PageParamError extends Error {}

/** `?page=` as a number from 1, or a PageParamError. */
function pageParam(c: Context): number {
  const raw = c.req.query("page");
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new PageParamError(`"page" must be a whole number from 1 to ${MAX_PAGE}; it was "${raw.slice(0, 40)}".`);
  }
  return n;
}

export function registerPages(app: Hono, deps: AppDeps) {
  const { db } = deps;

  const renderPeriod = async (c: Context, kind: PeriodKind, period: Period | null) => {
    const sortRaw = c.req.query("sort") ?? "upvotes";
    if (!(DAILY_SORTS as readonly string[]).includes(sortRaw)) {
      throw new PageParamError(`"sort" must be one of ${DAILY_SORTS.join(", ")}.`);
    }
    const sort = sortRaw as DailySort;
    const page = pageParam(c);
    const feeds = feedLinks("/feeds/daily", "Daily Papers");
    if (!period) {
      return c.html(
        <DailyPage
          period={null}
          prev={null}
          next={null}
          nearest={null}
          tabKeys={{ day: "", week: "", month: "" }}
          list={{ items: [], total: 0, limit: PAGE_SIZE, offset: 0 }}
          sort={sort}
          url={new URL(c.req.url)}
          feeds={feeds}
        />,
      );
    }
    const [list, adjacent] = await Promise.all([
      featuredIn(db, period, { sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      adjacentFeaturedDays(db, period),
    ]);
    const prev = adjacent.prev ? periodOf(kind, adjacent.prev).key : null;
    const next = adjacent.next ? periodOf(kind, adjacent.next).key : null;
    let nearest: string | null = null;
    if (list.total === 0) {
      const before = adjacent.prev ? Date.parse(period.from) - Date.parse(adjacent.prev) : Number.POSITIVE_INFINITY;
      const after = adjacent.next ? Date.parse(adjacent.next) - Date.parse(period.from) : Number.POSITIVE_INFINITY;
      nearest = before <= after ? adjacent.prev : adjacent.next;
    }
    // The tabs lead to the week and month holding the period's first day with papers (or its first day).
    const anchor = period.kind === "day" ? period.from : (list.items[0]?.featuring.day ?? period.from);
    const tabKeys = {
      day: periodOf("day", anchor).key,
      week: periodOf("week", anchor).key,
      month: periodOf("month", anchor).key,
    };
    return c.html(
      <DailyPage
        period={period}
        prev={prev}
        next={next}
        nearest={nearest}
        tabKeys={tabKeys}
        list={list}
        sort={sort}
        url={new URL(c.req.url)}
        feeds={feeds}
      />,
    );
  };

  app.get("/", async (c) => {
    const day = await latestFeaturedDay(db);
    return renderPeriod(c, "day", day ? parsePeriod("day", day) : null);
  });

  // The date picker's form target: a plain GET that forwards to the day's page.
  app.get("/papers/date", (c) => {
    const date = c.req.query("date") ?? "";
    if (!isDay(date)) throw new PageParamError(`"date" must be a calendar date written YYYY-MM-DD.`);
    return c.redirect(periodPath("day", date), 302);
  });

  for (const kind of ["day", "week", "month"] as const) {
    const segment = kind === "day" ? "date" : kind;
    app.get(`/papers/${segment}/:key`, async (c) => {
      const period = parsePeriod(kind, c.req.param("key"));
      if (!period) {
        const example = kind === "day" ? "2026-08-14" : kind === "week" ? "2026-W33" : "2026-08";
        return c.html(<NotFoundPage message={`That is not a valid ${kind}; write it like ${example}.`} />, 404);
      }
      return renderPeriod(c, kind, period);
    });
  }

  app.get("/trending", async (c) => {
    const page = pageParam(c);
    const list = await trendingPapers(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return c.html(
      <TrendingPage list={list} url={new URL(c.req.url)} feeds={feedLinks("/feeds/trending", "Trending papers")} />,
    );
  });

  app.get("/about/ranking", (c) => c.html(<AboutRankingPage />));

  const paperPage = async (c: Context, requested: string) => {
    let raw = requested;
    // `/papers/ID.md`, or content negotiation (`Accept: text/markdown`, as huggingface_hub's read_paper may ask).
    const markdown = raw.endsWith(".md") || /\btext\/markdown\b/.test(c.req.header("accept") ?? "");
    if (raw.endsWith(".md")) raw = raw.slice(0, -3);
    c.header("Vary", "Accept");
    const parsed = parseArxivId(raw);
    if (!parsed) {
      return c.html(<NotFoundPage message={`"${raw.slice(0, 80)}" is not an arXiv identifier.`} />, 404);
    }
    if (parsed.id !== raw) return c.redirect(`${paperPath(parsed.id)}${markdown ? ".md" : ""}`, 301);
    const paper = await paperDetail(db, parsed.id);
    if (!paper) {
      return markdown
        ? c.text(`arXiv:${parsed.id} is not in this archive.\n`, 404)
        : c.html(<UnknownPaperPage arxivId={parsed.id} />, 404);
    }
    if (markdown) {
      c.header("Content-Type", "text/markdown; charset=utf-8");
      return c.body(paperMarkdown(paper, deps.config.baseUrl));
    }
    const neighbours = await similarPapers(db, deps.search.semantic, paper.id, SIMILAR_SHOWN);
    const similar = await paperCards(
      db,
      neighbours.map((n) => n.paperId),
    );
    return c.html(
      <PaperPage
        paper={paper}
        similar={similar}
        alternates={[
          { href: `${paperPath(paper.arxivId)}.md`, type: "text/markdown", title: "Markdown" },
          { href: `/api/papers/${paper.arxivId}`, type: "application/json", title: "JSON" },
        ]}
      />,
    );
  };
  app.get("/papers/:id", (c) => paperPage(c, c.req.param("id")));

  // The 404 page's offer: a signed-in reader fetches an unknown paper from the arXiv API.
  const fetchFromArxiv = async (c: Context, requested: string) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const parsed = parseArxivId(requested);
    if (!parsed)
      return c.html(<NotFoundPage message={`"${requested.slice(0, 80)}" is not an arXiv identifier.`} />, 404);
    const limit = await hit(db, `fetch:user:${viewer.id}`, LIMITS.submissionsPerUser);
    if (!limit.allowed) throw new RateLimited("Too many papers fetched; try again later.", limit.retryAfter);
    let outcome: Awaited<ReturnType<typeof fetchPaper>>;
    try {
      outcome = await fetchPaper(db, deps.config, parsed.id);
    } catch (err) {
      const message = `arXiv could not be reached (${(err as Error).message}); try again in a few minutes.`;
      return c.html(<UnknownPaperPage arxivId={parsed.id} error={message} />, 503);
    }
    if ("message" in outcome) {
      return c.html(<UnknownPaperPage arxivId={parsed.id} error={`arXiv: ${outcome.message}`} />, 404);
    }
    // The background indexer embeds it within a cycle; until then similar papers come from keywords.
    return c.redirect(paperPath(outcome.arxivId), 303);
  };
  app.post("/papers/:id/fetch", (c) => fetchFromArxiv(c, c.req.param("id")));
  app.post("/papers/:archive{[a-z-]+(?:\\.[A-Z]{2})?}/:number{[0-9]{7}}/fetch", (c) =>
    fetchFromArxiv(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );
  // Old-style arXiv ids have a slash: /papers/hep-th/9901001 (and its .md twin).
  app.get("/papers/:archive{[a-z-]+(?:\\.[A-Z]{2})?}/:number{[0-9]{7}(?:v[0-9]+)?(?:\\.md)?}", (c) =>
    paperPage(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );

  app.get("/search", async (c) => {
    const form: SearchForm = {
      q: (c.req.query("q") ?? "").slice(0, 10_000),
      mode: c.req.query("mode") ?? "hybrid",
      category: (c.req.query("category") ?? "").trim(),
      from: c.req.query("from") ?? "",
      to: c.req.query("to") ?? "",
    };
    const url = new URL(c.req.url);
    const feeds = form.q ? feedLinks(searchFeedPath(url.searchParams), `Search: ${form.q}`) : [];
    const render = (result: SearchResponse | null, error: string | null, status: 200 | 400 = 200) =>
      c.html(
        <SearchPage
          form={form}
          result={result}
          error={error}
          url={url}
          feeds={feeds}
          semanticStatus={deps.search.status}
        />,
        status,
      );
    if (!(SEARCH_MODES as readonly string[]).includes(form.mode)) {
      return render(null, `"mode" must be one of ${SEARCH_MODES.join(", ")}.`, 400);
    }
    for (const [name, value] of [
      ["from", form.from],
      ["to", form.to],
    ] as const) {
      if (value && !isDay(value)) return render(null, `"${name}" must be a date written YYYY-MM-DD.`, 400);
    }
    if (!form.q.trim()) return render(null, null);
    const page = pageParam(c);
    try {
      const result = await search(db, deps.search.semantic, {
        q: form.q,
        mode: form.mode as SearchMode,
        limit: SEARCH_PAGE_SIZE,
        offset: (page - 1) * SEARCH_PAGE_SIZE,
        filters: {
          ...(form.category ? { categories: form.category.split(/[\s,]+/).filter(Boolean) } : {}),
          ...(form.from ? { dateFrom: form.from } : {}),
          ...(form.to
            ? { dateUntil: new Date(Date.parse(`${form.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) }
            : {}),
        },
      });
      return render(result, null);
    } catch (err) {
      if (err instanceof SearchFilterError || err instanceof RangeError) return render(null, err.message, 400);
      throw err;
    }
  });

  app.get("/authors/:name", async (c) => {
    const page = pageParam(c);
    const name = c.req.param("name");
    const found = await authorPapers(db, name, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    if (!found)
      return c.html(<NotFoundPage message={`No paper in this archive has an author named "${name}".`} />, 404);
    return c.html(
      <AuthorPage name={found.name} variants={found.variants} list={found.papers} url={new URL(c.req.url)} />,
    );
  });

  app.get("/c/:category", async (c) => {
    const page = pageParam(c);
    const category = c.req.param("category");
    if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(category)) {
      return c.html(<NotFoundPage message={`"${category.slice(0, 40)}" is not an arXiv category name.`} />, 404);
    }
    const list = await categoryPapers(db, category, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return c.html(
      <CategoryPage
        category={category}
        name={CATEGORY_NAMES[category] ?? null}
        list={list}
        url={new URL(c.req.url)}
        feeds={feedLinks(`/feeds/c/${category}`, `${category} papers`)}
      />,
      list.total === 0 ? 404 : 200,
    );
  });
}
