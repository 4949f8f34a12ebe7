// Views of follows: the follow/unfollow button of author and category pages, the follow controls
// of a paper page, and the Following page (new papers from followed authors and categories, with
// the follow that matched each, and the latest matches of the reader's saved searches).
import { type Follow, type FollowedPaper, type FollowKind, followsOf, isFollowing } from "../../community/follows.ts";
import type { SavedSearch } from "../../community/saved-searches.ts";
import { savedSearchPath } from "../../community/saved-searches.ts";
import type { PaperDetail } from "../../papers/lists.ts";
import type { SearchHit } from "../../search/service.ts";
import { currentDeps, requestMemo } from "../auth.ts";
import { authorPath, CardList, categoryPath, PaperCardView, plural } from "../components.tsx";
import { Layout } from "../layout.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { herePath, writingViewer } from "./card-actions.tsx";

/** Authors of one paper offered follow buttons on its page (collaborations list hundreds). */
const PAPER_AUTHORS_SHOWN = 30;

/** The viewer's follows, loaded once per request (every button on a page shares them). */
function viewerFollows(userId: number): Promise<Follow[]> {
  return requestMemo(`follows:${userId}`, () => followsOf(currentDeps().db, userId));
}

function ToggleForm({
  kind,
  name,
  following,
  label,
}: {
  kind: FollowKind;
  name: string;
  following: boolean;
  label: string;
}) {
  return (
    <form method="post" action={following ? "/follows/delete" : "/follows"} class="follow-form">
      <CsrfField />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="name" value={name} />
      <input type="hidden" name="next" value={herePath()} />
      <button type="submit" class={following ? "small following" : "small"} aria-pressed={following ? "true" : "false"}>
        {label}
      </button>
    </form>
  );
}

/** Follow / Unfollow for an author (by name) or a category; a sign-in link for visitors. */
export async function FollowButton({ kind, name }: { kind: FollowKind; name: string }) {
  const viewer = writingViewer();
  if (!viewer) {
    return (
      <p class="follow">
        <a href={`/signin?next=${encodeURIComponent(herePath())}`}>Sign in to follow {name}</a>
      </p>
    );
  }
  const following = isFollowing(await viewerFollows(viewer.id), kind, name);
  return (
    <div class="follow">
      <ToggleForm
        kind={kind}
        name={name}
        following={following}
        label={following ? `Unfollow ${name}` : `Follow ${name}`}
      />
    </div>
  );
}

/** A paper page's follow controls: each author (up to PAPER_AUTHORS_SHOWN) and each category. */
export async function PaperFollows({ paper }: { paper: PaperDetail }) {
  const viewer = writingViewer();
  if (!viewer) return null;
  const follows = await viewerFollows(viewer.id);
  const targets: { kind: FollowKind; name: string }[] = [
    ...paper.authors.slice(0, PAPER_AUTHORS_SHOWN).map((name) => ({ kind: "author" as const, name })),
    ...paper.categories.map((name) => ({ kind: "category" as const, name })),
  ];
  const followed = targets.filter((t) => isFollowing(follows, t.kind, t.name)).length;
  return (
    <details class="paper-follows">
      <summary>Follow authors and categories{followed > 0 ? ` (following ${followed})` : ""}</summary>
      <ul>
        {targets.map((t) => {
          const on = isFollowing(follows, t.kind, t.name);
          return (
            <li>
              <ToggleForm
                kind={t.kind}
                name={t.name}
                following={on}
                label={`${on ? "Unfollow" : "Follow"} ${t.name}`}
              />
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function followHref(f: Follow): string {
  return f.kind === "author" ? authorPath(f.label) : categoryPath(f.label);
}

function Because({ matched }: { matched: Follow[] }) {
  return (
    <p class="because muted">
      Because you follow{" "}
      {matched.map((f, i) => (
        <>
          {i > 0 ? ", " : ""}
          <a href={followHref(f)}>{f.label}</a>
        </>
      ))}
    </p>
  );
}

export function FollowingPage({
  follows,
  papers,
  searches,
}: {
  follows: Follow[];
  papers: FollowedPaper[];
  searches: { saved: SavedSearch; hits: SearchHit[]; error?: string }[];
}) {
  return (
    <Layout title="Following">
      <h1>Following</h1>
      <p class="lede">
        New papers by the authors and in the categories you follow, and the latest matches of your{" "}
        <a href="/searches">saved searches</a>. Follow an author or a category from its page.
      </p>
      <section aria-labelledby="follows-title">
        <h2 id="follows-title">You follow</h2>
        {follows.length === 0 ? (
          <p>Nothing yet. Open an author's or a category's page and choose Follow.</p>
        ) : (
          <ul class="follows">
            {follows.map((f) => (
              <li>
                <a href={followHref(f)}>{f.label}</a> <span class="muted">({f.kind})</span>{" "}
                <ToggleForm kind={f.kind} name={f.label} following label="Unfollow" />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="new-papers-title">
        <h2 id="new-papers-title">New papers</h2>
        {papers.length === 0 ? (
          <p>No papers from what you follow yet.</p>
        ) : (
          <CardList>
            {papers.map(({ card, matched }) => (
              <li>
                <Because matched={matched} />
                <PaperCardView card={card} level={3} />
              </li>
            ))}
          </CardList>
        )}
      </section>
      <section aria-labelledby="saved-searches-title">
        <h2 id="saved-searches-title">Your saved searches</h2>
        {searches.length === 0 ? (
          <p>
            No saved searches. Search, then choose “Save this search”; see <a href="/searches">your saved searches</a>.
          </p>
        ) : (
          searches.map(({ saved, hits, error }) => (
            <section class="saved-matches" aria-label={`Saved search: ${saved.name}`}>
              <h3>
                <a href={savedSearchPath(saved)}>{saved.name}</a>
              </h3>
              {error ? (
                <p class="error">{error}</p>
              ) : hits.length === 0 ? (
                <p class="muted">No matches yet.</p>
              ) : (
                <>
                  <p class="muted">Top {plural(hits.length, "match", "matches")}</p>
                  <CardList>
                    {hits.map((hit) => (
                      <li>
                        <PaperCardView card={hit.paper} level={3} />
                      </li>
                    ))}
                  </CardList>
                </>
              )}
            </section>
          ))
        )}
      </section>
    </Layout>
  );
}
