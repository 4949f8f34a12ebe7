// Writes a synthetic corpus for the 1,000,000-paper search bench: the real arXiv records of
// ../shared/data/arxiv (linked into the output folder) plus generated ones up to --total. Each
// generated paper copies a real paper's shape (title and abstract lengths, number of authors,
// categories, dates) and replaces every word, with probability --mix, by a word drawn from the
// corpus's own occurrences in that field, so word frequencies (the Zipf curve bm25 and the
// embedder see) stay those of the real corpus while texts differ. Deterministic (seeded).
// Usage: node --import tsx bench/scale-corpus.ts --out DIR [--total 1000000] [--mix 0.5]
import { createReadStream, createWriteStream, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createGunzip, createGzip } from "node:zlib";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/arxiv" },
    out: { type: "string" },
    total: { type: "string", default: "1000000" },
    mix: { type: "string", default: "0.5" },
  },
});
if (!args.out) throw new Error("--out DIR is required");
const out = resolve(args.out);
mkdirSync(out, { recursive: true });
const mix = Number(args.mix);

interface Rec {
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  primary_category?: string;
  first_listed_date?: string;
  id_year_month?: string;
}

// A small deterministic generator (mulberry32), so two runs write the same corpus.
let seed = 20261127;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const files = readdirSync(args.data as string)
  .filter((f) => f.endsWith(".jsonl.gz"))
  .sort();
const templates: Rec[] = [];
const titleWords: string[] = [];
const abstractWords: string[] = [];
const authors: string[] = [];
for (const f of files) {
  symlinkSync(resolve(args.data as string, f), join(out, f));
  const lines = createInterface({ input: createReadStream(join(args.data as string, f)).pipe(createGunzip()) });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Rec;
    templates.push({ ...r, abstract: "", title: "" });
    const t = templates[templates.length - 1] as Rec;
    t.title = r.title;
    t.abstract = r.abstract;
    for (const w of r.title.split(/\s+/)) titleWords.push(w);
    // Every fourth abstract feeds the word pool: enough occurrences for the distribution, less memory.
    if (templates.length % 4 === 0) for (const w of r.abstract.split(/\s+/)) abstractWords.push(w);
    if (templates.length % 3 === 0) for (const a of r.authors) authors.push(a);
  }
}
const real = templates.length;
const wanted = Math.max(0, Number(args.total) - real);
console.log(
  `${real} real papers; ${titleWords.length} title and ${abstractWords.length} abstract word occurrences pooled`,
);

const remix = (text: string, pool: string[]) =>
  text
    .split(/\s+/)
    .map((w) => (rand() < mix ? pick(pool) : w))
    .join(" ");

const PER_FILE = 50_000;
let written = 0;
for (let file = 0; written < wanted; file++) {
  const gz = createGzip({ level: 1 });
  const done = new Promise<void>((ok) =>
    gz
      .pipe(createWriteStream(join(out, `synthetic-${String(file).padStart(3, "0")}.jsonl.gz`)))
      .on("finish", () => ok()),
  );
  for (let i = 0; i < PER_FILE && written < wanted; i++, written++) {
    const t = pick(templates);
    // Ids 3001.00000 onwards: months 30xx–3xxx cannot collide with real arXiv ids before 2030.
    const month = 3001 + Math.floor(written / 90_000);
    const rec = {
      arxiv_id: `${month}.${String(written % 90_000).padStart(5, "0")}`,
      title: remix(t.title, titleWords),
      abstract: remix(t.abstract, abstractWords),
      authors: t.authors.map(() => pick(authors)),
      categories: t.categories,
      primary_category: t.primary_category ?? t.categories[0],
      first_listed_date: t.first_listed_date,
      last_listed_date: t.first_listed_date,
      id_year_month: t.id_year_month,
    };
    if (!gz.write(`${JSON.stringify(rec)}\n`)) await new Promise<void>((ok) => gz.once("drain", () => ok()));
  }
  gz.end();
  await done;
}
console.log(`${written} synthetic papers written to ${out}; ${real + written} in all`);
