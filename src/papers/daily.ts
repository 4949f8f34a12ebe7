// Named reads of Daily Papers: the latest featured day and the papers featured on a day.
import { sql } from "kysely";
import type { Db } from "../db/client.ts";

export interface DailyEntry {
  arxivId: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  upvotes: number;
  numComments: number;
  submittedBy: string | null;
  codeUrl: string | null;
  codeStars: number | null;
}

/** The most recent day with at least one featuring, or null on an empty instance. */
export async function latestFeaturedDay(db: Db): Promise<string | null> {
  const row = await db.kysely
    .selectFrom("featurings")
    .select(sql<string | null>`max(day)`.as("day"))
    .executeTakeFirst();
  return row?.day ?? null;
}

/** Papers featured on `day`, most upvoted first (ties: newest featuring first). */
export async function featuredOn(db: Db, day: string): Promise<DailyEntry[]> {
  const rows = await db.kysely
    .selectFrom("featurings as f")
    .innerJoin("papers as p", "p.id", "f.paper_id")
    .select([
      "p.arxiv_id",
      "p.title",
      "p.abstract",
      "p.authors",
      "p.categories",
      "p.code_url",
      "p.code_stars",
      "f.upvotes",
      "f.num_comments",
      "f.submitted_by",
    ])
    .where("f.day", "=", day)
    .orderBy("f.upvotes", "desc")
    .orderBy("f.id", "desc")
    .execute();
  return rows.map((r) => ({
    arxivId: r.arxiv_id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
    upvotes: r.upvotes,
    numComments: r.num_comments,
    submittedBy: r.submitted_by,
    codeUrl: r.code_url,
    codeStars: r.code_stars,
  }));
}
