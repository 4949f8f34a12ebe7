// The built-in embedding model: latent semantic analysis fitted on the instance's own papers.
// Fitting tokenizes a seeded sample of the documents, keeps the terms found in enough of them,
// weighs each document by sublinear TF-IDF and takes the truncated SVD of that matrix; the leading
// right singular vectors (scaled by a power of their singular values) become a terms x dims
// projection. Embedding any text, inside the sample or not, is then one sparse-dense product:
// sum over its terms of weight x projection row, normalised to unit length. Documents and queries
// are embedded alike; a text with no known term embeds as the zero vector.
import { normalize } from "../embedder.ts";
import { Rng, sampleIndices } from "./rng.ts";
import { csrFromRows } from "./sparse.ts";
import { csrOperator, truncatedSvd } from "./svd.ts";
import { forEachTerm, TOKENIZER_VERSION } from "./tokenizer.ts";
import { chooseVocabulary, inverseDocumentFrequency, TermCounter, type TermCounts, tfidfRow } from "./vocabulary.ts";

export interface FitOptions {
  /** Vector length (default 256). Smaller corpora than this pad with zero dimensions. */
  dims?: number;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Fit on at most this many documents, chosen at random (default 30,000). */
  sampleSize?: number;
  /** Minimum document frequency of a term within the sample (default 2). */
  minDf?: number;
  /** Drop terms in more than this fraction of the sample (default 0.5). */
  maxDfRatio?: number;
  /** Vocabulary cap (default 50,000 terms). */
  maxTerms?: number;
  /** Each dimension is scaled by its singular value to this power (default 0: all weigh alike). */
  singularValuePower?: number;
  /** Power iterations of the randomized SVD (default 2). */
  powerIterations?: number;
  /** Reports each stage of the fit, for progress output. */
  onProgress?: (stage: string, detail?: Record<string, number>) => void;
}

/** The parts of a fitted model: everything `embed` needs, and everything serialised. */
export interface ModelParts {
  tokenizerVersion: number;
  dims: number;
  terms: string[];
  idf: Float32Array;
  /** (terms x dims), row-major. */
  projection: Float32Array;
  /** The singular values of the fitted subspace (informative; not used to embed). */
  singularValues: Float32Array;
}

export class BuiltinModel {
  readonly tokenizerVersion: number;
  readonly dims: number;
  readonly terms: string[];
  readonly idf: Float32Array;
  readonly projection: Float32Array;
  readonly singularValues: Float32Array;
  private readonly index = new Map<string, number>();

  constructor(parts: ModelParts) {
    if (parts.tokenizerVersion !== TOKENIZER_VERSION) {
      throw new Error(
        `model was fitted with tokenizer version ${parts.tokenizerVersion}, this build has ${TOKENIZER_VERSION}: refit it`,
      );
    }
    if (parts.idf.length !== parts.terms.length || parts.projection.length !== parts.terms.length * parts.dims) {
      throw new Error("model parts disagree in size");
    }
    this.tokenizerVersion = parts.tokenizerVersion;
    this.dims = parts.dims;
    this.terms = parts.terms;
    this.idf = parts.idf;
    this.projection = parts.projection;
    this.singularValues = parts.singularValues;
    parts.terms.forEach((t, i) => this.index.set(t, i));
  }

  /** Fits a model on document texts (see paperText). Deterministic for given texts and options. */
  static fit(documents: readonly string[], options: FitOptions = {}): BuiltinModel {
    const dims = options.dims ?? 256;
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
      maxTerms: options.maxTerms ?? 50_000,
    });
    const idf = inverseDocumentFrequency(df, counted.length);
    const rows = counted.map((d) => tfidfRow(d, remap, idf));
    const matrix = csrFromRows(rows, terms.length);
    report("weighted", { terms: terms.length, nonzeros: matrix.values.length });

    const svd = truncatedSvd(csrOperator(matrix), dims, rng, {
      powerIterations: options.powerIterations ?? 1,
      onStage: (stage) => report(`svd ${stage}`),
    });
    const power = options.singularValuePower ?? 0;
    const projection = new Float32Array(terms.length * dims);
    for (let t = 0; t < terms.length; t++) {
      for (let j = 0; j < svd.k; j++) {
        const scale = power === 0 ? 1 : (svd.values[j] as number) ** power;
        projection[t * dims + j] = (svd.vectors[t * svd.k + j] as number) * scale;
      }
    }
    const singularValues = new Float32Array(dims);
    singularValues.set(svd.values.subarray(0, Math.min(dims, svd.k)));
    return new BuiltinModel({ tokenizerVersion: TOKENIZER_VERSION, dims, terms, idf, projection, singularValues });
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
    if (ids.length > 0) {
      // Terms in increasing index order, so the sum (and its rounding) ignores word order.
      const sorted = Int32Array.from(ids).sort();
      const { idf, projection } = this;
      for (let p = 0; p < sorted.length; ) {
        const i = sorted[p] as number;
        let q = p + 1;
        while (q < sorted.length && sorted[q] === i) q++;
        const w = (1 + Math.log(q - p)) * (idf[i] as number);
        const o = i * dims;
        for (let j = 0; j < dims; j++) acc[j] = (acc[j] as number) + w * (projection[o + j] as number);
        p = q;
      }
    }
    return normalize(Float32Array.from(acc));
  }

  parts(): ModelParts {
    return {
      tokenizerVersion: this.tokenizerVersion,
      dims: this.dims,
      terms: this.terms,
      idf: this.idf,
      projection: this.projection,
      singularValues: this.singularValues,
    };
  }
}
