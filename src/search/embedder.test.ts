// Tests of the helpers every embedder shares: a paper's document text and the vector arithmetic.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cosine, dot, norm, normalize, paperText } from "./embedder.ts";

test("paperText puts the title first, repeated by its weight, then the abstract", () => {
  assert.equal(paperText({ title: " Deep nets ", abstract: "We train them." }), "Deep nets\nDeep nets\nWe train them.");
  assert.equal(paperText({ title: "Deep nets", abstract: "We train them." }, 1), "Deep nets\nWe train them.");
  assert.equal(paperText({ title: "Deep nets", abstract: null }, 3), "Deep nets\nDeep nets\nDeep nets");
  assert.equal(paperText({ title: "", abstract: "Only text." }), "Only text.");
});

test("dot, norm and cosine agree with hand-computed values, at every length", () => {
  const a = Float32Array.from([1, 2, 3, 4, 5]);
  const b = Float32Array.from([5, 4, 3, 2, 1]);
  assert.equal(dot(a, b), 35);
  assert.equal(norm(Float32Array.from([3, 4])), 5);
  assert.ok(Math.abs(cosine(a, b) - 35 / 55) < 1e-9);
  assert.equal(cosine(new Float32Array(3), Float32Array.from([1, 2, 3])), 0);
  assert.throws(() => dot(a, new Float32Array(4)), /lengths differ/);
});

test("normalize makes a vector unit length in place and leaves the zero vector alone", () => {
  const v = Float32Array.from([3, 0, 4]);
  assert.equal(normalize(v), v);
  assert.deepEqual([...v], [0.6000000238418579, 0, 0.800000011920929]);
  assert.deepEqual([...normalize(new Float32Array(2))], [0, 0]);
});
