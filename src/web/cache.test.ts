// The anonymous response cache: hits for visitors who are not signed in, never for signed-in
// people, emptied by a write, expired by its TTL, and security headers kept on hits.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestDb, tempDir, testDb } from "../../test/helpers/db.ts";
import { paperRecord } from "../../test/helpers/factories.ts";
import { signedIn, TestClient } from "../../test/helpers/web.ts";
import { loadConfig } from "../config/config.ts";
import { upsertRecords } from "../papers/store.ts";
import { SearchRuntime } from "../search/runtime.ts";
import { createApp } from "./app.tsx";
import { ResponseCache } from "./cache.ts";

let db: TestDb;
let dir: ReturnType<typeof tempDir>;
let runtime: SearchRuntime;
let app: ReturnType<typeof createApp>;

before(async () => {
  db = await testDb();
  dir = tempDir();
  await upsertRecords(db, [
    paperRecord({ arxivId: "2608.20001", title: "First title" }, { day: "2026-08-14", upvotes: 1 }),
  ]);
  const config = loadConfig({ DATA_DIR: dir.path, DEMO_DATA: "off", PAGE_CACHE_SECONDS: "60" });
  runtime = new SearchRuntime(db, config);
  app = createApp({ db, config, search: runtime, pageCache: true });
});
after(async () => {
  await runtime.stop();
  await db.close();
  dir.remove();
});

test("anonymous pages are served from the cache until a write in this process empties it", async () => {
  const anon = new TestClient(app);
  const first = await anon.get("/papers/2608.20001");
  assert.equal(first.headers.get("x-cache"), "miss");
  // A change made behind the app's back is not seen until the entry expires...
  await upsertRecords(db, [paperRecord({ arxivId: "2608.20001", title: "Second title" })]);
  const second = await anon.get("/papers/2608.20001");
  assert.equal(second.headers.get("x-cache"), "hit");
  assert.match(await second.text(), /First title/);
  assert.match(second.headers.get("content-security-policy") ?? "", /default-src 'self'/, "headers on hits too");
  // ...while a signed-in reader always gets a fresh page...
  const { client } = await signedIn(app, db, "fresh@example.org");
  const fresh = await client.get("/papers/2608.20001");
  assert.equal(fresh.headers.get("x-cache"), null);
  assert.match(await fresh.text(), /Second title/);
  // ...and any successful write through the app empties the cache.
  await client.post("/settings/tokens", { name: "x" });
  const after = await anon.get("/papers/2608.20001");
  assert.equal(after.headers.get("x-cache"), "miss");
  assert.match(await after.text(), /Second title/);
});

test("the Markdown twin and the HTML page are cached apart; 404s are not cached", async () => {
  const anon = new TestClient(app);
  await anon.get("/papers/2608.20001");
  const md = await anon.get("/papers/2608.20001", { accept: "text/markdown" });
  assert.match(md.headers.get("content-type") ?? "", /markdown/);
  const missing = await anon.get("/papers/2608.99999");
  assert.equal(missing.status, 404);
  assert.equal((await anon.get("/papers/2608.99999")).headers.get("x-cache"), null);
});

test("entries expire and the cache stays within its bounds", () => {
  const cache = new ResponseCache(1000);
  const body = new ArrayBuffer(10);
  cache.set("a", { expires: 5, status: 200, headers: [], body });
  assert.equal(cache.get("a", 4)?.status, 200);
  assert.equal(cache.get("a", 6), undefined, "expired");
  assert.equal(cache.size, 0);
  for (let i = 0; i < 2100; i++)
    cache.set(`k${i}`, { expires: Number.MAX_SAFE_INTEGER, status: 200, headers: [], body });
  assert.equal(cache.size, 2000, "oldest entries evicted");
  assert.equal(cache.get("k0"), undefined);
  assert.ok(cache.get("k2099"));
});
