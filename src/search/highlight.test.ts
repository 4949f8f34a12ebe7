// Tests of match highlighting: spans for words, stems, prefixes and phrases, the snippet window,
// author names, and hostile queries and texts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { highlightAuthors, highlightPaper, highlightText, type Span, snippet } from "./highlight.ts";
import { hostileStrings } from "./lexical/hostile-strings.ts";
import { parseQuery } from "./query.ts";

const marked = (text: string, spans: Span[]) => spans.map((s) => text.slice(s.start, s.end));

describe("highlightText", () => {
  test("exact words, in any case, with [start, end) offsets into the original text", () => {
    const text = "Attention Is All You Need: attention, ATTENTION!";
    const spans = highlightText(text, parseQuery("attention"));
    assert.deepEqual(spans, [
      { start: 0, end: 9 },
      { start: 27, end: 36 },
      { start: 38, end: 47 },
    ]);
  });

  test("words sharing a stem with the query word", () => {
    const text = "Aligning models: alignment, aligned, align, alignments. Alien ally.";
    assert.deepEqual(marked(text, highlightText(text, parseQuery("alignment"))), [
      "Aligning",
      "alignment",
      "aligned",
      "align",
      "alignments",
    ]);
  });

  test("prefixes, typed with * or still being typed", () => {
    const text = "Transformers transform; a transient transformation.";
    assert.deepEqual(marked(text, highlightText(text, parseQuery("transf", { prefix: true }))), [
      "Transformers",
      "transform",
      "transformation",
    ]);
    assert.deepEqual(marked(text, highlightText(text, parseQuery("trans*"))).length, 4);
  });

  test("accents fold both ways", () => {
    const text = "Un café et un resume.";
    assert.deepEqual(marked(text, highlightText(text, parseQuery("cafe résumé"))), ["café", "resume"]);
  });

  test("phrases match consecutive words only, as one span", () => {
    const text = "Large language models. A language of models. Language-models!";
    assert.deepEqual(marked(text, highlightText(text, parseQuery('"language models"'))), [
      "language models",
      "Language-models",
    ]);
  });

  test("excluded words are not highlighted; stopwords only when nothing else is asked", () => {
    const text = "The survey of the models";
    assert.deepEqual(marked(text, highlightText(text, parseQuery("the models -survey"))), ["models"]);
    assert.deepEqual(marked(text, highlightText(text, parseQuery("the"))), ["The", "the"]);
  });

  test("overlapping matches merge into one span", () => {
    const text = "deep neural networks";
    assert.deepEqual(highlightText(text, parseQuery('"deep neural" "neural networks"')), [{ start: 0, end: 20 }]);
  });

  test("an empty query or text highlights nothing", () => {
    assert.deepEqual(highlightText("some text", parseQuery("")), []);
    assert.deepEqual(highlightText("", parseQuery("text")), []);
    assert.deepEqual(highlightText("some text", parseQuery("cat:cs.CL author:x")), []);
  });
});

describe("snippet", () => {
  const filler = "Filler sentence goes here. ".repeat(20);
  const abstract = `${filler}We propose sparse attention for long documents. ${filler}`;

  test("a short text is the whole snippet", () => {
    const s = snippet("Short abstract on attention.", parseQuery("attention"));
    assert.deepEqual(s, {
      text: "Short abstract on attention.",
      spans: [{ start: 18, end: 27 }],
      cutStart: false,
      cutEnd: false,
    });
  });

  test("a long text is cut around the best match at word edges, with spans inside it", () => {
    const s = snippet(abstract, parseQuery("sparse attention"), 120);
    assert.ok(s.text.length <= 120);
    assert.ok(s.cutStart && s.cutEnd);
    assert.ok(s.text.includes("sparse attention"));
    assert.deepEqual(marked(s.text, s.spans), ["sparse", "attention"]);
    const at = abstract.indexOf(s.text);
    assert.ok(at > 0 && /\s/.test(abstract[at - 1] as string), "starts at a word");
    assert.ok(/\s/.test(abstract[at + s.text.length] as string), "ends at a word");
  });

  test("the window with the most distinct terms wins over one with repeats of one", () => {
    const text = `${"graph graph graph. ".repeat(6)}${filler}graph pooling here. ${filler}`;
    const s = snippet(text, parseQuery("graph pooling"), 100);
    assert.ok(s.text.includes("graph pooling"), s.text);
  });

  test("without a match, the snippet is the start of the text", () => {
    const s = snippet(abstract, parseQuery("zebra"), 100);
    assert.ok(abstract.startsWith(s.text));
    assert.deepEqual(s.spans, []);
    assert.equal(s.cutStart, false);
    assert.equal(s.cutEnd, true);
  });
});

describe("authors and papers", () => {
  test("author names matching author: phrases or query words", () => {
    const names = ["Yann LeCun", "Léon Bottou", "Yoshua Bengio"];
    assert.deepEqual(highlightAuthors(names, parseQuery('author:"yann lecun"')), [0]);
    assert.deepEqual(highlightAuthors(names, parseQuery("bottou bengio")), [1, 2]);
    assert.deepEqual(highlightAuthors(names, parseQuery("author:leon")), [1]);
    assert.deepEqual(highlightAuthors(names, parseQuery("author:lecun,yann")), []);
  });

  test("highlightPaper gathers title, abstract, snippet and authors", () => {
    const h = highlightPaper(
      { title: "Aligning Language Models", abstract: "We study alignment.", authors: ["A. Align", "B. Other"] },
      parseQuery("alignment"),
    );
    assert.deepEqual(h.title, [{ start: 0, end: 8 }]);
    assert.deepEqual(h.abstract, [{ start: 9, end: 18 }]);
    assert.equal(h.snippet.text, "We study alignment.");
    assert.deepEqual(h.authors, [0]);
  });

  test("hostile queries and texts give valid spans and never throw", () => {
    const text = `Emoji 😀 and e\u0301 accents, quotes " and 'apostrophes', NEAR(a b) AND x, ${"long ".repeat(100)}`;
    for (const input of hostileStrings(300, 5)) {
      const h = highlightPaper({ title: input, abstract: `${text} ${input}`, authors: [input] }, parseQuery(input));
      for (const [source, spans] of [
        [input, h.title],
        [`${text} ${input}`, h.abstract],
        [h.snippet.text, h.snippet.spans],
      ] as const) {
        let previous = 0;
        for (const s of spans) {
          assert.ok(s.start >= previous && s.start < s.end && s.end <= source.length);
          previous = s.end;
        }
      }
    }
  });
});
