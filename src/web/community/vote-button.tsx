// The upvote control of cards and paper pages. For a signed-in reader it is a small form that
// POSTs to /papers/ID/vote (CSRF field included), with a toggle button (aria-pressed) and the
// count; the papers the reader voted for are read once per request (requestMemo), however many
// cards the page shows. Anonymous visitors get a link to sign in that brings them back; suspended
// readers see the count only. The first signed-in button of a page also loads vote.js, which sends
// the same form through fetch without reloading; without JavaScript the form works as is.
import { tryGetContext } from "hono/context-storage";
import { votedPaperIds } from "../../community/votes.ts";
import type { PaperCard } from "../../papers/cards.ts";
import { currentDeps, currentViewer, requestMemo } from "../auth.ts";
import { CsrfField } from "../pages/forms.tsx";
import { assetUrl } from "../static.ts";

type VoteCard = Pick<PaperCard, "id" | "arxivId" | "upvotes" | "title">;

/** The form target of a paper's vote button (old-style ids keep their slash). */
export const votePath = (arxivId: string) => `/papers/${arxivId}/vote`;

/** Labels of the button, by state; vote.js builds the same ones from data-title. */
export const voteLabel = (title: string, voted: boolean) => (voted ? `Remove upvote from ${title}` : `Upvote ${title}`);

/** The page being rendered (path and query), for "sign in and come back here". */
function herePath(fallback: string): string {
  const c = tryGetContext();
  if (c?.req.method !== "GET") return fallback;
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

function Count({ upvotes }: { upvotes: number }) {
  return (
    <>
      <span class="count">{upvotes.toLocaleString("en")}</span>
      <span class="visually-hidden"> upvotes</span>
    </>
  );
}

export async function VoteButton({ card }: { card: VoteCard }) {
  const viewer = currentViewer();
  const title = `${card.upvotes} upvotes`;
  if (!viewer) {
    const next = herePath(`/papers/${card.arxivId}`);
    return (
      <a
        class="votes vote-signin"
        href={`/signin?next=${encodeURIComponent(next)}`}
        title={title}
        aria-label={`Sign in to upvote ${card.title} (${card.upvotes} upvotes)`}
      >
        <span aria-hidden="true">▲</span>
        <span class="count">{card.upvotes.toLocaleString("en")}</span>
      </a>
    );
  }
  if (viewer.suspendedAt) {
    return (
      <div class="votes" title={title}>
        <span aria-hidden="true">▲</span>
        <Count upvotes={card.upvotes} />
      </div>
    );
  }
  const voted = (await requestMemo("votes", () => votedPaperIds(currentDeps().db, viewer.id))).has(card.id);
  // vote.js once per page: the first signed-in button rendered claims it.
  const script = await requestMemo("vote.js", async () => ({ emitted: false }));
  const withScript = !script.emitted;
  script.emitted = true;
  return (
    <form
      class="votes"
      method="post"
      action={votePath(card.arxivId)}
      title={title}
      data-vote-api={`/api${votePath(card.arxivId)}`}
      data-title={card.title}
    >
      <CsrfField />
      <input type="hidden" name="on" value={voted ? "0" : "1"} />
      <button
        type="submit"
        class="vote"
        aria-pressed={voted ? "true" : "false"}
        aria-label={voteLabel(card.title, voted)}
      >
        <span aria-hidden="true">▲</span>
      </button>
      <Count upvotes={card.upvotes} />
      {withScript ? <script src={assetUrl("vote.js")} defer /> : null}
    </form>
  );
}
