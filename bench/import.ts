// npm run bench:import — imports the full arXiv corpus (../shared/data/arxiv, 134,939 papers) into a
// fresh SQLite database, then again (nothing changes), and compares with a bare baseline measured in
// the same run: the same rows inserted by a plain better-sqlite3 prepared-statement loop in one
// transaction, with no parsing. Optionally the same import into PostgreSQL (--pg URL).
// Usage: npm run bench:import [-- --data DIR] [-- --pg postgres://... [--pg-only]] [-- --limit N]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { expandPaths, readJsonlFiles } from "../src/papers/import/jsonl.ts";
import { importItems, summarize } from "../src/papers/import/run.ts";
import type { ImportRecord } from "../src/papers/model.ts";
import { authorKey } from "../src/papers/model.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/arxiv" },
    pg: { type: "string" },
    "pg-only": { type: "boolean", default: false },
    limit: { type: "string" },
  },
});
const files = expandPaths([args.data as string]).slice(0, args.limit ? Number(args.limit) : undefined);
const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-"));

/** Samples RSS every 50 ms while `fn` runs; returns its result, seconds and the peak RSS in MiB. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const t0 = performance.now();
  try {
    const result = await fn();
    return {
      result,
      seconds: (performance.now() - t0) / 1000,
      peakMiB: Math.max(peak, process.memoryUsage.rss()) / 1048576,
    };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (s: number) => `${s.toFixed(1)} s`;
console.log(`files: ${files.length} from ${args.data}`);

if (!args["pg-only"]) await sqliteRuns();

async function sqliteRuns() {
  // 1. Paperboy's import, twice.
  const url = `sqlite:${join(dir, "import.db")}`;
  const db = await openDatabase(url);
  const first = await measure(() => importItems(db, readJsonlFiles(files)));
  console.log(
    `import (first):    ${fmt(first.seconds)}  ${summarize(first.result)}  peak RSS ${first.peakMiB.toFixed(0)} MiB`,
  );
  const second = await measure(() => importItems(db, readJsonlFiles(files)));
  console.log(
    `import (again):    ${fmt(second.seconds)}  ${summarize(second.result)}  peak RSS ${second.peakMiB.toFixed(0)} MiB`,
  );
  await db.close();

  // 2. Baseline: the same rows, already parsed in memory, inserted by a prepared-statement loop.
  const records: ImportRecord[] = [];
  for await (const item of readJsonlFiles(files)) if (item.kind === "record") records.push(item.record);
  const baseUrl = `sqlite:${join(dir, "baseline.db")}`;
  (await openDatabase(baseUrl)).close(); // same schema, migrated
  const raw = new SQLite(join(dir, "baseline.db"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.pragma("foreign_keys = ON");
  const insertPaper = raw.prepare(
    `INSERT INTO papers (arxiv_id, metadata_source, version, title, abstract, authors, categories, primary_category,
     comment, announced_on, source, provenance, content_hash, created_at, modified_at)
   VALUES (?, 'arxiv-listing', NULL, ?, ?, ?, ?, ?, ?, ?, 'arxiv-listing', '{}', '', ?, ?)`,
  );
  const insertAuthor = raw.prepare("INSERT INTO authors (name, name_key) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
  const authorId = raw.prepare("SELECT id FROM authors WHERE name = ?").pluck();
  const link = raw.prepare("INSERT INTO paper_authors (paper_id, position, author_id) VALUES (?, ?, ?)");
  const category = raw.prepare("INSERT INTO paper_categories (paper_id, category, position) VALUES (?, ?, ?)");
  const baseline = await measure(async () => {
    const now = new Date().toISOString();
    raw.transaction(() => {
      for (const { paper: p } of records) {
        const cats = p.categories ?? [];
        const authors = [...new Set(p.authors ?? [])];
        const id = insertPaper.run(
          p.arxivId,
          p.title,
          p.abstract ?? "",
          JSON.stringify(authors),
          JSON.stringify(cats),
          cats[0] ?? null,
          p.comment ?? null,
          p.announcedOn ?? null,
          now,
          now,
        ).lastInsertRowid;
        authors.forEach((name, i) => {
          insertAuthor.run(name, authorKey(name));
          link.run(id, i, authorId.get(name));
        });
        [...new Set(cats)].forEach((c, i) => {
          category.run(id, c, i);
        });
      }
    })();
  });
  raw.close();
  console.log(
    `baseline (bare):   ${fmt(baseline.seconds)}  ${records.length} papers, prepared statements in one transaction`,
  );
  console.log(`ratio import/baseline: ${(first.seconds / baseline.seconds).toFixed(2)}x (target <= 2.5x)`);
  console.log(`targets: first <= 45 s (75 s with search indexes), again <= 30 s, peak RSS <= 400 MiB`);
}

// 3. The same import into PostgreSQL.
if (args.pg) {
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: args.pg });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const pgdb = await openDatabase(args.pg, { pgSchema: schema });
    const run = await measure(() => importItems(pgdb, readJsonlFiles(files)));
    console.log(`PostgreSQL import: ${fmt(run.seconds)}  ${summarize(run.result)} (target <= 180 s)`);
    const again = await measure(() => importItems(pgdb, readJsonlFiles(files)));
    console.log(`PostgreSQL again:  ${fmt(again.seconds)}  ${summarize(again.result)}`);
    await pgdb.close();
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
rmSync(dir, { recursive: true, force: true });
