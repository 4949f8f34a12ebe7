// The record formats `paperboy import` reads, one JSON object per line: arXiv daily-listing records
// and Hugging Face Daily Papers records (see ../shared/data/README.md). Each raw record is validated
// with zod and mapped to an ImportRecord; a bad record yields a reason naming the field.
import { z } from "zod";
import { parseArxivId } from "../arxiv-id.ts";
import { type ImportRecord, normalizeSpace } from "../model.ts";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: "is not a real calendar date",
    },
  );
const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: "must be an ISO-8601 timestamp" })
  .transform((v) => new Date(v).toISOString());
const arxivId = z.string().transform((v, ctx) => {
  const parsed = parseArxivId(v);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: `is not an arXiv id: ${JSON.stringify(v.slice(0, 40))}` });
    return z.NEVER;
  }
  return parsed;
});
const text = z.string().transform(normalizeSpace);
const nonEmptyText = text.refine((v) => v.length > 0, { message: "must not be empty" });
const author = z.union([z.string(), z.object({ name: z.string() }).transform((a) => a.name)]).transform(normalizeSpace);
const count = z.number().int("must be a whole number").min(0, "must not be negative");
const url = z.string().refine((v) => /^https?:\/\/\S+$/.test(v), { message: "must be an http(s) URL" });

const arxivListing = z.object({
  arxiv_id: arxivId,
  title: nonEmptyText,
  abstract: text.default(""),
  authors: z.array(author).default([]),
  categories: z.array(z.string().min(1)).default([]),
  primary_category: z.string().nullish(),
  comment: z.string().nullish(),
  first_listed_date: day.nullish(),
});

const hfDaily = z.object({
  arxiv_id: arxivId,
  title: nonEmptyText,
  abstract: text.optional(),
  authors: z.array(author).optional(),
  published_at: instant.nullish(),
  daily_date: day,
  submitted_on_daily_at: instant.nullish(),
  upvotes: count.default(0),
  num_comments: count.default(0),
  submitted_by: z.string().nullish(),
  github_repo: url.nullish(),
  github_stars: count.nullish(),
  project_page: url.nullish(),
  organization: z.string().nullish(),
});

export type ParseResult = { ok: true; record: ImportRecord } | { ok: false; reason: string };

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid record";
  const path = issue.path.join(".");
  return path ? `${path} ${issue.message}` : issue.message;
}

/** Maps one parsed JSON value to an import record, choosing the format by its fields. */
export function parseRecord(value: unknown, ref: string): ParseResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "expected a JSON object" };
  }
  if ("daily_date" in value) {
    const r = hfDaily.safeParse(value);
    if (!r.success) return { ok: false, reason: describe(r.error) };
    const d = r.data;
    const authors = d.authors?.filter((a) => a.length > 0);
    return {
      ok: true,
      record: {
        ref,
        source: "hf-daily",
        paper: {
          arxivId: d.arxiv_id.id,
          ...(d.arxiv_id.version ? { version: d.arxiv_id.version } : {}),
          title: d.title,
          ...(d.abstract ? { abstract: d.abstract } : {}),
          ...(authors && authors.length > 0 ? { authors } : {}),
          ...(d.published_at ? { submittedAt: d.published_at } : {}),
          codeUrl: d.github_repo ?? null,
          codeStars: d.github_repo ? (d.github_stars ?? null) : null,
          projectUrl: d.project_page ?? null,
        },
        featuring: {
          day: d.daily_date,
          submittedBy: d.submitted_by ?? null,
          submittedAt: d.submitted_on_daily_at ?? null,
          upvotes: d.upvotes,
          numComments: d.num_comments,
          organization: d.organization ?? null,
        },
      },
    };
  }
  const r = arxivListing.safeParse(value);
  if (!r.success) return { ok: false, reason: describe(r.error) };
  const d = r.data;
  // Primary category first, then the others in the order given, without repeats.
  const primary = d.primary_category || d.categories[0];
  const categories = primary ? [primary, ...d.categories.filter((c) => c !== primary)] : [];
  const authors = d.authors.filter((a) => a.length > 0);
  return {
    ok: true,
    record: {
      ref,
      source: "arxiv-listing",
      paper: {
        arxivId: d.arxiv_id.id,
        ...(d.arxiv_id.version ? { version: d.arxiv_id.version } : {}),
        title: d.title,
        abstract: d.abstract,
        // An empty list in a listing means "the crawler did not get them", not "no authors".
        ...(authors.length > 0 ? { authors } : {}),
        ...(categories.length > 0 ? { categories: [...new Set(categories)] } : {}),
        comment: d.comment ? normalizeSpace(d.comment) : null,
        ...(d.first_listed_date ? { announcedOn: d.first_listed_date } : {}),
      },
    },
  };
}
