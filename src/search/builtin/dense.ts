// Dense linear algebra for the truncated SVD: Gram matrices of tall matrices, Cholesky
// factorisation and the orthonormalisation built on it (Cholesky QR), and products of a tall
// matrix with a small one. Matrices are row-major Float64Arrays; square ones are (n x n).
// The kernels work on 2 x 2 blocks of outputs, so each value loaded feeds two multiply-adds: in
// plain JavaScript this runs about three times faster than the textbook loops.

/** XᵀX for a tall (rows x l) matrix X: an (l x l) symmetric matrix. */
export function gram(x: Float64Array, rows: number, l: number): Float64Array {
  const lp = l + (l % 2); // an even width, padded with a zero column
  const g = new Float64Array(lp * lp);
  const block = 64;
  const t = new Float64Array(lp * block); // a block of rows, transposed: column c at c * block
  for (let r0 = 0; r0 < rows; r0 += block) {
    const nb = Math.min(block, rows - r0);
    if (nb < block) t.fill(0);
    for (let i = 0; i < nb; i++) {
      const o = (r0 + i) * l;
      for (let c = 0; c < l; c++) t[c * block + i] = x[o + c] as number;
    }
    for (let a = 0; a < lp; a += 2) {
      const a0 = a * block;
      const a1 = a0 + block;
      for (let b = a; b < lp; b += 2) {
        const b0 = b * block;
        const b1 = b0 + block;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let i = 0; i < block; i++) {
          const xa = t[a0 + i] as number;
          const xa1 = t[a1 + i] as number;
          const xb = t[b0 + i] as number;
          const xb1 = t[b1 + i] as number;
          s00 += xa * xb;
          s01 += xa * xb1;
          s10 += xa1 * xb;
          s11 += xa1 * xb1;
        }
        const g0 = a * lp + b;
        g[g0] = (g[g0] as number) + s00;
        g[g0 + 1] = (g[g0 + 1] as number) + s01;
        g[g0 + lp] = (g[g0 + lp] as number) + s10;
        g[g0 + lp + 1] = (g[g0 + lp + 1] as number) + s11;
      }
    }
  }
  const out = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      const v = g[a * lp + b] as number;
      out[a * l + b] = v;
      out[b * l + a] = v;
    }
  }
  return out;
}

/**
 * How small, relative to a column's squared norm, its component off the span of the columns
 * before it may be before cholesky treats it as zero: 1e-10 leaves a residual of at least 1e-5 of
 * the column's length, far above the rounding error of the Gram matrix (about 1e-16 x its size).
 */
export const RANK_TOLERANCE = 1e-10;

/**
 * The lower-triangular L with L Lᵀ = G, for symmetric positive semi-definite G (n x n), without
 * pivoting. When a pivot is at most RANK_TOLERANCE times its diagonal entry of G, that column of
 * the underlying matrix is (to rounding) a combination of the columns before it: the pivot and the
 * rest of its column of L are set to zero, so rank-deficient G factors with zero columns in L.
 * (Raising such a pivot to a small floor instead divides rounding noise by it; each further
 * dependent column compounds the error until the factor overflows to infinity and NaN.)
 */
export function cholesky(g: Float64Array, n: number): Float64Array {
  const lo = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const pivot = lo[j * n + j] as number;
      if (i !== j && pivot === 0) continue; // below a dropped pivot, L stays zero
      let s = g[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (lo[i * n + k] as number) * (lo[j * n + k] as number);
      if (i === j) lo[i * n + i] = s > RANK_TOLERANCE * (g[i * n + i] as number) ? Math.sqrt(s) : 0;
      else lo[i * n + j] = s / pivot;
    }
  }
  return lo;
}

/**
 * The inverse of a lower-triangular (n x n) matrix, itself lower-triangular. A zero on the
 * diagonal (a column that cholesky dropped) gives a zero row and column: the result is then the
 * inverse of L restricted to its nonzero pivots, spread back to n x n.
 */
export function invertLower(lo: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (lo[j * n + j] === 0) continue;
    inv[j * n + j] = 1 / (lo[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      if (lo[i * n + i] === 0) continue;
      let s = 0;
      for (let k = j; k < i; k++) s += (lo[i * n + k] as number) * (inv[k * n + j] as number);
      inv[i * n + j] = -s / (lo[i * n + i] as number);
    }
  }
  return inv;
}

/**
 * X Wᵀ for a tall (rows x l) X and a small (k x l) W: returns (rows x k). When `lower` is set, W
 * is lower-triangular and the zeros above its diagonal are skipped.
 */
export function mulTransposed(
  x: Float64Array,
  rows: number,
  l: number,
  w: Float64Array,
  k: number,
  lower = false,
): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r += 2) {
    const x0 = r * l;
    const x1 = r + 1 < rows ? x0 + l : x0; // an odd last row is computed twice, written once
    const o0 = r * k;
    for (let c = 0; c < k; c += 2) {
      const w0 = c * l;
      const has1 = c + 1 < k;
      const w1 = has1 ? w0 + l : w0;
      const end = lower ? Math.min(l, c + 2) : l;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let i = 0; i < end; i++) {
        const a = x[x0 + i] as number;
        const b = x[x1 + i] as number;
        const p = w[w0 + i] as number;
        const q = w[w1 + i] as number;
        s00 += a * p;
        s01 += a * q;
        s10 += b * p;
        s11 += b * q;
      }
      out[o0 + c] = s00;
      if (has1) out[o0 + c + 1] = s01;
      if (r + 1 < rows) {
        out[o0 + k + c] = s10;
        if (has1) out[o0 + k + c + 1] = s11;
      }
    }
  }
  return out;
}

/**
 * An orthonormal basis of the columns of a tall (rows x l) matrix, by Cholesky QR: X R⁻¹ where
 * RᵀR = XᵀX. One pass leaves an orthogonality error of about cond(X)² x 1e-16, ample for the
 * well-conditioned bases of subspace iteration. A column that is (to RANK_TOLERANCE) a combination
 * of the columns before it comes out as a zero column, so a rank-r X gives r orthonormal columns
 * and l - r zero ones.
 */
export function orthonormalize(x: Float64Array, rows: number, l: number): Float64Array {
  const inv = invertLower(cholesky(gram(x, rows, l), l), l);
  return mulTransposed(x, rows, l, inv, l, true);
}
