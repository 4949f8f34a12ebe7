// What goes in one subscriber's edition, and why: papers that subscriber was never sent, from the
// sections they chose (followed authors and categories, saved searches, papers like those in their
// collections, trending), each with the reason it is there, at most their maximum per email.
// Shared lists (trending) are computed once per run in a ComposeContext, so composing for
// thousands of subscribers costs a few indexed reads each.
import { sql } from "kysely";
import { followsOf } from "../community/follows.ts";
import { type SavedSearch, savedSearchesOf, savedSearchRequest } from "../community/saved-searches.ts";
import type { Db } from "../db/client.ts";
import { trendingPapers } from "../papers/lists.ts";
import { keywordSearch } from "../search/lexical/index.ts";
import { parseQuery } from "../search/query.ts";
import type { SemanticIndex } from "../search/semantic.ts";
import { search } from "../search/service.ts";
import { similarPapers } from "../search/similar.ts";
import type { Subscriber } from "./subscribers.ts";

export type Section = "follows" | "saved" | "collections" | "trending";

export interface DigestItem {
  paperId: number;
  section: Section;
  /** Why it is there, as the reader sees it: "#3 trending today". */
  reason: string;
}

/** Trending papers looked at per run: enough to skip everything a subscriber was already sent. */
const TRENDING_POOL = 300;
/** Saved searches and collection items looked at per subscriber, newest first. */
const MAX_SAVED_SEARCHES = 10;
const SAVED_SEARCH_HITS = 5;
const COLLECTION_SEEDS = 5;
const SIMILAR_PER_SEED = 3;

/** New papers read per run for matching follows: more than a busy day of arXiv brings. */
const NEW_PAPERS_MAX = 20_000;

interface NewPaper {
  id: number;
  submittedAt: string;
  authorKeys: string[];
  categories: string[];
}

/** Per-run state shared by every subscriber's composition. */
export class ComposeContext {
  private trending: Promise<{ id: number; title: string }[]> | null = null;
  private readonly firstIds = new Map<string, Promise<number>>();
  private readonly searches = new Map<string, Promise<{ paperId: number }[]>>();
  private readonly recent = new Map<number, Promise<NewPaper[]>>();

  constructor(
    readonly db: Db,
    readonly semantic: SemanticIndex | null,
  ) {}

  trendingIds(): Promise<{ id: number; title: string }[]> {
    this.trending ??= trendingPapers(this.db, { limit: TRENDING_POOL }).then((p) =>
      p.items.map((i) => ({ id: i.card.id, title: i.card.title })),
    );
    return this.trending;
  }

  /**
   * The first paper id added to the archive at or after `since` (ids grow with arrivals), so
   * "new since the last edition" is an id range every query can seek to. Memoised per minute.
   */
  firstIdSince(since: Date): Promise<number> {
    const key = since.toISOString().slice(0, 16);
    let p = this.firstIds.get(key);
    if (!p) {
      // Named read: the lowest id among papers created since; the newest rows are read first.
      p = this.db.kysely
        .selectFrom("papers")
        .select(sql<number | null>`min(id)`.as("id"))
        .where("created_at", ">=", `${key}:00.000Z`)
        .executeTakeFirst()
        .then((r) => (r?.id === null || r?.id === undefined ? Number.MAX_SAFE_INTEGER : Number(r.id)));
      this.firstIds.set(key, p);
    }
    return p;
  }

  /**
   * Papers added since `sinceId` (newest first, at most NEW_PAPERS_MAX) with their authors' name
   * keys and their categories, read once per run: follows are then matched in memory, so a
   * subscriber's follows cost one small read however many papers a category holds.
   */
  newPapers(sinceId: number): Promise<NewPaper[]> {
    let p = this.recent.get(sinceId);
    if (!p) {
      p = this.loadNewPapers(sinceId);
      this.recent.set(sinceId, p);
    }
    return p;
  }

  private async loadNewPapers(sinceId: number): Promise<NewPaper[]> {
    // Named reads: the newest papers by id range, then their authors and categories by the same range.
    const rows = await this.db.kysely
      .selectFrom("papers")
      .select(["id", "submitted_at"])
      .where("id", ">=", sinceId)
      .orderBy("id", "desc")
      .limit(NEW_PAPERS_MAX)
      .execute();
    if (rows.length === 0) return [];
    const low = rows[rows.length - 1]?.id ?? sinceId;
    const byId = new Map<number, NewPaper>(
      rows.map((r) => [r.id, { id: r.id, submittedAt: r.submitted_at ?? "", authorKeys: [], categories: [] }]),
    );
    const [authors, categories] = await Promise.all([
      this.db.kysely
        .selectFrom("paper_authors as pa")
        .innerJoin("authors as a", "a.id", "pa.author_id")
        .select(["pa.paper_id", "a.name_key"])
        .where("pa.paper_id", ">=", low)
        .execute(),
      this.db.kysely
        .selectFrom("paper_categories")
        .select(["paper_id", "category"])
        .where("paper_id", ">=", low)
        .execute(),
    ]);
    for (const a of authors) byId.get(a.paper_id)?.authorKeys.push(a.name_key);
    for (const c of categories) byId.get(c.paper_id)?.categories.push(c.category);
    return [...byId.values()].sort((x, y) =>
      x.submittedAt < y.submittedAt ? 1 : x.submittedAt > y.submittedAt ? -1 : y.id - x.id,
    );
  }

  /** A saved search's new matches, shared by every subscriber who saved the same search. */
  savedMatches(saved: SavedSearch, sinceId: number): Promise<{ paperId: number }[]> {
    const key = JSON.stringify([saved.query, saved.filters, sinceId]);
    let p = this.searches.get(key);
    if (!p) {
      const request = savedSearchRequest(saved, SAVED_SEARCH_HITS);
      const filters = { ...request.filters, minPaperId: sinceId };
      // Among new papers only: keyword search seeks straight to them (and a digest needs ids, not
      // cards or highlights); a vector search would rank the whole archive to keep a handful, so
      // only searches saved as semantic use it.
      p =
        request.mode === "semantic"
          ? search(this.db, this.semantic, { ...request, filters }).then((r) =>
              r.hits.map((h) => ({ paperId: h.paper.id })),
            )
          : // An alert matches every word of the search (no any-word fallback): a new paper that
            // shares one common word with "diffusion alignment" is noise in an inbox.
            keywordSearch(this.db, parseQuery(request.q), { limit: SAVED_SEARCH_HITS, filters, match: "all" }).then(
              (r) => r.hits.map((h) => ({ paperId: h.paperId })),
            );
      this.searches.set(key, p);
    }
    return p;
  }
}

/** Papers already put in an edition for this subscriber (the never-twice ledger). */
async function alreadySent(db: Db, subscriberId: number): Promise<Set<number>> {
  const rows = await db.kysely
    .selectFrom("digest_papers")
    .select("paper_id")
    .where("subscriber_id", "=", subscriberId)
    .execute();
  return new Set(rows.map((r) => r.paper_id));
}

/**
 * The items of `subscriber`'s next edition. `since` bounds "new": papers that arrived after the
 * previous edition (followed authors, saved searches).
 */
export async function composeEdition(ctx: ComposeContext, subscriber: Subscriber, since: Date): Promise<DigestItem[]> {
  const { db } = ctx;
  const sent = await alreadySent(db, subscriber.id);
  const items: DigestItem[] = [];
  const max = subscriber.maxPapers;
  const add = (paperId: number, section: Section, reason: string) => {
    if (items.length >= max || sent.has(paperId)) return;
    sent.add(paperId);
    items.push({ paperId, section, reason });
  };
  const period = subscriber.prefs.frequency === "weekly" ? "this week" : "today";
  const { sections } = subscriber;

  if (subscriber.userId !== null) {
    if (sections.follows) {
      const follows = await followsOf(db, subscriber.userId);
      if (follows.length > 0) {
        const authors = new Map(follows.filter((f) => f.kind === "author").map((f) => [f.value, f.label]));
        const categories = new Set(follows.filter((f) => f.kind === "category").map((f) => f.value));
        for (const paper of await ctx.newPapers(await ctx.firstIdSince(since))) {
          if (items.length >= max) break;
          const author = paper.authorKeys.find((k) => authors.has(k));
          if (author !== undefined) {
            add(paper.id, "follows", `new from ${authors.get(author)}, an author you follow`);
            continue;
          }
          const category = paper.categories.find((c) => categories.has(c));
          if (category !== undefined) add(paper.id, "follows", `new in ${category}, which you follow`);
        }
      }
    }
    if (sections.savedSearches && items.length < max) {
      const saved = (await savedSearchesOf(db, subscriber.userId)).slice(0, MAX_SAVED_SEARCHES);
      const sinceId = await ctx.firstIdSince(since);
      for (const s of saved) {
        // Papers added since the previous edition that match, by the same search as the site.
        for (const hit of await ctx.savedMatches(s, sinceId)) {
          add(hit.paperId, "saved", `matches your saved search '${s.name}'`);
        }
      }
    }
    if (sections.collections && items.length < max) {
      // Named read: the papers most recently added to the subscriber's collections.
      const seeds = await db.kysely
        .selectFrom("collection_items as i")
        .innerJoin("collections as c", "c.id", "i.collection_id")
        .innerJoin("papers as p", "p.id", "i.paper_id")
        .select(["i.paper_id", "c.name", "p.title"])
        .where("c.user_id", "=", subscriber.userId)
        .orderBy("i.added_at", "desc")
        .limit(COLLECTION_SEEDS)
        .execute();
      for (const seed of seeds) sent.add(seed.paper_id);
      for (const seed of seeds) {
        for (const s of await similarPapers(db, ctx.semantic, seed.paper_id, SIMILAR_PER_SEED)) {
          add(s.paperId, "collections", `like '${shorten(seed.title)}' in your collection '${seed.name}'`);
        }
      }
    }
  }

  if (sections.trending > 0) {
    let taken = 0;
    const trending = await ctx.trendingIds();
    for (let rank = 0; rank < trending.length && taken < sections.trending && items.length < max; rank++) {
      const t = trending[rank];
      if (!t || sent.has(t.id)) continue;
      add(t.id, "trending", `#${rank + 1} trending ${period}`);
      taken++;
    }
  }
  return items;
}

function shorten(title: string, max = 60): string {
  return title.length <= max ? title : `${title.slice(0, title.lastIndexOf(" ", max))}…`;
}

/** When the subscriber's previous edition was made, or one period ago. */
export async function previousEditionAt(db: Db, subscriber: Subscriber, now: Date): Promise<Date> {
  const row = await db.kysely
    .selectFrom("deliveries")
    .select(sql<string | null>`max(created_at)`.as("at"))
    .where("subscriber_id", "=", subscriber.id)
    .executeTakeFirst();
  if (row?.at) return new Date(row.at);
  const days = subscriber.prefs.frequency === "weekly" ? 7 : 1;
  return new Date(now.getTime() - days * 86_400_000);
}
