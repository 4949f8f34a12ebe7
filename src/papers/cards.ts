// The paper as lists show it (search results, similar papers, feeds): one named query that reads
// the fields of many papers by id, with their community signals, in the order asked for.
import { sql } from "kysely";
import type { Db } from "../db/client.ts";
import { arxivLinks } from "./arxiv-id.ts";

export interface PaperCard {
  id: number;
  arxivId: string;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** Announcement day, or the submission day when the announcement is unknown (YYYY-MM-DD). */
  date: string | null;
  submittedAt: string | null;
  links: { abs: string; pdf: string; html: string; code: string | null; project: string | null };
  codeStars: number | null;
  /** Upvotes: imported counts over all featurings plus local votes (paper_signals). */
  upvotes: number;
  numComments: number;
  /** Most recent Daily Papers day the paper was featured on, if any. */
  featuredOn: string | null;
}

/** Cards for `ids`, in the order given; ids with no paper are skipped. */
export async function paperCards(db: Db, ids: number[]): Promise<PaperCard[]> {
  if (ids.length === 0) return [];
  const rows = await db.kysely
    .selectFrom("papers as p")
    .leftJoin("paper_signals as s", "s.paper_id", "p.id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("featurings")
          .select(["paper_id", sql<string>`max(day)`.as("last_day")])
          .where("paper_id", "in", ids)
          .groupBy("paper_id")
          .as("f"),
      (join) => join.onRef("f.paper_id", "=", "p.id"),
    )
    .select([
      "p.id",
      "p.arxiv_id",
      "p.version",
      "p.title",
      "p.abstract",
      "p.authors",
      "p.categories",
      "p.announced_on",
      "p.submitted_at",
      "p.code_url",
      "p.code_stars",
      "p.project_url",
      "s.upvotes",
      "s.num_comments",
      "f.last_day",
    ])
    .where("p.id", "in", ids)
    .execute();
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        arxivId: r.arxiv_id,
        version: r.version,
        title: r.title,
        abstract: r.abstract,
        authors: JSON.parse(r.authors) as string[],
        categories: JSON.parse(r.categories) as string[],
        date: r.announced_on ?? r.submitted_at?.slice(0, 10) ?? null,
        submittedAt: r.submitted_at,
        links: { ...arxivLinks(r.arxiv_id), code: r.code_url, project: r.project_url },
        codeStars: r.code_stars,
        upvotes: Number(r.upvotes ?? 0),
        numComments: Number(r.num_comments ?? 0),
        featuredOn: r.last_day ?? null,
      } satisfies PaperCard,
    ]),
  );
  return ids.flatMap((id) => {
    const card = byId.get(id);
    return card ? [card] : [];
  });
}
