// The papers JSON API. In the shapes of the Hugging Face Papers API, so huggingface_hub with
// HF_ENDPOINT pointed here works unchanged: `GET /api/daily_papers` (a day, an ISO week or a month
// of Daily Papers; list_daily_papers), `GET /api/papers/{id}` (paper_info) and `GET /api/papers`
// (the whole archive by keyset cursor). And Paperboy's own `GET /api/trending`. Lists page with
// RFC 8288 `Link` headers (rel next/prev) and, where the size is known, `X-Total-Count`. A bad
// parameter is a 400 naming it; an unknown paper is a 404; both are JSON.
import type { Context, Hono } from "hono";
import { z } from "zod";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import {
  archivePage,
  CursorError,
  DAILY_SORTS,
  type DayRange,
  type Featuring,
  featuredIn,
  featuringsOf,
  latestFeaturedDay,
  paperDetail,
  trendingPapers,
} from "../../papers/lists.ts";
import { parsePeriod } from "../../papers/periods.ts";
import type { AppDeps } from "../app.tsx";
import { hfPaperInfo, hfPaperItem } from "./hf.ts";
import { linkHeader, offsetLinks, pageUrl } from "./paging.ts";
import { badRequest, dayParam, enumParam, intParam, monthParam, ParamError, param, weekParam } from "./params.ts";

/** `limit` of the HF-shaped lists: 1 to 100, 50 when absent, as on the Hub. */
export const HF_LIMIT = { min: 1, max: 100, default: 50 } as const;
/** `limit` of /api/trending. */
export const TRENDING_LIMIT = { min: 1, max: 100, default: 20 } as const;
/** Deepest page or offset a list serves. */
const MAX_PAGE = 10_000;
const MAX_OFFSET = 10_000;

const submitterParam = z.string().max(100, "must be at most 100 characters").optional();
const cursorParam = z.string().max(100, "is not one this server gave out").optional();

/** Runs a handler, answering ParamError and CursorError as 400s that name the parameter. */
async function answer(c: Context, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (err) {
    if (err instanceof ParamError) return badRequest(c, err, err.parameter);
    if (err instanceof CursorError) return badRequest(c, err, "cursor");
    throw err;
  }
}

/** The period asked for by `date`, `week` or `month` (at most one), or null when none is. */
function requestedPeriod(c: Context): DayRange | null {
  const given = [
    { name: "date", key: param(c, "date", dayParam), kind: "day" as const },
    { name: "week", key: param(c, "week", weekParam), kind: "week" as const },
    { name: "month", key: param(c, "month", monthParam), kind: "month" as const },
  ].filter((g) => g.key !== undefined);
  const [first, second] = given;
  if (first && second) {
    throw new ParamError(
      second.name,
      `${second.name} cannot be combined with ${first.name}: give one of date, week, month`,
    );
  }
  return first?.key ? parsePeriod(first.kind, first.key) : null;
}

export function registerPapersApi(app: Hono, deps: AppDeps): void {
  const { db } = deps;
  const base = deps.config.baseUrl;

  // list_daily_papers(date=, week=, month=, submitter=, sort=, p=, limit=)
  app.get("/api/daily_papers", (c) =>
    answer(c, async () => {
      const asked = requestedPeriod(c);
      const p = param(c, "p", intParam(0, MAX_PAGE, 0));
      const limit = param(c, "limit", intParam(HF_LIMIT.min, HF_LIMIT.max, HF_LIMIT.default));
      const sort = param(c, "sort", enumParam(DAILY_SORTS, "upvotes"));
      const submitter = param(c, "submitter", submitterParam);
      let range = asked;
      if (!range) {
        const latest = await latestFeaturedDay(db);
        range = latest ? parsePeriod("day", latest) : null;
      }
      const page = range
        ? await featuredIn(db, range, { sort, limit, offset: p * limit, ...(submitter ? { submitter } : {}) })
        : { items: [], total: 0 };
      c.header("X-Total-Count", String(page.total));
      const link = linkHeader({
        next: (p + 1) * limit < page.total ? pageUrl(c.req.url, "p", p + 1, base) : null,
        prev:
          p > 0 ? pageUrl(c.req.url, "p", Math.max(0, Math.min(p - 1, Math.ceil(page.total / limit) - 1)), base) : null,
      });
      if (link) c.header("Link", link);
      return c.json(page.items.map((item) => hfPaperItem(item.card, undefined, item.featuring)));
    }),
  );

  // paper_info(id). Old-style ids hold a slash (hep-th/9901001): the second route takes them whole.
  const onePaper = async (c: Context, raw: string) => {
    const parsed = parseArxivId(raw);
    if (!parsed) return c.json({ error: "id is not an arXiv id", parameter: "id" }, 400);
    const detail = await paperDetail(db, parsed.id);
    if (!detail) return c.json({ error: `paper ${parsed.id} not found` }, 404);
    return c.json(hfPaperInfo(detail, detail.featurings[detail.featurings.length - 1]));
  };
  app.get("/api/papers/:id", (c) => onePaper(c, c.req.param("id")));
  app.get("/api/papers/:archive/:number{[0-9]+(?:v[0-9]+)?}", (c) =>
    onePaper(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );

  // The archive, most recently added first; the next page's cursor is in the Link header.
  app.get("/api/papers", (c) =>
    answer(c, async () => {
      const limit = param(c, "limit", intParam(HF_LIMIT.min, HF_LIMIT.max, HF_LIMIT.default));
      const cursor = param(c, "cursor", cursorParam);
      const page = await archivePage(db, { limit, ...(cursor !== undefined ? { cursor } : {}) });
      const latest = new Map<number, Featuring>();
      for (const { paperId, ...f } of await featuringsOf(
        db,
        page.items.map((card) => card.id),
      )) {
        latest.set(paperId, f); // oldest first, so the last one written is the latest
      }
      const link = linkHeader({ next: page.nextCursor ? pageUrl(c.req.url, "cursor", page.nextCursor, base) : null });
      if (link) c.header("Link", link);
      return c.json(page.items.map((card) => hfPaperInfo(card, latest.get(card.id))));
    }),
  );

  // Paperboy's own: papers by trending score, with the score.
  app.get("/api/trending", (c) =>
    answer(c, async () => {
      const limit = param(c, "limit", intParam(TRENDING_LIMIT.min, TRENDING_LIMIT.max, TRENDING_LIMIT.default));
      const offset = param(c, "offset", intParam(0, MAX_OFFSET, 0));
      const page = await trendingPapers(db, { limit, offset });
      c.header("X-Total-Count", String(page.total));
      const link = offsetLinks(c.req.url, page, base);
      if (link) c.header("Link", link);
      return c.json({
        items: page.items.map((item) => ({ paper: item.card, score: item.score })),
        total: page.total,
        limit,
        offset,
      });
    }),
  );
}
