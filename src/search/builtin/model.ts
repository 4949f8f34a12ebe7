// The built-in embedding model, fitted on the instance's own papers: sublinear TF-IDF projected
// onto a 256-dimensional subspace of the corpus's document space.
//
// Fitting tokenizes a seeded sample of the documents, keeps the terms found in enough of them and
// weighs each document by (1 + ln tf) x idf^1.5 (the rows of A, unit length). The sharpened IDF
// beats plain IDF on SciFact and on arXiv known-item search: 256 dimensions must be spent on the
// rarer, more telling terms. The subspace is a randomized range sketch: Aᵀ Ω for a random
// (documents x dims) Ω, orthonormalised, then rotated so that its axes are the singular directions
// of A within it (largest first). Each axis is a random mixture of real documents, so terms that
// occur together project together (the "latent semantic" part), while the sketch spreads its
// dimensions over the whole spectrum in proportion to each direction's weight instead of spending
// all of them on the corpus's dominant topics. Power iterations (powerIterations > 0) converge on
// the exact LSA subspace; on SciFact and on arXiv known-item search that loses retrieval quality
// (see eval/scifact-semantic.ts), so the default is none, which is also the cheapest fit.
//
// The terms x dims projection is stored as int8 codes with one scale per term (4x smaller than
// float32, no measurable loss). Embedding any text, in the sample or not, is one sparse-dense
// product: the sum over its terms of (1 + ln tf) x idf^1.5 x projection row, normalised to unit
// length. Queries and documents are embedded alike; a text with no known term is the zero vector.
import { normalize } from "../embedder.ts";
import { Rng, sampleIndices } from "./rng.ts";
import { csrFromRows } from "./sparse.ts";
import { csrOperator, truncatedSvd } from "./svd.ts";
import { forEachTerm, TOKENIZER_VERSION } from "./tokenizer.ts";
import { chooseVocabulary, inverseDocumentFrequency, TermCounter, type TermCounts, tfidfRow } from "./vocabulary.ts";

export interface FitOptions {
  /** Vector length (default 256). A corpus too small for this many pads with zero dimensions. */
  dims?: number;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Fit on at most this many documents, chosen at random (default 30,000); the rest embed alike. */
  sampleSize?: number;
  /** Minimum document frequency of a term within the sample (default 2). */
  minDf?: number;
  /** Drop terms in more than this fraction of the sample (default 0.5). */
  maxDfRatio?: number;
  /** Vocabulary cap, most frequent terms first (default 60,000). */
  maxTerms?: number;
  /** Exponent of the inverse document frequency in term weights (default 1.5; see above). */
  idfPower?: number;
  /** Power iterations of the subspace search (default 0, the one-pass sketch; see above). */
  powerIterations?: number;
  /** Reports each stage of the fit, for progress output. */
  onProgress?: (stage: string, detail?: Record<string, number>) => void;
}

/** Everything `embed` needs, and everything serialised. */
export interface ModelParts {
  tokenizerVersion: number;
  dims: number;
  terms: string[];
  /** Per term, its inverse document frequency raised to the fit's idfPower. */
  idf: Float32Array;
  /** Per term, the factor that turns its int8 codes back into projection values. */
  scales: Float32Array;
  /** (terms x dims) row-major projection, quantised. */
  codes: Int8Array;
  /** The singular values along the axes, decreasing (informative; not used to embed). */
  singularValues: Float32Array;
}

export class BuiltinModel {
  readonly tokenizerVersion: number;
  readonly dims: number;
  readonly terms: string[];
  readonly idf: Float32Array;
  readonly scales: Float32Array;
  readonly codes: Int8Array;
  readonly singularValues: Float32Array;
  private readonly index = new Map<string, number>();

  constructor(parts: ModelParts) {
    if (parts.tokenizerVersion !== TOKENIZER_VERSION) {
      throw new Error(
        `model was fitted with tokenizer version ${parts.tokenizerVersion}, this build has ${TOKENIZER_VERSION}: refit it`,
      );
    }
    const n = parts.terms.length;
    if (parts.idf.length !== n || parts.scales.length !== n || parts.codes.length !== n * parts.dims) {
      throw new Error("model parts disagree in size");
    }
    this.tokenizerVersion = parts.tokenizerVersion;
    this.dims = parts.dims;
    this.terms = parts.terms;
    this.idf = parts.idf;
    this.scales = parts.scales;
    this.codes = parts.codes;
    this.singularValues = parts.singularValues;
    parts.terms.forEach((t, i) => {
      this.index.set(t, i);
    });
  }

  /** Fits a model on document texts (see paperText). Deterministic for given texts and options. */
  static fit(documents: readonly string[], options: FitOptions = {}): BuiltinModel {
    const dims = options.dims ?? 256;
    if (!Number.isInteger(dims) || dims < 1) throw new Error(`dims must be a positive whole number (got ${dims})`);
    const report = options.onProgress ?? (() => {});
    const rng = new Rng(options.seed ?? 1);
    const sample = sampleIndices(documents.length, options.sampleSize ?? 30_000, rng);

    const counter = new TermCounter();
    const counted: TermCounts[] = [];
    for (const i of sample) counted.push(counter.count(documents[i] as string));
    report("tokenized", { documents: counted.length, distinctTerms: counter.terms.length });

    const { terms, df, remap } = chooseVocabulary(counter, counted, {
      minDf: options.minDf ?? 2,
      maxDfRatio: options.maxDfRatio ?? 0.5,
      maxTerms: options.maxTerms ?? 60_000,
    });
    const idf = inverseDocumentFrequency(df, counted.length, options.idfPower ?? 1.5);
    const rows = counted.map((d) => tfidfRow(d, remap, idf));
    counted.length = 0;
    const matrix = csrFromRows(rows, terms.length);
    report("weighted", { terms: terms.length, nonzeros: matrix.values.length });

    const n = terms.length;
    const scales = new Float32Array(n);
    const codes = new Int8Array(n * dims);
    const singularValues = new Float32Array(dims);
    if (n > 0 && matrix.rows > 0) {
      const svd = truncatedSvd(csrOperator(matrix), dims, rng, {
        oversample: 0,
        powerIterations: options.powerIterations ?? 0,
        onStage: (stage) => report(`subspace ${stage}`),
      });
      assertFinite(svd.vectors, svd.k, terms);
      quantizeRows(svd.vectors, n, svd.k, dims, scales, codes);
      singularValues.set(svd.values);
    }
    return new BuiltinModel({ tokenizerVersion: TOKENIZER_VERSION, dims, terms, idf, scales, codes, singularValues });
  }

  /** The unit-length embedding of one text (the zero vector when it has no known term). */
  embed(text: string): Float32Array {
    const ids: number[] = [];
    forEachTerm(text, (term) => {
      const i = this.index.get(term);
      if (i !== undefined) ids.push(i);
    });
    const dims = this.dims;
    const acc = new Float64Array(dims);
    if (ids.length === 0) return Float32Array.from(acc);
    // Distinct terms in increasing index order (so the sum, and its rounding, ignores word order)
    // with their weights: (1 + ln tf) x idf, times the scale of the term's int8 codes.
    const sorted = Int32Array.from(ids).sort();
    const rows = new Int32Array(sorted.length);
    const weights = new Float64Array(sorted.length);
    let n = 0;
    for (let p = 0; p < sorted.length; ) {
      const i = sorted[p] as number;
      let q = p + 1;
      while (q < sorted.length && sorted[q] === i) q++;
      rows[n] = i * dims;
      weights[n++] = (1 + Math.log(q - p)) * (this.idf[i] as number) * (this.scales[i] as number);
      p = q;
    }
    // Four rows per pass over the accumulator: about twice as fast as one.
    const codes = this.codes;
    let p = 0;
    for (; p + 3 < n; p += 4) {
      const o0 = rows[p] as number;
      const o1 = rows[p + 1] as number;
      const o2 = rows[p + 2] as number;
      const o3 = rows[p + 3] as number;
      const w0 = weights[p] as number;
      const w1 = weights[p + 1] as number;
      const w2 = weights[p + 2] as number;
      const w3 = weights[p + 3] as number;
      for (let j = 0; j < dims; j++) {
        acc[j] =
          (acc[j] as number) +
          w0 * (codes[o0 + j] as number) +
          w1 * (codes[o1 + j] as number) +
          w2 * (codes[o2 + j] as number) +
          w3 * (codes[o3 + j] as number);
      }
    }
    for (; p < n; p++) {
      const o = rows[p] as number;
      const w = weights[p] as number;
      for (let j = 0; j < dims; j++) acc[j] = (acc[j] as number) + w * (codes[o + j] as number);
    }
    return normalize(Float32Array.from(acc));
  }

  parts(): ModelParts {
    const { tokenizerVersion, dims, terms, idf, scales, codes, singularValues } = this;
    return { tokenizerVersion, dims, terms, idf, scales, codes, singularValues };
  }
}

/**
 * Throws unless every entry of the (terms x k) projection is a finite number: a NaN or infinity
 * there would make every embedding that touches the term NaN, silently.
 */
function assertFinite(projection: Float64Array, k: number, terms: readonly string[]): void {
  const i = projection.findIndex((v) => !Number.isFinite(v));
  if (i < 0) return;
  const term = terms[Math.floor(i / k)];
  throw new Error(
    `fitting produced a non-finite projection (${projection[i]} for term "${term}", dimension ${i % k}): ` +
      "the model would embed texts as NaN",
  );
}

/**
 * Quantises each row of a (rows x k) float matrix to int8 codes in a (rows x dims) matrix, with
 * the row's largest magnitude mapped to 127; columns past k stay zero.
 */
function quantizeRows(
  values: Float64Array,
  rows: number,
  k: number,
  dims: number,
  scales: Float32Array,
  codes: Int8Array,
): void {
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let j = 0; j < k; j++) max = Math.max(max, Math.abs(values[r * k + j] as number));
    if (max === 0) continue;
    const scale = Math.fround(max / 127);
    scales[r] = scale;
    for (let j = 0; j < k; j++) codes[r * dims + j] = Math.round((values[r * k + j] as number) / scale);
  }
}
