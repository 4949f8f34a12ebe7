// A compressed sparse row matrix (documents x terms) and its products with tall dense matrices,
// the two operations the truncated SVD of a TF-IDF matrix spends its time in. Dense matrices are
// row-major Float64Arrays with a known column count.

export interface Csr {
  rows: number;
  cols: number;
  /** Row r's entries are at [rowPtr[r], rowPtr[r + 1]). */
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  values: Float64Array;
}

/** Builds a CSR matrix from per-row (column, value) lists, which must already be sorted by column. */
export function csrFromRows(rows: { cols: Uint32Array; values: Float64Array }[], cols: number): Csr {
  const rowPtr = new Uint32Array(rows.length + 1);
  let nnz = 0;
  for (let r = 0; r < rows.length; r++) {
    nnz += (rows[r] as { cols: Uint32Array }).cols.length;
    rowPtr[r + 1] = nnz;
  }
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as { cols: Uint32Array; values: Float64Array };
    colIdx.set(row.cols, rowPtr[r] as number);
    values.set(row.values, rowPtr[r] as number);
  }
  return { rows: rows.length, cols, rowPtr, colIdx, values };
}

/** The transpose of a CSR matrix, itself in CSR form (columns become rows, still sorted). */
export function transpose(a: Csr): Csr {
  const rowPtr = new Uint32Array(a.cols + 1);
  const nnz = a.values.length;
  for (let p = 0; p < nnz; p++) {
    const c = (a.colIdx[p] as number) + 1;
    rowPtr[c] = (rowPtr[c] as number) + 1;
  }
  for (let c = 0; c < a.cols; c++) rowPtr[c + 1] = (rowPtr[c + 1] as number) + (rowPtr[c] as number);
  const next = rowPtr.slice(0, a.cols);
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    const end = a.rowPtr[r + 1] as number;
    for (let p = a.rowPtr[r] as number; p < end; p++) {
      const c = a.colIdx[p] as number;
      const q = next[c] as number;
      next[c] = q + 1;
      colIdx[q] = r;
      values[q] = a.values[p] as number;
    }
  }
  return { rows: a.cols, cols: a.rows, rowPtr, colIdx, values };
}

/**
 * A X, where X is (A.cols x l): returns (A.rows x l). Each output row gathers the rows of X its
 * nonzeros name, four at a time (this product is memory-bound: fewer passes over the output row
 * matter more than arithmetic).
 */
export function mulDense(a: Csr, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.rows * l);
  const { rowPtr, colIdx, values } = a;
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    const end = rowPtr[r + 1] as number;
    let p = rowPtr[r] as number;
    for (; p + 3 < end; p += 4) {
      const v0 = values[p] as number;
      const v1 = values[p + 1] as number;
      const v2 = values[p + 2] as number;
      const v3 = values[p + 3] as number;
      const x0 = (colIdx[p] as number) * l;
      const x1 = (colIdx[p + 1] as number) * l;
      const x2 = (colIdx[p + 2] as number) * l;
      const x3 = (colIdx[p + 3] as number) * l;
      for (let c = 0; c < l; c++) {
        out[o + c] =
          (out[o + c] as number) +
          v0 * (x[x0 + c] as number) +
          v1 * (x[x1 + c] as number) +
          v2 * (x[x2 + c] as number) +
          v3 * (x[x3 + c] as number);
      }
    }
    for (; p < end; p++) {
      const v = values[p] as number;
      const xo = (colIdx[p] as number) * l;
      for (let c = 0; c < l; c++) out[o + c] = (out[o + c] as number) + v * (x[xo + c] as number);
    }
  }
  return out;
}
