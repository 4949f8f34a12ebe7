// Routes that change upvotes. The form route (POST /papers/ID/vote, from the vote button) sets the
// vote and sends the reader back where they were (303 to the Referer path when it is this site,
// else to the paper page); an anonymous reader is sent to sign in and then back. The JSON route
// (POST /api/papers/ID/vote, session cookie + X-CSRF-Token or a Bearer token) answers
// {upvotes, voted}. Body or form field `on`: true/1 sets the upvote, false/0 clears it, absent
// toggles it. Old-style ids keep their slash (/papers/hep-th/9901001/vote), hence two routes each.
// Policy errors (suspended 403, too many votes 429, CSRF 403) are mapped by app.tsx.
import type { Context, Hono } from "hono";
import { Unauthenticated } from "../../accounts/policy.ts";
import { PaperNotFound, paperIdByArxivId, setVote, toggleVote } from "../../community/votes.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { NotFoundPage } from "../pages/errors.tsx";

/** Old-style number segment, as the JSON API's GET route matches it. */
const OLD_NUMBER = "[0-9]+(?:v[0-9]+)?";

/** The Referer's path and query when it is a page of this site, else `fallback`. */
export function sameSiteReferer(c: Context, baseUrl: string, fallback: string): string {
  const referer = c.req.header("referer");
  if (!referer) return fallback;
  try {
    const url = new URL(referer);
    const ours = url.origin === new URL(baseUrl).origin || url.origin === new URL(c.req.url).origin;
    if (!ours || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
    return `${url.pathname}${url.search}`;
  } catch {
    return fallback;
  }
}

/** `on` as sent: true, false, or undefined (toggle); null when it is something else. */
function onValue(raw: unknown): boolean | undefined | null {
  if (raw === undefined || raw === "") return undefined;
  if (raw === true || raw === "1" || raw === "true" || raw === "on") return true;
  if (raw === false || raw === "0" || raw === "false" || raw === "off") return false;
  return null;
}

export function registerVoteRoutes(app: Hono, deps: AppDeps) {
  const { db, config } = deps;

  const formVote = async (c: Context, raw: string) => {
    const parsed = parseArxivId(raw);
    const paperPage = `/papers/${parsed?.id ?? ""}`;
    const back = sameSiteReferer(c, config.baseUrl, paperPage);
    const viewer = viewerOf(c);
    if (!viewer) return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
    const paperId = parsed ? await paperIdByArxivId(db, parsed.id) : null;
    if (!parsed || paperId === null) {
      return c.html(
        <NotFoundPage message={`There is no paper "${raw.slice(0, 80)}" in this archive to upvote.`} />,
        404,
      );
    }
    const body = await c.req.parseBody();
    const on = onValue(body.on);
    try {
      if (on === undefined || on === null) await toggleVote(db, viewer, paperId);
      else await setVote(db, viewer, paperId, on);
    } catch (err) {
      if (err instanceof PaperNotFound) return c.html(<NotFoundPage message={err.message} />, 404);
      throw err;
    }
    return c.redirect(back, 303);
  };

  const apiVote = async (c: Context, raw: string) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated("Send a session cookie with X-CSRF-Token, or Authorization: Bearer TOKEN.");
    const parsed = parseArxivId(raw);
    if (!parsed) return c.json({ error: "id is not an arXiv id", parameter: "id" }, 400);
    const text = await c.req.text();
    let body: unknown = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        return c.json({ error: 'the body must be JSON: {"on": true} or {"on": false}, or empty to toggle' }, 400);
      }
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return c.json({ error: 'the body must be a JSON object: {"on": true} or {"on": false}' }, 400);
    }
    const on = (body as { on?: unknown }).on;
    if (on !== undefined && typeof on !== "boolean") {
      return c.json({ error: '"on" must be true or false (or left out to toggle)', parameter: "on" }, 400);
    }
    const paperId = await paperIdByArxivId(db, parsed.id);
    if (paperId === null) return c.json({ error: `paper ${parsed.id} not found` }, 404);
    try {
      const result = on === undefined ? await toggleVote(db, viewer, paperId) : await setVote(db, viewer, paperId, on);
      return c.json({ upvotes: result.upvotes, voted: result.voted });
    } catch (err) {
      if (err instanceof PaperNotFound) return c.json({ error: `paper ${parsed.id} not found` }, 404);
      throw err;
    }
  };

  app.post("/papers/:id/vote", (c) => formVote(c, c.req.param("id")));
  app.post(`/papers/:archive/:number{${OLD_NUMBER}}/vote`, (c) =>
    formVote(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );
  app.post("/api/papers/:id/vote", (c) => apiVote(c, c.req.param("id")));
  app.post(`/api/papers/:archive/:number{${OLD_NUMBER}}/vote`, (c) =>
    apiVote(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );
}
