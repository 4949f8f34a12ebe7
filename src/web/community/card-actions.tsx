// Per-card actions for signed-in readers: a compact "Save to [collection] [Save]" form under every
// paper card. The viewer's collections are read once per request (requestMemo), however many cards
// the page shows; anonymous visitors and suspended accounts see nothing. Also the small helpers the
// community views share: where the current request is (for "come back here" form fields).
import { tryGetContext } from "hono/context-storage";
import type { Viewer } from "../../accounts/users.ts";
import { type Collection, collectionsOf } from "../../community/collections.ts";
import type { PaperCard } from "../../papers/cards.ts";
import { currentDeps, currentViewer, requestMemo } from "../auth.ts";
import { CsrfField } from "../pages/forms.tsx";

/** The path and query of the request being rendered ("/" outside a request). */
export function herePath(): string {
  const c = tryGetContext();
  if (!c) return "/";
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** The viewer who may write (signed in, not suspended), or null. */
export function writingViewer(): Viewer | null {
  const viewer = currentViewer();
  return viewer && !viewer.suspendedAt ? viewer : null;
}

/** The viewer's collections, loaded once per request. */
export function viewerCollections(viewer: Viewer): Promise<Collection[]> {
  return requestMemo(`collections:${viewer.id}`, () => collectionsOf(currentDeps().db, viewer.id));
}

/** The name a first collection gets when a reader saves a paper before making any. */
export const FIRST_COLLECTION_NAME = "Reading list";

/** "Save to [collection] [Save]": posts to /collections/save and comes back to `next`. */
export function SaveToCollectionForm({
  arxivId,
  collections,
  next,
}: {
  arxivId: string;
  collections: Collection[];
  next: string;
}) {
  return (
    <form method="post" action="/collections/save" class="save-to">
      <CsrfField />
      <input type="hidden" name="paper" value={arxivId} />
      <input type="hidden" name="next" value={next} />
      <span>Save to</span>
      <select name="collection" aria-label="Collection">
        {collections.length === 0 ? <option value="new">{`New list “${FIRST_COLLECTION_NAME}”`}</option> : null}
        {collections.map((c) => (
          <option value={String(c.id)}>{c.name}</option>
        ))}
      </select>
      <button type="submit" class="small">
        Save
      </button>
    </form>
  );
}

export async function CardActions({ card }: { card: PaperCard }) {
  const viewer = writingViewer();
  if (!viewer) return null;
  const collections = await viewerCollections(viewer);
  return <SaveToCollectionForm arxivId={card.arxivId} collections={collections} next={herePath()} />;
}
