// Parameter initialisation on the host from the one counter-based generator (core/random.ts): the
// values of a tensor are a pure function of (seed, element index), so the same seed gives the same
// model on any machine and executor.

import type { DType } from '../core/dtype.js';
import { NDArray, sizeOf } from '../core/ndarray.js';
import { keyWords, uniformAt } from '../core/random.js';

/** Normal(0, std²) values, Box–Muller over pairs of uniforms of the key's stream. */
export function normalArray(seed: bigint, shape: readonly number[], std = 1, dtype: DType = 'float32'): NDArray {
  const [a, b] = keyWords(seed);
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = 1 - uniformAt(a, b, 2 * i); // (0, 1]
    const u2 = uniformAt(a, b, 2 * i + 1);
    values[i] = std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return NDArray.from(dtype, shape, values);
}

/** Uniform values in [low, high). */
export function uniformArray(seed: bigint, shape: readonly number[], low = 0, high = 1, dtype: DType = 'float32'): NDArray {
  const [a, b] = keyWords(seed);
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = low + (high - low) * uniformAt(a, b, i);
  return NDArray.from(dtype, shape, values);
}

export function filledArray(shape: readonly number[], value: number, dtype: DType = 'float32'): NDArray {
  return NDArray.from(dtype, shape, new Float64Array(sizeOf(shape)).fill(value));
}
