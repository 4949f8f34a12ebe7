// Choosing the embedder from the configuration: the built-in loader, the ONNX model folder, the
// HTTP service, the errors that name the settings, and ONNX Runtime staying unloaded unless chosen.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type EmbeddingsServer, fakeVector, startEmbeddingsServer } from "../../../test/helpers/embeddings-server.ts";
import { loadConfig } from "../../config/config.ts";
import type { Embedder } from "../embedder.ts";
import { createConfiguredEmbedder } from "./factory.ts";

const ROOT = join(import.meta.dirname, "../../..");
const refuse = () => {
  throw new Error("the built-in loader must not be called");
};

let server: EmbeddingsServer;
before(async () => {
  server = await startEmbeddingsServer(8);
});
after(() => server.close());

test("EMBEDDER=builtin returns what the built-in loader gives", async () => {
  const builtin: Embedder = { id: "builtin:abc", dims: 3, embed: async (t) => t.map(() => new Float32Array(3)) };
  let calls = 0;
  const e = await createConfiguredEmbedder(loadConfig({}), async () => {
    calls++;
    return builtin;
  });
  assert.equal(e, builtin);
  assert.equal(calls, 1);
});

test("EMBEDDER=onnx loads the model folder relative to the working directory, with the pooling asked for", async () => {
  const config = loadConfig({
    EMBEDDER: "onnx",
    EMBEDDINGS_MODEL_PATH: "test/fixtures/tiny-embedder",
    EMBEDDINGS_POOLING: "cls",
    EMBEDDINGS_QUERY_PREFIX: "query: ",
  });
  const e = await createConfiguredEmbedder(config, refuse, ROOT);
  assert.equal(e.id, "onnx:tiny-embedder");
  assert.equal(e.dims, 4);
  const [v] = await e.embed(["neural network"], "document");
  assert.deepEqual(Array.from(v as Float32Array), [1, 0, 0, 0], "CLS pooling: the [CLS] row");
});

test("EMBEDDER=onnx names the setting and the folder when the folder is missing", async () => {
  const config = loadConfig({ EMBEDDER: "onnx", EMBEDDINGS_MODEL_PATH: "no/such/model" });
  await assert.rejects(
    createConfiguredEmbedder(config, refuse, ROOT),
    /EMBEDDER=onnx could not load EMBEDDINGS_MODEL_PATH=.*no\/such\/model: model folder .*no\/such\/model does not exist/,
  );
});

test("EMBEDDER=http connects, learns the vector length and applies prefixes and key", async () => {
  const config = loadConfig({
    EMBEDDER: "http",
    EMBEDDINGS_URL: `${server.url}/v1`,
    EMBEDDINGS_MODEL: "nomic-embed-text",
    EMBEDDINGS_API_KEY: "sk-abc",
    EMBEDDINGS_DOCUMENT_PREFIX: "none",
  });
  const e = await createConfiguredEmbedder(config, refuse);
  assert.equal(e.id, "http:nomic-embed-text");
  assert.equal(e.dims, 8);
  server.requests.length = 0;
  await e.embed(["graph"], "query");
  await e.embed(["graph"], "document");
  const inputs = server.requests.map((r) => JSON.parse(r.body).input[0]);
  assert.deepEqual(inputs, ["search_query: graph", "graph"], "preset query prefix; document prefix turned off");
  assert.equal(server.requests[0]?.headers.authorization, "Bearer sk-abc");
  const [v] = await e.embed(["graph"], "document");
  const raw = fakeVector("graph", 8);
  assert.deepEqual(
    Array.from(v as Float32Array),
    raw.map((x) => Math.fround(x / Math.hypot(...raw))),
  );
});

test("EMBEDDER=http names the URL and the server's complaint when the service refuses", async () => {
  server.script.push((_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: 'model "nope" not found, try pulling it first' } }));
  });
  const config = loadConfig({ EMBEDDER: "http", EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "nope" });
  await assert.rejects(
    createConfiguredEmbedder(config, refuse),
    /EMBEDDER=http could not use model nope at EMBEDDINGS_URL=http:\/\/127\.0\.0\.1:\d+: .*HTTP 404 Not Found: model "nope" not found/,
  );
});

test("ONNX Runtime is loaded only when EMBEDDER=onnx", { skip: !existsSync("/proc/self/maps") }, () => {
  const script = `
    import { readFileSync } from "node:fs";
    import { loadConfig } from "./src/config/config.ts";
    import { createConfiguredEmbedder } from "./src/search/embedders/factory.ts";
    const builtin = { id: "builtin:x", dims: 1, embed: async () => [] };
    await createConfiguredEmbedder(loadConfig(JSON.parse(process.argv[1])), () => builtin);
    console.log(readFileSync("/proc/self/maps", "utf8").includes("libonnxruntime") ? "loaded" : "absent");
  `;
  const run = (env: Record<string, string>) =>
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, JSON.stringify(env)], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
  assert.equal(run({}), "absent");
  assert.equal(run({ EMBEDDER: "onnx", EMBEDDINGS_MODEL_PATH: "test/fixtures/tiny-embedder" }), "loaded");
});
