// Filters of keyword search: merges those typed in the query (cat:, before:, after:) with those the
// caller passes, checks the caller's values, and renders them as SQL conditions shared by both
// dialects (only the paper date expression differs, and the dialect supplies it).
import { type RawBuilder, sql } from "kysely";
import { authorKey } from "../../papers/model.ts";
import { normalizeCategory, type ParsedQuery, tokenize } from "../query.ts";
import type { ResolvedFilters, SearchFilters } from "./types.ts";

/** A caller passed a filter value that cannot mean anything. */
export class SearchFilterError extends Error {
  override name = "SearchFilterError";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Most values one filter list may hold; more is a caller bug, not a search. */
const MAX_VALUES = 50;

function checkDay(name: string, value: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new SearchFilterError(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(String(value).slice(0, 40))}`);
  }
  return value;
}

function checkList(name: string, value: string[] | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new SearchFilterError(`${name} must be a list of strings`);
  }
  if (value.length > MAX_VALUES) throw new SearchFilterError(`${name} holds more than ${MAX_VALUES} values`);
  return value;
}

/** The later of two inclusive lower bounds / the earlier of two exclusive upper bounds. */
const later = (a: string | null, b: string | null) => (a === null ? b : b === null || a > b ? a : b);
const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null || a < b ? a : b);

/** Merges the query's filters with the caller's; throws SearchFilterError on a malformed value. */
export function resolveFilters(q: ParsedQuery, filters: SearchFilters = {}): ResolvedFilters {
  const groups: string[][] = [];
  if (q.categories.length > 0) groups.push(q.categories);
  // A caller's category that is not a category matches nothing, as a typed one would.
  const given = checkList("categories", filters.categories).map((c) => normalizeCategory(c) ?? c.trim());
  if (given.length > 0) groups.push([...new Set(given)]);
  if (filters.authorKey !== undefined && typeof filters.authorKey !== "string") {
    throw new SearchFilterError("authorKey must be a string");
  }
  const key = filters.authorKey === undefined ? null : authorKey(filters.authorKey);
  return {
    categoryGroups: groups,
    authorKey: key === "" ? null : key,
    dateFrom: later(q.dateFrom, checkDay("dateFrom", filters.dateFrom)),
    dateUntil: earlier(q.dateUntil, checkDay("dateUntil", filters.dateUntil)),
    minPaperId: checkMinId(filters.minPaperId),
  };
}

function checkMinId(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new SearchFilterError("minPaperId must be a whole number ≥ 0");
  }
  return value;
}

/** The caller's author names as phrases for the plan (tokens, like author: in the query). */
export function filterAuthors(filters: SearchFilters = {}): string[][] {
  return checkList("authors", filters.authors)
    .map((name) => tokenize(name).slice(0, 8))
    .filter((words) => words.length > 0);
}

/** True when the filters need columns of papers (the date), so the query must join it. */
export function needsPapers(f: ResolvedFilters): boolean {
  return f.dateFrom !== null || f.dateUntil !== null;
}

/** True when nothing restricts the papers. */
export function noFilters(f: ResolvedFilters): boolean {
  return f.categoryGroups.length === 0 && f.authorKey === null && f.minPaperId === null && !needsPapers(f);
}

/** One category value as a condition on pc.category: exact, or every category of an archive. */
function categoryCondition(value: string): RawBuilder<boolean> {
  if (/^[a-z]+(-[a-z]+)?$/.test(value)) {
    // An archive: its own name (old-style ids like hep-th) or any of its subject classes.
    return sql<boolean>`(pc.category = ${value} OR pc.category LIKE ${`${value}.%`})`;
  }
  return sql<boolean>`pc.category = ${value}`;
}

/**
 * SQL conditions for the filters, AND-ed by the caller. `id` is the paper id expression of the
 * query, `date` the paper date expression (it refers to papers as `p`). `driving` says the
 * categories pick the papers (browsing without words): they are then looked up once with IN;
 * under a full-text match they are checked per matching paper with EXISTS, because SQLite would
 * otherwise run the match once per paper of the category (measured: 2.5 s instead of 13 ms).
 */
export function filterConditions(
  f: ResolvedFilters,
  id: RawBuilder<unknown>,
  date: RawBuilder<string | null>,
  driving = false,
): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  for (const group of f.categoryGroups) {
    const any = sql.join(group.map(categoryCondition), sql` OR `);
    out.push(
      driving
        ? sql<boolean>`${id} IN (SELECT pc.paper_id FROM paper_categories pc WHERE ${any})`
        : sql<boolean>`EXISTS (SELECT 1 FROM paper_categories pc WHERE pc.paper_id = ${id} AND (${any}))`,
    );
  }
  if (f.authorKey !== null) {
    out.push(
      sql<boolean>`EXISTS (SELECT 1 FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
        WHERE pa.paper_id = ${id} AND a.name_key = ${f.authorKey})`,
    );
  }
  if (f.minPaperId !== null) out.push(sql<boolean>`${id} >= ${f.minPaperId}`);
  if (f.dateFrom !== null) out.push(sql<boolean>`${date} >= ${f.dateFrom}`);
  if (f.dateUntil !== null) out.push(sql<boolean>`${date} < ${f.dateUntil}`);
  return out;
}

/** Joins conditions with AND, prefixed with AND; empty when there are none. */
export function andAll(conditions: RawBuilder<boolean>[]): RawBuilder<unknown> {
  if (conditions.length === 0) return sql``;
  return sql` AND ${sql.join(conditions, sql` AND `)}`;
}
