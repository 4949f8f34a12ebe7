// Fetching papers by id or URL against recorded API responses served locally: new and old-style ids
// in one request, a newer version updating the stored paper, unknown ids reported as not found, and
// ids arXiv refuses, which do not cost the others in the same request.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../../test/helpers/db.ts";
import { type Handler, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { getPaperByArxivId } from "../store.ts";
import { fetchPaper, fetchPapers } from "./fetch-one.ts";
import { ArxivClient } from "./http.ts";

async function setup(handler: Handler) {
  const db = await testDb();
  const server = await startFixtureServer(handler);
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 5, maxAttempts: 2 });
  return {
    db,
    server,
    client,
    config: { arxivApiUrl: `${server.url}/api/query`, arxivMinIntervalMs: 0 },
    close: async () => {
      await client.close();
      await server.close();
      await db.close();
    },
  };
}

test("fetches several ids in one request, then a newer version updates the stored paper", async () => {
  let version = 1;
  const t = await setup(() => ({ file: version === 1 ? "arxiv/api-id-v1.xml" : "arxiv/api-id-v2.xml" }));
  try {
    const outcomes = await fetchPapers(t.db, t.config, ["https://arxiv.org/abs/2611.00417v1", "hep-th/9711200"], {
      client: t.client,
    });
    assert.equal(t.server.requests.length, 1);
    assert.equal(t.server.requests[0]?.query.get("id_list"), "2611.00417,hep-th/9711200", "versions are not asked for");
    assert.equal(t.server.requests[0]?.query.get("max_results"), "2");
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.arxivId, "version" in o ? o.version : null]),
      [
        ["inserted", "2611.00417", 1],
        ["inserted", "hep-th/9711200", 3],
      ],
    );
    const v1 = await getPaperByArxivId(t.db, "2611.00417");
    assert.deepEqual(JSON.parse(v1?.authors ?? "[]"), ["Zoë Müller", "Hiroshi Tanaka", "Amara Okafor"]);
    assert.equal(v1?.submitted_at, "2026-11-02T17:58:03.000Z");

    version = 2;
    const updated = await fetchPaper(t.db, t.config, "2611.00417", { client: t.client });
    assert.equal(updated.status, "updated");
    const v2 = await getPaperByArxivId(t.db, "2611.00417");
    assert.ok(v2 && "paperId" in updated && updated.paperId === v2.id);
    assert.equal(v2.version, 2);
    assert.equal(v2.updated_at, "2026-11-05T09:14:27.000Z");
    assert.equal(v2.submitted_at, "2026-11-02T17:58:03.000Z");
    assert.deepEqual(JSON.parse(v2.authors), ["Zoë Müller", "Hiroshi Tanaka", "Amara Okafor", "Lucas Ferreira"]);
    assert.deepEqual(JSON.parse(v2.categories), ["cs.CL", "cs.LG", "cs.AI"]);
    assert.equal(v2.comment, "14 pages, 5 figures; v2: added ablations on datastore size");

    const same = await fetchPaper(t.db, t.config, "arXiv:2611.00417", { client: t.client });
    assert.equal(same.status, "unchanged");
  } finally {
    await t.close();
  }
});

test("an id arXiv does not know is reported as not found on arXiv and nothing is stored", async () => {
  const t = await setup(() => ({ file: "arxiv/api-id-not-found.xml" }));
  try {
    const outcome = await fetchPaper(t.db, t.config, "2611.99999", { client: t.client });
    assert.deepEqual(outcome, {
      status: "not-found",
      input: "2611.99999",
      arxivId: "2611.99999",
      message: "2611.99999 not found on arXiv",
    });
    assert.equal(await getPaperByArxivId(t.db, "2611.99999"), undefined);
  } finally {
    await t.close();
  }
});

test("input that is not an id is invalid and asks nothing of arXiv", async () => {
  const t = await setup(() => ({ file: "arxiv/api-id-v1.xml" }));
  try {
    const outcome = await fetchPaper(t.db, t.config, "https://example.org/paper", { client: t.client });
    assert.equal(outcome.status, "invalid");
    assert.match("message" in outcome ? outcome.message : "", /not an arXiv id or URL: "https:\/\/example.org\/paper"/);
    assert.equal(t.server.requests.length, 0);
  } finally {
    await t.close();
  }
});

test("an id arXiv refuses is reported with arXiv's reason; the others are fetched one by one", async () => {
  const t = await setup((req) => {
    const ids = req.query.get("id_list") ?? "";
    if (ids.includes("1234.5678")) return { status: 400, file: "arxiv/api-error-id.xml" };
    return { file: "arxiv/api-id-v2.xml" };
  });
  try {
    const outcomes = await fetchPapers(t.db, t.config, ["1234.5678", "2611.00417"], { client: t.client });
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["invalid", "inserted"],
    );
    const refused = outcomes[0];
    assert.ok(refused && "message" in refused);
    assert.match(refused.message, /arXiv API error: incorrect id format for 1234.5678/);
    assert.deepEqual(
      t.server.requests.map((r) => r.query.get("id_list")),
      ["1234.5678,2611.00417", "1234.5678", "2611.00417"],
    );
  } finally {
    await t.close();
  }
});
