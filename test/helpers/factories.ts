// Factories for raw records in the formats `paperboy import` reads, and for writing them to files.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Insertable } from "kysely";
import type { SubscribersTable } from "../../src/db/schema.ts";
import { DEFAULT_SECTIONS } from "../../src/digests/subscribers.ts";

let seq = 0;
/** A fresh new-style arXiv id, unique within the test process. */
export function nextArxivId(): string {
  seq++;
  return `2607.${String(10000 + seq).padStart(5, "0")}`;
}

/** An arXiv daily-listing record (../shared/data/arxiv format). */
export function arxivListing(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.arxiv_id as string) ?? nextArxivId();
  return {
    arxiv_id: id,
    title: `A study of paper ${id}`,
    abstract: "We study things with $\\alpha$ and \\textit{care}.",
    authors: ["Ada Lovelace", "Alan Turing"],
    categories: ["cs.CL", "cs.LG"],
    primary_category: "cs.CL",
    comment: "10 pages",
    id_year_month: "2026-07",
    first_listed_date: "2026-07-02",
    last_listed_date: "2026-07-02",
    abs_url: `https://arxiv.org/abs/${id}`,
    ...overrides,
  };
}

/** A Daily Papers record (../shared/data/hf-daily format). */
export function dailyRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.arxiv_id as string) ?? nextArxivId();
  return {
    arxiv_id: id,
    title: `A study of paper ${id}`,
    abstract: "We study things.",
    authors: ["Ada Lovelace", "Alan Turing"],
    published_at: "2026-07-01T00:00:00.000Z",
    daily_date: "2026-07-03",
    submitted_on_daily_at: "2026-07-03T08:00:00.000Z",
    upvotes: 12,
    num_comments: 2,
    submitted_by: "ada",
    github_repo: "https://github.com/example/repo",
    github_stars: 42,
    ...overrides,
  };
}

/** Writes rows (objects, or raw strings written as-is) as a .jsonl or .jsonl.gz file. */
export function writeJsonl(dir: string, name: string, rows: (Record<string, unknown> | string)[]): string {
  const text = `${rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n")}\n`;
  const path = join(dir, name);
  writeFileSync(path, name.endsWith(".gz") ? gzipSync(text) : text);
  return path;
}

/** A stored-paper record for upsertRecords(): sensible defaults, any field overridden. */
export function paperRecord(
  paper: Partial<import("../../src/papers/model.ts").PaperInput> = {},
  featuring?: import("../../src/papers/model.ts").FeaturingInput,
): import("../../src/papers/model.ts").ImportRecord {
  const arxivId = paper.arxivId ?? nextArxivId();
  return {
    ref: `factory:${arxivId}`,
    source: featuring ? "hf-daily" : "arxiv-listing",
    paper: {
      title: `A study of paper ${arxivId}`,
      abstract: "We study things.",
      authors: ["Ada Lovelace", "Alan Turing"],
      categories: ["cs.CL"],
      submittedAt: "2026-07-01T00:00:00.000Z",
      ...paper,
      arxivId,
    },
    ...(featuring ? { featuring } : {}),
  };
}

/**
 * A subscribers row for an active, confirmed subscriber of the daily edition at 07:00 UTC with the
 * 3 trending papers (what the sender tests and the digest bench start from), due at `due`.
 */
export function activeSubscriberRow(
  email: string,
  at: { stamp: string; due: string },
  overrides: Partial<Insertable<SubscribersTable>> = {},
): Insertable<SubscribersTable> {
  return {
    email,
    user_id: null,
    status: "active",
    frequency: "daily",
    weekdays_only: 0,
    weekly_day: 1,
    delivery_hour: 7,
    time_zone: "UTC",
    sections: JSON.stringify({ ...DEFAULT_SECTIONS, trending: 3 }),
    max_papers: 3,
    send_empty: 0,
    confirmed_at: at.stamp,
    next_due_at: at.due,
    created_at: at.stamp,
    updated_at: at.stamp,
    ...overrides,
  };
}
