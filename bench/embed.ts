// Benchmark of the built-in embedder on the full arXiv corpus (134,939 papers from
// ../shared/data/arxiv): fit time on the default 30,000-paper sample, time to embed every paper,
// per-query embed latency (p50/p95/p99), model size in bytes, and peak resident memory. Baselines
// measured in the same run: one tokenizing pass over every paper (the floor any bag-of-words model
// pays), and classical LSA (two power iterations) fitted on the same sample.
//
//   node --import tsx bench/embed.ts [--limit N] [--queries 2000] [--no-lsa]
import { parseArgs } from "node:util";
import { loadArxiv } from "../eval/scifact-load.ts";
import { BuiltinEmbedder } from "../src/search/builtin/index.ts";
import { forEachTerm } from "../src/search/builtin/tokenizer.ts";
import { paperText } from "../src/search/embedder.ts";

const { values } = parseArgs({
  options: {
    limit: { type: "string" },
    queries: { type: "string", default: "2000" },
    "no-lsa": { type: "boolean", default: false },
  },
});

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

let t = performance.now();
const papers = loadArxiv(values.limit ? Number(values.limit) : Number.POSITIVE_INFINITY);
const texts = papers.map((p) => paperText(p));
console.log(`loaded ${texts.length} papers in ${seconds(t).toFixed(1)} s`);

t = performance.now();
let terms = 0;
for (const text of texts) forEachTerm(text, () => terms++);
const tokenizeSeconds = seconds(t);
console.log(`baseline: one tokenizing pass over all papers ${tokenizeSeconds.toFixed(1)} s (${terms} terms)`);

t = performance.now();
const embedder = BuiltinEmbedder.fit(texts, {
  onProgress: (stage, detail) =>
    console.log(`  fit ${stage} at ${seconds(t).toFixed(1)} s ${detail ? JSON.stringify(detail) : ""}`),
});
const fitSeconds = seconds(t);
console.log(`fit on a 30,000-paper sample: ${fitSeconds.toFixed(1)} s (${embedder.model.terms.length} terms)`);

t = performance.now();
const vectors = embedder.embedSync(texts);
const embedSeconds = seconds(t);
console.log(
  `embed all ${vectors.length} papers: ${embedSeconds.toFixed(1)} s (${((embedSeconds / vectors.length) * 1e6).toFixed(0)} µs per paper)`,
);
console.log(
  `fit + embed: ${(fitSeconds + embedSeconds).toFixed(1)} s = ${((fitSeconds + embedSeconds) / tokenizeSeconds).toFixed(1)}x the tokenizing pass`,
);

t = performance.now();
const bytes = embedder.serialize();
const serializeSeconds = seconds(t);
t = performance.now();
const restored = BuiltinEmbedder.deserialize(bytes);
const deserializeSeconds = seconds(t);
if (restored.id !== embedder.id) throw new Error("round trip changed the model id");
console.log(
  `model: ${bytes.length} bytes (${mib(bytes.length)}), serialize ${(serializeSeconds * 1000).toFixed(0)} ms, deserialize ${(deserializeSeconds * 1000).toFixed(0)} ms, id ${embedder.id}`,
);

// Queries: the first words of paper titles, the length of what people type into a search box.
const nQueries = Math.min(Number(values.queries), texts.length);
const queries = Array.from({ length: nQueries }, (_, i) => {
  const p = papers[Math.floor((i * papers.length) / nQueries)] as { title: string };
  return p.title
    .split(" ")
    .slice(0, 2 + (i % 5))
    .join(" ");
});
for (const q of queries.slice(0, 200)) restored.model.embed(q); // warm up
const latencies = new Float64Array(queries.length);
const tokenLatencies = new Float64Array(queries.length);
queries.forEach((q, i) => {
  let s = performance.now();
  forEachTerm(`${q} ${i}`, () => {});
  tokenLatencies[i] = performance.now() - s;
  s = performance.now();
  restored.model.embed(`${q} ${i}`); // a text never seen before, so no tokenizer cache help
  latencies[i] = performance.now() - s;
});
latencies.sort();
tokenLatencies.sort();
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
console.log(
  `query embed latency over ${queries.length} queries: p50 ${us(percentile(latencies, 0.5))}, p95 ${us(percentile(latencies, 0.95))}, p99 ${us(percentile(latencies, 0.99))} (tokenizing alone: p50 ${us(percentile(tokenLatencies, 0.5))})`,
);

if (!values["no-lsa"]) {
  t = performance.now();
  BuiltinEmbedder.fit(texts, { powerIterations: 2 });
  const lsaSeconds = seconds(t);
  console.log(
    `baseline: classical LSA (2 power iterations) fit ${lsaSeconds.toFixed(1)} s; the sketch fits in ${((fitSeconds / lsaSeconds) * 100).toFixed(0)}% of that`,
  );
}

console.log(`peak RSS: ${mib(process.resourceUsage().maxRSS * 1024)}`);
