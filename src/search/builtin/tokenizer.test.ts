// Tests of the built-in embedder's tokenizer and stemmer: LaTeX, hyphens, unicode, stop words,
// numbers, empty text, and the inflections the light stemmer folds (and the words it keeps apart).
import assert from "node:assert/strict";
import { test } from "node:test";
import { stem } from "./stem.ts";
import { normalizeText, tokenize } from "./tokenizer.ts";

test("LaTeX superscripts and subscripts join their base, with or without braces or dollars", () => {
  assert.deepEqual(tokenize("We report $R^2$ and $R^{2}$"), ["report", "r2", "r2"]);
  assert.deepEqual(tokenize("R^2 of H$_2$O"), ["r2", "h2o"]);
  assert.deepEqual(tokenize("the R² score"), ["r2", "scor"]);
});

test("LaTeX formatting commands vanish and keep their argument; Greek letters are spelled out", () => {
  assert.deepEqual(tokenize("\\textit{Diffusion} \\textbf{models}"), ["diffusion", "model"]);
  assert.deepEqual(tokenize("$\\alpha$-synuclein"), ["alpha", "synuclein", "alphasynuclein"]);
  assert.deepEqual(tokenize("α-synuclein"), tokenize("$\\alpha$-synuclein"));
  assert.deepEqual(tokenize("$\\varepsilon$-greedy"), ["epsilon", "greedy", "epsilongreedy"]);
  assert.deepEqual(tokenize("$\\mathcal{O}(n \\log n)$ time"), ["time"]);
  assert.deepEqual(tokenize('Schr\\"{o}dinger'), ["schrodinger"]);
});

test("hyphenated words give their parts and the joined compound", () => {
  assert.deepEqual(tokenize("self-supervised"), ["self", "supervis", "selfsupervis"]);
  assert.deepEqual(tokenize("IL-6 and COVID-19"), ["il", "il6", "covid", "covid19"]);
  assert.deepEqual(tokenize("state-of-the-art"), ["stat", "art", "stateoftheart"]);
  // five parts or more: parts only
  assert.deepEqual(tokenize("a-b-c-d-ee"), ["ee"]);
});

test("unicode text is case-folded and loses its accents", () => {
  assert.deepEqual(tokenize("Naïve Bayes CAFÉ"), ["naiv", "baye", "cafe"]);
  assert.equal(normalizeText("ÉTUDE Ｆｕｌｌ"), "etude full");
  assert.deepEqual(tokenize("β-catenin"), ["beta", "catenin", "betacatenin"]);
  assert.deepEqual(tokenize("数据 科学"), ["数据", "科学"]);
});

test("stop words, bare numbers and one-letter tokens are dropped", () => {
  assert.deepEqual(tokenize("The results of the 2024 study in 17 cities: a model"), [
    "result",
    "study",
    "city",
    "model",
  ]);
});

test("empty and blank text give no terms", () => {
  assert.deepEqual(tokenize(""), []);
  assert.deepEqual(tokenize("   \n\t"), []);
  assert.deepEqual(tokenize("$$ {} \\, -- 42"), []);
});

test("the stemmer folds inflections and leaves derivations apart", () => {
  for (const w of ["encode", "encodes", "encoded", "encoding"]) assert.equal(stem(w), "encod", w);
  for (const w of ["study", "studies", "studied", "studying"]) assert.equal(stem(w), "study", w);
  assert.equal(stem("modelling"), "model");
  assert.equal(stem("modeling"), "model");
  assert.equal(stem("processes"), "process");
  assert.equal(stem("bias"), "bias");
  assert.equal(stem("analysis"), "analysis");
  assert.equal(stem("called"), "call");
  assert.notEqual(stem("encoder"), stem("encode"));
  assert.equal(stem("covid19"), "covid19");
});
