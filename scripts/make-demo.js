#!/usr/bin/env node
// Rebuilds the bundled demo set in demo/ from ../shared/data: the Daily Papers records of the most
// recent weeks, the arXiv listing records of those papers, and recent listings in machine-learning
// categories. Fields the product must not present as its own (machine summaries) are dropped.
// Usage: node scripts/make-demo.js [../shared/data]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

const root = process.argv[2] ?? "../shared/data";
const HF_FROM = "2026-06-01";
const LISTED_FROM = "2026-06-22";
const CATEGORIES = new Set(["cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.IR", "stat.ML"]);
const MAX_LISTINGS = 2600;

function read(dir, pattern) {
  return readdirSync(join(root, dir))
    .filter((n) => pattern.test(n))
    .sort()
    .flatMap((n) =>
      gunzipSync(readFileSync(join(root, dir, n)))
        .toString("utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
}
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

const hf = read("hf-daily", /^hf-daily-2026-0[678]/).filter((r) => r.daily_date >= HF_FROM);
const featured = new Set(hf.map((r) => r.arxiv_id));
const listings = read("arxiv", /^papers-2026-0[67]/);
const ofFeatured = listings.filter((r) => featured.has(r.arxiv_id));
const recent = listings
  .filter((r) => !featured.has(r.arxiv_id) && r.first_listed_date >= LISTED_FROM && CATEGORIES.has(r.primary_category))
  .sort((a, b) => (a.arxiv_id < b.arxiv_id ? 1 : -1))
  .slice(0, MAX_LISTINGS);

const arxivKeys = [
  "arxiv_id",
  "title",
  "abstract",
  "authors",
  "categories",
  "primary_category",
  "comment",
  "id_year_month",
  "first_listed_date",
  "last_listed_date",
  "abs_url",
];
const hfKeys = [
  "arxiv_id",
  "title",
  "abstract",
  "authors",
  "published_at",
  "daily_date",
  "submitted_on_daily_at",
  "upvotes",
  "num_comments",
  "submitted_by",
  "github_repo",
  "github_stars",
  "project_page",
  "organization",
];
const write = (name, rows) =>
  writeFileSync(join("demo", name), gzipSync(`${rows.map((r) => JSON.stringify(r)).join("\n")}\n`, { level: 9 }));
write(
  "arxiv-listings.jsonl.gz",
  [...ofFeatured, ...recent].map((r) => pick(r, arxivKeys)),
);
write(
  "hf-daily.jsonl.gz",
  hf.map((r) => pick(r, hfKeys)),
);
console.log(`arXiv listings: ${ofFeatured.length + recent.length}, Daily Papers records: ${hf.length}`);
