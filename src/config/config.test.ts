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
