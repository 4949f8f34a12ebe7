// Collections over HTTP (the real routes and database): create, save from a card form and from the
// paper page, remove, rename and delete; a public collection's page and feeds with hostile text
// shown as text; a private one hidden (404) from everyone but its owner, on its page, its feed and
// its forms; and the CSRF check on every change.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { collectionsOf } from "../../community/collections.ts";
import { upsertRecords } from "../../papers/store.ts";

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)> & "quoted"`;
const ORIGIN = "https://papers.example.org";

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, close } = await testApp({ env: { BASE_URL: ORIGIN } }));
  await upsertRecords(db, [
    paperRecord(
      { arxivId: "2608.20001", title: "Collected paper on attention", categories: ["cs.CL"] },
      { day: "2026-08-14", upvotes: 5 },
    ),
    paperRecord({ arxivId: "2608.20002", title: `Hostile ${HOSTILE}`, abstract: `Abstract ${HOSTILE}` }),
  ]);
});
after(() => close());

test("save from a card form: first save makes a private Reading list; the paper page offers removal", async () => {
  const { client, user } = await signedIn(app, db, "carder@example.org", ORIGIN);
  // A card on the Daily page carries the compact form with the session's CSRF token.
  const daily = await (await client.get("/")).text();
  assert.match(daily, /<form method="post" action="\/collections\/save" class="save-to">/);
  assert.match(daily, /<option value="new">New list “Reading list”<\/option>/);
  assert.match(daily, new RegExp(`name="_csrf" value="${client.csrf}"`));

  const saved = await client.post("/collections/save", { paper: "2608.20001", collection: "new", next: "/" });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get("location"), "/");
  const [list] = await collectionsOf(db, user.id);
  assert.equal(list?.name, "Reading list");
  assert.equal(list?.isPublic, false);
  assert.equal(list?.itemCount, 1);

  // Cards now offer the list by id; the paper page shows where the paper is and a remove button.
  assert.match(await (await client.get("/")).text(), new RegExp(`<option value="${list?.id}">Reading list</option>`));
  const paper = await (await client.get("/papers/2608.20001")).text();
  assert.match(paper, /In <a href="\/u\/carder\/reading-list">Reading list<\/a>/);
  assert.match(paper, /Remove from “Reading list”/);

  const removed = await client.post("/collections/remove", {
    paper: "2608.20001",
    collection: String(list?.id),
    next: "/papers/2608.20001",
  });
  assert.equal(removed.status, 303);
  assert.equal(removed.headers.get("location"), "/papers/2608.20001");
  assert.equal((await collectionsOf(db, user.id))[0]?.itemCount, 0);
  const after = await (await client.get("/papers/2608.20001")).text();
  assert.doesNotMatch(after, /Remove from/);
  assert.match(after, /<option value="\d+">Reading list<\/option>/);

  // A next that leaves the site is ignored.
  const offsite = await client.post("/collections/save", {
    paper: "2608.20001",
    collection: String(list?.id),
    next: "//evil.example/",
  });
  assert.equal(offsite.headers.get("location"), "/collections");
});

test("anonymous visitors see no collection forms and cannot post them", async () => {
  const visitor = new TestClient(app, ORIGIN);
  assert.doesNotMatch(await (await visitor.get("/")).text(), /collections\/save/);
  assert.doesNotMatch(await (await visitor.get("/papers/2608.20001")).text(), /collections\/save/);
  const res = await visitor.post("/collections/save", { paper: "2608.20001", collection: "new" });
  assert.equal(res.status, 401);
  assert.equal((await visitor.get("/collections")).status, 302);
});

test("a public collection: page and feeds in three formats, hostile titles as text", async () => {
  const { client, user } = await signedIn(app, db, "curator@example.org", ORIGIN);
  const created = await client.post("/collections", { name: `Picks ${HOSTILE}`, description: HOSTILE, public: "1" });
  assert.equal(created.status, 303);
  const path = created.headers.get("location") ?? "";
  assert.equal(path, "/u/curator/picks-script-alert-1-script-img-src-x-onerror-alert-2-quoted");
  const [collection] = await collectionsOf(db, user.id);
  for (const paper of ["2608.20001", "2608.20002"]) {
    const res = await client.post("/collections/save", { paper, collection: String(collection?.id), next: path });
    assert.equal(res.status, 303);
  }

  const visitor = new TestClient(app, ORIGIN);
  const page = await visitor.get(path);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.doesNotMatch(html, /<script>alert|<img src=x/);
  assert.match(html, /Picks &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /A reading list by @curator · 2 papers/);
  assert.match(html, new RegExp(`<link rel="alternate" type="application/rss\\+xml" href="${path}/feed.rss"`));
  assert.doesNotMatch(html, /Remove from/, "only the owner sees remove buttons");

  const rss = await visitor.get(`${path}/feed.rss`);
  assert.equal(rss.status, 200);
  assert.match(rss.headers.get("content-type") ?? "", /application\/rss\+xml/);
  const xml = await rss.text();
  assert.doesNotMatch(xml, /<script>|<img /);
  assert.match(xml, /<link>https:\/\/papers\.example\.org\/papers\/2608\.20002<\/link>/);
  const atom = await visitor.get(`${path}/feed.atom`);
  assert.equal(atom.status, 200);
  assert.match(await atom.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  const json = (await (await visitor.get(`${path}/feed.json`)).json()) as { title: string; items: { title: string }[] };
  assert.equal(json.items.length, 2);
  assert.equal(json.items[0]?.title, `Hostile ${HOSTILE}`, "the newest addition first, the title as written");
  assert.equal(json.title, `Picks ${HOSTILE} (a reading list by @curator)`);
  assert.equal((await visitor.get(`${path}/feed.xml`)).status, 404);

  // The owner sees remove buttons on the page.
  assert.match(await (await client.get(path)).text(), /Remove from “Picks &lt;script&gt;/);
});

test("a private collection is invisible to others: page, feed and forms answer 404", async () => {
  const owner = await signedIn(app, db, "secret-keeper@example.org", ORIGIN);
  const created = await owner.client.post("/collections", { name: "Secret stuff" });
  const path = created.headers.get("location") ?? "";
  assert.equal(path, "/u/secret-keeper/secret-stuff");
  const [collection] = await collectionsOf(db, owner.user.id);
  assert.equal(collection?.isPublic, false);
  await owner.client.post("/collections/save", { paper: "2608.20001", collection: String(collection?.id) });

  const page = await owner.client.get(path);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Secret stuff/);
  assert.doesNotMatch(html, /rel="alternate" type="application\/rss/, "no feed for a private list");
  assert.equal(
    (await owner.client.get(`${path}/feed.rss`)).status,
    404,
    "private lists have no feed, even for the owner",
  );

  const other = await signedIn(app, db, "snoop@example.org", ORIGIN);
  const visitor = new TestClient(app, ORIGIN);
  for (const client of [other.client, visitor]) {
    const res = await client.get(path);
    assert.equal(res.status, 404);
    assert.doesNotMatch(await res.text(), /Secret stuff/);
    for (const format of ["rss", "atom", "json"])
      assert.equal((await client.get(`${path}/feed.${format}`)).status, 404);
  }
  // The same answer as a collection that does not exist.
  assert.equal((await other.client.get("/u/secret-keeper/no-such-list")).status, 404);

  // Another member cannot add to, remove from, rename or delete it.
  const id = String(collection?.id);
  const add = await other.client.post("/collections/save", { paper: "2608.20002", collection: id });
  assert.equal(add.status, 404);
  assert.equal((await other.client.post("/collections/remove", { paper: "2608.20001", collection: id })).status, 404);
  assert.equal((await other.client.post(`/collections/${id}`, { name: "Mine now", public: "1" })).status, 404);
  assert.equal((await other.client.post(`/collections/${id}/delete`)).status, 404);
  const [still] = await collectionsOf(db, owner.user.id);
  assert.equal(still?.name, "Secret stuff");
  assert.equal(still?.itemCount, 1);
  assert.equal(still?.isPublic, false);
});

test("rename, make public and delete a collection; errors are shown on the form", async () => {
  const { client, user } = await signedIn(app, db, "editor@example.org", ORIGIN);
  await client.post("/collections", { name: "Drafts" });
  const [c] = await collectionsOf(db, user.id);
  const mine = await (await client.get("/collections")).text();
  assert.match(mine, /<a href="\/u\/editor\/drafts">Drafts<\/a>/);

  const renamed = await client.post(`/collections/${c?.id}`, { name: "Final picks", description: "Best", public: "1" });
  assert.equal(renamed.status, 303);
  const [after] = await collectionsOf(db, user.id);
  assert.equal(after?.name, "Final picks");
  assert.equal(after?.slug, "drafts", "the URL stays when renamed");
  assert.equal(after?.isPublic, true);
  assert.equal((await new TestClient(app, ORIGIN).get("/u/editor/drafts")).status, 200);

  const bad = await client.post("/collections", { name: "   " });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /A name is 1 to 80 characters/);

  assert.equal((await client.post(`/collections/${c?.id}/delete`)).status, 303);
  assert.deepEqual(await collectionsOf(db, user.id), []);
  assert.equal((await client.get("/u/editor/drafts")).status, 404);
});

test("CSRF: a change without the session's token, or from another site, is refused", async () => {
  const { client, user } = await signedIn(app, db, "csrf-collections@example.org", ORIGIN);
  const noToken = await client.post("/collections", { name: "Forged", _csrf: null });
  assert.equal(noToken.status, 403);
  const wrongToken = await client.post("/collections/save", { paper: "2608.20001", collection: "new", _csrf: "x" });
  assert.equal(wrongToken.status, 403);
  const crossSite = await client.post("/collections", { name: "Forged" }, { origin: "https://evil.example" });
  assert.equal(crossSite.status, 403);
  assert.deepEqual(await collectionsOf(db, user.id), []);
});
