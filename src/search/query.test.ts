// Tests of the query language parser: every construct, the bounds, and input that must never
// reach an engine raw (the compilers' own safety is tested in lexical/compile.test.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hostileStrings } from "./lexical/hostile-strings.ts";
import {
  isEmptyQuery,
  MAX_QUERY_LENGTH,
  MAX_TERMS,
  normalizeCategory,
  type ParsedQuery,
  parsePeriod,
  parseQuery,
  tokenize,
} from "./query.ts";

const words = (q: ParsedQuery) => q.terms.map((t) => t.words.join(" "));

describe("parseQuery: words and phrases", () => {
  test("plain words become lower-case single-word terms", () => {
    const q = parseQuery("Attention  Transformer");
    assert.deepEqual(q.terms, [
      { words: ["attention"], quoted: false, prefix: false },
      { words: ["transformer"], quoted: false, prefix: false },
    ]);
    assert.deepEqual(q.warnings, []);
  });

  test("quoted phrases keep their words together and are marked quoted", () => {
    const q = parseQuery('"graph neural network" survey');
    assert.deepEqual(q.terms[0], { words: ["graph", "neural", "network"], quoted: true, prefix: false });
    assert.deepEqual(words(q), ["graph neural network", "survey"]);
  });

  test("an unclosed quote runs to the end of the input", () => {
    const q = parseQuery('diffusion "score matching');
    assert.deepEqual(q.terms[1], { words: ["score", "matching"], quoted: true, prefix: false });
  });

  test("a word with inner punctuation is an unquoted phrase of its parts", () => {
    const q = parseQuery("state-of-the-art GPT-4 C++");
    assert.deepEqual(words(q), ["state of the art", "gpt 4", "c"]);
    assert.equal(q.terms[0]?.quoted, false);
  });

  test("a quote in the middle of a word starts a phrase", () => {
    assert.deepEqual(words(parseQuery('foo"bar baz" qux')), ["foo", "bar baz", "qux"]);
  });

  test("repeated terms are kept once", () => {
    assert.deepEqual(words(parseQuery("bert BERT Bert")), ["bert"]);
  });

  test("accents are kept in NFC form, whatever form they were typed in", () => {
    const decomposed = "re\u0301sume\u0301";
    assert.deepEqual(words(parseQuery(decomposed)), ["résumé"]);
    assert.deepEqual(tokenize("Ærø ÖL"), ["ærø", "öl"]);
  });

  test("letters of any script are words; emoji and symbols separate them", () => {
    assert.deepEqual(words(parseQuery("深度学习 🚀 нейросеть ∑x")), ["深度学习", "нейросеть", "x"]);
  });
});

describe("parseQuery: exclusions", () => {
  test("a leading minus excludes a word or a phrase", () => {
    const q = parseQuery('llm -survey -"large language"');
    assert.deepEqual(words(q), ["llm"]);
    assert.deepEqual(
      q.excluded.map((t) => [t.words.join(" "), t.quoted]),
      [
        ["survey", false],
        ["large language", true],
      ],
    );
  });

  test("a minus on its own, or a hyphen inside a word, excludes nothing", () => {
    const q = parseQuery("a - b self-attention --");
    assert.deepEqual(q.excluded, []);
    assert.deepEqual(words(q), ["a", "b", "self attention"]);
  });

  test("a minus before a field is not supported and says so", () => {
    const q = parseQuery("-author:Smith -cat:cs.CL");
    assert.deepEqual(q.authors, []);
    assert.deepEqual(q.categories, []);
    assert.equal(q.warnings.length, 2);
    assert.match(q.warnings[0] as string, /only words and phrases can be excluded/);
  });
});

describe("parseQuery: fields", () => {
  test("author: takes a bare word or a quoted name, as tokens", () => {
    const q = parseQuery('author:LeCun author:"Yoshua Bengio" author:"Jürgen Schmidhuber');
    assert.deepEqual(q.authors, [["lecun"], ["yoshua", "bengio"], ["jürgen", "schmidhuber"]]);
    assert.deepEqual(q.terms, []);
  });

  test("field names are case-insensitive and an empty value is ignored", () => {
    const q = parseQuery("AUTHOR:hinton Cat:cs.lg author: cat:");
    assert.deepEqual(q.authors, [["hinton"]]);
    assert.deepEqual(q.categories, ["cs.LG"]);
  });

  test("cat: and category: take arXiv categories in arXiv's spelling", () => {
    const q = parseQuery("cat:cs.CL category:MATH.ag cat:cond-mat.MES-HALL cat:hep-th cat:cs");
    assert.deepEqual(q.categories, ["cs.CL", "math.AG", "cond-mat.mes-hall", "hep-th", "cs"]);
  });

  test("a category that cannot be one is reported, not searched", () => {
    const q = parseQuery("cat:'; DROP TABLE papers; -- cat:cs..CL");
    assert.deepEqual(q.categories, []);
    assert.equal(q.warnings.filter((w) => /is not an arXiv category/.test(w)).length, 2);
  });

  test("before: and after: take a day, a month or a year as literal, half-open bounds", () => {
    assert.deepEqual(pick(parseQuery("after:2024-06-15")), { from: "2024-06-16", until: null });
    assert.deepEqual(pick(parseQuery("after:2024-06")), { from: "2024-07-01", until: null });
    assert.deepEqual(pick(parseQuery("after:2023 before:2025")), { from: "2024-01-01", until: "2025-01-01" });
    assert.deepEqual(pick(parseQuery("before:2024-02")), { from: null, until: "2024-02-01" });
    assert.deepEqual(pick(parseQuery("after:2024-12-31")), { from: "2025-01-01", until: null });
    assert.deepEqual(pick(parseQuery("after:2024-12")), { from: "2025-01-01", until: null });
  });

  test("the tightest bound wins when a date field is given twice", () => {
    assert.deepEqual(pick(parseQuery("after:2020 after:2022 before:2025 before:2024")), {
      from: "2023-01-01",
      until: "2024-01-01",
    });
  });

  test("dates that are not real are reported, not applied", () => {
    for (const bad of ["2024-02-30", "2024-13", "24-01-01", "2024/01/01", "yesterday", "0000", "99999"]) {
      const q = parseQuery(`before:${bad}`);
      assert.equal(q.dateUntil, null, bad);
      assert.match(q.warnings[0] as string, /is not a date/, bad);
    }
    assert.equal(parseQuery("after:2024-02-29").dateFrom, "2024-03-01");
  });

  test("unknown field prefixes are words", () => {
    const q = parseQuery("title:transformers http://arxiv.org :colon");
    assert.deepEqual(words(q), ["title transformers", "http arxiv org", "colon"]);
    assert.deepEqual(q.authors, []);
  });
});

describe("parseQuery: prefixes", () => {
  test("while typing, the unfinished last word is a prefix", () => {
    const q = parseQuery("neural netw", { prefix: true });
    assert.deepEqual(
      q.terms.map((t) => t.prefix),
      [false, true],
    );
  });

  test("a trailing space, a closing quote or a field ends the last word", () => {
    assert.equal(parseQuery("neural ", { prefix: true }).terms[0]?.prefix, false);
    assert.equal(parseQuery('"neural net"', { prefix: true }).terms[0]?.prefix, false);
    assert.equal(parseQuery("net cat:cs.LG", { prefix: true }).terms[0]?.prefix, false);
    assert.equal(parseQuery("neural netw").terms[1]?.prefix, false);
  });

  test("an unclosed phrase being typed ends in a prefix; an exclusion being typed does not", () => {
    assert.deepEqual(parseQuery('"neural netw', { prefix: true }).terms[0], {
      words: ["neural", "netw"],
      quoted: true,
      prefix: true,
    });
    assert.equal(parseQuery("llm -surv", { prefix: true }).excluded[0]?.prefix, false);
  });

  test("a trailing * asks for a prefix explicitly; a lone * is nothing", () => {
    const q = parseQuery("transform* * ** a*b");
    assert.deepEqual(q.terms[0], { words: ["transform"], quoted: false, prefix: true });
    assert.deepEqual(words(q), ["transform", "a b"]);
  });
});

describe("parseQuery: bounds and hostile input", () => {
  test("input past the length cap is ignored, with a warning", () => {
    const q = parseQuery(`${"word ".repeat(10)}${"x".repeat(MAX_QUERY_LENGTH)}`);
    assert.ok(q.warnings.some((w) => /first 1000 characters/.test(w)));
    assert.ok(q.terms.length <= MAX_TERMS);
  });

  test("a cut never splits a surrogate pair", () => {
    const q = parseQuery(`${"a".repeat(MAX_QUERY_LENGTH - 1)}😀 tail`);
    assert.ok(!JSON.stringify(q).includes("\\ud83d"));
  });

  test("no more than MAX_TERMS words are kept, counting phrase and author words", () => {
    const many = Array.from({ length: 50 }, (_, i) => `w${i}`).join(" ");
    const q = parseQuery(`author:"a b c" "p q" ${many}`);
    const count = q.terms.reduce((n, t) => n + t.words.length, 0) + q.authors.flat().length;
    assert.equal(count, MAX_TERMS);
    assert.ok(q.warnings.some((w) => /first 32 words/.test(w)));
  });

  test("words longer than 64 characters are dropped", () => {
    const q = parseQuery(`${"z".repeat(65)} ok ${"y".repeat(80)}`);
    assert.deepEqual(words(q), ["ok"]);
    assert.deepEqual(q.warnings, ["words longer than 64 characters are ignored"]);
  });

  test("engine syntax is only separators", () => {
    const q = parseQuery('NEAR(a b, 2) AND x OR y NOT z ^title: {authors}: "*" col:"v" a:b:c \'quoted\'');
    for (const t of [...q.terms, ...q.excluded]) {
      for (const w of t.words) assert.match(w, /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u);
    }
    assert.deepEqual(words(q), [
      "near a",
      "b",
      "2",
      "and",
      "x",
      "or",
      "y",
      "not",
      "z",
      "title",
      "authors",
      "col",
      "v",
      "a b c",
      "quoted",
    ]);
  });

  test("control characters, zero-width and bidi characters, lone surrogates separate words", () => {
    const q = parseQuery("a\u0000b\u200bc\u202ed\ud800e\udc00f\u0007g\r\nh");
    assert.deepEqual(words(q), ["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  test("anything that is not a string parses to the empty query", () => {
    for (const v of [undefined, null, 42, {}, ["a"]]) assert.ok(isEmptyQuery(parseQuery(v)));
    assert.ok(isEmptyQuery(parseQuery("")));
    assert.ok(isEmptyQuery(parseQuery('  " - * ( ) : ^ ')));
    assert.ok(!isEmptyQuery(parseQuery("cat:cs")));
  });

  test("random hostile strings parse without throwing, into bounded letter-and-digit tokens", () => {
    for (const s of hostileStrings(400, 7)) {
      const q = parseQuery(s, { prefix: true });
      const all = [...q.terms, ...q.excluded].flatMap((t) => t.words).concat(q.authors.flat());
      assert.ok(all.length <= MAX_TERMS);
      for (const w of all) {
        assert.match(w, /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u);
        assert.ok(w.length <= 64);
      }
      for (const c of q.categories) assert.match(c, /^[a-z-]+(\.[A-Za-z-]+)?$/);
    }
  });
});

describe("helpers", () => {
  test("normalizeCategory accepts arXiv's forms and rejects others", () => {
    assert.equal(normalizeCategory(" astro-ph.co "), "astro-ph.CO");
    assert.equal(normalizeCategory("physics.optics"), "physics.optics");
    assert.equal(normalizeCategory("cs.CL.x"), null);
    assert.equal(normalizeCategory("cs_CL"), null);
    assert.equal(normalizeCategory(""), null);
  });

  test("parsePeriod gives half-open day ranges", () => {
    assert.deepEqual(parsePeriod("2024"), { start: "2024-01-01", end: "2025-01-01" });
    assert.deepEqual(parsePeriod("2024-02"), { start: "2024-02-01", end: "2024-03-01" });
    assert.deepEqual(parsePeriod("2023-02-28"), { start: "2023-02-28", end: "2023-03-01" });
    assert.equal(parsePeriod("2023-02-29"), null);
    assert.equal(parsePeriod("2024-00"), null);
  });
});

function pick(q: ParsedQuery) {
  return { from: q.dateFrom, until: q.dateUntil };
}
