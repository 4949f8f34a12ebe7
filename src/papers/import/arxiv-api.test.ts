// `ingest arxiv` end to end against recorded API pages served locally: the query sent, paging to the
// end of results, what is stored, idempotency, --max, empty results, rejected entries, retries, and
// failures that keep what was stored before them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../../test/helpers/db.ts";
import { type Handler, type Reply, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { getPaperByArxivId } from "../store.ts";
import { ArgumentError } from "./arguments.ts";
import { ingestArxiv } from "./arxiv-api.ts";
import { ArxivApiError } from "./atom.ts";
import { ArxivClient } from "./http.ts";
import { emptyReport } from "./run.ts";
import { XmlFormatError } from "./xml.ts";

const CS_CL = { category: "cs.CL", since: "2026-11-01", until: "2026-11-30", pageSize: 3 };

/** Serves page 1 for start=0 and page 2 for start=3, unless `overrides` says otherwise. */
function pages(overrides: Record<string, Reply> = {}): Handler {
  return (req) => {
    const start = req.query.get("start") ?? "";
    return (
      overrides[start] ?? (start === "0" ? { file: "arxiv/api-cscl-page1.xml" } : { file: "arxiv/api-cscl-page2.xml" })
    );
  };
}

async function setup(handler: Handler) {
  const db = await testDb();
  const server = await startFixtureServer(handler);
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 5, maxAttempts: 3 });
  return {
    db,
    server,
    client,
    apiUrl: `${server.url}/api/query`,
    close: async () => {
      await client.close();
      await server.close();
      await db.close();
    },
  };
}

test("pages through the search to totalResults and stores every paper", async () => {
  const t = await setup(pages());
  try {
    const result = await ingestArxiv(t.db, t.client, t.apiUrl, CS_CL);
    const r = result.report;
    assert.deepEqual([r.inserted, r.updated, r.unchanged, r.rejected], [5, 0, 0, 0]);
    assert.deepEqual([result.pages, result.totalResults, result.received], [2, 5, 5]);

    assert.equal(t.server.requests.length, 2, "stops at totalResults without asking for a third page");
    const [first, second] = t.server.requests;
    assert.equal(first?.query.get("search_query"), "cat:cs.CL AND submittedDate:[202611010000 TO 202611302359]");
    assert.equal(first?.query.get("sortBy"), "submittedDate");
    assert.equal(first?.query.get("sortOrder"), "descending");
    assert.deepEqual([first?.query.get("start"), first?.query.get("max_results")], ["0", "3"]);
    assert.deepEqual([second?.query.get("start"), second?.query.get("max_results")], ["3", "3"]);

    const paper = await getPaperByArxivId(t.db, "2611.00417");
    assert.ok(paper);
    assert.equal(paper.title, "Retrieval-Augmented Decoding for Low-Resource Machine Translation");
    assert.deepEqual(JSON.parse(paper.authors), ["Zoë Müller", "Hiroshi Tanaka", "Amara Okafor", "Lucas Ferreira"]);
    assert.deepEqual(JSON.parse(paper.categories), ["cs.CL", "cs.LG", "cs.AI"], "primary category first");
    assert.equal(paper.primary_category, "cs.CL");
    assert.equal(paper.version, 2);
    assert.equal(paper.submitted_at, "2026-11-02T17:58:03.000Z");
    assert.equal(paper.updated_at, "2026-11-05T09:14:27.000Z");
    assert.match(paper.abstract, /\$\\mathcal\{O\}\(\\log n\)\$/, "LaTeX kept");
    assert.equal(paper.source, "arxiv-api");

    const order = await t.db.kysely
      .selectFrom("paper_authors")
      .innerJoin("authors", "authors.id", "paper_authors.author_id")
      .select(["authors.name", "paper_authors.position"])
      .where("paper_id", "=", paper.id)
      .orderBy("position")
      .execute();
    assert.deepEqual(
      order.map((a) => a.name),
      ["Zoë Müller", "Hiroshi Tanaka", "Amara Okafor", "Lucas Ferreira"],
    );
    const cats = await t.db.kysely
      .selectFrom("paper_categories")
      .select(["category", "position"])
      .where("paper_id", "=", paper.id)
      .orderBy("position")
      .execute();
    assert.deepEqual(
      cats.map((c) => c.category),
      ["cs.CL", "cs.LG", "cs.AI"],
    );

    const again = await ingestArxiv(t.db, t.client, t.apiUrl, CS_CL);
    assert.deepEqual([again.report.inserted, again.report.updated, again.report.unchanged], [0, 0, 5], "idempotent");
  } finally {
    await t.close();
  }
});

test("--max stops after that many entries and asks only for what it still needs", async () => {
  const t = await setup(pages());
  try {
    const result = await ingestArxiv(t.db, t.client, t.apiUrl, { ...CS_CL, max: 4 });
    assert.equal(result.report.inserted, 4);
    assert.deepEqual(
      t.server.requests.map((r) => r.query.get("max_results")),
      ["3", "1"],
    );
    assert.equal(await getPaperByArxivId(t.db, "2611.00003"), undefined, "the fifth paper is not stored");
  } finally {
    await t.close();
  }
});

test("an empty result, or an empty page before totalResults, ends the run cleanly", async () => {
  const empty = await setup(() => ({ file: "arxiv/api-empty.xml" }));
  try {
    const result = await ingestArxiv(empty.db, empty.client, empty.apiUrl, CS_CL);
    assert.deepEqual([result.pages, result.totalResults, result.report.inserted], [1, 0, 0]);
    assert.equal(empty.server.requests.length, 1);
  } finally {
    await empty.close();
  }
  const short = await setup(pages({ "3": { file: "arxiv/api-empty.xml" } }));
  try {
    const result = await ingestArxiv(short.db, short.client, short.apiUrl, CS_CL);
    assert.equal(result.report.inserted, 3);
    assert.equal(short.server.requests.length, 2);
  } finally {
    await short.close();
  }
});

test("bad entries are rejected by id with a reason and the good ones are stored", async () => {
  const t = await setup(() => ({ file: "arxiv/api-bad-entries.xml" }));
  try {
    const seen: string[] = [];
    const { report } = await ingestArxiv(t.db, t.client, t.apiUrl, {
      ...CS_CL,
      pageSize: 100,
      onRejected: (r) => seen.push(r.ref),
    });
    assert.deepEqual([report.inserted, report.rejected], [1, 2]);
    assert.deepEqual(report.rejections, [
      { ref: "arxiv-api:2611.00511v1", reason: '<published> is not a date: "yesterday afternoon"' },
      { ref: "arxiv-api:entry 3", reason: '<id> is not an arXiv id: "http://arxiv.org/abs/listing-2611"' },
    ]);
    assert.deepEqual(seen, ["arxiv-api:2611.00511v1", "arxiv-api:entry 3"]);
    assert.ok(await getPaperByArxivId(t.db, "2611.00498"));
  } finally {
    await t.close();
  }
});

test("a truncated page is fetched again and the run completes", async () => {
  let truncatedOnce = false;
  const serve = pages();
  const t = await setup((req, i) => {
    if (req.query.get("start") === "3" && !truncatedOnce) {
      truncatedOnce = true;
      return { truncate: { file: "arxiv/api-cscl-page2.xml", bytes: 500 } };
    }
    return serve(req, i);
  });
  try {
    const { report } = await ingestArxiv(t.db, t.client, t.apiUrl, CS_CL);
    assert.equal(report.inserted, 5);
    assert.deepEqual(
      t.server.requests.map((r) => r.query.get("start")),
      ["0", "3", "3"],
    );
  } finally {
    await t.close();
  }
});

test("an error feed or a malformed page fails the run; pages stored before it stay", async () => {
  const refused = await setup(() => ({ status: 400, file: "arxiv/api-error.xml" }));
  try {
    await assert.rejects(
      ingestArxiv(refused.db, refused.client, refused.apiUrl, CS_CL),
      (err: Error) => err instanceof ArxivApiError && /start must be non-negative/.test(err.message),
    );
  } finally {
    await refused.close();
  }
  const broken = await setup(pages({ "3": { file: "arxiv/api-malformed.xml" } }));
  try {
    const report = emptyReport();
    await assert.rejects(ingestArxiv(broken.db, broken.client, broken.apiUrl, CS_CL, report), XmlFormatError);
    assert.equal(report.inserted, 3, "the first page was stored");
    assert.ok(await getPaperByArxivId(broken.db, "2611.00022"));
  } finally {
    await broken.close();
  }
});

test("malformed arguments are refused before any request", async () => {
  const t = await setup(pages());
  try {
    const cases: [Partial<typeof CS_CL> & { max?: number }, RegExp][] = [
      [{ since: "2026-13-01" }, /--since must be a date YYYY-MM-DD \(got "2026-13-01"\)/],
      [{ since: "01/11/2026" }, /--since must be a date/],
      [{ until: "2026-02-30" }, /--until must be a date/],
      [{ since: "2026-11-20", until: "2026-11-01" }, /--since 2026-11-20 is after --until 2026-11-01/],
      [{ category: "CS CL" }, /--category must be an arXiv category such as cs.CL/],
      [{ category: "cs.CL OR all:x" }, /--category must be an arXiv category/],
      [{ pageSize: 5000 }, /--page-size must be a whole number between 1 and 2000/],
      [{ max: 0 }, /--max must be a whole number at least 1/],
    ];
    for (const [change, message] of cases) {
      await assert.rejects(
        ingestArxiv(t.db, t.client, t.apiUrl, { ...CS_CL, ...change }),
        (err: Error) => err instanceof ArgumentError && message.test(err.message),
        JSON.stringify(change),
      );
    }
    assert.equal(t.server.requests.length, 0);
  } finally {
    await t.close();
  }
});
