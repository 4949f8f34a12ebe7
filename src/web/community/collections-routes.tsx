// Routes of collections: the owner's list (GET /collections), a collection's page and feeds
// (GET /u/:username/:slug, /u/:username/:slug/feed.{rss,atom,json}), and the POSTs that change
// them (create, edit, delete, save a paper, remove a paper), each behind the CSRF check in auth.ts.
// A private collection answers 404 to everyone but its owner, on its page, its feed and its forms,
// so nobody learns that it exists. Also the form helpers the other community routes share.
import type { Context, Hono } from "hono";
import { assertCanWrite, Unauthenticated } from "../../accounts/policy.ts";
import { safeNext } from "../../accounts/signin.ts";
import {
  addToCollection,
  type Collection,
  CollectionError,
  collectionPapers,
  collectionsOf,
  createCollection,
  deleteCollection,
  paperIdOf,
  removeFromCollection,
  updateCollection,
  visibleCollection,
} from "../../community/collections.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { FEED_FORMAT_NAMES, type FeedFormat, feedLinks } from "../feeds/links.ts";
import { type FeedDoc, renderFeed } from "../feeds/render.ts";
import { etagMatches, weakEtag } from "../feeds/routes.ts";
import { BadRequestPage, NotFoundPage } from "../pages/errors.tsx";
import { FIRST_COLLECTION_NAME } from "./card-actions.tsx";
import { CollectionPage, CollectionsPage, collectionPath } from "./collections.tsx";

/** Papers per collection page; the feed lists the most recently added FEED_SIZE. */
const PAGE_SIZE = 50;
const FEED_SIZE = 50;
const MAX_PAGE = 200;

/** The string fields of a posted form. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** A 303 back to the form's `next` (a local path), or to `fallback`. */
export function backTo(c: Context, next: string | undefined, fallback: string) {
  return c.redirect(safeNext(next) ?? fallback, 303);
}

/** The stored paper a form names by arXiv id (`paper` field), or null. */
export async function postedPaper(deps: AppDeps, raw: string | undefined): Promise<number | null> {
  const parsed = parseArxivId((raw ?? "").trim());
  return parsed ? paperIdOf(deps.db, parsed.id) : null;
}

const notFound = (c: Context, message = "There is no such collection.") =>
  c.html(<NotFoundPage message={message} />, 404);

function collectionFeed(collection: Collection, cards: Awaited<ReturnType<typeof collectionPapers>>): FeedDoc {
  const path = collectionPath(collection);
  return {
    title: `${collection.name} (a reading list by @${collection.username})`,
    description: collection.description || `Papers in @${collection.username}'s reading list “${collection.name}”.`,
    homePath: path,
    path: `${path}/feed`,
    entries: cards.items.map((card) => ({
      arxivId: card.arxivId,
      title: card.title,
      abstract: card.abstract,
      authors: card.authors,
      categories: card.categories,
      // The item's date is when it was added to the list: that is what is new to a subscriber.
      date: new Date(cards.addedAt.get(card.id) ?? card.submittedAt ?? 0),
      externalUrl: card.links.abs,
    })),
  };
}

export function registerCollections(app: Hono, deps: AppDeps) {
  const { db, config } = deps;

  app.get("/collections", async (c) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated();
    return c.html(<CollectionsPage collections={await collectionsOf(db, viewer.id)} />);
  });

  app.post("/collections", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await formFields(c);
    try {
      const created = await createCollection(db, viewer.id, {
        name: f.name ?? "",
        description: f.description ?? "",
        isPublic: f.public === "1",
      });
      return c.redirect(collectionPath(created), 303);
    } catch (err) {
      if (!(err instanceof CollectionError)) throw err;
      const collections = await collectionsOf(db, viewer.id);
      return c.html(
        <CollectionsPage collections={collections} error={{ field: err.field, message: err.message }} />,
        400,
      );
    }
  });

  app.post("/collections/:id{[0-9]+}", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await formFields(c);
    try {
      const ok = await updateCollection(db, viewer.id, Number(c.req.param("id")), {
        name: f.name ?? "",
        description: f.description ?? "",
        isPublic: f.public === "1",
      });
      return ok ? c.redirect("/collections", 303) : notFound(c);
    } catch (err) {
      if (!(err instanceof CollectionError)) throw err;
      const collections = await collectionsOf(db, viewer.id);
      return c.html(
        <CollectionsPage collections={collections} error={{ field: err.field, message: err.message }} />,
        400,
      );
    }
  });

  app.post("/collections/:id{[0-9]+}/delete", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    return (await deleteCollection(db, viewer.id, Number(c.req.param("id"))))
      ? c.redirect("/collections", 303)
      : notFound(c);
  });

  // Save a paper to a collection from a card or a paper page. `collection=new` makes the reader's
  // first list on the way.
  app.post("/collections/save", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await formFields(c);
    const paperId = await postedPaper(deps, f.paper);
    if (paperId === null) return notFound(c, "There is no such paper in this archive.");
    try {
      let collectionId: number;
      if (f.collection === "new") {
        const existing = (await collectionsOf(db, viewer.id)).find((x) => x.name === FIRST_COLLECTION_NAME);
        collectionId = existing?.id ?? (await createCollection(db, viewer.id, { name: FIRST_COLLECTION_NAME })).id;
      } else {
        collectionId = Number(f.collection);
        if (!Number.isSafeInteger(collectionId)) return notFound(c);
      }
      if (!(await addToCollection(db, viewer.id, collectionId, paperId))) return notFound(c);
    } catch (err) {
      if (err instanceof CollectionError) return c.html(<BadRequestPage message={err.message} />, 400);
      throw err;
    }
    return backTo(c, f.next, "/collections");
  });

  app.post("/collections/remove", async (c) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const f = await formFields(c);
    const paperId = await postedPaper(deps, f.paper);
    const collectionId = Number(f.collection);
    if (paperId === null) return notFound(c, "There is no such paper in this archive.");
    if (!Number.isSafeInteger(collectionId) || !(await removeFromCollection(db, viewer.id, collectionId, paperId))) {
      return notFound(c);
    }
    return backTo(c, f.next, "/collections");
  });

  const pageParam = (c: Context): number | null => {
    const raw = c.req.query("page");
    if (raw === undefined || raw === "") return 1;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : null;
  };

  app.get("/u/:username/:slug", async (c) => {
    const viewer = viewerOf(c);
    const collection = await visibleCollection(db, c.req.param("username"), c.req.param("slug"), viewer?.id ?? null);
    if (!collection) return notFound(c);
    const page = pageParam(c);
    if (page === null)
      return c.html(<BadRequestPage message={`"page" must be a whole number from 1 to ${MAX_PAGE}.`} />, 400);
    const list = await collectionPapers(db, collection.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const isOwner = collection.userId === viewer?.id;
    // Only a public collection advertises its feed; a private one has none.
    const feeds = collection.isPublic ? feedLinks(`${collectionPath(collection)}/feed`, collection.name) : [];
    if (!collection.isPublic) c.header("Cache-Control", "private, no-store");
    return c.html(
      <CollectionPage collection={collection} list={list} url={new URL(c.req.url)} isOwner={isOwner} feeds={feeds} />,
    );
  });

  app.get("/u/:username/:slug/:file{feed\\.(?:rss|atom|json)}", async (c) => {
    // Feeds are read by feed readers without a session: only public collections have one.
    const collection = await visibleCollection(db, c.req.param("username"), c.req.param("slug"), null);
    if (!collection) return c.text("There is no such feed.\n", 404);
    const format = c.req.param("file").slice("feed.".length) as FeedFormat;
    if (!FEED_FORMAT_NAMES.includes(format)) return c.text("There is no such feed.\n", 404);
    const cards = await collectionPapers(db, collection.id, { limit: FEED_SIZE });
    const { body, type } = renderFeed(collectionFeed(collection, cards), format, config.baseUrl);
    const etag = weakEtag(body);
    // Short, so a list made private stops being served from caches soon.
    c.header("Cache-Control", "public, max-age=60");
    c.header("ETag", etag);
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
    return c.body(body, 200, { "Content-Type": type });
  });
}
