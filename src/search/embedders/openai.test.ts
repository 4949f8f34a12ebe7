// The OpenAI-compatible embedder against a local /v1/embeddings server: batching, prefixes, keys,
// normalisation, retries with Retry-After, timeouts, and a clear error for every kind of bad answer.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import {
  type EmbeddingsServer,
  fakeVector,
  reply,
  startEmbeddingsServer,
} from "../../../test/helpers/embeddings-server.ts";
import { norm } from "../embedder.ts";
import { EmbeddingServiceError, embeddingsUrl, OpenAIEmbedder, retryAfterMs, serverMessage } from "./openai.ts";

let server: EmbeddingsServer;
before(async () => {
  server = await startEmbeddingsServer(8);
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
});

const noWait = async () => {};
const make = (extra: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
  new OpenAIEmbedder({ baseUrl: server.url, model: "fake-model", sleep: noWait, baseDelayMs: 1, ...extra });

function expected(text: string): number[] {
  const v = fakeVector(text, 8);
  const n = Math.hypot(...v);
  return v.map((x) => Math.fround(x / n));
}
const sentInputs = () => server.requests.map((r) => (JSON.parse(r.body) as { input: string[] }).input);

test("embeds texts in batches, in order, as unit vectors, and learns the vector length", async () => {
  const e = make({ batchSize: 2 });
  const texts = ["graph neural networks", "diffusion models", "retrieval", "sparse attention", "protein folding"];
  const vectors = await e.embed(texts, "document");
  assert.deepEqual(sentInputs(), [texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
  assert.equal(e.dims, 8);
  assert.equal(e.id, "http:fake-model");
  vectors.forEach((v, i) => {
    assert.deepEqual(Array.from(v), expected(texts[i] as string));
    assert.ok(Math.abs(norm(v) - 1) < 1e-6);
  });
  const body = JSON.parse(server.requests[0]?.body ?? "{}");
  assert.equal(body.model, "fake-model");
  assert.equal(server.requests[0]?.url, "/v1/embeddings");
});

test("sends the API key as a bearer token, and no authorization header without one", async () => {
  await make({ apiKey: "sk-test-123" }).embed(["a"], "document");
  await make().embed(["a"], "document");
  assert.equal(server.requests[0]?.headers.authorization, "Bearer sk-test-123");
  assert.equal(server.requests[1]?.headers.authorization, undefined);
});

test("puts the query prefix before queries and the document prefix before documents", async () => {
  const e = make({ prefixes: { query: "query: ", document: "passage: " } });
  const [q] = await e.embed(["sparse attention"], "query");
  const [d] = await e.embed(["sparse attention"], "document");
  assert.deepEqual(sentInputs(), [["query: sparse attention"], ["passage: sparse attention"]]);
  assert.deepEqual(Array.from(q as Float32Array), expected("query: sparse attention"));
  assert.deepEqual(Array.from(d as Float32Array), expected("passage: sparse attention"));
});

test("blank texts give zero vectors without being sent; an empty list sends nothing", async () => {
  const e = make();
  assert.deepEqual(await e.embed([], "document"), []);
  assert.equal(server.requests.length, 0);
  const vectors = await e.embed(["", "retrieval", "   "], "document");
  assert.deepEqual(sentInputs(), [["retrieval"]]);
  assert.deepEqual(Array.from(vectors[0] as Float32Array), new Array(8).fill(0));
  assert.deepEqual(Array.from(vectors[1] as Float32Array), expected("retrieval"));
  assert.deepEqual(Array.from(vectors[2] as Float32Array), new Array(8).fill(0));
});

test("connect() learns the vector length with one probe; a given length skips the probe", async () => {
  const probed = await OpenAIEmbedder.connect({ baseUrl: server.url, model: "m" });
  assert.equal(probed.dims, 8);
  assert.equal(server.requests.length, 1);
  const given = await OpenAIEmbedder.connect({ baseUrl: server.url, model: "m", dims: 8 });
  assert.equal(given.dims, 8);
  assert.equal(server.requests.length, 1);
  assert.throws(() => make().dims, /not known yet/);
});

test("accepts base URLs with or without /v1", () => {
  assert.equal(embeddingsUrl("http://h:1"), "http://h:1/v1/embeddings");
  assert.equal(embeddingsUrl("http://h:1/v1/"), "http://h:1/v1/embeddings");
  assert.equal(embeddingsUrl("https://api.example.org/v1"), "https://api.example.org/v1/embeddings");
  assert.equal(embeddingsUrl("http://h/proxy/v1/embeddings"), "http://h/proxy/v1/embeddings");
});

test("reorders answers by their index field", async () => {
  server.script.push(
    reply(200, {
      data: [
        { index: 1, embedding: fakeVector("b", 8) },
        { index: 0, embedding: fakeVector("a", 8) },
      ],
    }),
  );
  const [a, b] = await make().embed(["a", "b"], "document");
  assert.deepEqual(Array.from(a as Float32Array), expected("a"));
  assert.deepEqual(Array.from(b as Float32Array), expected("b"));
});

test("retries a 429 after the delay Retry-After asks for, then succeeds", async () => {
  const waits: number[] = [];
  server.script.push(reply(429, { error: { message: "Rate limit reached" } }, { "retry-after": "2" }));
  const e = make({ sleep: async (ms) => void waits.push(ms) });
  const [v] = await e.embed(["retrieval"], "document");
  assert.deepEqual(Array.from(v as Float32Array), expected("retrieval"));
  assert.equal(server.requests.length, 2);
  assert.deepEqual(waits, [2000]);
});

test("retries 5xx answers with growing backoff until one succeeds", async () => {
  const waits: number[] = [];
  server.script.push(reply(503, { error: "Model is loading" }), reply(502, "bad gateway"));
  const e = make({ baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
  await e.embed(["x"], "document");
  assert.equal(server.requests.length, 3);
  assert.equal(waits.length, 2);
  assert.ok((waits[0] as number) >= 50 && (waits[0] as number) <= 100, `first wait ${waits[0]}`);
  assert.ok((waits[1] as number) >= 100 && (waits[1] as number) <= 200, `second wait ${waits[1]}`);
});

test("gives up after maxRetries and reports the status, the server's message and the attempts", async () => {
  for (let i = 0; i < 3; i++) server.script.push(reply(503, { error: "Model is loading" }));
  await assert.rejects(make({ maxRetries: 2 }).embed(["x"], "document"), (err: unknown) => {
    assert.ok(err instanceof EmbeddingServiceError);
    assert.equal(err.status, 503);
    assert.match(err.message, /HTTP 503.*Model is loading.*after 3 attempts/);
    return true;
  });
  assert.equal(server.requests.length, 3);
});

test("does not retry a 4xx and names the server's message", async () => {
  server.script.push(reply(400, { error: { message: "model 'nope' not found", type: "invalid_request_error" } }));
  await assert.rejects(make().embed(["x"], "document"), /HTTP 400 Bad Request: model 'nope' not found/);
  server.script.push(reply(401, { detail: "Invalid API key" }));
  await assert.rejects(make().embed(["x"], "document"), /HTTP 401 Unauthorized: Invalid API key/);
  assert.equal(server.requests.length, 2);
});

test("names malformed JSON and answers of the wrong shape", async () => {
  server.script.push(reply(200, "<html>proxy error</html>"));
  await assert.rejects(make().embed(["x"], "document"), /malformed JSON: <html>proxy error<\/html>/);
  server.script.push(reply(200, { embeddings: [[1, 2]] }));
  await assert.rejects(make().embed(["x"], "document"), /without a "data" array/);
  server.script.push(reply(200, { data: [{ embedding: "AAAA" }] }));
  await assert.rejects(make().embed(["x"], "document"), /embedding 0 is not a non-empty array of numbers/);
  server.script.push(reply(200, { data: [{ embedding: [1, "2", 3] }] }));
  await assert.rejects(make().embed(["x"], "document"), /embedding 0 holds "2" at position 1/);
  server.script.push(reply(200, { data: [{ embedding: [1], index: 5 }] }));
  await assert.rejects(make().embed(["x"], "document"), /item 0 has index 5/);
});

test("reports a count mismatch between texts sent and embeddings returned", async () => {
  server.script.push(reply(200, { data: [{ embedding: fakeVector("a", 8) }] }));
  await assert.rejects(make().embed(["a", "b"], "document"), /returned 1 embeddings for 2 texts/);
});

test("rejects vectors whose length differs within an answer, across answers, or from the given length", async () => {
  server.script.push(reply(200, { data: [{ embedding: [1, 2, 3] }, { embedding: [1, 2] }] }));
  await assert.rejects(make().embed(["a", "b"], "document"), /embedding 1 has 2 dimensions, expected 3/);
  const e = make();
  await e.embed(["a"], "document");
  server.script.push(reply(200, { data: [{ embedding: [1, 2, 3] }] }));
  await assert.rejects(e.embed(["b"], "document"), /embedding 0 has 3 dimensions, expected 8/);
  await assert.rejects(make({ dims: 384 }).embed(["a"], "document"), /has 8 dimensions, expected 384/);
});

test("times out on a service that never answers", async () => {
  server.script.push(() => {}); // hold the request open
  await assert.rejects(make({ timeoutMs: 100, maxRetries: 0 }).embed(["x"], "document"), /no answer within 100 ms/);
});

test("reports a refused connection after retrying", async () => {
  const closed = await startEmbeddingsServer();
  const url = closed.url;
  await closed.close();
  const e = new OpenAIEmbedder({ baseUrl: url, model: "m", maxRetries: 1, sleep: noWait });
  await assert.rejects(e.embed(["x"], "document"), /could not reach the service \(ECONNREFUSED\) \(after 2 attempts\)/);
});

test("reads Retry-After as seconds or a date, and error bodies from the common servers", () => {
  assert.equal(retryAfterMs("3"), 3000);
  assert.equal(retryAfterMs("0.5"), 500);
  assert.equal(retryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 10_000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
  assert.equal(serverMessage('{"error":{"message":"too long"}}'), "too long");
  assert.equal(serverMessage('{"error":"Input validation error","error_type":"Validation"}'), "Input validation error");
  assert.equal(serverMessage('{"detail":[{"msg":"field required"}]}'), '[{"msg":"field required"}]');
  assert.equal(serverMessage(""), "(empty body)");
});

test("refuses to start without a model name", () => {
  assert.throws(() => new OpenAIEmbedder({ baseUrl: server.url, model: "" }), /needs a model name/);
});
