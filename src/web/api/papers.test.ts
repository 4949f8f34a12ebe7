// The papers API over HTTP (Hono's app.request, the real routes and database): the Hugging Face
// shapes key by key and as huggingface_hub's PaperInfo reads them, date/week/month selection,
// sorting, the submitter filter, paging with Link and X-Total-Count, 400s naming the parameter,
// 404s, hostile titles, the archive cursor, trending, and the routes search.ts owns still reached.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { testApp } from "../../../test/helpers/web.ts";
import { upsertRecords } from "../../papers/store.ts";

// biome-ignore lint/suspicious/noExplicitAny: test-side view of JSON bodies
type Json = any;
const json = async (res: Response): Promise<Json> => res.json();

const NOW = new Date("2026-08-16T12:00:00Z");
const HOSTILE = `<script>alert(1)</script> & "Quoted" 'title'`;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;

before(async () => {
  ({ db, app, close } = await testApp({ env: { BASE_URL: "https://papers.example.org" } }));
  await upsertRecords(
    db,
    [
      // Week 2026-W33 is 10–16 August. A is the most upvoted but six days old; B leads on trending.
      paperRecord(
        { arxivId: "2608.00001", title: "Attention everywhere", authors: ["Ada Lovelace", "Alan Turing"] },
        { day: "2026-08-10", upvotes: 30, numComments: 3, submittedBy: "ada", organization: "DeepLab" },
      ),
      paperRecord(
        {
          arxivId: "2608.00002",
          title: "Diffusion for proteins",
          submittedAt: "2026-08-14T17:59:59.000Z",
          codeUrl: "https://github.com/example/diffusion",
          codeStars: 120,
          projectUrl: "https://example.org/diffusion",
        },
        { day: "2026-08-16", upvotes: 20, submittedBy: "bob", submittedAt: "2026-08-16T08:00:00.000Z" },
      ),
      paperRecord({ arxivId: "2608.00003", title: HOSTILE }, { day: "2026-08-16", upvotes: 5, submittedBy: "ada" }),
      paperRecord({ arxivId: "2608.00006" }, { day: "2026-08-16", upvotes: 3 }),
      paperRecord({ arxivId: "2608.00007" }, { day: "2026-08-16", upvotes: 2 }),
      paperRecord({ arxivId: "2608.00008" }, { day: "2026-08-16", upvotes: 1 }),
      paperRecord({ arxivId: "2607.00004" }, { day: "2026-07-20", upvotes: 4 }),
      paperRecord({ arxivId: "2608.00005" }),
      paperRecord({ arxivId: "hep-th/9901001", title: "Strings, old style" }),
    ],
    NOW,
  );
});
after(() => close());

const ids = (items: { paper: { id: string } }[]) => items.map((i) => i.paper.id);

/** Python's truthiness: None, 0, "", an empty list are false. */
const truthy = (v: unknown) =>
  v !== null && v !== undefined && v !== 0 && v !== "" && !(Array.isArray(v) && v.length === 0);

/** What huggingface_hub's PaperInfo(**item) keeps (hf_api.py), key for key, with its pops and `or`s. */
function paperInfo(body: Json) {
  const kwargs = structuredClone(body);
  const pop = (from: Json, key: string) => {
    const value = from[key] ?? null;
    delete from[key];
    return value;
  };
  // Python's `a.pop(x) or b.pop(y)` pops from b only when a's value is falsy.
  const either = (a: Json, ka: string, b: Json, kb: string) => {
    const first = pop(a, ka);
    return truthy(first) ? first : pop(b, kb);
  };
  const paper = pop(kwargs, "paper") ?? {};
  const user = (u: Json) =>
    u ? { username: u.user ?? "", fullname: u.fullname ?? "", avatar_url: u.avatarUrl } : null;
  return {
    id: either(kwargs, "id", paper, "id"),
    authors: ((either(paper, "authors", kwargs, "authors") as Json[] | null) ?? []).map((a) => a.name),
    published_at: either(paper, "publishedAt", kwargs, "publishedAt"),
    title: pop(kwargs, "title"),
    summary: either(paper, "summary", kwargs, "summary"),
    upvotes: either(paper, "upvotes", kwargs, "upvotes"),
    discussion_id: either(paper, "discussionId", kwargs, "discussionId"),
    comments: kwargs.numComments ?? 0,
    submitted_at: either(kwargs, "publishedAt", kwargs, "submittedOnDailyAt"),
    submitted_by: user(either(kwargs, "submittedBy", kwargs, "submittedOnDailyBy")),
    ai_summary: kwargs.ai_summary ?? null,
    ai_keywords: kwargs.ai_keywords ?? null,
    organization: kwargs.organization ? kwargs.organization.name : null,
    project_page: kwargs.projectPage ?? null,
    github_repo: kwargs.githubRepo ?? null,
    github_stars: kwargs.githubStars ?? null,
  };
}

test("GET /api/daily_papers without a period lists the latest featured day in the HF shape", async () => {
  const res = await app.request("/api/daily_papers");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.equal(res.headers.get("x-total-count"), "5");
  const items = await json(res);
  assert.deepEqual(ids(items), ["2608.00002", "2608.00003", "2608.00006", "2608.00007", "2608.00008"]);
  const item = items[0];
  assert.deepEqual(Object.keys(item).sort(), [
    "ai_keywords",
    "ai_summary",
    "githubRepo",
    "githubStars",
    "isAuthorParticipating",
    "mediaUrls",
    "numComments",
    "organization",
    "paper",
    "projectPage",
    "publishedAt",
    "submittedBy",
    "summary",
    "thumbnail",
    "title",
    "upvotes",
  ]);
  assert.deepEqual(Object.keys(item.paper).sort(), [
    "ai_keywords",
    "ai_summary",
    "authors",
    "discussionId",
    "githubRepo",
    "githubStars",
    "id",
    "organization",
    "projectPage",
    "publishedAt",
    "submittedOnDailyAt",
    "submittedOnDailyBy",
    "summary",
    "title",
    "upvotes",
  ]);
  assert.deepEqual(item.paper.authors[0], { name: "Ada Lovelace", hidden: false });
  assert.equal(item.paper.publishedAt, "2026-08-14T17:59:59.000Z");
  assert.equal(item.paper.submittedOnDailyAt, "2026-08-16T08:00:00.000Z");
  assert.equal(item.publishedAt, "2026-08-16T08:00:00.000Z");
  const bob = { user: "bob", name: "bob", fullname: "bob", avatarUrl: null, isPro: false, type: "user" };
  assert.deepEqual(item.submittedBy, bob);
  assert.deepEqual(item.paper.submittedOnDailyBy, bob);
  assert.equal(item.isAuthorParticipating, false);
  assert.equal(item.thumbnail, null);
  assert.equal(item.paper.discussionId, null);

  assert.deepEqual(paperInfo(item), {
    id: "2608.00002",
    authors: ["Ada Lovelace", "Alan Turing"],
    published_at: "2026-08-14T17:59:59.000Z",
    title: "Diffusion for proteins",
    summary: "We study things.",
    upvotes: 20,
    discussion_id: null,
    comments: 0,
    submitted_at: "2026-08-16T08:00:00.000Z",
    submitted_by: { username: "bob", fullname: "bob", avatar_url: null },
    ai_summary: null,
    ai_keywords: null,
    organization: null,
    project_page: "https://example.org/diffusion",
    github_repo: "https://github.com/example/diffusion",
    github_stars: 120,
  });
});

test("date, week and month select the period; sort and submitter reorder and filter it", async () => {
  const day = await json(await app.request("/api/daily_papers?date=2026-08-10"));
  assert.deepEqual(ids(day), ["2608.00001"]);
  assert.equal(day[0].submittedBy.user, "ada");
  assert.deepEqual(day[0].organization, { name: "DeepLab", fullname: "DeepLab", avatarUrl: null });
  assert.equal(paperInfo(day[0]).organization, "DeepLab");
  assert.equal(day[0].numComments, 3);
  assert.equal(day[0].publishedAt, "2026-08-10T00:00:00.000Z", "a featuring without a time is its day");

  const week = await json(await app.request("/api/daily_papers?week=2026-W33"));
  assert.deepEqual(ids(week).slice(0, 3), ["2608.00001", "2608.00002", "2608.00003"]);
  assert.equal(week.length, 6);
  const trending = await json(await app.request("/api/daily_papers?week=2026-W33&sort=trending"));
  assert.equal(trending[0].paper.id, "2608.00002", "votes decay with age: the newer paper leads");
  assert.notDeepEqual(ids(trending), ids(week));
  assert.deepEqual([...ids(trending)].sort(), [...ids(week)].sort());
  const published = await json(await app.request("/api/daily_papers?week=2026-W33&sort=publishedAt"));
  assert.equal(published[0].paper.id, "2608.00002", "newest arXiv submission first");
  const upvotes = await json(await app.request("/api/daily_papers?week=2026-W33&sort=upvotes"));
  assert.deepEqual(ids(upvotes), ids(week));

  const month = await json(await app.request("/api/daily_papers?month=2026-07"));
  assert.deepEqual(ids(month), ["2607.00004"]);
  const byAda = await json(await app.request("/api/daily_papers?week=2026-W33&submitter=ada"));
  assert.deepEqual(ids(byAda), ["2608.00001", "2608.00003"]);
  const nobody = await app.request("/api/daily_papers?week=2026-W33&submitter=nobody");
  assert.deepEqual(await json(nobody), []);
  assert.equal(nobody.headers.get("x-total-count"), "0");
  assert.deepEqual(await json(await app.request("/api/daily_papers?date=2026-08-11")), []);
});

test("daily papers page with p and limit, a Link header and X-Total-Count", async () => {
  const first = await app.request("/api/daily_papers?date=2026-08-16&limit=2");
  assert.equal(first.headers.get("x-total-count"), "5");
  assert.deepEqual(ids(await json(first)), ["2608.00002", "2608.00003"]);
  assert.equal(
    first.headers.get("link"),
    '<https://papers.example.org/api/daily_papers?date=2026-08-16&limit=2&p=1>; rel="next"',
  );
  const middle = await app.request("/api/daily_papers?date=2026-08-16&limit=2&p=1");
  assert.deepEqual(ids(await json(middle)), ["2608.00006", "2608.00007"]);
  assert.match(middle.headers.get("link") ?? "", /[?&]p=2>; rel="next"/);
  assert.match(middle.headers.get("link") ?? "", /[?&]p=0>; rel="prev"/);
  const last = await app.request("/api/daily_papers?date=2026-08-16&limit=2&p=2");
  assert.deepEqual(ids(await json(last)), ["2608.00008"]);
  assert.doesNotMatch(last.headers.get("link") ?? "", /rel="next"/);
  const beyond = await app.request("/api/daily_papers?date=2026-08-16&limit=2&p=9");
  assert.deepEqual(await json(beyond), []);
  assert.match(beyond.headers.get("link") ?? "", /[?&]p=2>; rel="prev"/, "prev leads back to the last page");
  const defaults = await json(await app.request("/api/daily_papers?week=2026-W33"));
  assert.equal(defaults.length, 6, "50 per page by default");
});

test("every bad parameter is a 400 naming it", async () => {
  const cases: [string, string][] = [
    ["/api/daily_papers?date=2026-02-30", "date"],
    ["/api/daily_papers?date=yesterday", "date"],
    ["/api/daily_papers?week=2026-W99", "week"],
    ["/api/daily_papers?week=2026-33", "week"],
    ["/api/daily_papers?month=13", "month"],
    ["/api/daily_papers?month=2026-13", "month"],
    ["/api/daily_papers?date=2026-08-16&week=2026-W33", "week"],
    ["/api/daily_papers?week=2026-W33&month=2026-08", "month"],
    ["/api/daily_papers?limit=0", "limit"],
    ["/api/daily_papers?limit=1000", "limit"],
    ["/api/daily_papers?limit=abc", "limit"],
    ["/api/daily_papers?p=-1", "p"],
    ["/api/daily_papers?p=1.5", "p"],
    ["/api/daily_papers?sort=bogus", "sort"],
    [`/api/daily_papers?submitter=${"x".repeat(101)}`, "submitter"],
    ["/api/papers?cursor=garbage", "cursor"],
    [`/api/papers?cursor=${Buffer.from("p:12; drop table papers").toString("base64url")}`, "cursor"],
    ["/api/papers?limit=0", "limit"],
    ["/api/papers?limit=101", "limit"],
    ["/api/papers/not-an-id", "id"],
    ["/api/trending?limit=0", "limit"],
    ["/api/trending?limit=abc", "limit"],
    ["/api/trending?offset=-1", "offset"],
  ];
  for (const [url, parameter] of cases) {
    const res = await app.request(url);
    assert.equal(res.status, 400, url);
    const body = await json(res);
    assert.equal(body.parameter, parameter, url);
    assert.match(body.error, new RegExp(`^${parameter} `), url);
  }
});

test("GET /api/papers/:id is one paper as paper_info reads it; unknown is a 404", async () => {
  const res = await app.request("/api/papers/2608.00001");
  assert.equal(res.status, 200);
  const paper = await json(res);
  assert.equal(paper.id, "2608.00001");
  assert.equal(paper.title, "Attention everywhere");
  assert.equal(paper.upvotes, 30);
  assert.equal(paper.numComments, 3);
  assert.equal(paper.submittedOnDailyAt, "2026-08-10T00:00:00.000Z");
  assert.equal(paper.submittedOnDailyBy.user, "ada");
  assert.equal(paper.organization.name, "DeepLab");
  assert.match(paper.publishedAt, ISO);
  const info = paperInfo(paper);
  assert.equal(info.id, "2608.00001");
  assert.equal(info.title, "Attention everywhere");
  assert.equal(info.published_at, paper.publishedAt);
  assert.equal(
    info.submitted_at,
    "2026-08-10T00:00:00.000Z",
    "publishedAt is the publication, so submittedOnDailyAt is read",
  );
  assert.equal(info.submitted_by?.username, "ada");
  assert.equal(info.comments, 3);

  assert.equal((await json(await app.request("/api/papers/2608.00001v2"))).id, "2608.00001", "versions resolve");
  const archiveOnly = await json(await app.request("/api/papers/2608.00005"));
  assert.equal(archiveOnly.submittedOnDailyAt, null);
  assert.equal(archiveOnly.submittedOnDailyBy, null);
  assert.equal(archiveOnly.organization, null);
  const old = await app.request("/api/papers/hep-th/9901001");
  assert.equal(old.status, 200);
  assert.equal((await json(old)).id, "hep-th/9901001");
  assert.equal((await json(await app.request("/api/papers/hep-th%2F9901001"))).id, "hep-th/9901001");

  for (const url of ["/api/papers/2608.99999", "/api/papers/astro-ph/0000001"]) {
    const missing = await app.request(url);
    assert.equal(missing.status, 404, url);
    assert.match(missing.headers.get("content-type") ?? "", /application\/json/);
    assert.match((await json(missing)).error, /not found/);
  }
});

test("hostile titles come back as the same plain JSON strings", async () => {
  const items = await json(await app.request("/api/daily_papers?date=2026-08-16"));
  const item = items.find((i: Json) => i.paper.id === "2608.00003");
  assert.equal(item.title, HOSTILE);
  assert.equal(item.paper.title, HOSTILE);
  assert.equal((await json(await app.request("/api/papers/2608.00003"))).title, HOSTILE);
});

test("GET /api/papers walks the whole archive newest first by cursor in the Link header", async () => {
  const seen: string[] = [];
  let url: string | null = "/api/papers?limit=4";
  let pages = 0;
  while (url) {
    const res = await app.request(url);
    assert.equal(res.status, 200, url);
    const body = await json(res);
    assert.ok(Array.isArray(body));
    seen.push(...body.map((p: Json) => p.id));
    const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
    if (next) assert.ok(next.startsWith("https://papers.example.org/api/papers?"), next);
    url = next ? next.replace("https://papers.example.org", "") : null;
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(seen.length, 9);
  assert.equal(new Set(seen).size, 9);
  assert.equal(seen[0], "hep-th/9901001", "the paper added last comes first");
  const all = await json(await app.request("/api/papers"));
  assert.deepEqual(
    all.map((p: Json) => p.id),
    seen,
  );
  const featured = all.find((p: Json) => p.id === "2608.00002");
  assert.equal(featured.submittedOnDailyBy.user, "bob");
  assert.equal(featured.numComments, 0);
});

test("GET /api/trending lists papers by score with the score, total and Link headers", async () => {
  const res = await app.request("/api/trending?limit=2");
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.total, 7, "every featured paper has a score");
  assert.equal(res.headers.get("x-total-count"), "7");
  assert.equal(body.limit, 2);
  assert.equal(body.offset, 0);
  assert.equal(body.items.length, 2);
  assert.equal(body.items[0].paper.arxivId, "2608.00002");
  assert.ok(body.items[0].score >= body.items[1].score);
  assert.equal(typeof body.items[0].paper.title, "string");
  assert.equal(res.headers.get("link"), '<https://papers.example.org/api/trending?limit=2&offset=2>; rel="next"');
  const rest = await app.request("/api/trending?limit=2&offset=6");
  assert.equal((await json(rest)).items.length, 1);
  assert.equal(rest.headers.get("link"), '<https://papers.example.org/api/trending?limit=2&offset=4>; rel="prev"');
  const scores = (await json(await app.request("/api/trending?limit=100"))).items.map((i: Json) => i.score);
  assert.deepEqual(
    scores,
    [...scores].sort((a, b) => b - a),
  );
});

test("/api/papers/search and /api/papers/:id/similar still reach their own handlers", async () => {
  const search = await app.request("/api/papers/search?q=diffusion");
  assert.equal(search.status, 200);
  const hits = await json(search);
  assert.ok(Array.isArray(hits));
  assert.equal(hits[0]?.paper.id, "2608.00002");
  assert.equal((await json(await app.request("/api/papers/search"))).parameter, "q");
  const similar = await app.request("/api/papers/2608.00001/similar");
  assert.equal(similar.status, 200);
  const body = await json(similar);
  assert.equal(body.paper, "2608.00001");
  assert.ok(Array.isArray(body.similar));
  assert.equal((await app.request("/api/papers/2608.00001/elsewhere")).status, 404);
});
