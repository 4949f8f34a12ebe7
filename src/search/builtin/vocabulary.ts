// Term counting for the built-in embedder: per-document term frequencies over a growing
// dictionary, the choice of vocabulary (a minimum document frequency, a cap on its size), inverse
// document frequencies, and the sublinear TF-IDF vector of a text over a fixed vocabulary.
import { forEachTerm } from "./tokenizer.ts";

/** A document's distinct terms (ids, increasing) and how often each occurs. */
export interface TermCounts {
  ids: Uint32Array;
  counts: Uint32Array;
}

/** Counts terms in documents, giving each new term the next id. */
export class TermCounter {
  readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  private tf = new Uint32Array(1024);
  private touched: number[] = [];

  count(text: string): TermCounts {
    const touched = this.touched;
    touched.length = 0;
    forEachTerm(text, (term) => {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.ids.set(term, id);
        this.terms.push(term);
        if (id >= this.tf.length) {
          const grown = new Uint32Array(this.tf.length * 2);
          grown.set(this.tf);
          this.tf = grown;
        }
      }
      if (this.tf[id] === 0) touched.push(id);
      this.tf[id] = (this.tf[id] as number) + 1;
    });
    const ids = Uint32Array.from(touched).sort();
    const counts = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      counts[i] = this.tf[id] as number;
      this.tf[id] = 0;
    }
    return { ids, counts };
  }
}

export interface VocabularyOptions {
  /** Drop terms found in fewer documents than this. */
  minDf: number;
  /** Drop terms found in more than this fraction of documents. */
  maxDfRatio: number;
  /** Keep at most this many terms, the most frequent by document frequency. */
  maxTerms: number;
}

/**
 * Chooses the vocabulary from counted documents. Returns the chosen terms in a canonical order
 * (document frequency descending, then alphabetical), their document frequencies, and a map from
 * the counter's ids to vocabulary indices (-1 for dropped terms).
 */
export function chooseVocabulary(
  counter: TermCounter,
  docs: TermCounts[],
  options: VocabularyOptions,
): { terms: string[]; df: Uint32Array; remap: Int32Array } {
  const df = new Uint32Array(counter.terms.length);
  for (const d of docs) for (const id of d.ids) df[id] = (df[id] as number) + 1;
  const maxDf = Math.max(1, Math.floor(options.maxDfRatio * docs.length));
  const kept: number[] = [];
  for (let id = 0; id < df.length; id++) {
    const f = df[id] as number;
    if (f >= options.minDf && f <= maxDf) kept.push(id);
  }
  const terms = counter.terms;
  kept.sort((x, y) => (df[y] as number) - (df[x] as number) || compare(terms[x] as string, terms[y] as string));
  if (kept.length > options.maxTerms) kept.length = options.maxTerms;
  const remap = new Int32Array(df.length).fill(-1);
  const outDf = new Uint32Array(kept.length);
  kept.forEach((id, i) => {
    remap[id] = i;
    outDf[i] = df[id] as number;
  });
  return { terms: kept.map((id) => terms[id] as string), df: outDf, remap };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Smoothed inverse document frequency, ln((1 + N) / (1 + df)) + 1, raised to `power`. A power
 * above 1 sharpens the contrast between rare and common terms.
 */
export function inverseDocumentFrequency(df: Uint32Array, documents: number, power = 1): Float32Array {
  const idf = new Float32Array(df.length);
  for (let i = 0; i < df.length; i++) idf[i] = (Math.log((1 + documents) / (1 + (df[i] as number))) + 1) ** power;
  return idf;
}

/**
 * The unit-length sublinear TF-IDF vector of a document over the vocabulary: weight
 * (1 + ln tf) x idf per term, as sorted (index, weight) lists. `remap` turns counter ids into
 * vocabulary indices.
 */
export function tfidfRow(
  doc: TermCounts,
  remap: Int32Array | null,
  idf: Float32Array,
): { cols: Uint32Array; values: Float64Array } {
  const cols: number[] = [];
  const values: number[] = [];
  let sumSq = 0;
  for (let i = 0; i < doc.ids.length; i++) {
    const raw = doc.ids[i] as number;
    const v = remap ? (remap[raw] ?? -1) : raw;
    if (v < 0) continue;
    const w = (1 + Math.log(doc.counts[i] as number)) * (idf[v] as number);
    cols.push(v);
    values.push(w);
    sumSq += w * w;
  }
  const order = cols.map((_, i) => i).sort((x, y) => (cols[x] as number) - (cols[y] as number));
  const n = sumSq > 0 ? 1 / Math.sqrt(sumSq) : 0;
  return {
    cols: Uint32Array.from(order, (i) => cols[i] as number),
    values: Float64Array.from(order, (i) => (values[i] as number) * n),
  };
}
