// Saved searches on the web: the "Save this search" form for the search page (SaveSearchForm),
// the reader's list (GET /searches) with each search's private feed links, saving and deleting
// (POST /searches, POST /searches/:id/delete, behind the CSRF check in auth.ts), and the private
// feeds themselves at /feeds/saved/:token.{rss,atom,json}: the token is the only credential (feed
// readers send no cookie), so a wrong or deleted token answers 404.
import type { Hono } from "hono";
import { assertCanWrite, Unauthenticated } from "../../accounts/policy.ts";
import {
  deleteSavedSearch,
  type SavedSearch,
  SavedSearchError,
  savedSearchByToken,
  savedSearchesOf,
  savedSearchPath,
  saveSearch,
} from "../../community/saved-searches.ts";
import { SearchFilterError } from "../../search/lexical/index.ts";
import type { AppDeps } from "../app.tsx";
import { currentViewer, viewerOf } from "../auth.ts";
import { shortDate } from "../components.tsx";
import { FEED_FORMAT_NAMES, FEED_FORMATS, type FeedFormat, feedPath } from "../feeds/links.ts";
import { renderFeed } from "../feeds/render.ts";
import { etagMatches, weakEtag } from "../feeds/routes.ts";
import { searchFeed } from "../feeds/sources.ts";
import { Layout } from "../layout.tsx";
import { BadRequestPage, NotFoundPage } from "../pages/errors.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { herePath } from "./card-actions.tsx";
import { formFields } from "./collections-routes.tsx";

/** `/feeds/saved/<token>.<ext>`; tokens are base64url (tokens.ts newToken). */
const SAVED_FEED = /^([A-Za-z0-9_-]{20,100})\.(rss|atom|json)$/;

export const savedFeedPath = (s: Pick<SavedSearch, "feedToken">) => `/feeds/saved/${s.feedToken}`;

/**
 * "Save this search" for the search page: hidden copies of the search's parameters and a button
 * (signed-in readers), a sign-in link (visitors), nothing without a query. Usage on the search
 * page: `<SaveSearchForm q={form.q} mode={form.mode} category={form.category} from={form.from} to={form.to} />`.
 */
export function SaveSearchForm({
  q,
  mode,
  category,
  from,
  to,
}: {
  q: string;
  mode?: string;
  category?: string;
  from?: string;
  to?: string;
}) {
  if (!q.trim()) return null;
  const viewer = currentViewer();
  if (!viewer) {
    return (
      <p class="save-search">
        <a href={`/signin?next=${encodeURIComponent(herePath())}`}>Sign in to save this search</a>
      </p>
    );
  }
  if (viewer.suspendedAt) return null;
  return (
    <form method="post" action="/searches" class="save-search">
      <CsrfField />
      <input type="hidden" name="q" value={q} />
      <input type="hidden" name="mode" value={mode ?? ""} />
      <input type="hidden" name="category" value={category ?? ""} />
      <input type="hidden" name="from" value={from ?? ""} />
      <input type="hidden" name="to" value={to ?? ""} />
      <button type="submit" class="small">
        Save this search
      </button>
    </form>
  );
}

function describe(s: SavedSearch): string {
  const parts = [
    s.filters.mode ? `${s.filters.mode} mode` : "",
    s.filters.categories?.length ? `in ${s.filters.categories.join(", ")}` : "",
    s.filters.from ? `from ${s.filters.from}` : "",
    s.filters.to ? `to ${s.filters.to}` : "",
  ].filter(Boolean);
  return parts.join(", ");
}

export function SavedSearchesPage({ searches, error }: { searches: SavedSearch[]; error?: string }) {
  return (
    <Layout title="Saved searches">
      <h1>Saved searches</h1>
      <p class="lede">
        Searches you keep, each with a private feed: its address is a secret, so share it only with your feed reader.
        Their newest matches also appear on your <a href="/following">Following</a> page.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {searches.length === 0 ? (
        <p>No saved searches yet. Search for something, then choose “Save this search”.</p>
      ) : (
        <ul class="saved-searches">
          {searches.map((s) => (
            <li id={`saved-${s.id}`}>
              <h2>
                <a href={savedSearchPath(s)}>{s.name}</a>
              </h2>
              <p class="muted">
                <code>{s.query}</code>
                {describe(s) ? ` · ${describe(s)}` : ""} · saved {shortDate(s.createdAt)}
              </p>
              <p>
                Private feed:{" "}
                {FEED_FORMAT_NAMES.map((format, i) => (
                  <>
                    {i > 0 ? " · " : ""}
                    <a href={feedPath(savedFeedPath(s), format)} type={FEED_FORMATS[format].type}>
                      {FEED_FORMATS[format].label}
                    </a>
                  </>
                ))}
              </p>
              <form method="post" action={`/searches/${s.id}/delete`} class="inline">
                <CsrfField />
                <button type="submit" class="danger">
                  Delete “{s.name}”
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-search-title">
        <h2 id="new-search-title">Save a new search</h2>
        <form method="post" action="/searches" class="stack">
          <CsrfField />
          <label for="saved-q">Search</label>
          <input id="saved-q" name="q" required maxlength={2000} placeholder='diffusion author:"Ada Lovelace"' />
          <label for="saved-category">Categories (optional, comma-separated)</label>
          <input id="saved-category" name="category" placeholder="cs.CL, cs.LG" />
          <label for="saved-name">Name (optional)</label>
          <input id="saved-name" name="name" maxlength={80} />
          <button type="submit">Save search</button>
        </form>
      </section>
    </Layout>
  );
}

export function registerSavedSearches(app: Hono, deps: AppDeps) {
  const { db, config } = deps;

  app.get("/searches", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    c.header("Cache-Control", "private, no-store");
    return c.html(<SavedSearchesPage searches={await savedSearchesOf(db, viewer.id)} />);
  });

  app.post("/searches", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await formFields(c);
    try {
      const saved = await saveSearch(db, viewer.id, {
        q: f.q ?? "",
        mode: f.mode ?? "",
        category: f.category ?? "",
        from: f.from ?? "",
        to: f.to ?? "",
        name: f.name ?? "",
      });
      return c.redirect(`/searches#saved-${saved.id}`, 303);
    } catch (err) {
      if (!(err instanceof SavedSearchError)) throw err;
      return c.html(<SavedSearchesPage searches={await savedSearchesOf(db, viewer.id)} error={err.message} />, 400);
    }
  });

  app.post("/searches/:id{[0-9]+}/delete", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    if (!(await deleteSavedSearch(db, viewer.id, Number(c.req.param("id"))))) {
      return c.html(<NotFoundPage message="There is no such saved search." />, 404);
    }
    return c.redirect("/searches", 303);
  });

  app.get("/feeds/saved/:file", async (c) => {
    const m = SAVED_FEED.exec(c.req.param("file"));
    const saved = m ? await savedSearchByToken(db, m[1] as string) : null;
    if (!m || !saved) return c.text("There is no such feed.\n", 404);
    let doc: Awaited<ReturnType<typeof searchFeed>>;
    try {
      doc = await searchFeed(db, deps.search.semantic, {
        q: saved.query,
        mode: saved.filters.mode ?? "hybrid",
        categories: saved.filters.categories ?? [],
        authors: [],
        ...(saved.filters.from ? { from: saved.filters.from } : {}),
        ...(saved.filters.to ? { to: saved.filters.to } : {}),
      });
    } catch (err) {
      if (err instanceof SearchFilterError || err instanceof RangeError) {
        return c.html(<BadRequestPage message={err.message} />, 400);
      }
      throw err;
    }
    const { body, type } = renderFeed(
      { ...doc, title: `Paperboy saved search: ${saved.name}`, path: savedFeedPath(saved) },
      m[2] as FeedFormat,
      config.baseUrl,
    );
    const etag = weakEtag(body);
    // The URL is a secret: shared caches must not keep it, and search engines must not list it.
    c.header("Cache-Control", "private, max-age=300");
    c.header("X-Robots-Tag", "noindex");
    c.header("ETag", etag);
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
    return c.body(body, 200, { "Content-Type": type });
  });
}
