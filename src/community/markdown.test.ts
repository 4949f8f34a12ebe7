// Comment Markdown: raw HTML as text, only http(s)/mailto links with the user-content rel, images
// as links, no headings, LaTeX kept verbatim.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isSafeLink, renderCommentMarkdown as render } from "./markdown.ts";

const NO_MARKUP = [/<script/i, /<img/i, /<iframe/i, /href="javascript:/i, /<[a-z][^>]*\son\w+=/i];

function assertInert(html: string) {
  for (const re of NO_MARKUP) assert.doesNotMatch(html, re, html);
}

test("raw HTML is shown as text", () => {
  for (const src of [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<div>\n<script>alert(1)</script>\n</div>",
    '<svg onload="alert(1)">',
  ]) {
    const html = render(src);
    assertInert(html);
    assert.match(html, /&lt;/);
  }
  assert.equal(render("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
});

test("entities stay text: &lt;b&gt; shows as <b>, not as bold", () => {
  const html = render("&lt;b&gt;x&lt;/b&gt; and &#60;i&#62;");
  assert.equal(html, "<p>&lt;b&gt;x&lt;/b&gt; and &lt;i&gt;</p>\n");
});

test("links: only http, https and mailto, each with rel nofollow ugc noopener", () => {
  for (const bad of [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    "[x](/relative)",
    "[x](ftp://example.org)",
    "<javascript:alert(1)>",
  ]) {
    const html = render(bad);
    assertInert(html);
    assert.doesNotMatch(html, /<a /, bad);
  }
  assert.equal(
    render("[paper](https://arxiv.org/abs/2401.00001)"),
    '<p><a href="https://arxiv.org/abs/2401.00001" rel="nofollow ugc noopener">paper</a></p>\n',
  );
  assert.match(
    render("see http://example.org/x now"),
    /<a href="http:\/\/example.org\/x" rel="nofollow ugc noopener">/,
  );
  assert.match(render("<https://example.org>"), /rel="nofollow ugc noopener"/);
  assert.match(render("[mail](mailto:ada@example.org)"), /href="mailto:ada@example.org" rel="nofollow ugc noopener"/);
  assert.ok(isSafeLink("HTTPS://EXAMPLE.ORG"));
  assert.ok(!isSafeLink("javascript:alert(1)"));
});

test("images become links to the image, labelled with the alt text", () => {
  const html = render("![a chart](https://example.org/chart.png)");
  assert.equal(
    html,
    '<p><a href="https://example.org/chart.png" rel="nofollow ugc noopener" class="md-image">image: a chart</a></p>\n',
  );
  assertInert(render('![x"onerror="alert(1)](https://example.org/a.png)'));
  assertInert(render("![x](javascript:alert(1))"));
});

test("headings are not headings", () => {
  const html = render("# Big\n\nSmaller\n===\n\n### Three");
  assert.doesNotMatch(html, /<h\d/);
  assert.match(html, /# Big/);
});

test("LaTeX stays text, untouched by emphasis; dollar amounts stay prose", () => {
  assert.equal(render("$x^2$"), "<p>$x^2$</p>\n");
  assert.equal(render("$a_1 + b_1$ and $$\\sum_i x_i^2$$"), "<p>$a_1 + b_1$ and $$\\sum_i x_i^2$$</p>\n");
  assert.equal(render("costs $5 and _then_ $10"), "<p>costs $5 and <em>then</em> $10</p>\n");
  assert.equal(render("$<script>$"), "<p>$&lt;script&gt;$</p>\n");
});

test("ordinary Markdown works", () => {
  assert.equal(render("**b** _i_ `c`"), "<p><strong>b</strong> <em>i</em> <code>c</code></p>\n");
  assert.match(render("- one\n- two"), /<ul>\n<li>one<\/li>/);
  assert.match(render("```\n<b>\n```"), /<pre><code>&lt;b&gt;\n<\/code><\/pre>/);
  assert.match(render("line one\nline two"), /line one<br>\nline two/);
});
