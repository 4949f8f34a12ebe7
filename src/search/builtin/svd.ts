// Truncated SVD of a large sparse linear operator (a documents x terms TF-IDF matrix, or a
// product of two) by randomized subspace iteration (Halko, Martinsson and Tropp 2011): a random
// start, a few power iterations through AᵀA to sharpen the leading subspace, then the exact SVD
// of A restricted to that subspace (Rayleigh-Ritz). Deterministic for a given generator state.
import { gram, mulTransposed, orthonormalize, RANK_TOLERANCE } from "./dense.ts";
import { symmetricEigen } from "./eigen.ts";
import type { Rng } from "./rng.ts";
import { type Csr, mulDense, transpose } from "./sparse.ts";

/** A (rows x cols) matrix known by its products with tall dense row-major matrices. */
export interface LinearOperator {
  rows: number;
  cols: number;
  /** A X for X (cols x l): (rows x l). */
  mul(x: Float64Array, l: number): Float64Array;
  /** Aᵀ Y for Y (rows x l): (cols x l). */
  mulT(y: Float64Array, l: number): Float64Array;
}

export function csrOperator(a: Csr): LinearOperator {
  const at = transpose(a);
  return { rows: a.rows, cols: a.cols, mul: (x, l) => mulDense(a, x, l), mulT: (y, l) => mulDense(at, y, l) };
}

export interface SvdOptions {
  /** Extra random directions beyond k, for accuracy (default 16). */
  oversample?: number;
  /** Passes through AᵀA (default 1); each costs two operator products and one orthonormalisation. */
  powerIterations?: number;
  /** Also return the left singular vectors. */
  left?: boolean;
  /** Called after each stage, for progress reporting. */
  onStage?: (stage: string) => void;
}

export interface Svd {
  k: number;
  /** The k largest singular values, decreasing. */
  values: Float64Array;
  /** The matching right singular vectors as the columns of a (cols x k) row-major matrix. */
  vectors: Float64Array;
  /** The left singular vectors, (rows x k), when asked for. */
  left?: Float64Array;
}

export function truncatedSvd(a: LinearOperator, k: number, rng: Rng, options: SvdOptions = {}): Svd {
  const l = Math.min(k + (options.oversample ?? 16), a.rows, a.cols);
  const kk = Math.min(k, l);
  const stage = options.onStage ?? (() => {});
  const omega = new Float64Array(a.rows * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.next() * 2 - 1;
  let z = orthonormalize(a.mulT(omega, l), a.cols, l);
  stage("start");
  for (let it = 0; it < (options.powerIterations ?? 1); it++) {
    z = orthonormalize(a.mulT(a.mul(z, l), l), a.cols, l);
    stage(`power ${it + 1}`);
  }
  const c = a.mul(z, l);
  const { values, vectors } = symmetricEigen(gram(c, a.rows, l), l);
  // Past A's rank (a small or redundant corpus) the basis has zero columns and the projected
  // problem zero eigenvalues. A direction whose eigenvalue is at most RANK_TOLERANCE times the
  // largest is rounding noise: it gets a zero singular value and a zero vector, so the dimensions
  // beyond the rank are exactly zero. (A NaN is kept, for the caller to see.)
  const cut = RANK_TOLERANCE * (values[0] ?? 0);
  let rank = 0;
  while (rank < kk && !((values[rank] as number) <= cut)) rank++;
  const wt = new Float64Array(kk * l); // the leading eigenvectors, as rows
  for (let j = 0; j < rank; j++) for (let i = 0; i < l; i++) wt[j * l + i] = vectors[i * l + j] as number;
  const s = new Float64Array(kk);
  for (let j = 0; j < rank; j++) s[j] = Math.sqrt(values[j] as number);
  const result: Svd = { k: kk, values: s, vectors: mulTransposed(z, a.cols, l, wt, kk) };
  if (options.left) {
    for (let j = 0; j < kk; j++) {
      const inv = (s[j] as number) > 0 ? 1 / (s[j] as number) : 0;
      for (let i = 0; i < l; i++) wt[j * l + i] = (wt[j * l + i] as number) * inv;
    }
    result.left = mulTransposed(c, a.rows, l, wt, kk);
  }
  stage("ritz");
  return result;
}
