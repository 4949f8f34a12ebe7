// Keyword search, the lexical half of hybrid search: ranks papers for a parsed query with the
// database's own full-text index (FTS5 bm25 on SQLite, tsvector ts_rank_cd on PostgreSQL; the
// dialect files hold the differences). This file holds what both share: choosing how to match
// (all words, any word, all with a fallback to any), the filters, paging, and browsing by filters
// alone when the query has no words.
import { sql } from "kysely";
import type { Db } from "../../db/client.ts";
import type { ParsedQuery } from "../query.ts";
import { andAll, filterAuthors, filterConditions, noFilters, resolveFilters } from "./filters.ts";
import { autoMode, hasPositive, type MatchMode, type MatchPlan, planMatch } from "./plan.ts";
import { postgresLexical } from "./postgres.ts";
import { sqliteLexical } from "./sqlite.ts";
import type {
  CompiledQuery,
  KeywordResult,
  KeywordSearchOptions,
  LexicalDialect,
  Page,
  ResolvedFilters,
} from "./types.ts";

export { SearchFilterError } from "./filters.ts";
export type { KeywordHit, KeywordResult, KeywordSearchOptions, SearchFilters } from "./types.ts";

export const DEFAULT_LIMIT = 20;
/** Largest page; a larger limit is cut to this. */
export const MAX_LIMIT = 1000;
/** Deepest offset; paging further than this is not searching any more. */
export const MAX_OFFSET = 10_000;

export function lexicalDialect(db: Db): LexicalDialect {
  return db.dialect === "sqlite" ? sqliteLexical : postgresLexical;
}

function pageOf(options: KeywordSearchOptions): Page {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number of at least 1`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number of at least 0`);
  if (offset > MAX_OFFSET) throw new RangeError(`offset must be at most ${MAX_OFFSET}`);
  return { limit: Math.min(limit, MAX_LIMIT), offset };
}

/**
 * Ranks papers for `query`. Throws RangeError on a bad page and SearchFilterError on a malformed
 * filter value; whatever the user typed, it returns results or an empty list.
 */
export async function keywordSearch(
  db: Db,
  query: ParsedQuery,
  options: KeywordSearchOptions = {},
): Promise<KeywordResult> {
  const page = pageOf(options);
  const filters = resolveFilters(query, options.filters);
  const authors = filterAuthors(options.filters);
  const dialect = lexicalDialect(db);
  const requested = options.match ?? "auto";
  const first: MatchMode = requested === "auto" ? autoMode(query) : requested;

  const plan = planMatch(query, first, authors);
  if (!hasPositive(plan)) return browse(db, dialect, query, filters, page);
  if (first === "any") return runAny(db, dialect, plan, filters, page, options);

  const result = await run(db, dialect, dialect.compile(plan), filters, page, first);
  if (result.total > 0 || requested !== "auto") return result;
  // Nothing has every word: fall back to papers with any of them, when that is a different query.
  const anyPlan = planMatch(query, "any", authors);
  if (anyPlan.optional.length < 2) return result;
  return runAny(db, dialect, anyPlan, filters, page, options);
}

/** An any-word plan: pruned of its commonest words, and ranked in two steps where the dialect does. */
async function runAny(
  db: Db,
  dialect: LexicalDialect,
  plan: MatchPlan,
  filters: ResolvedFilters,
  page: Page,
  options: KeywordSearchOptions,
): Promise<KeywordResult> {
  if (dialect.rankAny && options.twoStep !== false) {
    const ranked = await dialect.rankAny(db, plan, filters, page);
    if (ranked) return { hits: ranked.hits, total: ranked.total ?? 0, matched: "any" };
  }
  const pruned = dialect.prune ? await dialect.prune(db, plan, options.commonLimit) : plan;
  return run(db, dialect, dialect.compile(pruned), filters, page, "any");
}

async function run(
  db: Db,
  dialect: LexicalDialect,
  compiled: CompiledQuery | null,
  filters: ResolvedFilters,
  page: Page,
  matched: MatchMode,
): Promise<KeywordResult> {
  if (compiled === null) return { hits: [], total: 0, matched };
  const ranked = await dialect.ranked(db, compiled, filters, page);
  const total =
    ranked.total ??
    (ranked.hits.length === 0 && page.offset === 0 ? 0 : await dialect.count(db, compiled.match, filters));
  return { hits: ranked.hits, total, matched };
}

/**
 * A query without words to rank by (only filters, and perhaps exclusions): the filtered papers,
 * newest first. With neither filters nor anything else, there is nothing to search for.
 */
async function browse(
  db: Db,
  dialect: LexicalDialect,
  query: ParsedQuery,
  filters: ResolvedFilters,
  page: Page,
): Promise<KeywordResult> {
  const excluded = dialect.compileAny(planMatch(query, "any").excluded);
  if (noFilters(filters) && excluded === null) return { hits: [], total: 0, matched: "nothing" };
  const conditions = filterConditions(filters, sql`p.id`, dialect.paperDate(), true);
  if (excluded !== null) conditions.push(sql<boolean>`NOT ${dialect.idMatches(sql`p.id`, excluded)}`);
  const date = dialect.paperDate();
  const { rows } = await sql<{ paper_id: number; total: number }>`
    SELECT p.id AS paper_id, count(*) OVER () AS total
    FROM papers p
    WHERE 1 = 1 ${andAll(conditions)}
    ORDER BY ${date} DESC NULLS LAST, p.id DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db.kysely);
  let total = rows.length > 0 ? Number((rows[0] as { total: number }).total) : 0;
  if (rows.length === 0 && page.offset > 0) {
    const counted = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers p WHERE 1 = 1 ${andAll(conditions)}`.execute(db.kysely);
    total = Number(counted.rows[0]?.n ?? 0);
  }
  return { hits: rows.map((r) => ({ paperId: Number(r.paper_id), score: 0 })), total, matched: "filters" };
}

/**
 * Of `ids`, those a query's filters, author phrases and exclusions allow: semantic hits obey the
 * same rules as keyword hits. Returns the allowed ids as a set.
 */
export async function allowedIds(
  db: Db,
  query: ParsedQuery,
  ids: number[],
  filters?: KeywordSearchOptions["filters"],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const dialect = lexicalDialect(db);
  const resolved = resolveFilters(query, filters);
  const plan = planMatch({ ...query, terms: [] }, "all", filterAuthors(filters));
  const conditions = filterConditions(resolved, sql`p.id`, dialect.paperDate());
  if (hasPositive(plan)) {
    const compiled = dialect.compile(plan);
    if (compiled) conditions.push(dialect.idMatches(sql`p.id`, compiled.match));
  } else {
    const excluded = dialect.compileAny(plan.excluded);
    if (excluded !== null) conditions.push(sql<boolean>`NOT ${dialect.idMatches(sql`p.id`, excluded)}`);
  }
  if (conditions.length === 0) return new Set(ids);
  const { rows } = await sql<{ id: number }>`
    SELECT p.id AS id FROM papers p
    WHERE p.id IN (${sql.join(ids)}) ${andAll(conditions)}`.execute(db.kysely);
  return new Set(rows.map((r) => Number(r.id)));
}
