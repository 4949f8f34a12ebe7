// Tests of the Porter stemmer: the examples of Porter's paper, and agreement with the stems SQLite's
// own FTS5 porter tokenizer puts in an index, word for word, over the demo vocabulary.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import SQLite from "better-sqlite3";
import { porterStem } from "./porter.ts";

test("stems the examples of Porter's paper", () => {
  const examples: Record<string, string> = {
    caresses: "caress",
    ponies: "poni",
    ties: "ti",
    cats: "cat",
    feed: "feed",
    agreed: "agre",
    plastered: "plaster",
    bled: "bled",
    motoring: "motor",
    sing: "sing",
    conflated: "conflat",
    troubled: "troubl",
    sized: "size",
    hopping: "hop",
    falling: "fall",
    hissing: "hiss",
    filing: "file",
    happy: "happi",
    sky: "sky",
    relational: "relat",
    conditional: "condit",
    digitizer: "digit",
    vietnamization: "vietnam",
    predication: "predic",
    operator: "oper",
    feudalism: "feudal",
    decisiveness: "decis",
    hopefulness: "hope",
    sensibiliti: "sensibl",
    triplicate: "triplic",
    formative: "form",
    electrical: "electr",
    goodness: "good",
    revival: "reviv",
    allowance: "allow",
    inference: "infer",
    adjustable: "adjust",
    replacement: "replac",
    adoption: "adopt",
    communism: "commun",
    effective: "effect",
    bowdlerize: "bowdler",
    probate: "probat",
    rate: "rate",
    cease: "ceas",
    controlling: "control",
    generalizations: "gener",
    oscillators: "oscil",
    alignment: "align",
    aligning: "align",
  };
  for (const [word, stem] of Object.entries(examples)) assert.equal(porterStem(word), stem, word);
});

test("leaves short, long and non-ASCII tokens as they are", () => {
  assert.equal(porterStem("is"), "is");
  assert.equal(porterStem("résumés"), "résumés");
  assert.equal(porterStem("gpt4s"), "gpt4s");
  assert.equal(porterStem(`${"a".repeat(70)}ing`), `${"a".repeat(70)}ing`);
});

test("agrees with the stems FTS5's porter tokenizer indexes, over the demo vocabulary", () => {
  const file = new URL("../../../demo/arxiv-listings.jsonl.gz", import.meta.url);
  const words = new Set<string>();
  for (const line of gunzipSync(readFileSync(file)).toString("utf8").split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line) as { title: string; abstract: string };
    for (const w of `${r.title} ${r.abstract}`.toLowerCase().match(/[a-z]+/g) ?? []) words.add(w);
  }
  const list = [...words];
  assert.ok(list.length > 10_000);
  // An in-memory index used only as the reference tokenizer: one word per row, stems read back.
  const db = new SQLite(":memory:");
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(w, tokenize = 'porter ascii');
      CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const insert = db.prepare("INSERT INTO t (rowid, w) VALUES (?, ?)");
    db.transaction(() => {
      for (const [i, w] of list.entries()) insert.run(i + 1, w);
    })();
    const rows = db.prepare("SELECT doc, term FROM v").all() as { doc: number; term: string }[];
    assert.equal(rows.length, list.length);
    const differ = rows.filter((r) => porterStem(list[r.doc - 1] as string) !== r.term);
    assert.deepEqual(differ.slice(0, 5), []);
  } finally {
    db.close();
  }
});
