// Tests of the two-step ranking of long any-word queries: the re-scoring reproduces FTS5's own bm25
// (so the order of the candidates is the order FTS5 would give them), the candidate step reads only
// the rarest words, and the one-step path runs whenever the query fits the budget.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { onPostgres, type TestDb, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { upsertRecords } from "../../papers/store.ts";
import { parseQuery } from "../query.ts";
import { resolveFilters } from "./filters.ts";
import { keywordSearch } from "./index.ts";
import { planMatch } from "./plan.ts";
import { sqliteLexical } from "./sqlite.ts";
import { bm25, idf, readVarints, rescoredAny, termCounter } from "./sqlite-rescore.ts";

const skip = onPostgres && "FTS5 only";
let db: TestDb;

// A deterministic corpus with uneven word frequencies, inflected forms (the index stems them),
// accents, hyphens and a query word in author names (weighted 2).
const VOCAB = (
  "graph neural network networks learning learned sparse attention kernel spectral diffusion " +
  "molecule molecular protein reward policy agent galaxy lensing café naïve self-supervised " +
  "transformer transformers alignment aligned preference"
).split(" ");
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

before(async () => {
  if (skip) return;
  db = await testDb();
  const next = rng(7);
  const pick = (n: number) =>
    Array.from({ length: n }, () => VOCAB[Math.floor(next() ** 2 * VOCAB.length)] as string).join(" ");
  await upsertRecords(
    db,
    Array.from({ length: 240 }, (_, i) =>
      paperRecord({
        arxivId: `2608.${String(i + 1).padStart(5, "0")}`,
        title: `${pick(3 + (i % 5))}: a ${pick(2)} study`,
        abstract: `${pick(10 + (i % 23))}. We show ${pick(4)}, with ${pick(6)}.`,
        authors: i % 9 === 0 ? ["Ada Kernel", "Alan Spectral"] : ["Ada Lovelace"],
      }),
    ),
  );
});
after(async () => {
  if (!skip) await db.close();
});

const QUERY = "sparse spectral graph kernel diffusion attention for molecular protein lensing naive cafe";

test("FTS5 varints, idf and bm25 by hand", () => {
  assert.deepEqual(readVarints(Uint8Array.from([0x88, 0xa6, 0x03, 0x0c, 0x82, 0x0e])), [135_939, 12, 270]);
  assert.equal(idf(100, 10), Math.log(90.5 / 10.5));
  assert.equal(idf(100, 60), 1e-6, "a word in more than half the rows weighs (almost) nothing");
  // One word, weighted frequency 4 (once in a title), a paper of average length.
  assert.equal(bm25([4, 0], [2, 5], 50, 50), (2 * 4 * 2.2) / (4 + 1.2));
});

test("words and phrases are counted as the index sees them: stems, folded accents, consecutive words", () => {
  const count = termCounter([["self", "supervis"], ["graph"], ["cafe"]]);
  const freqs = [0, 0, 0];
  count("Self-supervised graphs; self supervised. Supervised self graph", 4, freqs);
  count("Un café, naïve graphing", 1, freqs);
  assert.deepEqual(freqs, [8, 9, 1]);
});

test("re-scoring gives every candidate the score FTS5's bm25 gives it", { skip }, async () => {
  const parsed = parseQuery(QUERY);
  const plan = planMatch(parsed, "any");
  const filters = resolveFilters(parsed);
  const compiled = sqliteLexical.compile(plan);
  assert.ok(compiled);
  const exact = await sqliteLexical.ranked(db, compiled, filters, { limit: 1000, offset: 0 });
  const exactScore = new Map(exact.hits.map((h) => [h.paperId, h.score]));
  // A budget of 0 papers: candidates come from the rarest word alone.
  const two = await rescoredAny(db, plan, filters, { limit: 300, offset: 0 }, sqliteLexical, 0);
  assert.ok(two, "the query is over the budget, so it is ranked in two steps");
  assert.ok(two.hits.length > 3 && two.hits.length < exact.hits.length, "candidates are a subset");
  for (const h of two.hits) {
    const want = exactScore.get(h.paperId);
    assert.ok(want !== undefined, `candidate ${h.paperId} matches the whole query`);
    assert.ok(Math.abs(h.score - want) <= 1e-9 * Math.abs(want), `paper ${h.paperId}: ${h.score} vs FTS5 ${want}`);
  }
  // Hence the candidates come in FTS5's order.
  const candidates = new Set(two.hits.map((h) => h.paperId));
  assert.deepEqual(
    two.hits.map((h) => h.paperId),
    exact.hits.map((h) => h.paperId).filter((id) => candidates.has(id)),
  );
  assert.equal(two.total, two.hits.length, "the total counts the papers holding the candidate word");
});

test("a query whose words fit the budget, phrases and deep pages take the one-step path", { skip }, async () => {
  const filters = resolveFilters(parseQuery(QUERY));
  const plan = planMatch(parseQuery(QUERY), "any");
  const page = { limit: 20, offset: 0 };
  assert.equal(await rescoredAny(db, plan, filters, page, sqliteLexical), null, "240 papers fit 30,000");
  const quoted = planMatch(parseQuery(`${QUERY} "graph kernel"`), "any");
  assert.equal(await rescoredAny(db, quoted, filters, page, sqliteLexical, 0), null);
  assert.equal(await rescoredAny(db, plan, filters, { limit: 20, offset: 990 }, sqliteLexical, 0), null);
});

test("keyword search of a long query on a small instance is exact bm25", { skip }, async () => {
  const parsed = parseQuery(QUERY);
  const twoStep = await keywordSearch(db, parsed, { limit: 50 });
  const oneStep = await keywordSearch(db, parsed, { limit: 50, twoStep: false, commonLimit: Infinity });
  assert.deepEqual(twoStep, oneStep);
});
