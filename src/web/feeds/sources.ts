// What each feed lists, read with the same named queries as the pages and the JSON API: the last
// few Daily Papers days, trending, a category's newest papers, and the top hits of a search.
import type { Db } from "../../db/client.ts";
import type { PaperCard } from "../../papers/cards.ts";
import {
  adjacentFeaturedDays,
  categoryPapers,
  featuredIn,
  latestFeaturedDay,
  trendingPapers,
} from "../../papers/lists.ts";
import type { SearchFilters } from "../../search/lexical/index.ts";
import type { SemanticIndex } from "../../search/semantic.ts";
import { type SearchMode, search } from "../../search/service.ts";
import { categoryFeedPath, searchFeedPath } from "./links.ts";
import type { FeedDoc, FeedEntry } from "./render.ts";

/** Featured days the Daily Papers feed spans, and the most papers it lists from each. */
export const DAILY_DAYS = 3;
export const DAILY_PER_DAY = 50;
export const TRENDING_SIZE = 30;
export const CATEGORY_SIZE = 50;
export const SEARCH_SIZE = 30;

const DAY_MS = 86_400_000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** A stored timestamp or YYYY-MM-DD day as a Date, or null when absent or unreadable. */
function dateOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at) ? null : new Date(at);
}

/** When a paper appeared: its submission time, else its announcement day, else the epoch. */
const paperDate = (card: PaperCard) => dateOf(card.submittedAt) ?? dateOf(card.date) ?? new Date(0);

function entryOf(card: PaperCard, date: Date): FeedEntry {
  return {
    arxivId: card.arxivId,
    title: card.title,
    abstract: card.abstract,
    authors: card.authors,
    categories: card.categories,
    date,
    externalUrl: card.links.abs,
  };
}

/** The papers of the latest DAILY_DAYS featured days, newest day first, each day by upvotes. */
export async function dailyFeed(db: Db): Promise<FeedDoc> {
  const days: string[] = [];
  for (let day = await latestFeaturedDay(db); day && days.length < DAILY_DAYS; ) {
    days.push(day);
    day = (await adjacentFeaturedDays(db, { from: day, until: nextDay(day) })).prev;
  }
  const pages = await Promise.all(
    days.map((day) => featuredIn(db, { from: day, until: nextDay(day) }, { sort: "upvotes", limit: DAILY_PER_DAY })),
  );
  return {
    title: "Paperboy: Daily Papers",
    description: `The papers featured on the last ${DAILY_DAYS} Daily Papers days, most upvoted first.`,
    homePath: "/",
    path: "/feeds/daily",
    entries: pages.flatMap((page) =>
      page.items.map(({ card, featuring }) =>
        entryOf(card, dateOf(featuring.submittedAt) ?? dateOf(featuring.day) ?? paperDate(card)),
      ),
    ),
  };
}

/** The TRENDING_SIZE papers with the highest trending score. */
export async function trendingFeed(db: Db): Promise<FeedDoc> {
  const page = await trendingPapers(db, { limit: TRENDING_SIZE });
  return {
    title: "Paperboy: Trending papers",
    description: `The ${TRENDING_SIZE} papers trending now.`,
    homePath: "/trending",
    path: "/feeds/trending",
    entries: page.items.map(({ card }) => entryOf(card, paperDate(card))),
  };
}

/** The CATEGORY_SIZE newest papers in `category` (none for a category nobody has used yet). */
export async function categoryFeed(db: Db, category: string): Promise<FeedDoc> {
  const page = await categoryPapers(db, category, { limit: CATEGORY_SIZE });
  return {
    title: `Paperboy: ${category}`,
    description: `The newest papers in ${category}.`,
    homePath: `/c/${encodeURIComponent(category)}`,
    path: categoryFeedPath(category),
    entries: page.items.map((card) => entryOf(card, paperDate(card))),
  };
}

export interface SearchFeedQuery {
  q: string;
  mode: SearchMode;
  categories: string[];
  authors: string[];
  /** Inclusive days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

/** The query string naming a search, in canonical form (the same one as its feed path). */
function searchParams(query: SearchFeedQuery): URLSearchParams {
  const params = new URLSearchParams({ q: query.q, mode: query.mode });
  if (query.categories.length) params.set("category", query.categories.join(","));
  if (query.authors.length) params.set("author", query.authors.join(","));
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  return params;
}

/** The top SEARCH_SIZE hits of a search, in rank order. Throws what search() throws. */
export async function searchFeed(db: Db, semantic: SemanticIndex | null, query: SearchFeedQuery): Promise<FeedDoc> {
  const filters: SearchFilters = {
    ...(query.categories.length ? { categories: query.categories } : {}),
    ...(query.authors.length ? { authors: query.authors } : {}),
    ...(query.from ? { dateFrom: query.from } : {}),
    // `to` is inclusive for people; the filter's upper bound is exclusive.
    ...(query.to ? { dateUntil: nextDay(query.to) } : {}),
  };
  const r = await search(db, semantic, { q: query.q, mode: query.mode, limit: SEARCH_SIZE, filters });
  const params = searchParams(query);
  const path = searchFeedPath(params);
  const scope = [
    query.categories.length ? `in ${query.categories.join(", ")}` : "",
    query.authors.length ? `by ${query.authors.join(", ")}` : "",
    query.from ? `from ${query.from}` : "",
    query.to ? `to ${query.to}` : "",
  ].filter(Boolean);
  return {
    title: `Paperboy search: ${query.q}${scope.length ? ` (${scope.join(", ")})` : ""}`,
    description: `The top ${SEARCH_SIZE} papers for the search “${query.q}”.`,
    homePath: `/search${path.slice("/feeds/search".length)}`,
    path,
    entries: r.hits.map((hit) => entryOf(hit.paper, paperDate(hit.paper))),
  };
}
