// Tests of the pruning of common words from long "any word" queries: the frequency limit at each
// corpus size, which words stay, and that a real database prunes what the numbers say.
import assert from "node:assert/strict";
import { test } from "node:test";
import { onPostgres, testDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { upsertRecords } from "../../papers/store.ts";
import type { MatchPlan } from "./plan.ts";
import { commonLimit, keptItems, pruneCommonTerms } from "./sqlite-prune.ts";

test("the limit is 5% of the papers, at least 5,000 and at most 20,000", () => {
  assert.equal(commonLimit(5_183), 5_000); // SciFact: nothing is pruned
  assert.equal(commonLimit(140_000), 7_000);
  assert.equal(commonLimit(400_000), 20_000);
  assert.equal(commonLimit(1_000_000), 20_000);
  assert.equal(commonLimit(1_000_000, 50_000), 50_000);
});

test("words above the limit go, the three rarest stay whatever their frequency, order is kept", () => {
  const items = [
    { item: "model", df: 300_000 },
    { item: "sparse", df: 9_000 },
    { item: "results", df: 250_000 },
    { item: "show", df: 200_000 },
    { item: "learning", df: 280_000 },
    { item: "attention", df: 12_000 },
  ];
  // At 1,000,000 papers the limit is 20,000: "sparse" and "attention" are under it; "show" is the
  // next rarest, kept to make three.
  assert.deepEqual(keptItems(items, commonLimit(1_000_000)), ["sparse", "show", "attention"]);
  // With no upper bound (5% = 50,000) the same three would stay: none of the rest is under it.
  assert.deepEqual(keptItems(items, 50_000), ["sparse", "show", "attention"]);
  // Words between 20,000 and 50,000 papers stay without the bound and go with it (but the rarest).
  const mid = [...items, { item: "kernel", df: 30_000 }, { item: "graph", df: 19_000 }];
  assert.deepEqual(keptItems(mid, 50_000), ["sparse", "attention", "kernel", "graph"]);
  assert.deepEqual(keptItems(mid, commonLimit(1_000_000)), ["sparse", "attention", "graph"]);
});

test("phrases and prefixes are always kept", () => {
  const items = [
    { item: "a", df: 900_000 },
    { item: "b", df: 800_000 },
    { item: "c", df: 700_000 },
    { item: "d", df: 600_000 },
    { item: "phrase", df: null },
  ];
  assert.deepEqual(keptItems(items, commonLimit(1_000_000)), ["c", "d", "phrase"]);
});

const word = (w: string) => ({ forms: [{ words: [w], prefix: false }] });
const planOf = (words: string[]): MatchPlan => ({ required: [], optional: words.map(word), excluded: [], authors: [] });
const wordsOf = (plan: MatchPlan) => plan.optional.map((i) => i.forms[0]?.words[0]);

test("on a real index, words in more papers than the limit leave the match", {
  skip: onPostgres && "FTS5 only",
}, async () => {
  const db = await testDb();
  try {
    // 6,000 papers, all with "common"; "frequent" in every other one (3,000: under the 5,000 floor);
    // "rare" and "unusual" in a few.
    await upsertRecords(
      db,
      Array.from({ length: 6_000 }, (_, i) =>
        paperRecord({
          arxivId: `2608.${String(i + 1).padStart(5, "0")}`,
          title: `Common ${i % 2 === 0 ? "frequent" : "plain"} ${i % 1000 === 0 ? "rare" : ""} ${i % 1500 === 0 ? "unusual" : ""} study`,
        }),
      ),
    );
    const pruned = await pruneCommonTerms(db, planOf(["common", "frequent", "rare", "unusual", "missing"]));
    assert.deepEqual(wordsOf(pruned), ["frequent", "rare", "unusual", "missing"]);
    // Three words or fewer are never pruned.
    assert.equal((await pruneCommonTerms(db, planOf(["common", "rare", "unusual"]))).optional.length, 3);
  } finally {
    await db.close();
  }
});
