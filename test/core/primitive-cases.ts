// The table of primitive test cases shared by the forward (ORT vs reference) and gradient (finite
// differences) tests: every primitive of graph.ts appears, with broadcasting and symbolic dims.

import type { Dim } from '../../src/core/dim.js';
import type { DType } from '../../src/core/dtype.js';
import { NDArray } from '../../src/core/ndarray.js';
import * as ops from '../../src/core/ops.js';
import type { Tensor } from '../../src/core/tensor.js';
import { arange, constant, oneHot } from '../../src/core/constructors.js';
import type { Gen } from '../helpers/arrays.js';

export interface InputCase {
  /** 'float' inputs run as float32 on ORT and float64 for finite differences. */
  dtype: DType | 'float';
  shape: number[];
  /** The shape the function is traced with, if it has symbolic dims. */
  symbolic?: Dim[];
  gen?: Gen;
}

export interface PrimitiveCase {
  name: string;
  inputs: InputCase[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Check gradients of the float inputs (default: when there is a float input and a float output). */
  grad?: boolean;
  /**
   * Finite-difference step and tolerance when the defaults (h 1e-6, rtol 1e-6) do not apply; `false` where
   * finite differences do not measure the rule's intent (stopGradient).
   */
  finiteDifferences?: false | { h: number; rtol: number };
}

const f = (shape: number[], gen: Gen = 'normal', symbolic?: Dim[]): InputCase => ({ dtype: 'float', shape, gen, ...(symbolic ? { symbolic } : {}) });
const i32 = (shape: number[], lo: number, hi: number, symbolic?: Dim[]): InputCase => ({ dtype: 'int32', shape, gen: { int: [lo, hi] }, ...(symbolic ? { symbolic } : {}) });
const i64 = (shape: number[], lo: number, hi: number): InputCase => ({ dtype: 'int64', shape, gen: { int: [lo, hi] } });
const b = (shape: number[]): InputCase => ({ dtype: 'bool', shape, gen: 'bool' });

const unaryCases: PrimitiveCase[] = (
  [
    ['neg', 'normal'],
    ['exp', 'normal'],
    ['log', 'positive'],
    ['sqrt', 'positive'],
    ['tanh', 'normal'],
    ['erf', 'normal'],
    ['abs', 'nonzero'],
    ['sin', 'normal'],
    ['cos', 'normal'],
    ['reciprocal', 'nonzero'],
    ['floor', 'normal'],
    ['sign', 'nonzero'],
  ] as const
).map(([fn, gen]) => ({ name: `unary ${fn}`, inputs: [f([3, 4], gen)], fn: (x: Tensor) => ops.unary(fn, x) }));

const binaryCases: PrimitiveCase[] = (
  [
    ['add', 'normal', 'normal'],
    ['sub', 'normal', 'normal'],
    ['mul', 'normal', 'normal'],
    ['div', 'normal', 'nonzero'],
    ['pow', 'positive', 'normal'],
    ['maximum', 'normal', 'normal'],
    ['minimum', 'normal', 'normal'],
  ] as const
).map(([fn, ga, gb]) => ({
  name: `binary ${fn} (broadcast [3,1,4] with [2,4])`,
  inputs: [f([3, 1, 4], ga), f([2, 4], gb)],
  fn: (x: Tensor, y: Tensor) => ops.binary(fn, x, y),
}));

export const PRIMITIVE_CASES: PrimitiveCase[] = [
  ...unaryCases,
  { name: 'unary neg int32', inputs: [i32([5], -9, 9)], fn: (x) => x.neg() },
  { name: 'unary abs int64', inputs: [i64([5], -9, 9)], fn: (x) => x.abs() },
  { name: 'unary not', inputs: [b([2, 3])], fn: (x) => x.not() },
  ...binaryCases,
  { name: 'binary add, symbolic batch', inputs: [f([5, 3], 'normal', ['batch', 3]), f([3])], fn: (x, y) => x.add(y) },
  { name: 'binary mul int32 wraps', inputs: [i32([4], 100000, 200000), i32([4], 100000, 200000)], fn: (x, y) => x.mul(y) },
  { name: 'binary div int64 truncates', inputs: [i64([6], -50, 50), i64([6], 1, 7)], fn: (x, y) => x.div(y) },
  { name: 'binary and', inputs: [b([2, 3]), b([3])], fn: (x, y) => x.and(y) },
  { name: 'binary or', inputs: [b([2, 3]), b([2, 1])], fn: (x, y) => x.or(y) },
  ...(['equal', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const).map(
    (fn): PrimitiveCase => ({ name: `compare ${fn} int32`, inputs: [i32([3, 4], 0, 3), i32([4], 0, 3)], fn: (x, y) => ops.compare(fn, x, y) }),
  ),
  { name: 'compare less float', inputs: [f([3, 4]), f([3, 1])], fn: (x, y) => x.lt(y) },
  { name: 'where (broadcast cond [3,1], a [3,4], b [4])', inputs: [b([3, 1]), f([3, 4]), f([4])], fn: (c, x, y) => ops.where(c, x, y) },
  { name: 'cast float32 → int32 truncates', inputs: [{ dtype: 'float32', shape: [6], gen: 'normal' }], fn: (x) => x.mul(3).cast('int32') },
  { name: 'cast int32 → float32', inputs: [i32([5], -100, 100)], fn: (x) => x.cast('float32') },
  { name: 'cast float32 → bool', inputs: [{ dtype: 'float32', shape: [6], gen: { int: [-1, 2] } }], fn: (x) => x.cast('bool') },
  { name: 'cast bool → float32', inputs: [b([6])], fn: (x) => x.cast('float32') },
  { name: 'cast int64 → int32', inputs: [i64([6], -1000, 1000)], fn: (x) => x.cast('int32') },
  { name: 'cast float32 → float16 → float32', inputs: [{ dtype: 'float32', shape: [8], gen: 'normal' }], fn: (x) => x.mul(1000).cast('float16').cast('float32') },
  { name: 'cast float32 → bfloat16 → float32', inputs: [{ dtype: 'float32', shape: [8], gen: 'normal' }], fn: (x) => x.mul(1000).cast('bfloat16').cast('float32') },
  {
    name: 'cast float64 ↔ float32 (differentiable)',
    inputs: [f([4])],
    fn: (x) => x.cast('float32').mul(x.cast('float32')).cast(x.dtype),
    // float32 rounding (~6e-8 relative) swamps a 1e-6 step.
    finiteDifferences: { h: 1e-3, rtol: 1e-3 },
  },
  // d/dx (stopGradient(x)·x) is x by definition, not the 2x finite differences see; autodiff.test.ts pins it.
  { name: 'stopGradient', inputs: [f([3])], fn: (x) => x.stopGradient().mul(x), finiteDifferences: false },
  { name: 'reduce sum axes [0, 2]', inputs: [f([2, 3, 4])], fn: (x) => x.sum([0, 2]) },
  { name: 'reduce sum keepDims', inputs: [f([2, 3, 4])], fn: (x) => x.sum(1, true) },
  { name: 'reduce sum all', inputs: [f([2, 3])], fn: (x) => x.sum() },
  { name: 'reduce max axis 1', inputs: [f([3, 5])], fn: (x) => x.max(1) },
  { name: 'reduce max keepDims, symbolic', inputs: [f([4, 3], 'normal', ['n', 3])], fn: (x) => x.max(0, true) },
  { name: 'reduce sum int32', inputs: [i32([3, 4], -5, 5)], fn: (x) => x.sum(1) },
  { name: 'mean over a symbolic axis', inputs: [f([6, 2], 'normal', ['seq', 2])], fn: (x) => x.mean(0) },
  { name: 'matmul [2,3,4] @ [4,5]', inputs: [f([2, 3, 4]), f([4, 5])], fn: (x, y) => x.matmul(y) },
  { name: 'matmul batch broadcast [2,1,3,4] @ [3,4,2]', inputs: [f([2, 1, 3, 4]), f([3, 4, 2])], fn: (x, y) => x.matmul(y) },
  { name: 'matmul symbolic', inputs: [f([3, 4], 'normal', ['rows', 4]), f([4, 2])], fn: (x, y) => x.matmul(y) },
  { name: 'reshape [2,3,4] → [6,-1]', inputs: [f([2, 3, 4])], fn: (x) => x.reshape([6, -1]) },
  {
    name: 'reshape symbolic [batch,3,4] → [-1,4] → [batch,12]',
    inputs: [f([2, 3, 4], 'normal', ['batch', 3, 4])],
    fn: (x) => x.reshape([-1, 4]).mul(2).reshape(['batch', 12]),
  },
  { name: 'broadcastTo [3,1] → [2,3,4]', inputs: [f([3, 1])], fn: (x) => x.broadcastTo([2, 3, 4]) },
  { name: 'broadcastTo symbolic', inputs: [f([3], 'normal'), f([2, 3], 'normal', ['batch', 3])], fn: (x, y) => x.broadcastTo(y.shape).mul(y) },
  { name: 'transpose [2,0,1]', inputs: [f([2, 3, 4])], fn: (x) => x.transpose([2, 0, 1]) },
  { name: 'slice with steps and negative start', inputs: [f([5, 7])], fn: (x) => x.slice({ 0: { start: -4, end: 5, step: 2 }, 1: { start: 1, end: 7, step: 3 } }) },
  { name: 'slice symbolic from the start and from the end', inputs: [f([6, 3], 'normal', ['seq', 3])], fn: (x) => x.slice({ 0: { start: 1 } }).sum(0).add(x.slice({ 0: { start: -2 } }).sum(0)) },
  { name: 'slice symbolic [1:-1]', inputs: [f([6, 3], 'normal', ['seq', 3])], fn: (x) => x.slice({ 0: { start: 1, end: -1 } }) },
  { name: 'concat axis 1', inputs: [f([2, 3]), f([2, 1]), f([2, 2])], fn: (x, y, z) => ops.concat([x, y, z], 1) },
  { name: 'concat symbolic (cache grows)', inputs: [f([4, 3], 'normal', ['past', 3]), f([1, 3])], fn: (x, y) => ops.concat([x, y], 0) },
  { name: 'pad', inputs: [f([2, 3])], fn: (x) => x.pad([[1, 0], [2, 1]], 0.5) },
  { name: 'pad symbolic', inputs: [f([3, 2], 'normal', ['seq', 2])], fn: (x) => x.pad([[2, 1]]) },
  { name: 'gather axis 0 (embedding)', inputs: [f([5, 3]), i32([2, 4], -5, 5)], fn: (x, i) => x.gather(i, 0) },
  { name: 'gather axis 1, int64 indices', inputs: [f([2, 4, 3]), i64([3], 0, 4)], fn: (x, i) => x.gather(i, 1) },
  { name: 'gather symbolic indices', inputs: [f([6, 2]), i32([2, 5], 0, 6, ['batch', 'seq'])], fn: (x, i) => x.gather(i, 0) },
  { name: 'scatterAdd axis 0 (repeated indices add)', inputs: [f([4, 3]), i32([5], 0, 4), f([5, 3])], fn: (x, i, u) => ops.scatterAdd(x, i, u, 0) },
  { name: 'scatterAdd axis 1', inputs: [f([2, 4, 3]), i32([2, 2], -4, 4), f([2, 2, 2, 3])], fn: (x, i, u) => ops.scatterAdd(x, i, u, 1) },
  { name: 'takeAlong last axis', inputs: [f([3, 5]), i32([3, 2], 0, 5)], fn: (x, i) => x.takeAlong(i, 1) },
  { name: 'takeAlong axis 0', inputs: [f([4, 3]), i64([2, 3], 0, 4)], fn: (x, i) => x.takeAlong(i, 0) },
  { name: 'putAlongAdd last axis', inputs: [f([3, 5]), i32([3, 4], 0, 5), f([3, 4])], fn: (x, i, u) => ops.putAlongAdd(x, i, u, 1) },
  { name: 'oneHot (composition of iota, equal, cast)', inputs: [f([2, 3, 4]), i32([2, 3], 0, 4)], fn: (x, i) => oneHot(i, 4, x.dtype).mul(x) },
  { name: 'iota', inputs: [f([4])], fn: (x) => x.mul(arange(4, 'int64').cast(x.dtype)) },
  { name: 'iota symbolic length', inputs: [f([5], 'normal', ['seq'])], fn: (x) => x.add(arange('seq', 'int32').cast(x.dtype)) },
  { name: 'dim of a symbolic axis', inputs: [f([3, 7], 'normal', ['rows', 'cols'])], fn: (x) => x.mul(ops.dimSize(x, 1, x.dtype)).add(ops.dimSize(x, 0, x.dtype)) },
  { name: 'constant', inputs: [f([2, 2])], fn: (x) => x.add(constant(NDArray.from('float32', [2], [1.5, -2])).cast(x.dtype)) },
];

/** randomUniform needs an int64 key input; tested apart (no gradient). */
export const RANDOM_CASES: { name: string; key: bigint; shape: Dim[]; symbolic?: { shape: number[] } }[] = [
  { name: 'key 0', key: 0n, shape: [3, 5] },
  { name: 'key 123456789', key: 123456789n, shape: [7] },
  { name: 'negative key', key: -42n, shape: [2, 2, 2] },
  { name: 'key above 2^32', key: 0x1234_5678_9abcn, shape: [4] },
];
