// Configuration: defaults, validation messages that name the variable, SQLite path resolution.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig, SETTINGS, settingsMarkdown, sqlitePath } from "./config.ts";

test("defaults give an embedded SQLite instance on port 3000", () => {
  const c = loadConfig({});
  assert.equal(c.databaseUrl, "sqlite:data/paperboy.db");
  assert.equal(c.port, 3000);
  assert.equal(c.baseUrl, "http://localhost:3000");
  assert.equal(c.mailUrl, "file:data/outbox");
  assert.equal(c.demoData, "auto");
  assert.equal(c.arxivMinIntervalMs, 3000);
});

test("values from the environment are parsed and typed", () => {
  const c = loadConfig({
    DATABASE_URL: "postgres://u:p@db.example/paperboy",
    PORT: "8080",
    BASE_URL: "https://papers.example.org/",
    LOG_LEVEL: "debug",
    SECRET_KEY: "x".repeat(40),
  });
  assert.equal(c.databaseUrl, "postgres://u:p@db.example/paperboy");
  assert.equal(c.port, 8080);
  assert.equal(c.baseUrl, "https://papers.example.org", "trailing slash removed");
  assert.equal(c.logLevel, "debug");
  assert.equal(c.secretKey.length, 40);
});

test("every bad value is reported, each naming its variable", () => {
  try {
    loadConfig({
      PORT: "eighty",
      DATABASE_URL: "mysql://x",
      BASE_URL: "ftp://x",
      SECRET_KEY: "short",
      DEMO_DATA: "yes",
    });
    assert.fail("expected ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const text = err.problems.join("\n");
    for (const name of ["PORT", "DATABASE_URL", "BASE_URL", "SECRET_KEY", "DEMO_DATA"]) {
      assert.match(text, new RegExp(`^${name} `, "m"), `${name} is named`);
    }
    assert.match(text, /PORT must be a number \(got "eighty"\)/);
    assert.match(text, /DATABASE_URL must be sqlite:PATH or postgres:\/\//);
  }
});

test("a port out of range is refused", () => {
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT must be between 1 and 65535/);
  assert.throws(() => loadConfig({ PORT: "3.5" }), /PORT must be a whole number/);
});

test("sqlite paths resolve against the working directory; absolute paths stay", () => {
  assert.equal(sqlitePath("sqlite:data/x.db", "/srv/paperboy"), "/srv/paperboy/data/x.db");
  assert.equal(sqlitePath("sqlite:/var/lib/p.db", "/srv"), "/var/lib/p.db");
  assert.equal(sqlitePath("postgres://h/db"), undefined);
});

test("the README table lists every setting", () => {
  const md = settingsMarkdown();
  for (const name of Object.keys(SETTINGS)) assert.ok(md.includes(`\`${name}\``), name);
});

test("the embedder defaults to the built-in one, with presets for prefixes and pooling", () => {
  const c = loadConfig({});
  assert.equal(c.embedder, "builtin");
  assert.equal(c.embeddingsModelPath, "");
  assert.equal(c.embeddingsModel, "");
  assert.equal(c.embeddingsUrl, "");
  assert.equal(c.embeddingsApiKey, "");
  assert.equal(c.embeddingsPooling, "auto");
  assert.equal(c.embeddingsQueryPrefix, "auto");
  assert.equal(c.embeddingsDocumentPrefix, "auto");
  assert.equal(c.embeddingsBatchSize, undefined);
});

test("embedder settings are read and typed", () => {
  const onnx = loadConfig({
    EMBEDDER: "onnx",
    EMBEDDINGS_MODEL_PATH: "models/bge-small-en-v1.5",
    EMBEDDINGS_POOLING: "mean",
    EMBEDDINGS_QUERY_PREFIX: "query: ",
    EMBEDDINGS_DOCUMENT_PREFIX: "none",
    EMBEDDINGS_BATCH_SIZE: "8",
  });
  assert.equal(onnx.embedder, "onnx");
  assert.equal(onnx.embeddingsModelPath, "models/bge-small-en-v1.5");
  assert.equal(onnx.embeddingsPooling, "mean");
  assert.equal(onnx.embeddingsQueryPrefix, "query: ", "the trailing space is kept");
  assert.equal(onnx.embeddingsDocumentPrefix, "none");
  assert.equal(onnx.embeddingsBatchSize, 8);
  const http = loadConfig({
    EMBEDDER: "http",
    EMBEDDINGS_URL: "http://127.0.0.1:11434",
    EMBEDDINGS_MODEL: "nomic-embed-text",
    EMBEDDINGS_API_KEY: "sk-1",
  });
  assert.equal(http.embedder, "http");
  assert.equal(http.embeddingsUrl, "http://127.0.0.1:11434");
  assert.equal(http.embeddingsModel, "nomic-embed-text");
  assert.equal(http.embeddingsApiKey, "sk-1");
  assert.equal(loadConfig({ EMBEDDER: "onnx", EMBEDDINGS_MODEL: "Xenova/bge-small-en-v1.5" }).embedder, "onnx");
});

test("bad embedder settings are refused, naming the variable", () => {
  assert.throws(() => loadConfig({ EMBEDDER: "openai" }), /EMBEDDER must be builtin, onnx or http \(got "openai"\)/);
  assert.throws(() => loadConfig({ EMBEDDINGS_POOLING: "max" }), /EMBEDDINGS_POOLING must be auto, mean or cls/);
  assert.throws(() => loadConfig({ EMBEDDINGS_BATCH_SIZE: "0" }), /EMBEDDINGS_BATCH_SIZE must be between 1 and 2048/);
  assert.throws(() => loadConfig({ EMBEDDINGS_BATCH_SIZE: "many" }), /EMBEDDINGS_BATCH_SIZE must be a number/);
  assert.throws(
    () => loadConfig({ EMBEDDER: "http", EMBEDDINGS_URL: "localhost:11434", EMBEDDINGS_MODEL: "m" }),
    /EMBEDDINGS_URL must be an absolute http:\/\/ or https:\/\/ URL/,
  );
});

test("an embedder without what it needs is refused, naming the missing variables", () => {
  try {
    loadConfig({ EMBEDDER: "http" });
    assert.fail("expected ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 2);
    assert.match(err.problems[0] as string, /^EMBEDDINGS_URL must be set when EMBEDDER=http/);
    assert.match(err.problems[1] as string, /^EMBEDDINGS_MODEL must be set when EMBEDDER=http/);
  }
  assert.throws(
    () => loadConfig({ EMBEDDER: "onnx" }),
    /EMBEDDINGS_MODEL_PATH or EMBEDDINGS_MODEL must be set when EMBEDDER=onnx/,
  );
  assert.throws(
    () => loadConfig({ EMBEDDER: "http", EMBEDDINGS_URL: "ftp://x", EMBEDDINGS_MODEL: "m" }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 1,
    "an invalid URL is reported once, not also as missing",
  );
});
