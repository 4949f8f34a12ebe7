// Routes of follows: POST /follows and POST /follows/delete (an author by name, or a category;
// behind the CSRF check in auth.ts), and GET /following, the reader's page of new papers from
// what they follow plus the latest matches of their saved searches.
import type { Hono } from "hono";
import { assertCanWrite, Unauthenticated } from "../../accounts/policy.ts";
import { FollowError, type FollowKind, follow, followingPapers, followsOf, unfollow } from "../../community/follows.ts";
import { savedSearchesOf, savedSearchMatches } from "../../community/saved-searches.ts";
import { SearchFilterError } from "../../search/lexical/index.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { BadRequestPage } from "../pages/errors.tsx";
import { backTo, formFields } from "./collections-routes.tsx";
import { FollowingPage } from "./following.tsx";

/** Papers on the Following page, and matches shown per saved search (of at most SEARCHES_SHOWN). */
const FOLLOWING_PAPERS = 50;
const MATCHES_PER_SEARCH = 5;
const SEARCHES_SHOWN = 20;

function kindOf(raw: string | undefined): FollowKind | null {
  return raw === "author" || raw === "category" ? raw : null;
}

export function registerFollows(app: Hono, deps: AppDeps) {
  const { db } = deps;

  for (const [path, on] of [
    ["/follows", true],
    ["/follows/delete", false],
  ] as const) {
    app.post(path, async (c) => {
      const viewer = viewerOf(c);
      assertCanWrite(viewer);
      const f = await formFields(c);
      const kind = kindOf(f.kind);
      if (!kind) return c.html(<BadRequestPage message={`"kind" must be author or category.`} />, 400);
      try {
        if (on) await follow(db, viewer.id, kind, f.name ?? "");
        else await unfollow(db, viewer.id, kind, f.name ?? "");
      } catch (err) {
        if (err instanceof FollowError) return c.html(<BadRequestPage message={err.message} />, 400);
        throw err;
      }
      return backTo(c, f.next, "/following");
    });
  }

  app.get("/following", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    const [follows, papers, saved] = await Promise.all([
      followsOf(db, viewer.id),
      followingPapers(db, viewer.id, { limit: FOLLOWING_PAPERS }),
      savedSearchesOf(db, viewer.id),
    ]);
    const searches = await Promise.all(
      saved.slice(0, SEARCHES_SHOWN).map(async (s) => {
        try {
          return {
            saved: s,
            hits: await savedSearchMatches(db, deps.search.semantic, s, { limit: MATCHES_PER_SEARCH }),
          };
        } catch (err) {
          // A saved search whose filters no longer parse shows why instead of breaking the page.
          if (err instanceof SearchFilterError || err instanceof RangeError) {
            return { saved: s, hits: [], error: err.message };
          }
          throw err;
        }
      }),
    );
    return c.html(<FollowingPage follows={follows} papers={papers} searches={searches} />);
  });
}
