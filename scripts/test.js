#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's built-in runner.
// `--pg` runs the same suite against PostgreSQL: TEST_DATABASE_URL must then name a server.
// `--browser` adds the browser suites (*.browser.test.ts), which need /usr/bin/chromium.
// Any other argument narrows the run to files whose path contains it.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const pg = args.includes("--pg");
const browser = args.includes("--browser");
const filters = args.filter((a) => !a.startsWith("--"));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts") || name.endsWith(".test.tsx")) out.push(path);
  }
  return out;
}

let files = [...walk("src"), ...walk("test")].sort();
files = files.filter((f) => browser === /\.browser\.test\.tsx?$/.test(f));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

const env = { ...process.env };
if (pg) {
  if (!env.TEST_DATABASE_URL?.startsWith("postgres")) {
    console.error("npm run test:pg needs TEST_DATABASE_URL=postgres://user:pass@host/db");
    process.exit(2);
  }
} else if (!browser) {
  delete env.TEST_DATABASE_URL;
}

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
