// OAI-PMH harvests end to end against recorded arXiv responses served locally: following resumption
// tokens, both metadata formats, deleted records, OAI errors, and the checkpoint that lets a failed or
// killed harvest resume from the page where it stopped without asking for earlier pages again.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../../test/helpers/db.ts";
import { type Handler, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { getPaperByArxivId } from "../store.ts";
import { ArgumentError } from "./arguments.ts";
import { getHarvest, harvestKey, saveCheckpoint, startHarvest } from "./harvests.ts";
import { ArxivClient } from "./http.ts";
import { HarvestError, harvest, harvestSpec } from "./oai-pmh.ts";

const CS = { set: "cs", from: "2026-11-01", until: "2026-11-05" };

/** arXiv's three pages of the cs harvest, chosen by resumption token. */
const csPages: Handler = (req) => {
  const token = req.query.get("resumptionToken");
  if (token === null) return { file: "arxiv/oai-cs-page1.xml" };
  if (token === "6960524|1001") return { file: "arxiv/oai-cs-page2.xml" };
  if (token === "6960524|2001") return { file: "arxiv/oai-cs-page3.xml" };
  return { file: "arxiv/oai-bad-token.xml" };
};

async function setup(handler: Handler) {
  const db = await testDb();
  const server = await startFixtureServer(handler);
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 5, maxAttempts: 2 });
  const oaiUrl = `${server.url}/oai`;
  return {
    db,
    server,
    client,
    oaiUrl,
    key: harvestKey(harvestSpec(oaiUrl, CS)),
    close: async () => {
      await client.close();
      await server.close();
      await db.close();
    },
  };
}

test("follows resumption tokens to the end, stores records, skips deleted ones and marks the harvest done", async () => {
  const t = await setup(csPages);
  try {
    const result = await harvest(t.db, t.client, t.oaiUrl, CS);
    const r = result.report;
    assert.deepEqual([r.inserted, r.updated, r.unchanged, r.rejected], [5, 0, 0, 0]);
    assert.deepEqual([result.pages, result.recordsSeen, result.deleted, result.resumed], [3, 6, 1, false]);

    const [first, second, third] = t.server.requests;
    assert.deepEqual(Object.fromEntries(first?.query ?? []), {
      verb: "ListRecords",
      metadataPrefix: "arXiv",
      set: "cs",
      from: "2026-11-01",
      until: "2026-11-05",
    });
    assert.deepEqual(Object.fromEntries(second?.query ?? []), { verb: "ListRecords", resumptionToken: "6960524|1001" });
    assert.equal(third?.query.get("resumptionToken"), "6960524|2001");

    const graphs = await getPaperByArxivId(t.db, "0704.0002");
    assert.ok(graphs);
    assert.equal(graphs.title, "Sparsity-certifying Graph Decompositions");
    assert.deepEqual(JSON.parse(graphs.authors), ["Ileana Streinu", "Louis Theran"]);
    assert.deepEqual(JSON.parse(graphs.categories), ["math.CO", "cs.CG"], "first listed is primary");
    assert.equal(graphs.primary_category, "math.CO");
    assert.equal(graphs.submitted_at, "2007-03-30T00:00:00.000Z");
    assert.equal(graphs.updated_at, "2008-12-13T00:00:00.000Z");
    assert.equal(graphs.comment, "To appear in Graphs and Combinatorics");
    assert.match(graphs.abstract, /^We describe a new algorithm, the \$\(k,\\ell\)\$-pebble game/);
    assert.equal(graphs.source, "oai-pmh");

    const old = await getPaperByArxivId(t.db, "cs/0112017");
    assert.equal(old?.title, "Simplicity, Information, Kolmogorov Complexity, and Prediction");
    assert.deepEqual(JSON.parse(old?.authors ?? "[]"), ["Paul M. B. Vitányi", "Ming Li"]);
    assert.equal(old?.updated_at, "2001-12-14T00:00:00.000Z", "one version: updated is created");
    assert.equal(old?.journal_ref, "In: Simplicity, Inference and Modelling, Cambridge Univ. Press, 2002");
    const speech = await getPaperByArxivId(t.db, "2611.00022");
    assert.deepEqual(JSON.parse(speech?.authors ?? "[]"), ["Wei Zhang", "Robert Johnson Jr"]);
    const atlas = await getPaperByArxivId(t.db, "2611.00801");
    assert.deepEqual(JSON.parse(atlas?.authors ?? "[]"), ["ATLAS Collaboration"]);
    assert.equal(atlas?.doi, "10.1000/atl.2026.801");
    assert.equal(await getPaperByArxivId(t.db, "2611.00600"), undefined, "deleted record skipped");

    const checkpoint = await getHarvest(t.db, t.key);
    assert.equal(checkpoint?.status, "done");
    assert.equal(checkpoint?.resumption_token, null);
    assert.equal(checkpoint?.records_seen, 6);

    // A finished harvest run again starts from the first page and changes nothing.
    const again = await harvest(t.db, t.client, t.oaiUrl, CS);
    assert.deepEqual([again.report.inserted, again.report.unchanged, again.resumed], [0, 5, false]);
    assert.equal(t.server.requests[3]?.query.get("resumptionToken"), null);
  } finally {
    await t.close();
  }
});

test("a harvest that fails on page 2 keeps its checkpoint; the rerun continues from page 2", async () => {
  let failing = true;
  const t = await setup((req, i) => {
    if (failing && req.query.get("resumptionToken") === "6960524|1001") {
      return { status: 503, body: "Service Unavailable", headers: { "retry-after": "0" } };
    }
    return csPages(req, i);
  });
  try {
    await assert.rejects(harvest(t.db, t.client, t.oaiUrl, CS), (err: Error) => {
      assert.ok(err instanceof HarvestError);
      assert.match(
        err.message,
        /^harvest failed on page 2 of this run: .*gave up after 2 attempt\(s\); last: HTTP 503/,
      );
      assert.match(err.message, /run the same command again to resume from the checkpoint/);
      assert.equal(err.result.report.inserted, 2, "page 1 was stored");
      return true;
    });
    const stopped = await getHarvest(t.db, t.key);
    assert.equal(stopped?.status, "failed");
    assert.equal(stopped?.resumption_token, "6960524|1001");
    assert.equal(stopped?.records_seen, 2);
    assert.match(stopped?.error ?? "", /HTTP 503/);
    assert.ok(await getPaperByArxivId(t.db, "0704.0002"));

    failing = false;
    const before = t.server.requests.length;
    const resumed = await harvest(t.db, t.client, t.oaiUrl, CS);
    const rerun = t.server.requests.slice(before);
    assert.deepEqual(
      rerun.map((r) => r.query.get("resumptionToken")),
      ["6960524|1001", "6960524|2001"],
      "page 1 is not asked for again",
    );
    assert.equal(resumed.resumed, true);
    assert.deepEqual([resumed.report.inserted, resumed.report.unchanged], [3, 0]);
    const done = await getHarvest(t.db, t.key);
    assert.deepEqual([done?.status, done?.records_seen, done?.error], ["done", 6, null]);
  } finally {
    await t.close();
  }
});

test("a killed harvest (left running with a token) resumes from the stored token", async () => {
  const t = await setup(csPages);
  try {
    const spec = harvestSpec(t.oaiUrl, CS);
    await startHarvest(t.db, spec);
    await saveCheckpoint(t.db, t.key, "6960524|2001", 4);
    const result = await harvest(t.db, t.client, t.oaiUrl, CS);
    assert.equal(result.resumed, true);
    assert.deepEqual(
      t.server.requests.map((r) => r.query.get("resumptionToken")),
      ["6960524|2001"],
    );
    assert.equal(result.recordsSeen, 6);
    assert.equal(result.report.inserted, 2);
  } finally {
    await t.close();
  }
});

test("an expired token is a clear error pointing at --restart, and --restart starts over", async () => {
  const t = await setup(csPages);
  try {
    const spec = harvestSpec(t.oaiUrl, CS);
    await startHarvest(t.db, spec);
    await saveCheckpoint(t.db, t.key, "expired|token", 2);
    await assert.rejects(
      harvest(t.db, t.client, t.oaiUrl, CS),
      /OAI-PMH error badResumptionToken: Invalid or expired resumptionToken\. .*run again with --restart/,
    );
    assert.equal((await getHarvest(t.db, t.key))?.status, "failed");

    const fresh = await harvest(t.db, t.client, t.oaiUrl, { ...CS, restart: true });
    assert.equal(fresh.resumed, false);
    assert.equal(t.server.requests[1]?.query.get("metadataPrefix"), "arXiv", "the restart asks for page 1");
    assert.equal(fresh.report.inserted, 5);
    assert.equal((await getHarvest(t.db, t.key))?.status, "done");
  } finally {
    await t.close();
  }
});

test("arXivRaw records give every version, its dates and the authors string split in order", async () => {
  const t = await setup(() => ({ file: "arxiv/oai-raw.xml" }));
  try {
    const options = { set: "physics:hep-th", from: "2026-11-01", metadataPrefix: "arXivRaw" as const };
    const result = await harvest(t.db, t.client, t.oaiUrl, options);
    assert.equal(t.server.requests[0]?.query.get("metadataPrefix"), "arXivRaw");
    assert.equal(t.server.requests[0]?.query.get("set"), "physics:hep-th");
    assert.deepEqual([result.report.inserted, result.report.rejected], [2, 1]);
    assert.deepEqual(result.report.rejections, [
      { ref: "oai-pmh:2611.00950", reason: 'version v1 has a bad date: "sometime in November"' },
    ]);

    const ads = await getPaperByArxivId(t.db, "hep-th/9711200");
    assert.ok(ads);
    assert.equal(ads.version, 3);
    assert.equal(ads.submitted_at, "1997-11-28T00:24:13.000Z");
    assert.equal(ads.updated_at, "1998-01-23T02:49:24.000Z");
    assert.deepEqual(JSON.parse(ads.authors), ["Juan M. Maldacena"], "affiliation dropped");
    assert.equal(ads.doi, "10.1023/A:1026654312961");

    const rad = await getPaperByArxivId(t.db, "2611.00417");
    assert.deepEqual(JSON.parse(rad?.authors ?? "[]"), [
      'Zo\\"e M\\"uller',
      "Hiroshi Tanaka",
      "Amara Okafor",
      "Lucas Ferreira",
    ]);
    assert.equal(rad?.version, 2);
    assert.deepEqual(JSON.parse(rad?.categories ?? "[]"), ["cs.CL", "cs.LG", "cs.AI"]);
  } finally {
    await t.close();
  }
});

test("noRecordsMatch is an empty harvest, not an error", async () => {
  const t = await setup(() => ({ file: "arxiv/oai-no-records.xml" }));
  try {
    const result = await harvest(t.db, t.client, t.oaiUrl, CS);
    assert.deepEqual([result.pages, result.recordsSeen, result.report.inserted], [1, 0, 0]);
    assert.equal((await getHarvest(t.db, t.key))?.status, "done");
  } finally {
    await t.close();
  }
});

test("a malformed page fails the harvest with the XML fault named", async () => {
  const t = await setup(() => ({ body: '<?xml version="1.0"?><OAI-PMH><ListRecords><record></ListRecords>' }));
  try {
    await assert.rejects(
      harvest(t.db, t.client, t.oaiUrl, CS),
      /harvest failed on page 1 of this run: OAI-PMH response is not well-formed XML: .*line 1/,
    );
  } finally {
    await t.close();
  }
});

test("malformed options are refused before any request", async () => {
  const t = await setup(csPages);
  try {
    await assert.rejects(harvest(t.db, t.client, t.oaiUrl, { from: "2026-11-31" }), ArgumentError);
    await assert.rejects(
      harvest(t.db, t.client, t.oaiUrl, { from: "2026-11-05", until: "2026-11-01" }),
      /--from 2026-11-05 is after --until 2026-11-01/,
    );
    await assert.rejects(
      harvest(t.db, t.client, t.oaiUrl, { metadataPrefix: "oai_dc" as "arXiv" }),
      /--metadata-prefix must be arXiv or arXivRaw \(got "oai_dc"\)/,
    );
    await assert.rejects(
      harvest(t.db, t.client, t.oaiUrl, { set: "cs&verb=Identify" }),
      /--set must be an OAI-PMH set/,
    );
    assert.equal(t.server.requests.length, 0);
  } finally {
    await t.close();
  }
});
