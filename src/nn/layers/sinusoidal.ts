// Sinusoidal position embeddings as fairseq and Hugging Face's M2M100/NLLB compute them: row p is
// [sin(p·f_0) … sin(p·f_{h−1}) | cos(p·f_0) … cos(p·f_{h−1})], f_i = exp(−i·ln(10000)/(h − 1)), h = D/2,
// a zero column appended when D is odd, and the padding row all zeros. Position ids come from
// fairseq's make_positions: real tokens are numbered padding_idx + 1, + 2, … (after `past`), pads get
// padding_idx. `sinusoidalPositions` computes rows in the graph; `sinusoidalTable` is its host twin.

import { arange, concat } from '../../core/constructors.js';
import { isStatic } from '../../core/dim.js';
import { NDArray } from '../../core/ndarray.js';
import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';

/** f_0 … f_{h−1}, rounded as PyTorch computes them in float32 (HF M2M100SinusoidalPositionalEmbedding). */
export function sinusoidalFrequencies(dim: number): Float32Array {
  const half = Math.floor(dim / 2);
  if (!Number.isInteger(dim) || half < 2) throw new RangeError(`sinusoidal positions need a dimension of at least 4 (got ${dim})`);
  const step = Math.fround(-Math.log(10000) / (half - 1));
  return Float32Array.from({ length: half }, (_, i) => Math.fround(Math.exp(Math.fround(i * step))));
}

/** The (rows, dim) table HF builds on the host (float32 products, then sin/cos), padding row zeroed. */
export function sinusoidalTable(rows: number, dim: number, paddingIdx?: number): NDArray {
  const freq = sinusoidalFrequencies(dim);
  const half = freq.length;
  const out = new Float32Array(rows * dim);
  for (let p = 0; p < rows; p++) {
    if (p === paddingIdx) continue;
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * freq[i]!);
      out[p * dim + i] = Math.sin(angle);
      out[p * dim + half + i] = Math.cos(angle);
    }
  }
  return new NDArray('float32', [rows, dim], out);
}

/** Position ids (..., T) int → (..., T, dim) float32 rows of the sinusoidal table, computed in the graph. */
export function sinusoidalPositions(ids: Tensor, dim: number, paddingIdx?: number): Tensor {
  const f = sinusoidalFrequencies(dim);
  const freq = ops.constant(ids.builder, new NDArray('float32', [f.length], f)); // (h)
  const angle = ids.cast('float32').unsqueeze(-1).mul(freq); // (..., T, h)
  let table = concat([angle.sin(), angle.cos()], -1); // (..., T, 2h)
  if (dim % 2 === 1) table = table.pad([...ids.shape.map((): [number, number] => [0, 0]), [0, 1]]); // (..., T, D)
  if (paddingIdx === undefined) return table;
  return ops.where(ids.ne(paddingIdx).unsqueeze(-1), table, 0); // (..., T, D)
}

/**
 * fairseq's make_positions for ids (B, T): (cumulative count of non-pad tokens + past) · notPad +
 * paddingIdx, so real tokens get paddingIdx + 1 + past, … whatever padding precedes them, and pads
 * get paddingIdx. Returns (B, T) int64.
 */
export function paddedPositionIds(ids: Tensor, paddingIdx: number, past: Tensor | number = 0): Tensor {
  const T = ids.shape[ids.rank - 1]!;
  const real = ids.ne(paddingIdx); // (B, T)
  const count = real.cast('float32');
  // A cumulative sum over T as a product with the upper-triangular ones (i ≤ j): exact for counts < 2^24.
  const upper = arange(T).unsqueeze(1).le(arange(T).unsqueeze(0)).cast('float32'); // (T, T)
  const cumsum = isStatic(T) && T === 1 ? count : count.matmul(upper); // (B, T)
  const base = typeof past === 'number' ? cumsum.add(past) : cumsum.add(past.cast('float32'));
  return ops.where(real, base, 0).cast('int64').add(paddingIdx); // (B, T)
}
