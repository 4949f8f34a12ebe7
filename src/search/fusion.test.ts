// Fusion with exact numbers: what a hybrid ranking does with agreeing and disagreeing lists.
import assert from "node:assert/strict";
import { test } from "node:test";
import { convexFusion, maxNormalize, minMaxNormalize, reciprocalRankFusion } from "./fusion.ts";

const kw = [
  { paperId: 1, score: 12 },
  { paperId: 2, score: 8 },
  { paperId: 3, score: 2 },
];
const sem = [
  { paperId: 3, score: 0.9 },
  { paperId: 4, score: 0.7 },
  { paperId: 1, score: 0.5 },
];

test("min-max normalisation maps a list onto [0, 1]", () => {
  assert.deepEqual(
    [...minMaxNormalize(kw)],
    [
      [1, 1],
      [2, 0.6],
      [3, 0],
    ],
  );
  assert.deepEqual([...minMaxNormalize([{ paperId: 9, score: 3 }])], [[9, 1]]);
  assert.equal(minMaxNormalize([]).size, 0);
});

test("convex fusion weighs min-max normalised scores and keeps both ranks", () => {
  const fused = convexFusion(kw, sem, 0.3, "min-max");
  // paper 1: 0.7*1 + 0.3*0 = 0.7; paper 2: 0.7*0.6 = 0.42; paper 3: 0.7*0 + 0.3*1 = 0.3;
  // paper 4: 0.3*0.5 = 0.15
  assert.deepEqual(
    fused.map((f) => [f.paperId, Number(f.score.toFixed(4))]),
    [
      [1, 0.7],
      [2, 0.42],
      [3, 0.3],
      [4, 0.15],
    ],
  );
  assert.deepEqual(fused[0], { paperId: 1, score: 0.7, keywordRank: 1, semanticRank: 3 });
  assert.equal(fused[3]?.keywordRank, null);
});

test("max normalisation divides by the best score (the default)", () => {
  assert.deepEqual(
    [...maxNormalize(kw)],
    [
      [1, 1],
      [2, 8 / 12],
      [3, 2 / 12],
    ],
  );
  const fused = convexFusion(kw, sem, 0.2);
  // paper 1: 0.8*1 + 0.2*(0.5/0.9); paper 3: 0.8*(2/12) + 0.2*1; paper 2: 0.8*(8/12)
  const expected = new Map([
    [1, 0.8 + 0.2 * (0.5 / 0.9)],
    [2, 0.8 * (8 / 12)],
    [3, 0.8 * (2 / 12) + 0.2],
    [4, 0.2 * (0.7 / 0.9)],
  ]);
  assert.deepEqual(
    fused.map((f) => f.paperId),
    [1, 2, 3, 4],
  );
  for (const f of fused) assert.ok(Math.abs(f.score - (expected.get(f.paperId) as number)) < 1e-12);
});

test("weight 0 is keyword order, weight 1 is semantic order", () => {
  assert.deepEqual(
    convexFusion(kw, sem, 0)
      .slice(0, 3)
      .map((f) => f.paperId),
    [1, 2, 3],
  );
  assert.deepEqual(
    convexFusion(kw, sem, 1)
      .slice(0, 3)
      .map((f) => f.paperId),
    [3, 4, 1],
  );
});

test("reciprocal rank fusion sums 1/(k + rank)", () => {
  const fused = reciprocalRankFusion(kw, sem, 60, 0.5);
  // paper 1: 0.5/61 + 0.5/63; paper 3: 0.5/63 + 0.5/61 (tie, broken by keyword rank: 1 first)
  assert.equal(fused[0]?.paperId, 1);
  assert.equal(fused[1]?.paperId, 3);
  assert.ok(Math.abs((fused[0]?.score ?? 0) - (0.5 / 61 + 0.5 / 63)) < 1e-12);
  assert.deepEqual(
    fused.map((f) => f.paperId),
    [1, 3, 2, 4],
  );
});

test("empty inputs fuse to the other list or to nothing", () => {
  assert.deepEqual(
    convexFusion([], sem).map((f) => f.paperId),
    [3, 4, 1],
  );
  assert.deepEqual(convexFusion([], []), []);
});
