// Keyword search on PostgreSQL: compiles a match plan to to_tsquery text ('english' configuration)
// over paper_search.document, a tsvector weighted A (title), B (author names), C (abstract); see
// migration 0002_search. Every token is emitted in single quotes and holds only letters and
// digits, so nothing the user typed is read as tsquery syntax (we never hand user text to
// websearch_to_tsquery); the only operators are the ones written here.
//
// Ranking: the sum over the query's terms of idf(term) x ts_rank(field weights, document, term).
// Measured on SciFact (eval/scifact-keyword.ts, nDCG@10): ts_rank_cd over the whole query 0.41,
// ts_rank 0.51, idf-weighted ts_rank per term 0.60 (bm25 on SQLite: 0.70).
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../db/client.ts";
import { andAll, filterConditions, needsPapers } from "./filters.ts";
import { FIELD_WEIGHTS, type MatchForm, type MatchItem, type MatchPlan } from "./plan.ts";
import { idfs } from "./postgres-idf.ts";
import type { CompiledQuery, LexicalDialect, Page, RankedPage, ResolvedFilters } from "./types.ts";

/**
 * Latin letters with diacritics (U+00C0 to U+024F) to their base letter, the set the index folds
 * with paper_search_fold (migration 0002_search): both sides must fold alike.
 */
export function foldLatin(word: string): string {
  return word.replace(/[\u00c0-\u024f]/g, (c) => {
    const d = c.normalize("NFD");
    return /^[A-Za-z][\u0300-\u036f]+$/.test(d) ? (d[0] as string) : c;
  });
}

/** `'w'`, `'w1' <-> 'w2'`, `'w':*`; `weight` restricts every word to one field (B: authors). */
function form(f: MatchForm, weight = ""): string {
  const last = f.words.length - 1;
  const words = f.words.map((w, i) => {
    const label = `${i === last && f.prefix ? "*" : ""}${weight}`;
    return `'${foldLatin(w).replaceAll("'", "''").replaceAll("\\", "")}'${label ? `:${label}` : ""}`;
  });
  return words.length === 1 ? (words[0] as string) : `(${words.join(" <-> ")})`;
}

function item(i: MatchItem): string {
  const forms = i.forms.map((f) => form(f));
  return forms.length === 1 ? (forms[0] as string) : `(${forms.join(" | ")})`;
}

function anyOf(items: MatchItem[]): string | null {
  if (items.length === 0) return null;
  return items.length === 1 ? item(items[0] as MatchItem) : `(${items.map(item).join(" | ")})`;
}

/** The to_tsquery text for a plan, or null when it has nothing positive to match. */
export function compileTsquery(plan: MatchPlan): string | null {
  const parts = plan.required.map(item);
  const optional = anyOf(plan.optional);
  if (optional) parts.push(optional);
  for (const words of plan.authors) parts.push(form({ words, prefix: false }, "B"));
  if (parts.length === 0) return null;
  const positive = parts.length === 1 ? (parts[0] as string) : `(${parts.join(" & ")})`;
  const excluded = anyOf(plan.excluded);
  return excluded ? `${positive} & !${excluded}` : positive;
}

/** The plan compiled, with each required or optional term on its own for the ranking. */
function compile(plan: MatchPlan): CompiledQuery | null {
  const match = compileTsquery(plan);
  if (match === null) return null;
  return { match, terms: [...plan.required, ...plan.optional].map(item) };
}

/**
 * ts_rank weights in PostgreSQL's order {D, C, B, A}: the field weights scaled so the title is 1
 * (D is unused).
 */
const WEIGHTS = `{0, ${FIELD_WEIGHTS.abstract / FIELD_WEIGHTS.title}, ${FIELD_WEIGHTS.authors / FIELD_WEIGHTS.title}, 1}`;

const paperDate = () =>
  sql<string | null>`COALESCE(p.announced_on, to_char(p.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))`;

/** Papers matching the query, best first (ties: newest id first), with the total. */
async function rankedQuery(db: Db, query: CompiledQuery, f: ResolvedFilters, page: Page): Promise<RankedPage> {
  const join = needsPapers(f) ? sql`JOIN papers p ON p.id = s.paper_id` : sql``;
  const where = andAll(filterConditions(f, sql`s.paper_id`, paperDate()));
  // A query of authors alone has no terms to weigh: it ranks by the match as a whole.
  const terms = query.terms.length > 0 ? query.terms : [query.match];
  const weights = await idfs(db, terms);
  const { rows } = await sql<{ paper_id: number; score: number; total: number }>`
    WITH t AS (
      SELECT to_tsquery('english', x) AS q, w FROM unnest(${terms}::text[], ${weights}::float8[]) AS u(x, w)
    )
    SELECT s.paper_id, (SELECT sum(t.w * ts_rank(${WEIGHTS}::float4[], s.document, t.q)) FROM t) AS score,
      count(*) OVER () AS total
    FROM paper_search s ${join}
    WHERE s.document @@ to_tsquery('english', ${query.match}) ${where}
    ORDER BY score DESC, s.paper_id DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db.kysely);
  return {
    hits: rows.map((r) => ({ paperId: Number(r.paper_id), score: Number(r.score) })),
    total: rows.length > 0 ? Number((rows[0] as { total: number }).total) : null,
  };
}

/** How many papers match `compiled` within the filters. */
async function countQuery(db: Db, compiled: string, f: ResolvedFilters): Promise<number> {
  const join = needsPapers(f) ? sql`JOIN papers p ON p.id = s.paper_id` : sql``;
  const where = andAll(filterConditions(f, sql`s.paper_id`, paperDate()));
  const { rows } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM paper_search s ${join}
    WHERE s.document @@ to_tsquery('english', ${compiled}) ${where}`.execute(db.kysely);
  return Number(rows[0]?.n ?? 0);
}

export const postgresLexical: LexicalDialect = {
  compile,
  compileAny: anyOf,
  ranked: rankedQuery,
  count: countQuery,
  paperDate,
  idMatches: (id: RawBuilder<unknown>, compiled: string) =>
    sql<boolean>`${id} IN (SELECT paper_id FROM paper_search WHERE document @@ to_tsquery('english', ${compiled}))`,
};
