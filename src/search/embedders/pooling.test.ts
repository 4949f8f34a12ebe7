// Pooling of token states into unit vectors, and the per-model presets that choose pooling and
// prefixes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { poolAndNormalize } from "./pooling.ts";
import { modelPreset, prefixFromSetting, withPrefix } from "./presets.ts";

// Two texts of three token slots, two dims; the second text's last slot is padding.
const states = { data: [3, 0, 0, 4, 6, 8, 1, 1, 3, 3, 100, -100], dims: [2, 3, 2] };
const mask = { data: [1n, 1n, 1n, 1n, 1n, 0n], dims: [2, 3] };

test("mean pooling averages the unmasked tokens only, then normalises", () => {
  const [a, b] = poolAndNormalize(states, mask, "mean");
  // a: mean of (3,0) (0,4) (6,8) = (3,4) -> (0.6, 0.8); b: mean of (1,1) (3,3) = (2,2), padding ignored
  assert.deepEqual(Array.from(a as Float32Array), [0.6, 0.8].map(Math.fround));
  assert.deepEqual(Array.from(b as Float32Array), [Math.SQRT1_2, Math.SQRT1_2].map(Math.fround));
});

test("CLS pooling takes the first token of each text", () => {
  const [a, b] = poolAndNormalize(states, { data: [1, 1, 1, 1, 1, 0], dims: [2, 3] }, "cls");
  assert.deepEqual(Array.from(a as Float32Array), [1, 0]);
  assert.deepEqual(Array.from(b as Float32Array), [Math.SQRT1_2, Math.SQRT1_2].map(Math.fround));
});

test("a fully masked text pools to the zero vector", () => {
  const [, b] = poolAndNormalize(states, { data: [1, 1, 1, 0, 0, 0], dims: [2, 3] }, "mean");
  assert.deepEqual(Array.from(b as Float32Array), [0, 0]);
});

test("names shapes that do not fit", () => {
  assert.throws(
    () => poolAndNormalize({ data: [1, 2], dims: [1, 2] }, mask, "mean"),
    /shape \[batch, seq, dims\], got \[1, 2\]/,
  );
  assert.throws(
    () => poolAndNormalize(states, { data: [1, 1], dims: [1, 2] }, "mean"),
    /attention mask shape \[1, 2\] does not match token states \[2, 3\]/,
  );
});

test("presets know bge, e5 and nomic by name; other models get plain text and mean pooling", () => {
  const bge = modelPreset("Xenova/bge-small-en-v1.5");
  assert.equal(bge.pooling, "cls");
  assert.equal(bge.queryPrefix, "Represent this sentence for searching relevant passages: ");
  assert.equal(bge.documentPrefix, "");
  assert.deepEqual(modelPreset("intfloat/e5-small-v2"), {
    queryPrefix: "query: ",
    documentPrefix: "passage: ",
    pooling: "mean",
  });
  assert.equal(modelPreset("multilingual-e5-base").queryPrefix, "query: ");
  assert.equal(modelPreset("nomic-embed-text").documentPrefix, "search_document: ");
  assert.deepEqual(modelPreset("all-MiniLM-L6-v2"), { queryPrefix: "", documentPrefix: "", pooling: "mean" });
  assert.equal(modelPreset("gte5-large").queryPrefix, "", "e5 must be a whole name part");
});

test("prefix settings: auto keeps the preset, none removes it, anything else is the prefix", () => {
  assert.equal(prefixFromSetting("auto"), undefined);
  assert.equal(prefixFromSetting(undefined), undefined);
  assert.equal(prefixFromSetting("none"), "");
  assert.equal(prefixFromSetting("query: "), "query: ");
  assert.deepEqual(withPrefix(["a", "b"], "query", { query: "q: ", document: "" }), ["q: a", "q: b"]);
  assert.deepEqual(withPrefix(["a"], "document", { query: "q: ", document: "" }), ["a"]);
});
