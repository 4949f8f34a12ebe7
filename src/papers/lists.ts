// Named reads behind every list a visitor or a client sees: a Daily Papers period, trending, a
// category, an author, one paper in full, and the whole archive by cursor. Pages, the JSON API and
// the feeds call these same functions, so one query feeds the HTML, the JSON and the RSS.
import { sql } from "kysely";
import type { Db } from "../db/client.ts";
import { type PaperCard, paperCards } from "./cards.ts";
import { authorKey } from "./model.ts";

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Paging {
  limit: number;
  offset?: number;
}

export const DAILY_SORTS = ["upvotes", "trending", "publishedAt"] as const;
export type DailySort = (typeof DAILY_SORTS)[number];

export interface Featuring {
  day: string;
  submittedBy: string | null;
  submittedAt: string | null;
  organization: string | null;
  upvotes: number;
  numComments: number;
}

export interface FeaturedItem {
  card: PaperCard;
  /** The paper's latest featuring within the period asked for. */
  featuring: Featuring;
}

export interface DayRange {
  from: string;
  /** Exclusive. */
  until: string;
}

/**
 * Papers featured in [from, until), once each (a paper featured twice in a week is listed once,
 * at its latest day), sorted by paper upvotes (ties: most recently featured), trending score, or
 * publication time.
 */
export async function featuredIn(
  db: Db,
  range: DayRange,
  { sort = "upvotes", limit, offset = 0, submitter }: Paging & { sort?: DailySort; submitter?: string },
): Promise<Page<FeaturedItem>> {
  let inRange = db.kysely
    .selectFrom("featurings")
    .select(["paper_id", sql<string>`max(day)`.as("day")])
    .where("day", ">=", range.from)
    .where("day", "<", range.until)
    .groupBy("paper_id");
  if (submitter) inRange = inRange.where("submitted_by", "=", submitter);

  const order = db.kysely
    .selectFrom(inRange.as("f"))
    .innerJoin("papers as p", "p.id", "f.paper_id")
    .leftJoin("paper_signals as s", "s.paper_id", "f.paper_id");
  const [countRow, rows] = await Promise.all([
    db.kysely
      .selectFrom(inRange.as("f"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst(),
    (sort === "trending"
      ? order.orderBy("s.trending", "desc")
      : sort === "publishedAt"
        ? order.orderBy(sql`p.submitted_at desc nulls last`)
        : order.orderBy(sql`coalesce(s.upvotes, 0)`, "desc").orderBy("f.day", "desc")
    )
      .orderBy("f.paper_id", "desc")
      .select(["f.paper_id", "f.day"])
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  const ids = rows.map((r) => r.paper_id);
  const [cards, featurings] = await Promise.all([paperCards(db, ids), featuringsOf(db, ids, range)]);
  const latest = new Map<number, Featuring>();
  for (const f of featurings) if ((latest.get(f.paperId)?.day ?? "") < f.day) latest.set(f.paperId, f);
  return {
    items: cards.flatMap((card) => {
      const featuring = latest.get(card.id);
      return featuring ? [{ card, featuring }] : [];
    }),
    total: Number(countRow?.n ?? 0),
    limit,
    offset,
  };
}

/** The featurings of `paperIds`, within `range` when given, oldest day first. */
export async function featuringsOf(
  db: Db,
  paperIds: number[],
  range?: DayRange,
): Promise<(Featuring & { paperId: number })[]> {
  if (paperIds.length === 0) return [];
  let q = db.kysely
    .selectFrom("featurings")
    .select(["paper_id", "day", "submitted_by", "submitted_at", "organization", "upvotes", "num_comments"])
    .where("paper_id", "in", paperIds)
    .orderBy("day");
  if (range) q = q.where("day", ">=", range.from).where("day", "<", range.until);
  return (await q.execute()).map((r) => ({
    paperId: r.paper_id,
    day: r.day,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    organization: r.organization,
    upvotes: r.upvotes,
    numComments: r.num_comments,
  }));
}

/** The most recent day with at least one featuring, or null on an empty instance. */
export async function latestFeaturedDay(db: Db): Promise<string | null> {
  const row = await db.kysely
    .selectFrom("featurings")
    .select(sql<string | null>`max(day)`.as("day"))
    .executeTakeFirst();
  return row?.day ?? null;
}

/** The nearest featured days before `from` and from `until` on: what previous/next lead to. */
export async function adjacentFeaturedDays(
  db: Db,
  range: DayRange,
): Promise<{ prev: string | null; next: string | null }> {
  const [prev, next] = await Promise.all([
    db.kysely
      .selectFrom("featurings")
      .select(sql<string | null>`max(day)`.as("day"))
      .where("day", "<", range.from)
      .executeTakeFirst(),
    db.kysely
      .selectFrom("featurings")
      .select(sql<string | null>`min(day)`.as("day"))
      .where("day", ">=", range.until)
      .executeTakeFirst(),
  ]);
  return { prev: prev?.day ?? null, next: next?.day ?? null };
}

export interface TrendingItem {
  card: PaperCard;
  score: number;
}

/** Papers by stored trending score, highest first. */
export async function trendingPapers(db: Db, { limit, offset = 0 }: Paging): Promise<Page<TrendingItem>> {
  const [countRow, rows] = await Promise.all([
    db.kysely
      .selectFrom("paper_signals")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst(),
    db.kysely
      .selectFrom("paper_signals")
      .select(["paper_id", "trending"])
      .orderBy("trending", "desc")
      .orderBy("paper_id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  const score = new Map(rows.map((r) => [r.paper_id, r.trending]));
  const cards = await paperCards(
    db,
    rows.map((r) => r.paper_id),
  );
  return {
    items: cards.map((card) => ({ card, score: score.get(card.id) ?? 0 })),
    total: Number(countRow?.n ?? 0),
    limit,
    offset,
  };
}

/** Papers in `category` (any of their categories), newest submission first. */
export async function categoryPapers(
  db: Db,
  category: string,
  { limit, offset = 0 }: Paging,
): Promise<Page<PaperCard>> {
  const [countRow, rows] = await Promise.all([
    db.kysely
      .selectFrom("paper_categories")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("category", "=", category)
      .executeTakeFirst(),
    db.kysely
      .selectFrom("paper_categories as c")
      .innerJoin("papers as p", "p.id", "c.paper_id")
      .select("p.id")
      .where("c.category", "=", category)
      .orderBy(sql`p.submitted_at desc nulls last`)
      .orderBy("p.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return {
    items: await paperCards(
      db,
      rows.map((r) => r.id),
    ),
    total: Number(countRow?.n ?? 0),
    limit,
    offset,
  };
}

/**
 * An author by name as written (or, failing that, by folded name: "Jose Garcia" finds
 * "José García"), with their papers newest first; null when no paper has such an author.
 */
export async function authorPapers(
  db: Db,
  name: string,
  { limit, offset = 0 }: Paging,
): Promise<{ name: string; variants: string[]; papers: Page<PaperCard> } | null> {
  let authors = await db.kysely.selectFrom("authors").select(["id", "name"]).where("name", "=", name).execute();
  if (authors.length === 0) {
    authors = await db.kysely
      .selectFrom("authors")
      .select(["id", "name"])
      .where("name_key", "=", authorKey(name))
      .execute();
  }
  if (authors.length === 0) return null;
  const authorIds = authors.map((a) => a.id);
  const [countRow, rows] = await Promise.all([
    db.kysely
      .selectFrom("paper_authors")
      .select(sql<number>`count(distinct paper_id)`.as("n"))
      .where("author_id", "in", authorIds)
      .executeTakeFirst(),
    db.kysely
      .selectFrom("papers as p")
      .select("p.id")
      .where("p.id", "in", (eb) =>
        eb.selectFrom("paper_authors").select("paper_id").where("author_id", "in", authorIds),
      )
      .orderBy(sql`p.submitted_at desc nulls last`)
      .orderBy("p.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  const exact = authors.find((a) => a.name === name);
  return {
    name: exact?.name ?? authors[0]?.name ?? name,
    variants: authors.map((a) => a.name),
    papers: {
      items: await paperCards(
        db,
        rows.map((r) => r.id),
      ),
      total: Number(countRow?.n ?? 0),
      limit,
      offset,
    },
  };
}

export interface PaperDetail extends PaperCard {
  primaryCategory: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  updatedAt: string | null;
  trending: number;
  featurings: Featuring[];
}

/** One paper with everything its page shows, or null when it is not in the archive. */
export async function paperDetail(db: Db, arxivId: string): Promise<PaperDetail | null> {
  const row = await db.kysely
    .selectFrom("papers as p")
    .leftJoin("paper_signals as s", "s.paper_id", "p.id")
    .select(["p.id", "p.primary_category", "p.comment", "p.journal_ref", "p.doi", "p.updated_at", "s.trending"])
    .where("p.arxiv_id", "=", arxivId)
    .executeTakeFirst();
  if (!row) return null;
  const [[card], featurings] = await Promise.all([paperCards(db, [row.id]), featuringsOf(db, [row.id])]);
  if (!card) return null;
  return {
    ...card,
    primaryCategory: row.primary_category,
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    updatedAt: row.updated_at,
    trending: row.trending ?? 0,
    featurings: featurings.map(({ paperId: _, ...f }) => f),
  };
}

/**
 * The whole archive, most recently added first, by keyset cursor (an opaque string naming the
 * last id seen): stable while papers are being added, and as fast on page 1,000 as on page 1.
 */
export async function archivePage(
  db: Db,
  { cursor, limit }: { cursor?: string; limit: number },
): Promise<{ items: PaperCard[]; nextCursor: string | null }> {
  let q = db.kysely
    .selectFrom("papers")
    .select("id")
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (cursor !== undefined) q = q.where("id", "<", decodeCursor(cursor));
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await paperCards(
      db,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

export class CursorError extends Error {}

export function encodeCursor(id: number): string {
  return Buffer.from(`p:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const m = /^p:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new CursorError("cursor is not one this server gave out");
  return Number(m[1]);
}
