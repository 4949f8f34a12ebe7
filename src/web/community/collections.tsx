// Views of collections: the owner's list (/collections) with forms to create, rename, change
// visibility and delete; one collection's page (/u/:username/:slug) with its papers and feeds;
// and the collections part of a paper page (save to one, remove from those holding it).
import type { Collection } from "../../community/collections.ts";
import { collectionsHolding } from "../../community/collections.ts";
import type { PaperCard } from "../../papers/cards.ts";
import type { Page, PaperDetail } from "../../papers/lists.ts";
import { currentDeps } from "../auth.ts";
import { CardList, Pager, PaperCardView, plural, shortDate } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { herePath, SaveToCollectionForm, viewerCollections, writingViewer } from "./card-actions.tsx";

export const collectionPath = (c: Pick<Collection, "username" | "slug">) => `/u/${c.username}/${c.slug}`;

function Visibility({ collection }: { collection: Collection }) {
  return (
    <span class={collection.isPublic ? "badge" : "badge private"}>{collection.isPublic ? "Public" : "Private"}</span>
  );
}

export function CollectionsPage({
  collections,
  error,
}: {
  collections: Collection[];
  error?: { field: string; message: string };
}) {
  return (
    <Layout title="Your collections">
      <h1>Your collections</h1>
      <p class="lede">
        Reading lists of papers. A public list has a page and a feed anyone can read; a private one is yours alone. Save
        papers to them from any paper card or paper page.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error.message}
        </p>
      ) : null}
      {collections.length === 0 ? (
        <p>You have no collections yet.</p>
      ) : (
        <ul class="collections">
          {collections.map((c) => (
            <li>
              <h2>
                <a href={collectionPath(c)}>{c.name}</a> <Visibility collection={c} />
              </h2>
              <p class="muted">
                {plural(c.itemCount, "paper")} · updated {shortDate(c.updatedAt)}
              </p>
              {c.description ? <p>{c.description}</p> : null}
              <details>
                <summary>Edit or delete</summary>
                <form method="post" action={`/collections/${c.id}`} class="stack collection-form">
                  <CsrfField />
                  <label for={`name-${c.id}`}>Name</label>
                  <input id={`name-${c.id}`} name="name" value={c.name} required maxlength={80} />
                  <label for={`description-${c.id}`}>Description</label>
                  <textarea id={`description-${c.id}`} name="description" maxlength={1000} rows={3}>
                    {c.description}
                  </textarea>
                  <label>
                    <input type="checkbox" name="public" value="1" checked={c.isPublic} /> Public: anyone with the link
                    can read it and its feed
                  </label>
                  <button type="submit">Save changes</button>
                </form>
                <form method="post" action={`/collections/${c.id}/delete`} class="inline">
                  <CsrfField />
                  <button type="submit" class="danger">
                    Delete “{c.name}”
                  </button>
                </form>
              </details>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-collection-title">
        <h2 id="new-collection-title">New collection</h2>
        <form method="post" action="/collections" class="stack collection-form">
          <CsrfField />
          <label for="new-name">Name</label>
          <input id="new-name" name="name" required maxlength={80} placeholder="Diffusion reading group" />
          <label for="new-description">Description (optional)</label>
          <textarea id="new-description" name="description" maxlength={1000} rows={2} />
          <label>
            <input type="checkbox" name="public" value="1" /> Public
          </label>
          <button type="submit">Create collection</button>
        </form>
      </section>
    </Layout>
  );
}

function RemoveForm({ collection, arxivId, next }: { collection: Collection; arxivId: string; next: string }) {
  return (
    <form method="post" action="/collections/remove" class="inline-form">
      <CsrfField />
      <input type="hidden" name="collection" value={String(collection.id)} />
      <input type="hidden" name="paper" value={arxivId} />
      <input type="hidden" name="next" value={next} />
      <button type="submit" class="small">
        Remove from “{collection.name}”
      </button>
    </form>
  );
}

export function CollectionPage({
  collection,
  list,
  url,
  isOwner,
  feeds,
}: {
  collection: Collection;
  list: Page<PaperCard>;
  url: URL;
  isOwner: boolean;
  feeds: FeedLink[];
}) {
  const here = `${url.pathname}${url.search}`;
  return (
    <Layout
      title={`${collection.name} (@${collection.username})`}
      alternates={feeds}
      description={collection.description || `A reading list by @${collection.username}`}
    >
      <h1>
        {collection.name} <Visibility collection={collection} />
      </h1>
      <p class="lede">
        A reading list by @{collection.username} · {plural(list.total, "paper")}
        {feeds[0] ? (
          <>
            {" "}
            · <a href={feeds[0].href}>Feed</a>
          </>
        ) : null}
        {isOwner ? (
          <>
            {" "}
            · <a href="/collections">Edit your collections</a>
          </>
        ) : null}
      </p>
      {collection.description ? <p class="collection-description">{collection.description}</p> : null}
      {list.total === 0 ? (
        <p>No papers in this collection yet.</p>
      ) : (
        <>
          <CardList start={list.offset + 1}>
            {list.items.map((card) => (
              <li>
                {isOwner ? (
                  <div class="card-note">
                    <RemoveForm collection={collection} arxivId={card.arxivId} next={here} />
                  </div>
                ) : null}
                <PaperCardView card={card} />
              </li>
            ))}
          </CardList>
          <Pager url={url} page={Math.floor(list.offset / list.limit) + 1} pages={Math.ceil(list.total / list.limit)} />
        </>
      )}
    </Layout>
  );
}

/** The paper page's collections part: save to one of yours, or remove from those holding it. */
export async function PaperCollections({ paper }: { paper: PaperDetail }) {
  const viewer = writingViewer();
  if (!viewer) return null;
  const [collections, holding] = await Promise.all([
    viewerCollections(viewer),
    collectionsHolding(currentDeps().db, viewer.id, paper.id),
  ]);
  const next = herePath();
  const inThem = collections.filter((c) => holding.includes(c.id));
  const others = collections.filter((c) => !holding.includes(c.id));
  return (
    <div class="paper-collections">
      {collections.length === 0 || others.length > 0 ? (
        <SaveToCollectionForm arxivId={paper.arxivId} collections={others} next={next} />
      ) : null}
      {inThem.length > 0 ? (
        <ul class="holding" aria-label="Your collections holding this paper">
          {inThem.map((c) => (
            <li>
              In <a href={collectionPath(c)}>{c.name}</a>{" "}
              <RemoveForm collection={c} arxivId={paper.arxivId} next={next} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
