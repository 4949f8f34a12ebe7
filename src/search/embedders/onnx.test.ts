// The ONNX embedder on the tiny fixture model of test/fixtures/tiny-embedder: an embedding table of
// small integers, so every pooled vector below is worked out by hand from build.ts's TOKENS rows
// ([CLS] = 1,0,0,0  [SEP] = 0,1,0,0  neural = 0,0,1,1  network = 0,0,1,-1  ##s = 0,0,0,2 ...).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildFiles, buildModel } from "../../../test/fixtures/tiny-embedder/build.ts";
import { OnnxEmbedder } from "./onnx.ts";

const FIXTURE = join(import.meta.dirname, "../../../test/fixtures/tiny-embedder");
const unit = (v: number[]) => v.map((x) => Math.fround(x / Math.hypot(...v)));
const close = (actual: Float32Array | undefined, expected: number[]) => {
  assert.ok(actual, "no vector");
  assert.equal(actual.length, expected.length);
  for (const [i, x] of actual.entries()) {
    assert.ok(Math.abs(x - (expected[i] as number)) < 1e-6, `${[...actual]} vs ${expected}`);
  }
};

let mean: OnnxEmbedder;
let scratch: string;
before(async () => {
  mean = await OnnxEmbedder.load({ modelPath: FIXTURE });
  scratch = mkdtempSync(join(tmpdir(), "paperboy-onnx-"));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the fixture folder that a test may break. */
function copyFixture(name: string): string {
  const dir = join(scratch, name);
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  return dir;
}

test("the committed fixture is what build.ts writes", () => {
  for (const [name, content] of Object.entries(buildFiles())) {
    assert.deepEqual(new Uint8Array(readFileSync(join(FIXTURE, name))), new Uint8Array(Buffer.from(content)), name);
  }
});

test("loads a model folder, names itself after it and learns the vector length", () => {
  assert.equal(mean.id, "onnx:tiny-embedder");
  assert.equal(mean.dims, 4);
  assert.equal(mean.pooling, "mean");
});

test("mean-pools the token states of [CLS] text [SEP] and normalises", async () => {
  const [a, b, c] = await mean.embed(["neural network", "Neural Networks", "zebra"], "document");
  close(a, unit([1, 1, 2, 0])); // [CLS] neural network [SEP]
  close(b, unit([1, 1, 2, 2])); // lower-cased; networks = network ##s
  close(c, unit([1, 1, 0, 1])); // an unknown word is [UNK] = 0,0,0,1
});

test("padding in a batch does not count towards the mean", async () => {
  // "paper" is padded to the length of the longer text with [PAD] = 9,9,9,9 rows.
  const [, paper] = await mean.embed(["neural network of the graph", "paper"], "document");
  const [alone] = await mean.embed(["paper"], "document");
  close(paper, unit([3, 1, 0, 0])); // [CLS] paper [SEP]
  close(alone, unit([3, 1, 0, 0]));
});

test("CLS pooling takes the first token's state", async () => {
  const cls = await OnnxEmbedder.load({ modelPath: FIXTURE, pooling: "cls" });
  const [v] = await cls.embed(["neural network"], "document");
  close(v, [1, 0, 0, 0]);
});

test("puts the query prefix before queries only", async () => {
  const e = await OnnxEmbedder.load({ modelPath: FIXTURE, prefixes: { query: "query: ", document: "passage: " } });
  const [q] = await e.embed(["neural"], "query");
  const [d] = await e.embed(["neural"], "document");
  close(q, unit([1, 3, 1, 4])); // [CLS] query : neural [SEP]
  close(d, unit([1, 3, 4, 1])); // [CLS] passage : neural [SEP]
  const [plain] = await mean.embed(["neural"], "query");
  close(plain, [0.5, 0.5, 0.5, 0.5]);
});

test("batches give the same vectors as one text at a time; blank texts give zero vectors", async () => {
  const e = await OnnxEmbedder.load({ modelPath: FIXTURE, batchSize: 2 });
  const texts = ["neural network", "", "paper", "graph search", "deep learning model"];
  const batched = await e.embed(texts, "document");
  for (const [i, text] of texts.entries()) {
    const [single] = await mean.embed([text], "document");
    close(batched[i], Array.from(single as Float32Array));
  }
  assert.deepEqual(Array.from(batched[1] as Float32Array), [0, 0, 0, 0]);
});

test("truncates long texts to the model's limit, keeping [SEP]", async () => {
  // model_max_length is 16: [CLS], 14 x paper, [SEP]
  const [v] = await mean.embed([Array(40).fill("paper").join(" ")], "document");
  close(v, unit([29, 1, 0, 0]));
});

test("loads the optimum layout with model.onnx beside config.json", async () => {
  const dir = copyFixture("flat");
  cpSync(join(dir, "onnx/model.onnx"), join(dir, "model.onnx"));
  rmSync(join(dir, "onnx"), { recursive: true });
  const e = await OnnxEmbedder.load({ modelPath: dir, model: "flat-model" });
  assert.equal(e.id, "onnx:flat-model");
  close((await e.embed(["neural network"], "document"))[0], unit([1, 1, 2, 0]));
});

test("falls back to the quantized weights when a folder has only those", async () => {
  const dir = copyFixture("quantized");
  cpSync(join(dir, "onnx/model.onnx"), join(dir, "onnx/model_quantized.onnx"));
  rmSync(join(dir, "onnx/model.onnx"));
  const e = await OnnxEmbedder.load({ modelPath: dir });
  close((await e.embed(["paper"], "document"))[0], unit([3, 1, 0, 0]));
});

test("names a missing folder, a file given as folder, and every missing file", async () => {
  await assert.rejects(OnnxEmbedder.load({ modelPath: join(scratch, "nope") }), /model folder .*nope does not exist/);
  writeFileSync(join(scratch, "file"), "x");
  await assert.rejects(OnnxEmbedder.load({ modelPath: join(scratch, "file") }), /file is a file, not a model folder/);
  const dir = copyFixture("incomplete");
  rmSync(join(dir, "tokenizer.json"));
  rmSync(join(dir, "onnx"), { recursive: true });
  await assert.rejects(
    OnnxEmbedder.load({ modelPath: dir }),
    /model folder .*incomplete lacks tokenizer\.json and onnx\/model\.onnx \(or model\.onnx/,
  );
  await assert.rejects(OnnxEmbedder.load({}), /needs a model folder or a model id/);
});

test("names the file when the weights are not a valid ONNX model", async () => {
  const dir = copyFixture("corrupt");
  writeFileSync(join(dir, "onnx/model.onnx"), "not a protobuf");
  await assert.rejects(
    OnnxEmbedder.load({ modelPath: dir }),
    /could not load onnx\/model\.onnx of model folder .*corrupt/,
  );
});

test("says so when the model has no per-token output to pool", async () => {
  const dir = copyFixture("pooled-output");
  writeFileSync(join(dir, "onnx/model.onnx"), buildModel("sentence_vector"));
  await assert.rejects(OnnxEmbedder.load({ modelPath: dir }), /outputs sentence_vector, not last_hidden_state/);
});

test("downloads a model by id from a hub into the cache, then loads it from the cache", async () => {
  const requested: string[] = [];
  const files = buildFiles();
  const hub = createServer((req, res) => {
    requested.push(req.url ?? "");
    const m = /^\/acme\/tiny-embedder\/resolve\/main\/(.+)$/.exec(req.url ?? "");
    const body = m ? files[m[1] as string] : undefined;
    if (!body) return res.writeHead(404).end("Entry not found");
    res.writeHead(200, { "content-length": Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
  const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  const cacheDir = join(scratch, "models");
  try {
    const e = await OnnxEmbedder.load({ model: "acme/tiny-embedder", hubUrl, cacheDir });
    assert.equal(e.id, "onnx:tiny-embedder");
    close((await e.embed(["neural network"], "document"))[0], unit([1, 1, 2, 0]));
    assert.ok(requested.includes("/acme/tiny-embedder/resolve/main/onnx/model.onnx"), requested.join(" "));
    await assert.rejects(
      OnnxEmbedder.load({ model: "acme/missing", hubUrl, cacheDir: join(scratch, "models2") }),
      /could not load the tokenizer of model acme\/missing from http:\/\/127\.0\.0\.1:\d+\//,
    );
  } finally {
    await new Promise<void>((r) => hub.close(() => r()));
  }
  const cached = await OnnxEmbedder.load({ model: "acme/tiny-embedder", hubUrl, cacheDir });
  close((await cached.embed(["paper"], "document"))[0], unit([3, 1, 0, 0]));
});
