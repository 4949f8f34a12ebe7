// Saved searches: a member keeps a query with its filters, runs it again from a list, reads its
// newest matches on the Following page (and, later, in digests), and subscribes to it through a
// private feed whose URL carries a random token. Every read and write of saved_searches goes
// through here; running one goes through search() like every other search.
import { sql } from "kysely";
import { newToken } from "../accounts/tokens.ts";
import type { Db } from "../db/client.ts";
import { addDays, isDay } from "../papers/periods.ts";
import type { SearchFilters } from "../search/lexical/index.ts";
import type { SemanticIndex } from "../search/semantic.ts";
import { SEARCH_MODES, type SearchHit, type SearchMode, type SearchRequest, search } from "../search/service.ts";
import { CATEGORY_PATTERN } from "./follows.ts";

/** As stored in saved_searches.filters (JSON). */
export interface SavedSearchFilters {
  mode?: SearchMode;
  categories?: string[];
  /** Inclusive days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface SavedSearch {
  id: number;
  userId: number;
  name: string;
  query: string;
  filters: SavedSearchFilters;
  /** The secret in the private feed's URL: /feeds/saved/:feedToken.rss */
  feedToken: string;
  createdAt: string;
}

/** What the search page's form sends (the names of its query parameters). */
export interface SaveSearchInput {
  q: string;
  mode?: string;
  /** Categories separated by commas or spaces, as the search page takes them. */
  category?: string;
  from?: string;
  to?: string;
  name?: string;
}

export class SavedSearchError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SavedSearchError";
  }
}

export const MAX_SAVED_SEARCHES_PER_USER = 100;
const MAX_QUERY_CHARS = 2000;
const MAX_NAME_CHARS = 80;
const MAX_CATEGORIES = 20;

/** Checks and normalises what a form sent; throws SavedSearchError naming the bad field. */
export function parseSaveSearchInput(input: SaveSearchInput): {
  name: string;
  query: string;
  filters: SavedSearchFilters;
} {
  const query = input.q.trim();
  if (!query) throw new SavedSearchError("q", "Type a search before saving it.");
  if (query.length > MAX_QUERY_CHARS) {
    throw new SavedSearchError("q", `A saved search is at most ${MAX_QUERY_CHARS} characters.`);
  }
  const filters: SavedSearchFilters = {};
  const mode = (input.mode ?? "").trim() || "hybrid";
  if (!(SEARCH_MODES as readonly string[]).includes(mode)) {
    throw new SavedSearchError("mode", `"mode" must be one of ${SEARCH_MODES.join(", ")}.`);
  }
  if (mode !== "hybrid") filters.mode = mode as SearchMode;
  const categories = [...new Set((input.category ?? "").split(/[\s,]+/).filter(Boolean))];
  if (categories.length > MAX_CATEGORIES) {
    throw new SavedSearchError("category", `A saved search has at most ${MAX_CATEGORIES} categories.`);
  }
  const bad = categories.find((c) => !CATEGORY_PATTERN.test(c) || c.length > 64);
  if (bad !== undefined) throw new SavedSearchError("category", `"${bad.slice(0, 40)}" is not an arXiv category name.`);
  if (categories.length) filters.categories = categories;
  for (const field of ["from", "to"] as const) {
    const value = (input[field] ?? "").trim();
    if (!value) continue;
    if (!isDay(value)) throw new SavedSearchError(field, `"${field}" must be a date written YYYY-MM-DD.`);
    filters[field] = value;
  }
  const name = (input.name ?? "").replace(/\s+/g, " ").trim() || query.replace(/\s+/g, " ");
  return { name: name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name, query, filters };
}

type Row = {
  id: number;
  user_id: number;
  name: string;
  query: string;
  filters: string;
  feed_token: string;
  created_at: string;
};
const COLUMNS = ["id", "user_id", "name", "query", "filters", "feed_token", "created_at"] as const;

function toSavedSearch(r: Row): SavedSearch {
  let filters: SavedSearchFilters = {};
  try {
    const parsed = JSON.parse(r.filters) as unknown;
    if (parsed && typeof parsed === "object") filters = parsed as SavedSearchFilters;
  } catch {
    // A row written by hand with bad JSON searches without filters rather than breaking the page.
  }
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    query: r.query,
    filters,
    feedToken: r.feed_token,
    createdAt: r.created_at,
  };
}

/** Stable JSON of filters (keys in one order), so equal searches are stored and compared alike. */
function filtersJson(f: SavedSearchFilters): string {
  return JSON.stringify({
    ...(f.mode ? { mode: f.mode } : {}),
    ...(f.categories?.length ? { categories: f.categories } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
  });
}

/** Saves a search; saving the same query and filters again returns the one already saved. */
export async function saveSearch(
  db: Db,
  userId: number,
  input: SaveSearchInput,
  now = new Date(),
): Promise<SavedSearch> {
  const { name, query, filters } = parseSaveSearchInput(input);
  const json = filtersJson(filters);
  const same = await db.kysely
    .selectFrom("saved_searches")
    .select(COLUMNS)
    .where("user_id", "=", userId)
    .where("query", "=", query)
    .where("filters", "=", json)
    .executeTakeFirst();
  if (same) return toSavedSearch(same);
  const count = await db.kysely
    .selectFrom("saved_searches")
    .select(sql<number>`count(*)`.as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_SAVED_SEARCHES_PER_USER) {
    throw new SavedSearchError("q", `You can keep at most ${MAX_SAVED_SEARCHES_PER_USER} saved searches.`);
  }
  const row = await db.kysely
    .insertInto("saved_searches")
    .values({
      user_id: userId,
      name,
      query,
      filters: json,
      feed_token: newToken(),
      created_at: now.toISOString(),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toSavedSearch(row);
}

/** The user's saved searches, newest first. */
export async function savedSearchesOf(db: Db, userId: number): Promise<SavedSearch[]> {
  const rows = await db.kysely
    .selectFrom("saved_searches")
    .select(COLUMNS)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(toSavedSearch);
}

/** The saved search whose private feed `token` names, or null. */
export async function savedSearchByToken(db: Db, token: string): Promise<SavedSearch | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db.kysely
    .selectFrom("saved_searches")
    .select(COLUMNS)
    .where("feed_token", "=", token)
    .executeTakeFirst();
  return row ? toSavedSearch(row) : null;
}

/** Deletes one of the user's saved searches (its feed stops at once); false when not theirs. */
export async function deleteSavedSearch(db: Db, userId: number, id: number): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom("saved_searches")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The search() filters of a saved search (`to` is inclusive for people, exclusive for search). */
export function savedSearchFilters(f: SavedSearchFilters): SearchFilters {
  return {
    ...(f.categories?.length ? { categories: f.categories } : {}),
    ...(f.from ? { dateFrom: f.from } : {}),
    ...(f.to ? { dateUntil: addDays(f.to, 1) } : {}),
  };
}

/** The request search() runs for a saved search. */
export function savedSearchRequest(saved: SavedSearch, limit: number): SearchRequest {
  return {
    q: saved.query,
    mode: saved.filters.mode ?? "hybrid",
    limit,
    filters: savedSearchFilters(saved.filters),
  };
}

/** The saved search's best `limit` matches now (what the Following page and digests show). */
export async function savedSearchMatches(
  db: Db,
  semantic: SemanticIndex | null,
  saved: SavedSearch,
  { limit = 5 }: { limit?: number } = {},
): Promise<SearchHit[]> {
  return (await search(db, semantic, savedSearchRequest(saved, limit))).hits;
}

/** The search page's address for a saved search (/search?q=...&mode=...&category=...&from=...&to=...). */
export function savedSearchPath(saved: Pick<SavedSearch, "query" | "filters">): string {
  const params = new URLSearchParams({ q: saved.query });
  if (saved.filters.mode) params.set("mode", saved.filters.mode);
  if (saved.filters.categories?.length) params.set("category", saved.filters.categories.join(","));
  if (saved.filters.from) params.set("from", saved.filters.from);
  if (saved.filters.to) params.set("to", saved.filters.to);
  return `/search?${params}`;
}
