// Tests of keywordSearch on the database in use (SQLite, or PostgreSQL with TEST_DATABASE_URL): a
// handful of handmade papers stored through upsertRecords, then ranking, matching modes, phrases,
// exclusions, authors, categories, dates, caller filters, paging, type-ahead, bad options and
// hostile input.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type TestDb, testDb } from "../../../test/helpers/db.ts";
import type { ImportRecord, PaperInput } from "../../papers/model.ts";
import { upsertRecords } from "../../papers/store.ts";
import { parseQuery } from "../query.ts";
import { hostileStrings } from "./hostile-strings.ts";
import { type KeywordSearchOptions, keywordSearch, MAX_OFFSET, SearchFilterError } from "./index.ts";

const PAPERS: PaperInput[] = [
  {
    arxivId: "2401.00001",
    title: "Attention Is All You Need",
    authors: ["Ashish Vaswani", "Noam Shazeer"],
    categories: ["cs.CL", "cs.LG"],
    abstract:
      "Sequence transduction models are based on recurrent networks. We propose the Transformer, based on attention.",
    announcedOn: "2024-01-02",
  },
  {
    arxivId: "2401.00002",
    title: "Aligning Language Models with Human Feedback",
    authors: ["Jane Doe", "Yann LeCun"],
    categories: ["cs.CL"],
    abstract: "We study alignment of large language models through preference optimization.",
    announcedOn: "2024-01-15",
  },
  {
    arxivId: "2402.00003",
    title: "A Survey of Large Language Models",
    authors: ["Wei Zhao"],
    categories: ["cs.CL", "cs.AI"],
    abstract: "This survey reviews large language models, their training and their evaluation.",
    announcedOn: "2024-02-10",
  },
  {
    arxivId: "2403.00004",
    title: "Graph Neural Networks for Molecules",
    authors: ["Léa Müller", "Ada Lovelace", "Charles Babbage"],
    categories: ["cs.LG", "q-bio.BM"],
    abstract: "Message passing neural networks predict molecular properties, unlike the survey methods before.",
    announcedOn: "2024-03-05",
  },
  {
    arxivId: "2404.00005",
    title: "Diffusion Models Beat GANs on Image Synthesis",
    authors: ["Prafulla Dhariwal", "Alex Nichol"],
    categories: ["cs.CV"],
    abstract: "We show that diffusion models achieve better sample quality than generative adversarial models.",
    submittedAt: "2024-04-20T10:00:00.000Z",
  },
  {
    arxivId: "2405.00006",
    title: "Zebra Stripes and Thermoregulation",
    authors: ["Tim Caro"],
    categories: ["q-bio.PE"],
    abstract: "Why do zebras have stripes? We test thermoregulation models in the field.",
    announcedOn: "2024-05-01",
  },
  {
    arxivId: "2406.00007",
    title: "Organizing Knowledge with Retrieval",
    authors: ["Ann Long"],
    categories: ["cs.IR"],
    abstract: "The organization of retrieval augmented generation systems: the model organizes documents.",
    announcedOn: "2024-06-01",
  },
  {
    arxivId: "hep-th/9901001",
    title: "String Theory Dualities",
    authors: ["Edward Witten"],
    categories: ["hep-th"],
    abstract: "Dualities relate string theories in different regimes.",
    announcedOn: "1999-01-04",
  },
];

const records = (papers: PaperInput[]): ImportRecord[] =>
  papers.map((paper, i) => ({ paper, ref: `test:${i}`, source: "arxiv-listing" }));

describe("keywordSearch", () => {
  let db: TestDb;
  const idOf = new Map<number, string>();

  before(async () => {
    db = await testDb();
    await upsertRecords(db, records(PAPERS));
    for (const r of await db.kysely.selectFrom("papers").select(["id", "arxiv_id"]).execute())
      idOf.set(r.id, r.arxiv_id);
  });
  after(() => db.close());

  const search = async (text: string, options: KeywordSearchOptions = {}, prefix = false) => {
    const result = await keywordSearch(db, parseQuery(text, { prefix }), options);
    return { ...result, ids: result.hits.map((h) => idOf.get(h.paperId)) };
  };
  const sorted = (ids: (string | undefined)[]) => [...ids].sort();

  test("finds papers by a title or abstract word, in all its forms", async () => {
    assert.deepEqual((await search("transformer")).ids, ["2401.00001"]);
    assert.deepEqual((await search("aligned")).ids, ["2401.00002"]);
    assert.deepEqual((await search("ORGANIZES")).ids, ["2406.00007"]);
    assert.deepEqual((await search("zebra")).ids, ["2405.00006"]);
  });

  test("a title match ranks above an abstract-only match, and scores descend", async () => {
    const r = await search("survey");
    assert.deepEqual(r.ids, ["2402.00003", "2403.00004"]);
    assert.ok((r.hits[0]?.score ?? 0) > (r.hits[1]?.score ?? 0));
  });

  test("a rare word weighs more than a common one", async () => {
    const r = await search("models dualities", { match: "any" });
    assert.equal(r.ids[0], "hep-th/9901001");
    assert.equal(r.total, 7);
  });

  test("short queries match all words; with none having all, any word", async () => {
    const all = await search("language models");
    assert.equal(all.matched, "all");
    assert.deepEqual(sorted(all.ids), ["2401.00002", "2402.00003"]);
    assert.equal(all.total, 2);
    const fallback = await search("zebra transformer");
    assert.equal(fallback.matched, "any");
    assert.deepEqual(sorted(fallback.ids), ["2401.00001", "2405.00006"]);
    const strict = await search("zebra transformer", { match: "all" });
    assert.deepEqual([strict.ids, strict.total, strict.matched], [[], 0, "all"]);
  });

  test("long queries match any word, ranked by how much they match", async () => {
    const r = await search("large language models alignment with human preference feedback");
    assert.equal(r.matched, "any");
    assert.equal(r.ids[0], "2401.00002");
  });

  test("phrases need their words together and in order", async () => {
    assert.deepEqual(sorted((await search('"language models"')).ids), ["2401.00002", "2402.00003"]);
    assert.deepEqual((await search('"models language"')).ids, []);
  });

  test("exclusions remove papers, also with nothing else to search", async () => {
    assert.deepEqual((await search("language models -survey")).ids, ["2401.00002"]);
    const r = await search("-survey");
    assert.equal(r.matched, "filters");
    assert.equal(r.total, PAPERS.length - 2);
    assert.ok(!r.ids.includes("2402.00003") && !r.ids.includes("2403.00004"));
  });

  test("author: matches names as phrases, in author names only", async () => {
    assert.deepEqual((await search('author:"Yann LeCun"')).ids, ["2401.00002"]);
    assert.deepEqual((await search("author:lecun alignment")).ids, ["2401.00002"]);
    assert.deepEqual((await search("author:Muller")).ids, ["2403.00004"]);
    assert.deepEqual((await search('author:"LeCun Yann"')).ids, []);
    assert.deepEqual((await search("author:attention")).ids, []);
    // A phrase never runs from one author's name into the next one's.
    assert.deepEqual((await search('author:"Lovelace Charles"')).ids, []);
  });

  test("plain words also find author names", async () => {
    assert.deepEqual((await search("witten")).ids, ["hep-th/9901001"]);
  });

  test("cat: keeps papers in a category, or in any category of an archive", async () => {
    assert.deepEqual(sorted((await search("models cat:cs.CL")).ids), ["2401.00001", "2401.00002", "2402.00003"]);
    assert.deepEqual(sorted((await search("cat:q-bio")).ids), ["2403.00004", "2405.00006"]);
    assert.deepEqual((await search("cat:hep-th")).ids, ["hep-th/9901001"]);
    assert.deepEqual((await search("cat:cs.cv")).ids, ["2404.00005"]);
    assert.equal((await search("cat:cs")).total, 6);
    assert.deepEqual((await search("cat:math.AG")).ids, []);
  });

  test("filters alone list the papers newest first", async () => {
    const r = await search("cat:cs.CL");
    assert.equal(r.matched, "filters");
    assert.deepEqual(r.ids, ["2402.00003", "2401.00002", "2401.00001"]);
    assert.ok(r.hits.every((h) => h.score === 0));
  });

  test("before: and after: use the announced day, else the submission day", async () => {
    assert.deepEqual(sorted((await search("after:2024-02 before:2024-05")).ids), ["2403.00004", "2404.00005"]);
    assert.deepEqual((await search("models before:2024-01-15")).ids, ["2401.00001"]);
    assert.deepEqual((await search("before:2000")).ids, ["hep-th/9901001"]);
    assert.deepEqual((await search("diffusion after:2024-04-20")).ids, []);
    assert.deepEqual((await search("diffusion after:2024-04-19")).ids, ["2404.00005"]);
  });

  test("caller filters combine with the query's", async () => {
    const filters = { categories: ["cs.AI"] };
    assert.deepEqual((await search("models cat:cs.CL", { filters })).ids, ["2402.00003"]);
    assert.deepEqual((await search("models", { filters: { authorKey: "YANN LECUN" } })).ids, ["2401.00002"]);
    assert.deepEqual((await search("", { filters: { authorKey: "Léa Müller" } })).ids, ["2403.00004"]);
    assert.deepEqual((await search("models", { filters: { authors: ["Jane Doe"] } })).ids, ["2401.00002"]);
    const dated = await search("models", { filters: { dateFrom: "2024-01-10", dateUntil: "2024-04-01" } });
    assert.deepEqual(sorted(dated.ids), ["2401.00002", "2402.00003"]);
    const tighter = await search("models after:2024-01-31", { filters: { dateFrom: "2024-01-10" } });
    assert.deepEqual(sorted(tighter.ids), ["2402.00003", "2404.00005", "2405.00006", "2406.00007"]);
    assert.deepEqual((await search("models", { filters: { categories: ["not a category"] } })).ids, []);
  });

  test("minPaperId keeps only papers added at or after an id (new since a digest's last edition)", async () => {
    const byArxiv = new Map([...idOf].map(([id, arxiv]) => [arxiv, id]));
    const from = byArxiv.get("2404.00005") as number;
    const all = await search("models", { match: "any", limit: 100 });
    const recent = await search("models", { match: "any", limit: 100, filters: { minPaperId: from } });
    const expected = all.hits.filter((h) => h.paperId >= from).map((h) => idOf.get(h.paperId));
    assert.ok(expected.length > 0 && expected.length < all.hits.length);
    assert.deepEqual(recent.ids, expected);
    await assert.rejects(search("models", { filters: { minPaperId: -1 } }), SearchFilterError);
  });

  test("pages split one ranking, and the total holds on every page", async () => {
    const full = await search("models", { match: "any", limit: 100 });
    const pages = [];
    for (let offset = 0; offset < full.total; offset += 2) {
      const page = await search("models", { match: "any", limit: 2, offset });
      assert.equal(page.total, full.total);
      pages.push(...page.ids);
    }
    assert.deepEqual(pages, full.ids);
    const beyond = await search("models", { match: "any", limit: 2, offset: 50 });
    assert.deepEqual([beyond.ids, beyond.total], [[], full.total]);
    const browseBeyond = await search("cat:cs", { offset: 50 });
    assert.deepEqual([browseBeyond.ids, browseBeyond.total], [[], 6]);
  });

  test("type-ahead matches the partial last word", async () => {
    assert.deepEqual((await search("transf", {}, true)).ids, ["2401.00001"]);
    assert.deepEqual((await search("organiz", {}, true)).ids, ["2406.00007"]);
    assert.deepEqual((await search("language alignm", {}, true)).ids, ["2401.00002"]);
    assert.deepEqual((await search('"diffusion mod', {}, true)).ids, ["2404.00005"]);
    const first = await search("z", {}, true);
    assert.deepEqual([first.ids, first.matched], [[], "nothing"]);
  });

  test("an empty query finds nothing", async () => {
    for (const text of ["", "   ", '" * ( :', "-"]) {
      const r = await search(text);
      assert.deepEqual([r.ids, r.total, r.matched], [[], 0, "nothing"]);
    }
  });

  test("bad pages and malformed filters are clear errors", async () => {
    const q = parseQuery("models");
    await assert.rejects(keywordSearch(db, q, { limit: 0 }), RangeError);
    await assert.rejects(keywordSearch(db, q, { limit: 2.5 }), RangeError);
    await assert.rejects(keywordSearch(db, q, { offset: -1 }), RangeError);
    await assert.rejects(keywordSearch(db, q, { offset: MAX_OFFSET + 1 }), RangeError);
    await assert.rejects(keywordSearch(db, q, { filters: { dateFrom: "2024/01/01" } }), SearchFilterError);
    await assert.rejects(keywordSearch(db, q, { filters: { dateUntil: "2024-99-99" } }), /dateUntil must be a date/);
    const notList = { categories: "cs.CL" } as unknown as KeywordSearchOptions["filters"];
    await assert.rejects(keywordSearch(db, q, { filters: notList }), /categories must be a list/);
    const r = await keywordSearch(db, q, { limit: 5000 });
    assert.ok(r.hits.length <= 1000);
  });

  test("hostile input returns results or nothing, never throws, and changes nothing", async () => {
    const inputs = [
      ...hostileStrings(120, 3),
      "'; DROP TABLE papers; --",
      'author:"\'; DELETE FROM papers; --"',
      "cat:cs.CL' OR '1'='1",
      "models) OR 1=1 --",
      "NEAR(attention transformer, 0)",
      "attention^2 title:attention {title}:attention",
      "\\",
      "'",
      "''",
    ];
    for (const text of inputs) {
      for (const match of ["auto", "any"] as const) {
        const r = await keywordSearch(db, parseQuery(text, { prefix: true }), { match });
        assert.ok(Array.isArray(r.hits) && r.total >= r.hits.length, text);
      }
    }
    const count = await db.kysely
      .selectFrom("papers")
      .select(db.kysely.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    assert.equal(Number(count?.n), PAPERS.length);
    assert.deepEqual((await search('"NEAR(attention transformer, 0)"')).ids, []);
    assert.deepEqual((await search("attention AND transformer")).ids, ["2401.00001"]);
  });
});
