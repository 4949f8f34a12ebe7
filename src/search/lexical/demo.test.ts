// Keyword search over the bundled demo papers (real arXiv metadata, imported as a fresh instance
// does): every hit holds every word of a short query (checked by the highlighter, which knows
// nothing of the index), type-ahead finds partial words, and filters hold on every hit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type TestDb, testDb } from "../../../test/helpers/db.ts";
import { loadDemoIfEmpty } from "../../papers/demo.ts";
import { highlightText } from "../highlight.ts";
import { parseQuery } from "../query.ts";
import { keywordSearch } from "./index.ts";

describe("keyword search over the demo papers", () => {
  let db: TestDb;

  before(async () => {
    db = await testDb();
    await loadDemoIfEmpty(db);
  });
  after(() => db.close());

  const papers = (ids: number[]) =>
    db.kysely.selectFrom("papers").select(["id", "title", "abstract", "authors"]).where("id", "in", ids).execute();

  test("every hit of a short query holds each of its words", async () => {
    for (const text of ["diffusion", "language models", "reinforcement learning", "graph neural"]) {
      const result = await keywordSearch(db, parseQuery(text), { limit: 30 });
      assert.equal(result.matched, "all", text);
      assert.ok(result.hits.length > 0, text);
      for (const p of await papers(result.hits.map((h) => h.paperId))) {
        const all = `${p.title} ${p.abstract} ${(JSON.parse(p.authors) as string[]).join(" ")}`;
        for (const word of text.split(" ")) {
          assert.ok(highlightText(all, parseQuery(word)).length > 0, `${text}: ${word} in ${p.title}`);
        }
      }
    }
  });

  test("type-ahead finds what the partial word begins", async () => {
    const result = await keywordSearch(db, parseQuery("diffusi", { prefix: true }), { limit: 10 });
    assert.ok(result.total > 0);
    for (const p of await papers(result.hits.map((h) => h.paperId))) {
      assert.match(`${p.title} ${p.abstract}`, /diffusi/i);
    }
  });

  test("an author's papers are found by their name", async () => {
    const sample = await db.kysely
      .selectFrom("papers")
      .select(["id", "authors"])
      .where("authors", "!=", "[]")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const name = (JSON.parse(sample.authors) as string[])[0] as string;
    const result = await keywordSearch(db, parseQuery(`author:"${name}"`), { limit: 100 });
    assert.ok(
      result.hits.some((h) => h.paperId === sample.id),
      name,
    );
  });

  test("category and date filters hold on every hit", async () => {
    const result = await keywordSearch(db, parseQuery("models cat:cs.CV after:2026-06-30"), { limit: 50 });
    assert.ok(result.total > 0);
    const ids = result.hits.map((h) => h.paperId);
    const rows = await db.kysely
      .selectFrom("papers")
      .select(["id", "announced_on", "submitted_at"])
      .where("id", "in", ids)
      .execute();
    for (const r of rows) {
      const day = r.announced_on ?? r.submitted_at?.slice(0, 10) ?? "";
      assert.ok(day >= "2026-07-01", `${r.id} dated ${day}`);
    }
    const inCategory = await db.kysely
      .selectFrom("paper_categories")
      .select("paper_id")
      .where("category", "=", "cs.CV")
      .where("paper_id", "in", ids)
      .execute();
    assert.equal(inCategory.length, ids.length);
  });
});
