// Shape and dtype errors are thrown while tracing and name the op, the operands' shapes and the
// offending dimension.

import { describe, expect, it } from 'vitest';
import { compile, spec } from '../../src/backend/compile.js';
import type { Tensor } from '../../src/core/tensor.js';
import { NDArray } from '../../src/core/ndarray.js';
import * as ops from '../../src/core/ops.js';

const f32 = (...shape: (number | string)[]) => spec('float32', shape);

function traceError(fn: (...xs: Tensor[]) => unknown, ...specs: ReturnType<typeof f32>[]): string {
  try {
    compile(fn).trace(...specs);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the trace to throw');
}

describe('trace-time errors', () => {
  it('broadcasting', () => {
    expect(traceError((a, b) => a!.add(b!), f32(2, 3), f32(4, 3))).toBe(
      'add: cannot broadcast shapes [2, 3] and [4, 3]: dim 0 (from the left of the broadcast result) is 2 vs 4',
    );
    expect(traceError((a, b) => a!.mul(b!), f32('batch', 3), f32(5, 3))).toBe(
      'mul: cannot broadcast shapes ["batch", 3] and [5, 3]: dim 0 (from the left of the broadcast result) is "batch" vs 5',
    );
  });

  it('matmul inner dims', () => {
    expect(traceError((a, b) => a!.matmul(b!), f32(2, 3), f32(4, 5))).toBe('matmul: inner dims differ: [2, 3] has 3 at axis 1, [4, 5] has 4 at axis 0');
  });

  it('dtypes', () => {
    expect(traceError((a, b) => a!.add(b!), f32(2), spec('int32', [2]))).toBe('add: operand dtypes differ (float32 vs int32); cast one operand with .cast(dtype)');
    expect(traceError((a) => a!.exp(), spec('int32', [2]))).toBe("exp: needs a float tensor, got int32 of shape [2]; use .cast('float32') first");
    expect(traceError((a, b) => a!.gather(b!), f32(4, 2), f32(3))).toBe('gather: indices must be int32 or int64 (got float32 of shape [3])');
  });

  it('reshape, transpose, axes, concat', () => {
    expect(traceError((a) => a!.reshape([5, -1]), f32(2, 3))).toBe('reshape: cannot infer the -1 dim of [5, -1] from [2, 3] (6 elements)');
    expect(traceError((a) => a!.reshape([4, 2]), f32(2, 3))).toBe('reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)');
    expect(traceError((a) => a!.transpose([0, 0]), f32(2, 3))).toBe('transpose: [0, 0] is not a permutation of the 2 axes of [2, 3]');
    expect(traceError((a) => a!.sum(2), f32(2, 3))).toBe('reduce sum: axis 2 is out of range for a tensor of rank 2 (valid: -2..1)');
    expect(traceError((a, b) => ops.concat([a!, b!], 1), f32(2, 3), f32(3, 3))).toBe(
      'concat: operand 1 [3, 3] differs from operand 0 [2, 3] at axis 0 (only axis 1 may differ)',
    );
  });

  it('calling with arrays that do not match the specs', async () => {
    const fn = compile((a: Tensor, b: Tensor) => a.add(b), { specs: [f32('batch', 3), f32('batch', 3)] });
    await expect(fn(NDArray.zeros('float32', [2, 3]), NDArray.zeros('float32', [4, 3]))).rejects.toThrow(
      '"arg1" has 4 at axis 0 for dim "batch", which an earlier argument set to 2',
    );
    await expect(fn(NDArray.zeros('float32', [2, 3]), NDArray.zeros('int32', [2, 3]))).rejects.toThrow('"arg1" must be float32 (got int32)');
  });
});
