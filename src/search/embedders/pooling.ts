// Turns a transformer's per-token output into one unit-length vector per text: mean pooling over
// the tokens the attention mask keeps (padding never counts), or the first ([CLS]) token's state.
import { normalize } from "../embedder.ts";

export type Pooling = "mean" | "cls";

/** A row-major [batch, seq, dims] tensor as the model returned it. */
export interface TokenStates {
  data: ArrayLike<number>;
  dims: readonly number[];
}

/** A row-major [batch, seq] attention mask: 1 (or 1n) for a real token, 0 for padding. */
export interface Mask {
  data: ArrayLike<number | bigint>;
  dims: readonly number[];
}

/** Pools each text's token states into one vector and L2-normalises it. */
export function poolAndNormalize(states: TokenStates, mask: Mask, pooling: Pooling): Float32Array[] {
  if (states.dims.length !== 3) {
    throw new Error(`expected token states of shape [batch, seq, dims], got [${states.dims.join(", ")}]`);
  }
  const [batch, seq, dims] = states.dims as [number, number, number];
  if (mask.dims[0] !== batch || mask.dims[1] !== seq) {
    throw new Error(`attention mask shape [${mask.dims.join(", ")}] does not match token states [${batch}, ${seq}]`);
  }
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dims);
    if (pooling === "cls") {
      const base = b * seq * dims;
      for (let d = 0; d < dims; d++) v[d] = states.data[base + d] as number;
    } else {
      let kept = 0;
      for (let s = 0; s < seq; s++) {
        if (Number(mask.data[b * seq + s]) === 0) continue;
        kept++;
        const base = (b * seq + s) * dims;
        for (let d = 0; d < dims; d++) v[d] = (v[d] as number) + (states.data[base + d] as number);
      }
      if (kept > 0) for (let d = 0; d < dims; d++) v[d] = (v[d] as number) / kept;
    }
    out.push(normalize(v));
  }
  return out;
}
