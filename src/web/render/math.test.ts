// Server-side math rendering: KaTeX output for each delimiter, escaped text around it, hostile input
// that must not produce markup, unbalanced and invalid formulas, long input, and excerpts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { excerptMath, hasMath, renderMath } from "./math.ts";

/** No script or img element, no link, no event-handler attribute, no javascript: URL in any tag. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<a[\s>]/i);
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    assert.doesNotMatch(tag, /\son\w+\s*=/i, tag);
    assert.doesNotMatch(tag, /(href|src|action)\s*=/i, tag);
    assert.doesNotMatch(tag, /javascript:/i, tag);
  }
}

/** The visible text of `html`: tags dropped, the five escapes undone. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

test("inline $...$ and \\(...\\) render as KaTeX inline math", () => {
  for (const input of ["energy $E = mc^2$ holds", "energy \\(E = mc^2\\) holds"]) {
    const html = renderMath(input);
    assert.match(html, /^energy <span class="katex">/);
    assert.match(html, /<\/span> holds$/);
    assert.doesNotMatch(html, /katex-display/);
    assert.match(html, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"/, "MathML for screen readers");
    assert.match(html, /<annotation encoding="application\/x-tex">E = mc\^2<\/annotation>/);
    assert.ok(!html.includes("$"));
  }
});

test("display $$...$$ and \\[...\\] render in display mode", () => {
  for (const input of ["see $$\\sum_{i=1}^n i$$ here", "see \\[\\sum_{i=1}^n i\\] here"]) {
    const html = renderMath(input);
    assert.match(html, /^see <span class="katex-display"><span class="katex">/);
    assert.match(html, /<\/span> here$/);
  }
});

test("text around math is HTML-escaped", () => {
  const html = renderMath(`a < b & "c" > 'd' with $x<y$`);
  assert.ok(html.startsWith('a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39; with <span class="katex">'), html);
  assert.equal(renderMath("no math & <b>bold</b>"), "no math &amp; &lt;b&gt;bold&lt;/b&gt;");
});

test("hostile input renders inert", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "$<script>alert(1)</script>$",
    "$x$<img src=x onerror=alert(1)>$y$",
    "$\\href{javascript:alert(1)}{x}$",
    "$$\\href{javascript:alert(1)}{click}$$",
    "$\\url{javascript:alert(1)}$",
    "$\\htmlClass{x}{y}$",
    "$\\htmlId{x}{y}$ $\\htmlStyle{background:url(javascript:alert(1))}{y}$ $\\htmlData{onclick=alert(1)}{y}$",
    "$\\includegraphics{javascript:alert(1)}$",
    "$\\text{<img src=x onerror=alert(1)>}$",
    "$\\color{red;background:url(javascript:alert(1))}{x}$",
    "$\\frac{<script>$",
    "&amp;lt;script&amp;gt; $&amp;lt;$",
  ];
  for (const input of hostile) {
    const html = renderMath(input);
    assertInert(html);
    assert.doesNotMatch(html, /class="x"|id="x"|data-onclick/, input);
  }
  assert.equal(renderMath("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  assert.equal(renderMath("&amp;lt;"), "&amp;amp;lt;", "entities are text, not markup");
});

test("untrusted commands are shown as text, not turned into links or attributes", () => {
  const html = renderMath("$\\href{javascript:alert(1)}{x}$");
  assert.match(html, /class="katex"/);
  assert.doesNotMatch(html, /href=/);
  assert.match(textOf(html), /\\href/);
});

test("an unbalanced delimiter leaves the rest as escaped text", () => {
  assert.equal(renderMath("costs $5 & more"), "costs $5 &amp; more");
  assert.equal(renderMath("a \\( b <c>"), "a \\( b &lt;c&gt;");
  assert.equal(renderMath("x $$ y"), "x $$ y");
  // The unmatched `\(` makes everything after it text, even a later well-formed pair.
  assert.equal(renderMath("\\( x $y$"), "\\( x $y$");
  // A complete formula before the unmatched one still renders.
  const html = renderMath("$a$ then $b");
  assert.match(html, /^<span class="katex">/);
  assert.ok(html.endsWith(" then $b"));
});

test("\\$ is a literal dollar, in text and inside math", () => {
  assert.equal(renderMath("it costs \\$5 and \\$10"), "it costs $5 and $10");
  assert.ok(!hasMath("it costs \\$5 and \\$10"));
  const html = renderMath("price $\\$5 + x$ now");
  assert.match(html, /^price <span class="katex">/);
  assert.ok(html.endsWith("</span> now"));
});

test("empty $$ does not break", () => {
  assert.equal(renderMath("$$"), "$$");
  assert.equal(renderMath("a $$$$ b"), "a  b");
  assert.equal(renderMath("$"), "$");
  assert.equal(renderMath(""), "");
  assert.equal(renderMath("$$$"), "$$$");
});

test("invalid LaTeX is shown as its escaped source, without KaTeX's error markup", () => {
  assert.doesNotThrow(() => renderMath("$\\frac{$"));
  assert.equal(renderMath("a $\\frac{$ b"), "a $\\frac{$ b");
  assert.equal(renderMath("$x < \\frac{$"), "$x &lt; \\frac{$");
  const html = renderMath("$\\frac{$ and $x^2$");
  assert.doesNotMatch(html, /katex-error|#cc0000|title=/);
  assert.match(html, /^\$\\frac\{\$ and <span class="katex">/);
  // The same bad formula again comes from the cache and still shows as source.
  assert.equal(renderMath("a $\\frac{$ b"), "a $\\frac{$ b");
  // Nesting deep enough to overflow KaTeX's stack (a RangeError, which it throws even with
  // throwOnError false) is longer than the formula limit, so it is shown as source unparsed.
  const deep = `$${"{".repeat(20_000)}x${"}".repeat(20_000)}$`;
  assert.equal(renderMath(deep), deep);
  assert.match(renderMath(`$${"{".repeat(500)}x${"}".repeat(500)}$`), /^<span class="katex">/);
  // Infinite macro expansion stops at maxExpand.
  assert.equal(renderMath("$\\def\\a{\\a}\\a$"), "$\\def\\a{\\a}\\a$");
});

test("an unknown command is flagged inside a formula that otherwise renders", () => {
  const html = renderMath("$\\mathbbm{1} + x$");
  assert.match(html, /^<span class="katex">/);
  assert.match(textOf(html), /\\mathbbm/);
});

test("user sizes are capped by maxSize", () => {
  const html = renderMath("$\\rule{1000em}{1000em}$");
  assert.match(html, /class="katex"/);
  assert.doesNotMatch(html, /(width|height)(:|=")1000em/);
  assert.match(html, /border-top-width:10em/);
});

test("a 100 kB input renders quickly and completely", () => {
  const parts: string[] = [];
  for (let i = 0; parts.join("").length < 100_000; i++) parts.push(`word <${i}> and $x_{${i % 500}}^2$ `);
  const input = parts.join("");
  const started = performance.now();
  const html = renderMath(input);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
  assert.ok(html.includes('<span class="katex">'));
  assert.ok(html.includes(`word &lt;${parts.length - 1}&gt; and`), "the end of the input is there");
  assertInert(html);

  // Pathological inputs: many unmatched openers, one huge formula, many backslashes.
  for (const bad of ["$".repeat(100_001), "\\(".repeat(50_000), `$${"x+".repeat(50_000)}$`, "\\".repeat(100_000)]) {
    const t0 = performance.now();
    renderMath(bad);
    assert.ok(performance.now() - t0 < 2_000, `slow on ${bad.slice(0, 10)}…`);
  }
  // A formula too long to render is shown as source.
  const huge = `$${"x+".repeat(50_000)}y$`;
  assert.equal(renderMath(huge), huge);
});

test("hasMath finds delimited formulas only", () => {
  assert.equal(hasMath("plain text"), false);
  assert.equal(hasMath("a $x$ b"), true);
  assert.equal(hasMath("a \\[x\\] b"), true);
  assert.equal(hasMath("a $x b"), false);
});

test("excerptMath cuts at a word boundary and appends …", () => {
  const text = "The quick brown fox jumps over the lazy dog";
  assert.equal(excerptMath(text, 100), text);
  assert.equal(excerptMath(text, text.length), text);
  assert.equal(excerptMath(text, 12), "The quick…");
  assert.equal(excerptMath(text, 9), "The quick…", "a cut right before a space keeps the word");
  assert.equal(excerptMath(text, 15), "The quick brown…");
});

test("excerptMath never cuts inside math", () => {
  const text = "We prove that $\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$ for all n and more words";
  const start = text.indexOf("$");
  const end = text.lastIndexOf("$") + 1;
  for (let max = start + 1; max < end; max++) {
    const out = excerptMath(text, max);
    assert.equal(out, "We prove that…", `maxChars ${max}`);
    assert.equal((out.match(/\$/g) ?? []).length % 2, 0);
  }
  assert.equal(excerptMath(text, end + 4), `${text.slice(0, end + 4)}…`);
  // Spaces inside a formula are not word boundaries.
  const spaced = "Let $a + b + c + d$ be";
  assert.equal(excerptMath(spaced, 12), "Let…");
  // The excerpt renders: the formula kept is whole.
  const html = renderMath(excerptMath(text, end + 4));
  assert.match(html, /class="katex"/);
  assert.ok(html.endsWith("for…"));
  // A formula at the very start that does not fit leaves only the ellipsis.
  assert.equal(excerptMath("$x + y + z$ is long", 5), "…");
  // A first word longer than the limit is cut hard.
  assert.equal(excerptMath("Supercalifragilistic words", 5), "Super…");
  // \[ \] and unbalanced openers.
  assert.equal(excerptMath("see \\[ a + b \\] then", 9), "see…");
  assert.equal(excerptMath("costs $5 and more text", 13), "costs $5 and…");
});
