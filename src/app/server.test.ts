// The service as a visitor meets it: started on a loopback port, it loads the demo data into an
// empty database, answers health probes, and serves the latest Daily Papers with security headers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../test/helpers/db.ts";
import { loadConfig } from "../config/config.ts";
import { countRows } from "../papers/store.ts";
import { startServer } from "./server.ts";

test("a fresh instance loads the demo data and serves the latest day", async () => {
  const db = await testDb();
  const config = { ...loadConfig({ DATABASE_URL: db.url }), port: 0 };
  const server = await startServer(config, db);
  try {
    const counts = await countRows(db);
    assert.ok(counts.papers > 2000, `demo papers loaded (${counts.papers})`);
    assert.ok(counts.featurings > 1000, `demo featurings loaded (${counts.featurings})`);

    assert.equal(await (await fetch(`${server.url}/healthz`)).text(), "ok");
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const html = await res.text();
    assert.match(html, /Daily Papers — Friday 21 August 2026/, "the newest demo day is shown");
    assert.match(html, /EnvHarness: Awakening Static Worlds for Agent Learning/);

    // Starting again on a database that has papers does not load the demo a second time.
    const again = await startServer({ ...config, port: 0 }, db);
    await again.close();
    assert.deepEqual(await countRows(db), counts);
  } finally {
    await server.close();
    await db.close();
  }
});

test("an unknown path is a 404", async () => {
  const db = await testDb();
  const server = await startServer({ ...loadConfig({ DEMO_DATA: "off" }), port: 0 }, db);
  try {
    const res = await fetch(`${server.url}/no/such/page`);
    assert.equal(res.status, 404);
    const home = await (await fetch(`${server.url}/`)).text();
    assert.match(home, /No papers have been featured on this instance yet/);
  } finally {
    await server.close();
    await db.close();
  }
});
