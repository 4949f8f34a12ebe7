// The arXiv commands as an operator runs them (`paperboy ingest arxiv`, `harvest`, `fetch`), in a
// child process pointed at a local fixture server: results on stdout, reasons on stderr, and the exit
// codes 0 (done), 1 (failed, resumable), 2 (bad arguments) and 3 (some records rejected or not found).
import assert from "node:assert/strict";
import { test } from "node:test";
import { dbEnv, runCli } from "../../../test/helpers/cli.ts";
import { testDb } from "../../../test/helpers/db.ts";
import { type Handler, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { getPaperByArxivId } from "../../papers/store.ts";

async function setup(handler: Handler) {
  const db = await testDb();
  const server = await startFixtureServer(handler);
  const env = {
    ...dbEnv(db),
    ARXIV_API_URL: `${server.url}/api/query`,
    ARXIV_OAI_URL: `${server.url}/oai`,
    ARXIV_MIN_INTERVAL_MS: "0",
  };
  return {
    db,
    server,
    env,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}

const INGEST = ["ingest", "arxiv", "--category", "cs.CL", "--since", "2026-11-01", "--until", "2026-11-30"];

test("ingest arxiv stores every page and exits 0; rejected entries make it exit 3", async () => {
  const ok = await setup((req) => ({
    file: req.query.get("start") === "0" ? "arxiv/api-cscl-page1.xml" : "arxiv/api-cscl-page2.xml",
  }));
  try {
    const run = await runCli([...INGEST, "--page-size", "3"], ok.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^5 inserted, 0 updated, 0 unchanged, 0 rejected$/m);
    assert.equal(ok.server.requests.length, 2);
    assert.equal((await getPaperByArxivId(ok.db, "2611.00417"))?.version, 2);
  } finally {
    await ok.close();
  }
  const bad = await setup(() => ({ file: "arxiv/api-bad-entries.xml" }));
  try {
    const run = await runCli([...INGEST, "--json"], bad.env);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /rejected arxiv-api:2611\.00511v1: <published> is not a date/);
    const report = JSON.parse(run.stdout);
    assert.deepEqual([report.inserted, report.rejected], [1, 2]);
  } finally {
    await bad.close();
  }
});

test("bad arguments exit 2 with the reason and ask nothing of arXiv", async () => {
  const t = await setup(() => ({ file: "arxiv/api-empty.xml" }));
  try {
    const [since, category, fetchBad] = await Promise.all([
      runCli(["ingest", "arxiv", "--category", "cs.CL", "--since", "2026-11-31"], t.env),
      runCli(["ingest", "arxiv", "--category", "Computation and Language", "--since", "2026-11-01"], t.env),
      runCli(["fetch", "2611.00417", "not-a-paper"], t.env),
    ]);
    assert.equal(since.code, 2);
    assert.match(since.stderr, /--since must be a date YYYY-MM-DD \(got "2026-11-31"\)/);
    assert.equal(category.code, 2);
    assert.match(category.stderr, /--category must be an arXiv category such as cs\.CL/);
    assert.equal(fetchBad.code, 2);
    assert.match(fetchBad.stderr, /not an arXiv id or URL: "not-a-paper"/);
    assert.equal(t.server.requests.length, 0);
  } finally {
    await t.close();
  }
});

test("a harvest that fails on page 2 exits 1; run again it resumes from page 2 and exits 0", async () => {
  let broken = true;
  const t = await setup((req) => {
    const token = req.query.get("resumptionToken");
    if (token === null) return { file: "arxiv/oai-cs-page1.xml" };
    if (token === "6960524|1001")
      return broken ? { file: "arxiv/api-malformed.xml" } : { file: "arxiv/oai-cs-page2.xml" };
    return { file: "arxiv/oai-cs-page3.xml" };
  });
  try {
    const args = ["harvest", "--set", "cs", "--from", "2026-11-01", "--until", "2026-11-05"];
    const failed = await runCli(args, t.env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /harvest failed on page 2 of this run: OAI-PMH response is not well-formed XML/);
    assert.match(failed.stderr, /run the same command again to resume/);
    assert.match(failed.stderr, /stored before the failure: 2 inserted/);

    broken = false;
    const before = t.server.requests.length;
    const resumed = await runCli([...args, "--json"], t.env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout);
    assert.deepEqual([report.inserted, report.pages, report.recordsSeen, report.resumed], [3, 2, 6, true]);
    assert.deepEqual(
      t.server.requests.slice(before).map((r) => r.query.get("resumptionToken")),
      ["6960524|1001", "6960524|2001"],
    );
  } finally {
    await t.close();
  }
});

test("fetch stores what arXiv has, says which ids it does not know, and exits 3", async () => {
  const t = await setup(() => ({ file: "arxiv/api-id-v2.xml" }));
  try {
    const run = await runCli(["fetch", "https://arxiv.org/abs/2611.00417", "2611.99999"], t.env);
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stdout,
      /^2611\.00417v2 inserted: Retrieval-Augmented Decoding for Low-Resource Machine Translation$/m,
    );
    assert.match(run.stdout, /^2611\.99999: 2611\.99999 not found on arXiv$/m);
    assert.ok(await getPaperByArxivId(t.db, "2611.00417"));
  } finally {
    await t.close();
  }
});
