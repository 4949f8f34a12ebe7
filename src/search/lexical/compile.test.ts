// Tests of the match plan and of both compilers (pure: no database). The property test feeds
// hostile strings through parse -> plan -> compile and checks that what reaches FTS5 and to_tsquery
// is only quoted letter-and-digit tokens joined by the operators the compilers write.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseQuery } from "../query.ts";
import { hostileStrings } from "./hostile-strings.ts";
import { autoMode, hasPositive, type MatchPlan, planMatch, prefixForms } from "./plan.ts";
import { compileTsquery } from "./postgres.ts";
import { compileFts5 } from "./sqlite.ts";

const fts = (text: string, mode: "all" | "any" = "all", prefix = false) =>
  compileFts5(planMatch(parseQuery(text, { prefix }), mode));
const tsq = (text: string, mode: "all" | "any" = "all", prefix = false) =>
  compileTsquery(planMatch(parseQuery(text, { prefix }), mode));

describe("planMatch", () => {
  test("all: every term required; any: words optional, quoted phrases still required", () => {
    const q = parseQuery('"neural network" pruning sparsity');
    const all = planMatch(q, "all");
    assert.equal(all.required.length, 3);
    assert.equal(all.optional.length, 0);
    const any = planMatch(q, "any");
    assert.deepEqual(
      any.required.map((i) => i.forms[0]?.words),
      [["neural", "network"]],
    );
    assert.equal(any.optional.length, 2);
  });

  test("stopwords are dropped unless nothing else is left; inside phrases they stay", () => {
    const plan = planMatch(parseQuery('the effect of "state of the art" on it'), "any");
    assert.deepEqual(
      [...plan.required, ...plan.optional].map((i) => i.forms[0]?.words.join(" ")),
      ["state of the art", "effect"],
    );
    const only = planMatch(parseQuery("to be or not to be"), "all");
    assert.deepEqual(
      only.required.map((i) => i.forms[0]?.words.join(" ")),
      ["to", "be", "or", "not"],
    );
  });

  test("a one-letter prefix is left out; a longer one carries its stem forms", () => {
    assert.equal(hasPositive(planMatch(parseQuery("n", { prefix: true }), "all")), false);
    const plan = planMatch(parseQuery("neural l", { prefix: true }), "all");
    assert.equal(plan.required.length, 1);
    const typing = planMatch(parseQuery("learni", { prefix: true }), "all");
    assert.deepEqual(typing.required[0]?.forms[0], { words: ["learni"], prefix: true });
    assert.ok(typing.required[0]?.forms.some((f) => f.words[0] === "learn" && !f.prefix));
  });

  test("authors from the query and from filters are required phrases; exclusions are kept apart", () => {
    const plan = planMatch(parseQuery("author:LeCun -survey -the"), "any", [["geoffrey", "hinton"]]);
    assert.deepEqual(plan.authors, [["lecun"], ["geoffrey", "hinton"]]);
    assert.deepEqual(
      plan.excluded.map((i) => i.forms[0]?.words),
      [["survey"]],
    );
    assert.equal(hasPositive(plan), true);
  });

  test("auto mode: all for up to five words (stopwords and phrases not counted), any above", () => {
    assert.equal(autoMode(parseQuery("graph neural networks")), "all");
    assert.equal(autoMode(parseQuery("graph neural networks for molecules")), "all");
    assert.equal(autoMode(parseQuery('the graph of neural networks for small molecules "x y z"')), "all");
    assert.equal(autoMode(parseQuery("graph neural networks for small molecular property prediction")), "any");
  });

  test("prefixForms adds shorter cuts that are their own stem, keeping the phrase head", () => {
    assert.deepEqual(prefixForms(["organiz"]), [
      { words: ["organiz"], prefix: true },
      { words: ["organ"], prefix: false },
    ]);
    const phrase = prefixForms(["machine", "learni"]);
    assert.deepEqual(phrase[0], { words: ["machine", "learni"], prefix: true });
    assert.ok(phrase.some((f) => f.words.join(" ") === "machine learn"));
    assert.deepEqual(prefixForms(["résum"]), [{ words: ["résum"], prefix: true }]);
    assert.deepEqual(prefixForms(["ab"]), [{ words: ["ab"], prefix: true }]);
  });
});

describe("compileFts5", () => {
  test("words, phrases, prefixes, authors and exclusions", () => {
    assert.equal(fts("attention"), '"attention"');
    assert.equal(fts('graph "neural network"'), '("graph" AND "neural network")');
    assert.equal(fts("graph neural", "any"), '("graph" OR "neural")');
    assert.equal(fts('"neural network" pruning sparsity', "any"), '("neural network" AND ("pruning" OR "sparsity"))');
    assert.equal(fts('author:"Yann LeCun" cnn'), '("cnn" AND authors : "yann lecun")');
    assert.equal(fts('llm -survey -"large language"'), '"llm" NOT ("survey" OR "large language")');
    assert.equal(fts("netw", "all", true), '"netw"*');
    assert.equal(fts("learni", "all", true), '("learni"* OR "learn")');
  });

  test("nothing positive compiles to null", () => {
    assert.equal(fts(""), null);
    assert.equal(fts("-survey"), null);
    assert.equal(fts("cat:cs.CL before:2024"), null);
    assert.equal(compileFts5({ required: [], optional: [], excluded: [], authors: [] } satisfies MatchPlan), null);
  });
});

describe("compileTsquery", () => {
  test("words, phrases, prefixes, authors (weight B) and exclusions", () => {
    assert.equal(tsq("attention"), "'attention'");
    assert.equal(tsq('graph "neural network"'), "('graph' & ('neural' <-> 'network'))");
    assert.equal(tsq("graph neural", "any"), "('graph' | 'neural')");
    assert.equal(tsq('author:"Yann LeCun" cnn'), "('cnn' & ('yann':B <-> 'lecun':B))");
    assert.equal(tsq("llm -survey -gpt"), "'llm' & !('survey' | 'gpt')");
    assert.equal(tsq("learni", "all", true), "('learni':* | 'learn')");
    assert.equal(tsq('"machine learni', "all", true), "(('machine' <-> 'learni':*) | ('machine' <-> 'learn'))");
  });

  test("nothing positive compiles to null", () => {
    assert.equal(tsq("-survey"), null);
    assert.equal(tsq("after:2020"), null);
  });
});

/** Balanced parentheses outside quoted tokens. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe("hostile input never reaches engine syntax raw", () => {
  const token = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u;

  test("FTS5: only quoted tokens, AND OR NOT, parentheses, * and the authors column", () => {
    for (const input of hostileStrings(600, 11)) {
      for (const mode of ["all", "any"] as const) {
        const compiled = fts(input, mode, true);
        if (compiled === null) continue;
        const quoted = [...compiled.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1] as string);
        for (const q of quoted) for (const w of q.split(" ")) assert.match(w, token, JSON.stringify(input));
        const rest = compiled.replace(/"(?:[^"]|"")*"/g, "");
        assert.match(rest, /^(?:\s|AND|OR|NOT|\(|\)|\*|authors :)*$/, JSON.stringify(input));
        assert.ok(balanced(rest), compiled);
      }
    }
  });

  test("tsquery: only quoted tokens, & | ! <->, parentheses and :* / :B labels", () => {
    for (const input of hostileStrings(600, 13)) {
      for (const mode of ["all", "any"] as const) {
        const compiled = tsq(input, mode, true);
        if (compiled === null) continue;
        const quoted = [...compiled.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
        for (const q of quoted) assert.match(q, token, JSON.stringify(input));
        const rest = compiled.replace(/'[^']*'/g, "");
        assert.match(rest, /^(?:\s|&|\||!|<->|\(|\)|:\*|:B)*$/, JSON.stringify(input));
        assert.ok(balanced(rest), compiled);
      }
    }
  });
});
