// Follows and saved searches over HTTP (the real routes and database): follow buttons on author,
// category and paper pages; the Following page showing a new paper by a followed author and the
// saved searches' matches; saving a search from the search page's form, listing and deleting it;
// and its private feed, which answers only to its token.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { signedIn, TestClient, testApp } from "../../../test/helpers/web.ts";
import { followsOf } from "../../community/follows.ts";
import { savedSearchesOf } from "../../community/saved-searches.ts";
import { upsertRecords } from "../../papers/store.ts";
import { authenticate } from "../auth.ts";
import { SaveSearchForm } from "./saved-searches-routes.tsx";

const ORIGIN = "https://papers.example.org";

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, close } = await testApp({ env: { BASE_URL: ORIGIN } }));
  await upsertRecords(db, [
    paperRecord({
      arxivId: "2608.30001",
      title: "Protein folding with transformers",
      authors: ["Grace Hopper", "Ada Lovelace"],
      categories: ["q-bio.QM"],
      submittedAt: "2026-08-01T00:00:00.000Z",
    }),
    paperRecord({
      arxivId: "2608.30002",
      title: "Galaxy lensing surveys",
      authors: ["Edwin Hubble"],
      categories: ["astro-ph.CO"],
      submittedAt: "2026-08-02T00:00:00.000Z",
    }),
  ]);
});
after(() => close());

test("follow an author from their page; the Following page shows their new paper and why", async () => {
  const { client, user } = await signedIn(app, db, "follower@example.org", ORIGIN);
  const authorPage = await (await client.get("/authors/Grace%20Hopper")).text();
  assert.match(authorPage, /<form method="post" action="\/follows"/);
  assert.match(authorPage, /Follow Grace Hopper/);

  const res = await client.post("/follows", { kind: "author", name: "Grace Hopper", next: "/authors/Grace%20Hopper" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/authors/Grace%20Hopper");
  const follows = await followsOf(db, user.id);
  assert.deepEqual(
    follows.map((f) => [f.kind, f.value, f.label]),
    [["author", "grace hopper", "Grace Hopper"]],
  );
  assert.match(await (await client.get("/authors/Grace%20Hopper")).text(), /Unfollow Grace Hopper/);

  // A paper arriving after the follow, spelled differently, shows with the follow that matched it.
  await upsertRecords(db, [
    paperRecord({
      arxivId: "2608.30003",
      title: "A brand new compiler paper",
      authors: ["GRACE  HOPPER"],
      categories: ["cs.PL"],
      submittedAt: "2026-08-20T00:00:00.000Z",
    }),
  ]);
  const following = await (await client.get("/following")).text();
  const newer = following.indexOf("A brand new compiler paper");
  const older = following.indexOf("Protein folding with transformers");
  assert.ok(newer > 0 && older > newer, "both papers by the author, newest first");
  assert.match(following, /Because you follow\s*<a href="\/authors\/Grace%20Hopper">Grace Hopper<\/a>/);
  assert.doesNotMatch(following, /Galaxy lensing surveys/);

  // Unfollow from the Following page.
  const off = await client.post("/follows/delete", { kind: "author", name: "Grace Hopper" });
  assert.equal(off.status, 303);
  assert.equal(off.headers.get("location"), "/following");
  assert.deepEqual(await followsOf(db, user.id), []);
  assert.doesNotMatch(await (await client.get("/following")).text(), /A brand new compiler paper/);
});

test("follow a category from its page and from a paper page; bad values are refused", async () => {
  const { client, user } = await signedIn(app, db, "cat-follower@example.org", ORIGIN);
  assert.match(await (await client.get("/c/astro-ph.CO")).text(), /Follow astro-ph\.CO/);
  assert.equal((await client.post("/follows", { kind: "category", name: "astro-ph.CO" })).status, 303);
  const paper = await (await client.get("/papers/2608.30002")).text();
  assert.match(paper, /Follow authors and categories \(following 1\)/);
  assert.match(paper, /Unfollow astro-ph\.CO/);
  assert.match(paper, /Follow Edwin Hubble/);
  assert.match(await (await client.get("/following")).text(), /Galaxy lensing surveys/);

  assert.equal((await client.post("/follows", { kind: "category", name: "<script>" })).status, 400);
  assert.equal((await client.post("/follows", { kind: "planet", name: "Mars" })).status, 400);
  assert.equal((await followsOf(db, user.id)).length, 1);

  const visitor = new TestClient(app, ORIGIN);
  assert.match(await (await visitor.get("/c/astro-ph.CO")).text(), /Sign in to follow astro-ph\.CO/);
  assert.equal((await visitor.post("/follows", { kind: "category", name: "cs.CL" })).status, 401);
  assert.equal((await client.post("/follows", { kind: "category", name: "cs.CL", _csrf: null })).status, 403);
});

test("save a search from the search page's form, see its matches, use and lose its private feed", async () => {
  const { client, user } = await signedIn(app, db, "searcher@example.org", ORIGIN);
  // The form the search page places, rendered inside a request as the search page renders it.
  const probe = new Hono();
  probe.use(contextStorage());
  probe.use(authenticate(db));
  probe.get("/search", (c) =>
    c.html(SaveSearchForm({ q: "protein folding", mode: "keyword", category: "q-bio.QM", from: "", to: "" }) ?? ""),
  );
  const anonymous = await (await new TestClient(probe, ORIGIN).get("/search?q=protein+folding")).text();
  assert.match(anonymous, /<a href="\/signin\?next=%2Fsearch%3Fq%3Dprotein%2Bfolding">Sign in to save this search/);
  const mine = new TestClient(probe, ORIGIN);
  mine.cookies = client.cookies;
  const form = await (await mine.get("/search?q=protein+folding")).text();
  assert.match(form, /<form method="post" action="\/searches" class="save-search">/);
  assert.match(form, new RegExp(`name="_csrf" value="${client.csrf}"`));
  assert.match(form, /name="q" value="protein folding"/);
  assert.match(form, /name="mode" value="keyword"/);
  assert.match(form, /name="category" value="q-bio.QM"/);

  const saved = await client.post("/searches", { q: "protein folding", mode: "keyword", category: "q-bio.QM" });
  assert.equal(saved.status, 303);
  const [s] = await savedSearchesOf(db, user.id);
  assert.ok(s);
  assert.equal(saved.headers.get("location"), `/searches#saved-${s.id}`);
  assert.deepEqual(s.filters, { mode: "keyword", categories: ["q-bio.QM"] });
  assert.match(s.feedToken, /^[A-Za-z0-9_-]{43}$/);
  // Saving the same search again keeps one.
  await client.post("/searches", { q: "protein folding", mode: "keyword", category: "q-bio.QM" });
  assert.equal((await savedSearchesOf(db, user.id)).length, 1);

  const list = await (await client.get("/searches")).text();
  assert.match(list, new RegExp(`href="/feeds/saved/${s.feedToken}.rss"`));
  assert.match(list, /href="\/search\?q=protein\+folding&amp;mode=keyword&amp;category=q-bio.QM"/);
  const following = await (await client.get("/following")).text();
  assert.match(following, /Saved search: protein folding/);
  assert.match(following, /Protein folding with transformers/);

  // The feed needs no session: the token is the credential.
  const reader = new TestClient(app, ORIGIN);
  const rss = await reader.get(`/feeds/saved/${s.feedToken}.rss`);
  assert.equal(rss.status, 200);
  assert.match(rss.headers.get("cache-control") ?? "", /^private/);
  const xml = await rss.text();
  assert.match(xml, /Paperboy saved search: protein folding/);
  assert.match(xml, /Protein folding with transformers/);
  assert.doesNotMatch(xml, /Galaxy lensing/);
  const json = (await (await reader.get(`/feeds/saved/${s.feedToken}.json`)).json()) as { feed_url: string };
  assert.equal(json.feed_url, `${ORIGIN}/feeds/saved/${s.feedToken}.json`);
  assert.equal((await reader.get(`/feeds/saved/${s.feedToken}.atom`)).status, 200);

  const wrong = `${s.feedToken.slice(0, -4)}AAAA`;
  assert.equal((await reader.get(`/feeds/saved/${wrong}.rss`)).status, 404);
  assert.equal((await reader.get("/feeds/saved/short.rss")).status, 404);

  // Another member cannot delete it; its owner can, and the feed stops.
  const other = await signedIn(app, db, "other-searcher@example.org", ORIGIN);
  assert.equal((await other.client.post(`/searches/${s.id}/delete`)).status, 404);
  assert.equal((await client.post(`/searches/${s.id}/delete`)).status, 303);
  assert.equal((await reader.get(`/feeds/saved/${s.feedToken}.rss`)).status, 404);
  assert.deepEqual(await savedSearchesOf(db, user.id), []);
});

test("a saved search with a bad filter is refused with the reason; CSRF is checked", async () => {
  const { client, user } = await signedIn(app, db, "careless@example.org", ORIGIN);
  const bad = await client.post("/searches", { q: "x", from: "2026-13-40" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /&quot;from&quot; must be a date written YYYY-MM-DD/);
  assert.equal((await client.post("/searches", { q: "" })).status, 400);
  assert.equal((await client.post("/searches", { q: "protein", _csrf: null })).status, 403);
  assert.deepEqual(await savedSearchesOf(db, user.id), []);
});
