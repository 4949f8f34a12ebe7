// Tests of the built-in embedder on a small handmade corpus of five topics: determinism, exact
// serialisation round-trips, unit-length output, and that texts land nearest their own topic.
import assert from "node:assert/strict";
import { test } from "node:test";
import { topicCorpus } from "../../../test/helpers/corpus.ts";
import { cosine, dot, norm, paperText } from "../embedder.ts";
import { BuiltinEmbedder } from "./index.ts";

const CORPUS = [
  // protein structure
  "Protein folding prediction from amino acid sequence with deep networks and structure templates.",
  "Predicting protein structure: amino acid contacts, folding energy and sequence alignments.",
  "Amino acid sequence alignments reveal protein folding pathways and structure stability.",
  "Folding kinetics of small protein domains measured by amino acid mutations.",
  // galaxies
  "Galaxy formation in dark matter halos: simulations of stellar mass and gas accretion.",
  "Dark matter halo mass function from galaxy surveys and cosmological simulations.",
  "Stellar feedback regulates gas accretion and star formation in dwarf galaxy halos.",
  "Weak lensing maps of dark matter around massive galaxy clusters and halos.",
  // machine translation
  "Neural machine translation with attention between source and target language sentences.",
  "Multilingual language models improve translation of low-resource target languages.",
  "Attention weights align source words with target words in translation models.",
  "Sentence-level language model pretraining for machine translation quality estimation.",
  // superconductivity
  "Superconductivity in layered cuprate materials under pressure and doping.",
  "Critical temperature of superconducting thin films and electron pairing in materials.",
  "Electron pairing mechanism in iron-based superconductors studied with doping.",
  "Pressure-induced superconductivity and critical temperature in hydride materials.",
  // robot learning
  "Reinforcement learning policies for robot grasping from camera observations and rewards.",
  "Robot manipulation with reward shaping and policy gradients in simulation.",
  "Sim-to-real transfer of reinforcement learning policies for legged robot locomotion.",
  "Sparse rewards and exploration for robot policy learning in manipulation tasks.",
];
const TOPIC = (i: number) => Math.floor(i / 4);
const OPTIONS = { dims: 32, seed: 7, minDf: 2 };

function fit(options = {}) {
  return BuiltinEmbedder.fit(CORPUS, { ...OPTIONS, ...options });
}

test("the same corpus and seed give identical model bytes; another seed gives another model", () => {
  const a = fit();
  const b = fit();
  assert.deepEqual(a.serialize(), b.serialize());
  assert.equal(a.id, b.id);
  assert.match(a.id, /^builtin:[0-9a-f]{16}$/);
  const c = fit({ seed: 8 });
  assert.notDeepEqual(c.serialize(), a.serialize());
  assert.notEqual(c.id, a.id);
});

test("serialize and deserialize round-trip exactly: same bytes, same id, bit-identical vectors", async () => {
  const a = fit();
  const bytes = a.serialize();
  const b = BuiltinEmbedder.deserialize(bytes);
  assert.deepEqual(b.serialize(), bytes);
  assert.equal(b.id, a.id);
  assert.equal(b.dims, a.dims);
  const texts = [...CORPUS, "protein lensing translation", "an unseen query about robots"];
  const va = await a.embed(texts, "document");
  const vb = await b.embed(texts, "query");
  for (let i = 0; i < texts.length; i++) assert.deepEqual(vb[i], va[i]);
  // a copy at an odd offset inside a bigger buffer reads the same
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.deepEqual(BuiltinEmbedder.deserialize(shifted.subarray(3)).serialize(), bytes);
});

test("deserialize names what is wrong with bytes that are not a model", () => {
  const bytes = fit().serialize();
  assert.throws(() => BuiltinEmbedder.deserialize(new Uint8Array(10)), /too short/);
  assert.throws(() => BuiltinEmbedder.deserialize(new Uint8Array(64)), /bad magic number/);
  assert.throws(() => BuiltinEmbedder.deserialize(bytes.subarray(0, bytes.length - 1)), /truncated/);
});

test("vectors have the asked length and unit norm; text with no known term is the zero vector", async () => {
  const e = fit();
  assert.equal(e.dims, 32);
  const vectors = await e.embed([...CORPUS, "robot", "", "zzz qqq xylophone", "the of and"], "document");
  for (const v of vectors.slice(0, CORPUS.length + 1)) {
    assert.equal(v.length, 32);
    assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
  }
  for (const v of vectors.slice(CORPUS.length + 1)) assert.ok(v.every((x) => x === 0));
});

test("a corpus smaller than dims pads the vectors with zero dimensions", async () => {
  const e = fit({ dims: 300 });
  const [v] = await e.embed([CORPUS[0] as string], "document");
  assert.equal(v?.length, 300);
  assert.ok(v?.slice(CORPUS.length).every((x) => x === 0));
  assert.ok(Math.abs(norm(v as Float32Array) - 1) < 1e-5);
});

test("a document is nearer its own subset and paraphrase than any document of another topic", async () => {
  const e = fit();
  const docs = await e.embed(CORPUS, "document");
  for (let i = 0; i < CORPUS.length; i++) {
    const words = (CORPUS[i] as string).split(" ");
    const [subset] = await e.embed([words.slice(0, Math.ceil(words.length / 2)).join(" ")], "query");
    for (let j = 0; j < CORPUS.length; j++) {
      if (TOPIC(j) === TOPIC(i)) continue;
      assert.ok(
        dot(docs[i] as Float32Array, subset as Float32Array) > dot(docs[j] as Float32Array, subset as Float32Array),
        `doc ${i} vs ${j}`,
      );
    }
  }
  // paraphrases share few exact words with any single document, but the topic's vocabulary
  const paraphrases = [
    "how do amino acid chains fold into a stable structure",
    "simulating halos of dark matter around galaxies",
    "translating sentences between languages with attention",
    "materials that become superconducting under high pressure",
    "teaching a robot to grasp objects with rewards",
  ];
  const qs = await e.embed(paraphrases, "query");
  qs.forEach((q, topic) => {
    const ranked = docs.map((d, j) => ({ j, s: cosine(q, d) })).sort((a, b) => b.s - a.s);
    assert.equal(TOPIC(ranked[0]?.j as number), topic, paraphrases[topic]);
  });
});

test("embedding ignores word order and repeats the same vector for the same text", async () => {
  const e = fit();
  const [a, b, c] = await e.embed(
    ["dark matter galaxy halos", "halos galaxy matter dark", "dark matter galaxy halos"],
    "query",
  );
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
});

test("fitting on a sample still embeds the documents left out, near their topic", async () => {
  const e = fit({ sampleSize: 12 });
  const docs = await e.embed(CORPUS, "document");
  let nearestSameTopic = 0;
  for (let i = 0; i < CORPUS.length; i++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < CORPUS.length; j++) {
      const s = j === i ? Number.NEGATIVE_INFINITY : dot(docs[i] as Float32Array, docs[j] as Float32Array);
      if (s > bestScore) [best, bestScore] = [j, s];
    }
    if (TOPIC(best) === TOPIC(i)) nearestSameTopic++;
  }
  assert.ok(nearestSameTopic >= 18, `${nearestSameTopic} of 20 nearest neighbours share the topic`);
});

test("an empty corpus gives a model that embeds everything as the zero vector", async () => {
  const e = BuiltinEmbedder.fit([], { dims: 8 });
  const [v] = await e.embed(["anything"], "query");
  assert.deepEqual([...(v as Float32Array)], new Array(8).fill(0));
  assert.deepEqual(BuiltinEmbedder.deserialize(e.serialize()).serialize(), e.serialize());
});

test("a rank-deficient corpus gives finite unit vectors, zero past its rank, nearest their own topic", () => {
  // 60 papers on 4 topics with near-identical texts: a TF-IDF matrix of rank about 9, far below
  // the 256 dimensions asked for. One title with markup and an ampersand adds a rare direction.
  const corpus = topicCorpus(60);
  const first = corpus[0]?.paper as { title: string };
  first.title = "Protein folding <script>alert(1)</script> & more";
  const redundant = corpus.map((r) => paperText({ title: r.paper.title as string, abstract: r.paper.abstract }));
  // exact repeats of the handmade corpus: 60 documents of rank at most 20
  const repeated = [...CORPUS, ...CORPUS, ...CORPUS];
  for (const [name, docs, topic] of [
    ["topic corpus", redundant, (i: number) => i % 4],
    ["repeated corpus", repeated, (i: number) => TOPIC(i % CORPUS.length)],
  ] as const) {
    const e = BuiltinEmbedder.fit(docs, { sampleSize: docs.length });
    const { singularValues, codes, scales, dims } = e.model;
    const rank = singularValues.indexOf(0);
    assert.ok(rank > 0 && rank <= 20, `${name}: rank ${rank}`);
    assert.ok(
      singularValues.subarray(rank).every((s) => s === 0),
      `${name}: singular values past the rank are zero`,
    );
    assert.ok(scales.every(Number.isFinite), `${name}: finite scales`);
    for (let t = 0; t < e.model.terms.length; t++) {
      assert.ok(
        codes.subarray(t * dims + rank, (t + 1) * dims).every((c) => c === 0),
        `${name}: term ${t} has codes past the rank`,
      );
    }
    const vectors = e.embedSync([...docs, "zzz qqq xylophone"]);
    for (const [i, v] of vectors.entries()) {
      assert.equal(v.length, 256);
      assert.ok(v.every(Number.isFinite), `${name}: vector ${i} is not finite`);
      assert.ok(
        v.subarray(rank).every((x) => x === 0),
        `${name}: vector ${i} is nonzero past the rank`,
      );
      const expected = i < docs.length ? 1 : 0;
      assert.ok(Math.abs(norm(v) - expected) < 1e-5, `${name}: vector ${i} has norm ${norm(v)}`);
    }
    for (let i = 0; i < docs.length; i++) {
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < docs.length; j++) {
        if (j === i) continue;
        const s = dot(vectors[i] as Float32Array, vectors[j] as Float32Array);
        if (s > bestScore) [best, bestScore] = [j, s];
      }
      assert.equal(topic(best), topic(i), `${name}: nearest neighbour of document ${i} is ${best}`);
    }
  }
});

test("a fit whose projection would not be finite throws instead of embedding everything as NaN", () => {
  // an absurd IDF exponent overflows the term weights to infinity, and their normalisation to NaN
  assert.throws(() => fit({ idfPower: 1000 }), /non-finite projection \(NaN for term "[a-z]+", dimension \d+\)/);
});
