// Reference kernels of the primitives that create values rather than transform them: constant, iota,
// dim (a runtime size as a scalar) and randomUniform (the counter-based generator of core/random.ts:
// element i, in row-major order, is uniformAt(a, b, i) for the key's words, rounded to the dtype).

import type { Dim, Shape } from '../../core/dim.js';
import type { DType } from '../../core/dtype.js';
import { isFloat } from '../../core/dtype.js';
import { NDArray, sizeOf } from '../../core/ndarray.js';
import { keyWords, uniformAt } from '../../core/random.js';
import type { KernelContext } from './context.js';
import { fail, formatDims, resolveDim } from './context.js';
import { bigintsOf, fromNumbers } from './storage.js';

export function constant(value: NDArray): NDArray {
  return value;
}

export function iota(ctx: KernelContext, length: Dim, dtype: DType): NDArray {
  if (dtype === 'bool') throw fail(ctx, 'iota is not defined on bool', 'type');
  const n = resolveDim(ctx, length);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return fromNumbers(dtype, [n], values);
}

export function dim(ctx: KernelContext, x: NDArray, axis: number, dtype: DType): NDArray {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank) throw fail(ctx, `axis ${axis} is out of range for rank ${x.rank}`);
  return fromNumbers(dtype, [], [x.shape[axis]!]);
}

/** The largest number of elements the recipe can index (flat indices are 32-bit). */
const MAX_RANDOM_ELEMENTS = 2 ** 32;

export function randomUniform(ctx: KernelContext, key: NDArray, shapeDims: Shape, dtype: DType): NDArray {
  if (key.dtype !== 'int64' || key.size !== 1) {
    throw fail(ctx, `the key must be an int64 scalar, got ${key.dtype} of shape ${formatDims(key.shape)}`, 'type');
  }
  if (!isFloat(dtype)) throw fail(ctx, `random values must be a float dtype, not ${dtype}`, 'type');
  const shape = shapeDims.map((d) => resolveDim(ctx, d));
  const n = sizeOf(shape);
  if (n > MAX_RANDOM_ELEMENTS) throw fail(ctx, `${n} elements exceed the generator's 2^32 flat indices`);
  const [a, b] = keyWords(bigintsOf(key)[0]!);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = uniformAt(a, b, i);
  return fromNumbers(dtype, shape, values);
}
