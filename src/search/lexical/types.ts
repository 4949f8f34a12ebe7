// The shapes keyword search speaks: its options and results, the filters resolved to SQL-ready
// values, and the interface each dialect (sqlite.ts, postgres.ts) implements.
import type { RawBuilder } from "kysely";
import type { Db } from "../../db/client.ts";
import type { MatchItem, MatchPlan } from "./plan.ts";

export interface SearchFilters {
  /** Papers in any of these categories; an archive alone ("cs") means all of its categories. */
  categories?: string[];
  /** Papers whose author names contain each of these (matched as phrases, like author:). */
  authors?: string[];
  /** Papers by the author with this name key (authors.name_key, exact: author pages). */
  authorKey?: string;
  /** Earliest paper date kept (inclusive, YYYY-MM-DD). */
  dateFrom?: string;
  /** First paper date no longer kept (exclusive, YYYY-MM-DD). */
  dateUntil?: string;
  /**
   * Only papers with this id or higher: ids grow as papers arrive, so this is "added to the
   * archive since" (digests match saved searches against new papers only). Keyword search uses
   * it as a rowid range, which the full-text index seeks to instead of scanning.
   */
  minPaperId?: number;
}

export interface KeywordSearchOptions {
  /** Hits per page (default 20, at most MAX_LIMIT). */
  limit?: number;
  /** Hits to skip (default 0, at most MAX_OFFSET). */
  offset?: number;
  filters?: SearchFilters;
  /** all: every word; any: at least one; auto (default): all for short queries, else any. */
  match?: "all" | "any" | "auto";
  /**
   * SQLite: the document frequency above which words leave an any-word match (see
   * sqlite-prune.ts); for evaluations only, Infinity ranks by exact bm25.
   */
  commonLimit?: number;
  /** SQLite: rank long any-word queries in two steps (sqlite-rescore.ts); default true; false for evaluations. */
  twoStep?: boolean;
}

export interface KeywordHit {
  paperId: number;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface KeywordResult {
  hits: KeywordHit[];
  /** How many papers match in all, across pages. */
  total: number;
  /**
   * How the query was matched: all or any of its words, "filters" when it had no words (the
   * filtered papers, newest first), "nothing" when there was nothing to search for.
   */
  matched: "all" | "any" | "filters" | "nothing";
}

/** Filters from the query text and from the caller, merged and checked. */
export interface ResolvedFilters {
  /** Each group is "any of these categories"; every group must hold. */
  categoryGroups: string[][];
  authorKey: string | null;
  dateFrom: string | null;
  dateUntil: string | null;
  minPaperId: number | null;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface RankedPage {
  hits: KeywordHit[];
  /** Total matches, or null when the page cannot say (full, or empty past the first): the caller counts. */
  total: number | null;
}

/** A plan in the engine's syntax. */
export interface CompiledQuery {
  /** What a paper must match. */
  match: string;
  /** Each searched term on its own, for engines that weigh terms in the ranking (PostgreSQL). */
  terms: string[];
}

/** What each dialect provides; index.ts holds everything that is the same for both. */
export interface LexicalDialect {
  /** Compiles a plan into the engine's syntax, or null when nothing can match. */
  compile(plan: MatchPlan): CompiledQuery | null;
  /** Compiles items as "any of these" (for exclusions without words to search). */
  compileAny(items: MatchItem[]): string | null;
  /** One page of papers matching the query, best first, within the filters. */
  ranked(db: Db, query: CompiledQuery, filters: ResolvedFilters, page: Page): Promise<RankedPage>;
  /** How many papers match `match` within the filters. */
  count(db: Db, match: string, filters: ResolvedFilters): Promise<number>;
  /** SQL for the date of paper `p` (announced day, else submission day) as YYYY-MM-DD. */
  paperDate(): RawBuilder<string | null>;
  /** SQL condition: paper id `idRef` matches `compiled`. */
  idMatches(idRef: RawBuilder<unknown>, compiled: string): RawBuilder<boolean>;
  /** Narrows an "any word" plan to the words worth ranking by, where the engine needs it. */
  prune?(db: Db, plan: MatchPlan, limit?: number): Promise<MatchPlan>;
  /**
   * Ranks an any-word plan in two bounded steps where the engine needs it (SQLite on a large
   * archive), or returns null for the one-step path.
   */
  rankAny?(db: Db, plan: MatchPlan, f: ResolvedFilters, page: Page): Promise<RankedPage | null>;
}
