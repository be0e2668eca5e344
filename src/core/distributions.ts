// Random tensors from the counter-based generator: uniform is the primitive; normal (Box–Muller) and
// bernoulli are compositions. Keys are int64 scalars; foldIn derives independent keys from one seed.

import type { DType } from './dtype.js';
import type { Dim } from './dim.js';
import * as ops from './ops.js';
import type { Tensor } from './tensor.js';

/** Uniform in [0, 1). */
export function uniform(key: Tensor, shape: readonly Dim[], dtype: DType = 'float32'): Tensor {
  return ops.randomUniform(key, shape, dtype);
}

/** Standard normal via Box–Muller on two uniform draws of the same key. */
export function normal(key: Tensor, shape: readonly Dim[], dtype: DType = 'float32'): Tensor {
  const u = ops.randomUniform(key, [2, ...shape], dtype);
  const u1 = u.slice({ 0: { start: 0, end: 1 } }).squeeze(0).neg().add(1); // (0, 1]
  const u2 = u.slice({ 0: { start: 1, end: 2 } }).squeeze(0);
  return u1.log().mul(-2).sqrt().mul(u2.mul(2 * Math.PI).cos());
}

/** True with probability p. */
export function bernoulli(key: Tensor, shape: readonly Dim[], p: number): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1] (got ${p})`);
  return ops.randomUniform(key, shape, 'float32').lt(p);
}

const GOLDEN_GAMMA = 0x9e3779b1;

/** A new key from `key` and an integer tag (e.g. a layer index): key·0x9e3779b1 + tag, wrapping in int64. */
export function foldIn(key: Tensor, tag: number): Tensor {
  if (!Number.isInteger(tag)) throw new RangeError(`foldIn: the tag must be an integer (got ${tag})`);
  return key.mul(GOLDEN_GAMMA).add(tag);
}
