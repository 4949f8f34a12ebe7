// Search over HTTP: Paperboy's own `GET /api/search` (modes, filters, highlight spans, paging with
// Link headers), `GET /api/papers/:id/similar`, and the Hugging Face-compatible
// `GET /api/papers/search`. All of them call the same search() as the CLI and the pages.
import type { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { paperCards } from "../../papers/cards.ts";
import { SearchFilterError } from "../../search/lexical/index.ts";
import type { SearchRuntime } from "../../search/runtime.ts";
import { SEARCH_MODES, search } from "../../search/service.ts";
import { similarPapers } from "../../search/similar.ts";
import { hfPaperItem } from "./hf.ts";
import { offsetLinks } from "./paging.ts";
import { badRequest, boolParam, dayParam, intParam, listParam, ParamError, param } from "./params.ts";

const query = z.string({ message: "is required" }).max(10_000, "must be at most 10,000 characters");
const mode = z
  .enum(SEARCH_MODES as [string, ...string[]], { message: `must be one of ${SEARCH_MODES.join(", ")}` })
  .default("hybrid");

export function registerSearchApi(app: Hono, db: Db, runtime: SearchRuntime) {
  app.get("/api/search", async (c) => {
    try {
      const q = param(c, "q", query);
      const categories = listParam(c, "category");
      const authors = listParam(c, "author");
      const from = param(c, "from", dayParam);
      const to = param(c, "to", dayParam);
      const r = await search(db, runtime.semantic, {
        q,
        mode: param(c, "mode", mode) as (typeof SEARCH_MODES)[number],
        limit: param(c, "limit", intParam(1, 100, 20)),
        offset: param(c, "offset", intParam(0, 10_000, 0)),
        prefix: param(c, "prefix", boolParam),
        filters: {
          ...(categories.length ? { categories } : {}),
          ...(authors.length ? { authors } : {}),
          ...(from ? { dateFrom: from } : {}),
          // `to` is inclusive for people; the filter's upper bound is exclusive.
          ...(to ? { dateUntil: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) } : {}),
        },
      });
      const link = offsetLinks(c.req.url, r);
      if (link) c.header("Link", link);
      return c.json({ ...r, semantic: runtime.status, ...(runtime.progress ? { indexing: runtime.progress } : {}) });
    } catch (err) {
      if (err instanceof ParamError) return badRequest(c, err, err.parameter);
      if (err instanceof SearchFilterError || err instanceof RangeError) return badRequest(c, err);
      throw err;
    }
  });

  app.get("/api/papers/search", async (c) => {
    try {
      const q = param(c, "q", query);
      const r = await search(db, runtime.semantic, { q, limit: param(c, "limit", intParam(1, 120, 20)) });
      return c.json(r.hits.map((h) => hfPaperItem(h.paper, h.highlights)));
    } catch (err) {
      if (err instanceof ParamError) return badRequest(c, err, err.parameter);
      throw err;
    }
  });

  app.get("/api/papers/:id/similar", async (c) => {
    const parsed = parseArxivId(c.req.param("id"));
    if (!parsed) return c.json({ error: "not an arXiv id", parameter: "id" }, 400);
    let limit: number;
    try {
      limit = param(c, "limit", intParam(1, 10, 10));
    } catch (err) {
      return badRequest(c, err as ParamError, "limit");
    }
    const row = await db.kysely.selectFrom("papers").select("id").where("arxiv_id", "=", parsed.id).executeTakeFirst();
    if (!row) return c.json({ error: `paper ${parsed.id} not found` }, 404);
    const similar = await similarPapers(db, runtime.semantic, row.id, limit);
    const cards = await paperCards(
      db,
      similar.map((s) => s.paperId),
    );
    const score = new Map(similar.map((s) => [s.paperId, s.score]));
    return c.json({
      paper: parsed.id,
      semantic: runtime.status,
      similar: cards.map((paper) => ({ paper, score: score.get(paper.id) })),
    });
  });
}
