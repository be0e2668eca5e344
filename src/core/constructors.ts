// Free-standing tensor constructors for use inside a traced function: they add nodes to the active
// trace (see trace.ts), so `zeros([2, "seq"])` works without a tensor at hand.

import type { DType } from './dtype.js';
import type { Dim } from './dim.js';
import { NDArray } from './ndarray.js';
import * as ops from './ops.js';
import type { TensorLike } from './ops.js';
import type { Tensor } from './tensor.js';
import { currentTrace } from './trace.js';

/** A constant tensor: from an NDArray, or a number as a scalar of `dtype` (default float32). */
export function constant(value: NDArray | number, dtype: DType = 'float32'): Tensor {
  return ops.constant(currentTrace(), value instanceof NDArray ? value : NDArray.scalar(dtype, value));
}

export function full(shape: readonly Dim[], value: number, dtype: DType = 'float32'): Tensor {
  return ops.full(currentTrace(), shape, value, dtype);
}

export function zeros(shape: readonly Dim[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: readonly Dim[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** [0, 1, …, length-1] (length may be symbolic). */
export function arange(length: Dim, dtype: DType = 'int64'): Tensor {
  return ops.iota(currentTrace(), length, dtype);
}

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return ops.where(cond, a, b);
}

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  return ops.concat(xs, axis);
}

/** Stack equally shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  return ops.concat(xs.map((x) => x.unsqueeze(axis)), axis);
}

/** indices (...) → (..., depth): 1 at each index, 0 elsewhere (composition: compare against arange). */
export function oneHot(indices: Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`oneHot: depth must be a positive integer (got ${depth})`);
  if (indices.dtype !== 'int32' && indices.dtype !== 'int64') throw new TypeError(`oneHot: indices must be int32 or int64 (got ${indices.dtype})`);
  return indices.unsqueeze(-1).eq(ops.iota(indices.builder, depth, indices.dtype)).cast(dtype);
}
