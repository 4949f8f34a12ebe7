// Tests of the linear algebra under the built-in embedder against textbook computations on small
// matrices: sparse products, Gram matrices, orthonormalisation, the eigensolver and the SVD.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gram, mulTransposed, orthonormalize } from "./dense.ts";
import { symmetricEigen } from "./eigen.ts";
import { Rng, sampleIndices } from "./rng.ts";
import { type Csr, csrFromRows, mulDense, transpose } from "./sparse.ts";
import { csrOperator, truncatedSvd } from "./svd.ts";

function randomSparse(rows: number, cols: number, density: number, rng: Rng): { csr: Csr; dense: Float64Array } {
  const dense = new Float64Array(rows * cols);
  const list = [];
  for (let r = 0; r < rows; r++) {
    const c: number[] = [];
    const v: number[] = [];
    for (let j = 0; j < cols; j++) {
      if (rng.next() < density) {
        const x = rng.next() * 2 - 1;
        c.push(j);
        v.push(x);
        dense[r * cols + j] = x;
      }
    }
    list.push({ cols: Uint32Array.from(c), values: Float64Array.from(v) });
  }
  return { csr: csrFromRows(list, cols), dense };
}

function matmul(a: Float64Array, n: number, m: number, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += (a[i * m + p] as number) * (b[p * k + j] as number);
      out[i * k + j] = s;
    }
  }
  return out;
}

function t(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j] as number;
  return out;
}

function assertClose(actual: Float64Array, expected: Float64Array, tol: number) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs((actual[i] as number) - (expected[i] as number)) <= tol,
      `at ${i}: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

test("sparse products with and without transposition match dense multiplication", () => {
  const rng = new Rng(1);
  const { csr, dense } = randomSparse(23, 17, 0.3, rng);
  const x = Float64Array.from({ length: 17 * 5 }, () => rng.next());
  const y = Float64Array.from({ length: 23 * 5 }, () => rng.next());
  assertClose(mulDense(csr, x, 5), matmul(dense, 23, 17, x, 5), 1e-12);
  assertClose(mulDense(transpose(csr), y, 5), matmul(t(dense, 23, 17), 17, 23, y, 5), 1e-12);
});

test("gram and mulTransposed match textbook products at odd and even sizes", () => {
  const rng = new Rng(2);
  for (const [rows, l, k] of [
    [70, 7, 3],
    [65, 8, 5],
    [1, 3, 1],
  ] as const) {
    const x = Float64Array.from({ length: rows * l }, () => rng.next() - 0.5);
    assertClose(gram(x, rows, l), matmul(t(x, rows, l), l, rows, x, l), 1e-12);
    const w = Float64Array.from({ length: k * l }, () => rng.next() - 0.5);
    assertClose(mulTransposed(x, rows, l, w, k), matmul(x, rows, l, t(w, k, l), k), 1e-12);
    const lower = Float64Array.from({ length: l * l }, (_, i) => (i % l <= Math.floor(i / l) ? rng.next() : 0));
    assertClose(mulTransposed(x, rows, l, lower, l, true), matmul(x, rows, l, t(lower, l, l), l), 1e-12);
  }
});

test("orthonormalize returns orthonormal columns spanning the same space", () => {
  const rng = new Rng(3);
  const rows = 50;
  const l = 6;
  const x = Float64Array.from({ length: rows * l }, () => rng.next() - 0.5);
  const q = orthonormalize(x, rows, l);
  const identity = Float64Array.from({ length: l * l }, (_, i) => (i % (l + 1) === 0 ? 1 : 0));
  assertClose(gram(q, rows, l), identity, 1e-12);
  // x = q (qᵀ x): projecting x onto the basis loses nothing
  const coeff = matmul(t(q, rows, l), l, rows, x, l);
  assertClose(matmul(q, rows, l, coeff, l), x, 1e-12);
});

test("orthonormalize turns dependent columns into zero columns and keeps the rest orthonormal", () => {
  // columns: a, b, a + b, 2a, c, 0, then a - c: rank 3, and the dependent ones repeat (to
  // rounding) what came before, which a floored pivot would amplify into garbage or NaN
  const rng = new Rng(6);
  const rows = 40;
  const l = 7;
  const [a, b, c] = [0, 1, 2].map(() => Float64Array.from({ length: rows }, () => rng.next() - 0.5)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const x = new Float64Array(rows * l);
  for (let r = 0; r < rows; r++) {
    const [ar, br, cr] = [a[r] as number, b[r] as number, c[r] as number];
    x.set([ar, br, ar + br, 2 * ar, cr, 0, ar - cr], r * l);
  }
  const q = orthonormalize(x, rows, l);
  assert.ok(q.every(Number.isFinite));
  const kept = [1, 1, 0, 0, 1, 0, 0];
  assertClose(
    gram(q, rows, l),
    Float64Array.from({ length: l * l }, (_, i) => (i % (l + 1) === 0 ? (kept[i % l] as number) : 0)),
    1e-12,
  );
  for (let r = 0; r < rows; r++) for (const j of [2, 3, 5, 6]) assert.equal(q[r * l + j], 0);
  const coeff = matmul(t(q, rows, l), l, rows, x, l);
  assertClose(matmul(q, rows, l, coeff, l), x, 1e-12);
});

test("symmetricEigen returns decreasing eigenvalues with orthonormal eigenvectors", () => {
  const rng = new Rng(4);
  const n = 9;
  const b = Float64Array.from({ length: n * n }, () => rng.next() - 0.5);
  const m = matmul(t(b, n, n), n, n, b, n);
  const { values, vectors } = symmetricEigen(m, n);
  for (let i = 1; i < n; i++) assert.ok((values[i - 1] as number) >= (values[i] as number));
  const mv = matmul(m, n, n, vectors, n);
  const vl = Float64Array.from(vectors, (v, i) => v * (values[i % n] as number));
  assertClose(mv, vl, 1e-10);
  assertClose(
    gram(vectors, n, n),
    Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
    1e-12,
  );
});

test("truncatedSvd finds the leading singular values and orthonormal right vectors", () => {
  const rng = new Rng(5);
  const rows = 60;
  const cols = 40;
  const { csr, dense } = randomSparse(rows, cols, 0.2, rng);
  const exact = symmetricEigen(matmul(t(dense, rows, cols), cols, rows, dense, cols), cols);
  const k = 5;
  const check = (svd: ReturnType<typeof truncatedSvd>, tol: number) => {
    for (let j = 0; j < k; j++) {
      const s = Math.sqrt(exact.values[j] as number);
      assert.ok(Math.abs((svd.values[j] as number) - s) < tol * s, `singular value ${j}: ${svd.values[j]} vs ${s}`);
    }
    assertClose(
      gram(svd.vectors, cols, k),
      Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)),
      1e-10,
    );
    // A v = s u
    const av = matmul(dense, rows, cols, svd.vectors, k);
    const su = Float64Array.from(svd.left as Float64Array, (u, i) => u * (svd.values[i % k] as number));
    assertClose(av, su, 1e-8);
  };
  // a sketch as wide as the matrix holds all of it: exact without power iterations
  check(truncatedSvd(csrOperator(csr), k, new Rng(9), { oversample: cols, powerIterations: 0, left: true }), 1e-9);
  // a narrow sketch converges with power iterations
  check(truncatedSvd(csrOperator(csr), k, new Rng(9), { oversample: 10, powerIterations: 12, left: true }), 1e-5);
});

test("truncatedSvd of a rank-deficient matrix has exact zeros past the rank and finite values", () => {
  // 30 rows that repeat 4 random rows with small multiples: rank 4, asked for 12 dimensions
  const rng = new Rng(7);
  const base = randomSparse(4, 25, 0.4, rng).dense;
  const rows = 30;
  const cols = 25;
  const dense = new Float64Array(rows * cols);
  const list = [];
  for (let r = 0; r < rows; r++) {
    const f = 1 + (r % 3);
    const row = Array.from(base.subarray((r % 4) * cols, ((r % 4) + 1) * cols), (v) => v * f);
    dense.set(row, r * cols);
    const nz = row.flatMap((v, j) => (v === 0 ? [] : [j]));
    list.push({ cols: Uint32Array.from(nz), values: Float64Array.from(nz, (j) => row[j] as number) });
  }
  const exact = symmetricEigen(matmul(t(dense, rows, cols), cols, rows, dense, cols), cols);
  for (const powerIterations of [0, 2]) {
    const svd = truncatedSvd(csrOperator(csrFromRows(list, cols)), 12, new Rng(9), {
      oversample: 0,
      powerIterations,
      left: true,
    });
    assert.ok(svd.vectors.every(Number.isFinite) && svd.values.every(Number.isFinite));
    assert.ok(svd.left?.every(Number.isFinite));
    for (let j = 0; j < 4; j++) {
      const s = Math.sqrt(exact.values[j] as number);
      assert.ok(Math.abs((svd.values[j] as number) - s) < 1e-9 * s, `singular value ${j}: ${svd.values[j]} vs ${s}`);
    }
    assert.deepEqual([...svd.values.subarray(4)], new Array(8).fill(0));
    for (let r = 0; r < cols; r++) for (let j = 4; j < 12; j++) assert.equal(svd.vectors[r * 12 + j], 0);
    assertClose(
      gram(svd.vectors, cols, 12),
      Float64Array.from({ length: 144 }, (_, i) => (i % 13 === 0 && i < 4 * 12 ? 1 : 0)),
      1e-10,
    );
  }
});

test("the seeded generator and sampler repeat exactly and stay in range", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.nextUint32(), b.nextUint32());
  const s = sampleIndices(100, 10, new Rng(1));
  assert.deepEqual(s, sampleIndices(100, 10, new Rng(1)));
  assert.equal(new Set(s).size, 10);
  assert.ok(s.every((i, j) => i < 100 && (j === 0 || i > (s[j - 1] as number))));
  assert.deepEqual([...sampleIndices(3, 10, new Rng(1))], [0, 1, 2]);
});
