// arXiv identifiers as people paste them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { arxivLinks, parseArxivId } from "./arxiv-id.ts";

test("new-style ids with and without version", () => {
  assert.deepEqual(parseArxivId("2406.01234"), { id: "2406.01234", version: null });
  assert.deepEqual(parseArxivId(" 2406.01234v3 "), { id: "2406.01234", version: 3 });
  assert.deepEqual(parseArxivId("0704.0001"), { id: "0704.0001", version: null });
  assert.deepEqual(parseArxivId("arXiv:2406.01234v2"), { id: "2406.01234", version: 2 });
});

test("old-style ids", () => {
  assert.deepEqual(parseArxivId("hep-th/9901001v2"), { id: "hep-th/9901001", version: 2 });
  assert.deepEqual(parseArxivId("math.GT/0309136"), { id: "math.GT/0309136", version: null });
});

test("abs, pdf, html and Daily Papers URLs", () => {
  assert.deepEqual(parseArxivId("https://arxiv.org/abs/2406.01234v2"), { id: "2406.01234", version: 2 });
  assert.deepEqual(parseArxivId("https://arxiv.org/pdf/2406.01234.pdf"), { id: "2406.01234", version: null });
  assert.deepEqual(parseArxivId("http://export.arxiv.org/abs/hep-th/9901001"), { id: "hep-th/9901001", version: null });
  assert.deepEqual(parseArxivId("https://arxiv.org/html/2406.01234v1/"), { id: "2406.01234", version: 1 });
  assert.deepEqual(parseArxivId("https://huggingface.co/papers/2406.01234"), { id: "2406.01234", version: null });
});

test("anything else is not an id", () => {
  for (const bad of [
    "",
    "2406.123",
    "24061.01234",
    "hello",
    "https://example.org/",
    "https://arxiv.org/list/cs.CL/new",
    "x".repeat(1000),
    "2406.01234v",
    "<script>",
  ]) {
    assert.equal(parseArxivId(bad), null, bad);
  }
});

test("links derive from the id and version", () => {
  assert.deepEqual(arxivLinks("2406.01234", 2), {
    abs: "https://arxiv.org/abs/2406.01234v2",
    pdf: "https://arxiv.org/pdf/2406.01234v2",
    html: "https://arxiv.org/html/2406.01234v2",
  });
  assert.equal(arxivLinks("2406.01234").abs, "https://arxiv.org/abs/2406.01234");
});
