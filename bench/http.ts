// npm run bench:http — HTTP throughput and latency of the real server on the full corpus
// (../shared/data/arxiv, 134,939 papers, plus the Daily Papers records in ../shared/data/hf-daily):
//  1. imports both into a fresh SQLite database and builds the search index as `paperboy index`
//     does (or reuses a prepared folder: --reuse DIR, e.g. one left by `npm run bench:search`,
//     whose Daily Papers records are then imported too, which changes nothing once done);
//  2. starts the server (startServer, worker off) in a child process, so the load generator and the
//     server do not share one event loop;
//  3. runs autocannon on loopback, 10 connections for 20 s per target, one target after the other:
//     GET /api/health (trivial JSON, the same-run baseline), the home page, a featured paper's page,
//     /api/daily_papers, and /api/search cycling through 50 short queries taken from titles;
//  4. prints req/s, p50 and p99 latency, errors and non-2xx responses, the ratio of req/s to the
//     trivial endpoint, and whether each target is met. The exit code is 0 unless the bench fails.
// Usage: npm run bench:http [-- --reuse DIR] [-- --duration SECONDS] [-- --connections N]
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "kysely";
import { setLogLevel } from "../src/app/log.ts";
import { startServer } from "../src/app/server.ts";
import { loadConfig } from "../src/config/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { expandPaths, readJsonlFiles } from "../src/papers/import/jsonl.ts";
import { importItems } from "../src/papers/import/run.ts";
import { featuredIn, latestFeaturedDay } from "../src/papers/lists.ts";
import { type Period, parsePeriod } from "../src/papers/periods.ts";
import { updateIndex } from "../src/search/indexer.ts";
import { type BenchChild, listening, spawnScript, stopChild } from "./lib/child.ts";
import { titleQuery } from "./lib/queries.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/arxiv" },
    daily: { type: "string", default: "../shared/data/hf-daily" },
    reuse: { type: "string" },
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "10" },
    // Seconds anonymous responses stay cached (PAGE_CACHE_SECONDS); 0 measures every request's full cost.
    "page-cache": { type: "string", default: "10" },
    // Internal: the child process that serves DIR and prints its URL.
    serve: { type: "string" },
  },
});

const configFor = (dir: string) => ({
  ...loadConfig({
    DATABASE_URL: `sqlite:${join(dir, "bench.db")}`,
    DATA_DIR: dir,
    DEMO_DATA: "off",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PAGE_CACHE_SECONDS: args["page-cache"],
  }),
  port: 0,
});

if (args.serve) await serve(args.serve);
else await bench();

/** The child: the real server over DIR, until SIGTERM. */
async function serve(dir: string): Promise<void> {
  setLogLevel("warn");
  const config = configFor(dir);
  const db = await openDatabase(config.databaseUrl);
  const running = await startServer(config, db, { worker: false });
  console.log(`LISTENING ${running.url}`);
  process.once("SIGTERM", async () => {
    await running.close();
    await db.close();
    process.exit(0);
  });
}

async function bench(): Promise<void> {
  setLogLevel("warn");
  const dir = args.reuse ?? mkdtempSync(join(tmpdir(), "paperboy-bench-http-"));
  mkdirSync(dir, { recursive: true });
  const fresh = !existsSync(join(dir, "bench.db"));
  const config = configFor(dir);
  const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
  let child: BenchChild | undefined;
  try {
    // 1. Data and index.
    const db = await openDatabase(config.databaseUrl);
    let t = performance.now();
    if (fresh) {
      const r = await importItems(db, readJsonlFiles(expandPaths([args.data as string])));
      console.log(`import arXiv listings: ${r.inserted} papers in ${seconds(t)} s`);
      t = performance.now();
    }
    const daily = await importItems(db, readJsonlFiles(expandPaths([args.daily as string])));
    console.log(
      `import Daily Papers: ${daily.inserted} inserted, ${daily.updated} updated, ${daily.unchanged} unchanged in ${seconds(t)} s`,
    );
    t = performance.now();
    const built = await updateIndex(db, config);
    console.log(`search index: ${built.indexed} papers (${built.embedded} embedded now) in ${seconds(t)} s`);

    const day = await latestFeaturedDay(db);
    const featured = day ? await featuredIn(db, parsePeriod("day", day) as Period, { limit: 1 }) : null;
    const paper = featured?.items[0]?.card.arxivId;
    if (!day || !paper) throw new Error("no featured paper in the database: are the Daily Papers records there?");
    const queries = await shortQueries(db, 50);
    const counts = await db.kysely
      .selectFrom("papers")
      .select(sql<number>`count(*)`.as("papers"))
      .executeTakeFirstOrThrow();
    await db.close();
    console.log(`${counts.papers} papers; latest featured day ${day}; paper page /papers/${paper}`);
    console.log(`page cache for anonymous requests: ${args["page-cache"]} s (--page-cache 0 measures uncached cost)`);

    // 2. The server, in its own process.
    child = spawnScript(fileURLToPath(import.meta.url), ["--serve", dir, "--page-cache", args["page-cache"]]);
    const base = await listening(child, "the server process");
    await semanticReady(base);

    // 3. Load.
    const health = (await fetch(`${base}/api/health`)).ok ? "/api/health" : "/healthz";
    const targets: Target[] = [
      { name: `GET ${health} (baseline)`, path: health, kind: "baseline" },
      { name: "GET / (daily page)", path: "/", kind: "page" },
      { name: `GET /papers/${paper}`, path: `/papers/${paper}`, kind: "page" },
      { name: "GET /api/daily_papers", path: "/api/daily_papers", kind: "page" },
      {
        name: `GET /api/search?q=… (${queries.length} queries)`,
        path: `/api/search?q=${encodeURIComponent(queries[0] as string)}`,
        kind: "search",
        queries,
      },
    ];
    const duration = Number(args.duration);
    const connections = Number(args.connections);
    console.log(`\n${connections} connections, ${duration} s per target, after a short warm-up each:`);
    const results: Measured[] = [];
    for (const target of targets) {
      const probe = await fetch(`${base}${target.path}`);
      await probe.arrayBuffer();
      if (!probe.ok) console.log(`  note: ${target.path} answers ${probe.status}`);
      await load(base, target, connections, 2, true);
      const r = await load(base, target, connections, duration);
      results.push({ target, status: probe.status, ...r });
      console.log(`  ${target.name}: ${r.rps.toFixed(0)} req/s`);
    }

    // 4. Report.
    report(results);
  } finally {
    await stopChild(child);
    if (!args.reuse) rmSync(dir, { recursive: true, force: true });
  }
}

interface Target {
  name: string;
  path: string;
  kind: "baseline" | "page" | "search";
  queries?: string[];
}

interface Measured {
  target: Target;
  /** Status of one request before the run: a missing route is reported as such, not as fast. */
  status: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run against a target; search targets take the next query for every request. */
async function load(base: string, target: Target, connections: number, duration: number, warmUp = false) {
  let next = 0;
  const queries = target.queries;
  const request: autocannon.Request = queries
    ? {
        method: "GET",
        setupRequest: (req) => {
          const q = queries[next++ % queries.length] as string;
          return { ...req, path: `/api/search?q=${encodeURIComponent(q)}` };
        },
      }
    : { method: "GET", path: target.path };
  const result = await autocannon({
    url: `${base}${target.path}`,
    connections,
    duration,
    requests: [request],
  });
  if (!warmUp && result.errors > 0) console.log(`  note: ${result.errors} errors (${result.timeouts} timeouts)`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

function report(results: Measured[]): void {
  const baseline = results.find((r) => r.target.kind === "baseline");
  const rows = results.map((r) => {
    const minRps = r.target.kind === "page" ? 800 : r.target.kind === "search" ? 300 : null;
    const checks: string[] = [];
    if (r.status < 200 || r.status > 299) checks.push(`NOT met: the route answers ${r.status}`);
    else if (minRps !== null) checks.push(`${r.rps >= minRps ? "met" : "NOT met"}: ≥ ${minRps} req/s`);
    if (r.target.kind !== "baseline") checks.push(`${r.p99 <= 100 ? "met" : "NOT met"}: p99 ≤ 100 ms`);
    checks.push(`${r.errors + r.non2xx === 0 ? "met" : "NOT met"}: no errors`);
    return [
      r.target.name,
      r.rps.toFixed(0),
      `${r.p50} ms`,
      `${r.p99} ms`,
      `${r.errors} / ${r.non2xx}`,
      baseline ? `${(r.rps / baseline.rps).toFixed(2)}×` : "—",
      checks.join("; "),
    ];
  });
  const header = ["target", "req/s", "p50", "p99", "errors / non-2xx", "vs baseline", "targets"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  console.log(
    "\ntargets: pages and /api/daily_papers ≥ 800 req/s, /api/search ≥ 300 req/s, p99 ≤ 100 ms, no errors or non-2xx",
  );
}

/** ~n short queries (2–4 title words), chosen like bench/search.ts chooses its short queries. */
async function shortQueries(db: Awaited<ReturnType<typeof openDatabase>>, n: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom("papers")
    .select("title")
    .where(sql<boolean>`id % 2713 = 11`)
    .orderBy("id")
    .limit(n)
    .execute();
  return rows.map((p, i) => titleQuery(p.title, i, 2 + (i % 3))).filter((q) => q.length > 0);
}

/** Waits until the server has loaded the vector index, so search is measured in hybrid mode. */
async function semanticReady(base: string): Promise<void> {
  const started = performance.now();
  for (;;) {
    const body = (await (await fetch(`${base}/api/search?q=warm&limit=1`)).json()) as { semantic?: string };
    if (body.semantic === "ready") return;
    if (performance.now() - started > 120_000) throw new Error(`search index not ready after 120 s (${body.semantic})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
