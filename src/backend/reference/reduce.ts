// Reference kernel of reduce (sum, max) over a sorted set of axes, optionally keeping them as size-1
// dims. Float sums accumulate in doubles and round once to the dtype; int32 sums wrap modulo 2^32, int64
// sums modulo 2^64. max propagates NaN; the max of an empty set is -Infinity (floats) or the dtype's
// minimum (ints), false for bool.

import type { ReduceFn } from '../../core/graph.js';
import { isFloat } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';
import { stridedIndices, stridesOf } from './broadcast.js';
import type { KernelContext } from './context.js';
import { fail } from './context.js';
import { bigintsOf, fromNumbers, numbersOf } from './storage.js';

export function reduce(ctx: KernelContext, fn: ReduceFn, x: NDArray, axes: readonly number[], keepDims: boolean): NDArray {
  const rank = x.rank;
  axes.forEach((axis, k) => {
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw fail(ctx, `axis ${axis} is out of range for rank ${rank}`);
    if (k > 0 && axis <= axes[k - 1]!) throw fail(ctx, `axes [${axes.join(', ')}] must be sorted and distinct`);
  });
  const reduced = new Set(axes);
  const kept = x.shape.map((n, d) => (reduced.has(d) ? 1 : n));
  const shape = keepDims ? kept : x.shape.filter((_, d) => !reduced.has(d));
  // For every element of x, the flat index of the output element it folds into.
  const keptStrides = stridesOf(kept);
  const target = stridedIndices(x.shape, keptStrides.map((s, d) => (reduced.has(d) ? 0 : s)));
  const outSize = kept.reduce((a, b) => a * b, 1);
  const n = target.length;

  if (x.dtype === 'int64') {
    const src = bigintsOf(x);
    const acc = new BigInt64Array(outSize).fill(fn === 'sum' ? 0n : -(2n ** 63n));
    for (let i = 0; i < n; i++) {
      const t = target[i]!;
      const v = src[i]!;
      acc[t] = fn === 'sum' ? BigInt.asIntN(64, acc[t]! + v) : v > acc[t]! ? v : acc[t]!;
    }
    return new NDArray('int64', shape, acc);
  }
  if (x.dtype === 'bool' && fn === 'sum') throw fail(ctx, `'sum' is not defined on bool`, 'type');
  const src = numbersOf(x);
  const acc = new Float64Array(outSize);
  if (fn === 'sum') {
    if (x.dtype === 'int32') for (let i = 0; i < n; i++) acc[target[i]!] = (acc[target[i]!]! + src[i]!) | 0;
    else for (let i = 0; i < n; i++) acc[target[i]!] += src[i]!;
  } else {
    acc.fill(isFloat(x.dtype) ? -Infinity : x.dtype === 'int32' ? -(2 ** 31) : 0);
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      const t = target[i]!;
      // Once the accumulator is NaN it stays NaN (NaN > v and v > NaN are both false).
      if (v > acc[t]! || v !== v) acc[t] = v;
    }
  }
  return fromNumbers(x.dtype, shape, acc);
}
