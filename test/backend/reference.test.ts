// Pins the reference executor's results for every primitive kind on small hand-built graphs, with
// expected values computed by hand (or, for erf, known to full double precision).

import { describe, it, expect } from 'vitest';
import type { Shape } from '../../src/core/dim.js';
import type { DType } from '../../src/core/dtype.js';
import type { Graph, Node, Prim } from '../../src/core/graph.js';
import { NDArray } from '../../src/core/ndarray.js';
import { keyWords, uniformAt } from '../../src/core/random.js';
import { executeReference } from '../../src/backend/reference/executor.js';

/** Builds a graph node by node: each call returns the new node's id. */
class Builder {
  readonly nodes: Node[] = [];
  readonly inputs: number[] = [];

  input(name: string, dtype: DType, shape: Shape): number {
    const id = this.node({ kind: 'input', index: this.inputs.length, name }, [], dtype, shape);
    this.inputs.push(id);
    return id;
  }

  constant(value: NDArray): number {
    return this.node({ kind: 'constant', value }, [], value.dtype, value.shape);
  }

  node(prim: Prim, inputs: readonly number[], dtype: DType, shape: Shape): number {
    const id = this.nodes.length;
    this.nodes.push({ id, prim, inputs, dtype, shape });
    return id;
  }

  graph(outputs: readonly number[]): Graph {
    return { nodes: this.nodes, inputs: this.inputs, outputs };
  }
}

/** Runs a graph of one node applied to the given inputs (all fed as graph inputs) and returns its value. */
function run1(prim: Prim, args: readonly NDArray[], dtype: DType, shape: Shape): NDArray {
  const b = new Builder();
  const ids = args.map((x, k) => b.input(`x${k}`, x.dtype, x.shape));
  const out = b.node(prim, ids, dtype, shape);
  return executeReference(b.graph([out]), args)[0]!;
}

const f64 = (shape: number[], values: number[]): NDArray => NDArray.from('float64', shape, values);
const f32 = (shape: number[], values: number[]): NDArray => NDArray.from('float32', shape, values);
const i32 = (shape: number[], values: number[]): NDArray => NDArray.from('int32', shape, values);
const i64 = (shape: number[], values: (number | bigint)[]): NDArray => NDArray.from('int64', shape, values);
const bool = (shape: number[], values: number[]): NDArray => NDArray.from('bool', shape, values);

describe('reference executor: elementwise', () => {
  it('unary float ops', () => {
    const x = f64([4], [-1.5, 0, 0.25, 4]);
    const y = (fn: Extract<Prim, { kind: 'unary' }>['fn']): number[] => run1({ kind: 'unary', fn }, [x], 'float64', [4]).toNumbers();
    expect(y('neg')).toEqual([1.5, -0, -0.25, -4]);
    expect(y('abs')).toEqual([1.5, 0, 0.25, 4]);
    expect(y('floor')).toEqual([-2, 0, 0, 4]);
    expect(y('sign')).toEqual([-1, 0, 1, 1]);
    expect(run1({ kind: 'unary', fn: 'sign' }, [f32([3], [NaN, -0, -3])], 'float32', [3]).toNumbers()).toEqual([NaN, 0, -1]);
    expect(y('reciprocal')).toEqual([-1 / 1.5, Infinity, 4, 0.25]);
    expect(y('sqrt')).toEqual([NaN, 0, 0.5, 2]);
    expect(y('exp')).toEqual([Math.exp(-1.5), 1, Math.exp(0.25), Math.exp(4)]);
    expect(y('log')).toEqual([NaN, -Infinity, Math.log(0.25), Math.log(4)]);
    expect(y('tanh')).toEqual([Math.tanh(-1.5), 0, Math.tanh(0.25), Math.tanh(4)]);
    expect(y('sin')).toEqual([Math.sin(-1.5), 0, Math.sin(0.25), Math.sin(4)]);
    expect(y('cos')).toEqual([Math.cos(-1.5), 1, Math.cos(0.25), Math.cos(4)]);
  });

  it('erf matches known values to 1e-15', () => {
    const points = [0.5, 1, 2, -3, 0, 0.1, 1.5, -0.75, 4, 7];
    const known = [
      0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 0, 0.1124629160182849,
      0.9661051464753108, -0.7111556336535151, 0.9999999845827421, 1,
    ];
    const y = run1({ kind: 'unary', fn: 'erf' }, [f64([points.length], points)], 'float64', [points.length]).toNumbers();
    y.forEach((v, i) => expect(Math.abs(v - known[i]!)).toBeLessThan(1e-15));
  });

  it('unary on ints and bools', () => {
    const x = i32([3], [-5, 0, -2147483648]);
    expect(run1({ kind: 'unary', fn: 'neg' }, [x], 'int32', [3]).toNumbers()).toEqual([5, 0, -2147483648]);
    expect(run1({ kind: 'unary', fn: 'abs' }, [x], 'int32', [3]).toNumbers()).toEqual([5, 0, -2147483648]);
    expect(run1({ kind: 'unary', fn: 'sign' }, [x], 'int32', [3]).toNumbers()).toEqual([-1, 0, -1]);
    const big = i64([2], [-(2n ** 63n), 7n]);
    expect([...(run1({ kind: 'unary', fn: 'neg' }, [big], 'int64', [2]).data as BigInt64Array)]).toEqual([-(2n ** 63n), -7n]);
    expect(run1({ kind: 'unary', fn: 'not' }, [bool([2], [1, 0])], 'bool', [2]).toNumbers()).toEqual([0, 1]);
    expect(() => run1({ kind: 'unary', fn: 'exp' }, [x], 'int32', [3])).toThrow(/unary 'exp' \(node 1\).*int32/);
  });

  it('binary float ops broadcast and round float32 results', () => {
    const a = f32([2, 1], [0.1, 2]);
    const b = f32([3], [0.2, 1, -1]);
    const sum = run1({ kind: 'binary', fn: 'add' }, [a, b], 'float32', [2, 3]);
    expect(sum.shape).toEqual([2, 3]);
    expect(sum.data).toBeInstanceOf(Float32Array);
    expect(sum.toNumbers()).toEqual([Math.fround(Math.fround(0.1) + Math.fround(0.2)), Math.fround(Math.fround(0.1) + 1), Math.fround(Math.fround(0.1) - 1), 2.2, 3, 1].map(Math.fround));
    const p = run1({ kind: 'binary', fn: 'pow' }, [f64([3], [2, 4, -8]), f64([1], [0.5])], 'float64', [3]).toNumbers();
    expect(p).toEqual([Math.SQRT2, 2, NaN]);
    const mx = run1({ kind: 'binary', fn: 'maximum' }, [f64([3], [1, NaN, 3]), f64([3], [2, 0, NaN])], 'float64', [3]).toNumbers();
    expect(mx).toEqual([2, NaN, NaN]);
    const mn = run1({ kind: 'binary', fn: 'minimum' }, [f64([3], [1, NaN, 3]), f64([3], [2, 0, -Infinity])], 'float64', [3]).toNumbers();
    expect(mn).toEqual([1, NaN, -Infinity]);
    expect(run1({ kind: 'binary', fn: 'div' }, [f64([2], [1, -1]), f64([2], [0, 4])], 'float64', [2]).toNumbers()).toEqual([Infinity, -0.25]);
  });

  it('float16 and bfloat16 compute in doubles and round to their dtype', () => {
    const h = NDArray.from('float16', [2], [1, 2048]);
    const r = run1({ kind: 'binary', fn: 'add' }, [h, NDArray.from('float16', [2], [0.0001, 1])], 'float16', [2]);
    expect(r.toNumbers()).toEqual([1, 2048]); // 1.0001 rounds to 1; 2049 is a tie that rounds to even 2048
    const bf = run1({ kind: 'binary', fn: 'mul' }, [NDArray.from('bfloat16', [1], [3]), NDArray.from('bfloat16', [1], [1 / 3])], 'bfloat16', [1]);
    expect(bf.toNumbers()).toEqual([1]);
  });

  it('int32 arithmetic wraps around', () => {
    const a = i32([4], [2147483647, -2147483648, 65536, -7]);
    const b = i32([4], [1, 1, 65536, 2]);
    expect(run1({ kind: 'binary', fn: 'add' }, [a, b], 'int32', [4]).toNumbers()).toEqual([-2147483648, -2147483647, 131072, -5]);
    expect(run1({ kind: 'binary', fn: 'sub' }, [a, b], 'int32', [4]).toNumbers()).toEqual([2147483646, 2147483647, 0, -9]);
    expect(run1({ kind: 'binary', fn: 'mul' }, [a, b], 'int32', [4]).toNumbers()).toEqual([2147483647, -2147483648, 0, -14]);
    expect(run1({ kind: 'binary', fn: 'div' }, [a, b], 'int32', [4]).toNumbers()).toEqual([2147483647, -2147483648, 1, -3]);
    expect(() => run1({ kind: 'binary', fn: 'div' }, [a, i32([1], [0])], 'int32', [4])).toThrow(RangeError);
    expect(() => run1({ kind: 'binary', fn: 'div' }, [a, i32([1], [0])], 'int32', [4])).toThrow(/binary 'div' \(node 2\): integer division by zero/);
  });

  it('int64 arithmetic wraps and divides toward zero', () => {
    const a = i64([4], [7, -7, 7, 2n ** 62n]);
    const b = i64([4], [2, 2, -2, 4]);
    const data = (fn: 'div' | 'mul' | 'add'): bigint[] => [...(run1({ kind: 'binary', fn }, [a, b], 'int64', [4]).data as BigInt64Array)];
    expect(data('div')).toEqual([3n, -3n, -3n, 2n ** 60n]);
    expect(data('mul')).toEqual([14n, -14n, -14n, 0n]);
    const max = i64([1], [2n ** 63n - 1n]);
    expect([...(run1({ kind: 'binary', fn: 'add' }, [max, i64([1], [1])], 'int64', [1]).data as BigInt64Array)]).toEqual([-(2n ** 63n)]);
    expect(() => run1({ kind: 'binary', fn: 'div' }, [a, i64([], [0])], 'int64', [4])).toThrow(/binary 'div' \(node 2\): integer division by zero/);
  });

  it('and/or on bools; mismatched dtypes are a TypeError', () => {
    const a = bool([4], [0, 0, 1, 1]);
    const b = bool([4], [0, 1, 0, 1]);
    expect(run1({ kind: 'binary', fn: 'and' }, [a, b], 'bool', [4]).toNumbers()).toEqual([0, 0, 0, 1]);
    expect(run1({ kind: 'binary', fn: 'or' }, [a, b], 'bool', [4]).toNumbers()).toEqual([0, 1, 1, 1]);
    expect(() => run1({ kind: 'binary', fn: 'add' }, [f32([1], [1]), f64([1], [1])], 'float32', [1])).toThrow(TypeError);
  });

  it('compare gives bools and broadcasts', () => {
    const a = f64([3, 1], [1, 2, NaN]);
    const b = f64([2], [1, 2]);
    const c = (fn: Extract<Prim, { kind: 'compare' }>['fn']): number[] => run1({ kind: 'compare', fn }, [a, b], 'bool', [3, 2]).toNumbers();
    expect(c('equal')).toEqual([1, 0, 0, 1, 0, 0]);
    expect(c('less')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(c('lessEqual')).toEqual([1, 1, 0, 1, 0, 0]);
    expect(c('greater')).toEqual([0, 0, 1, 0, 0, 0]);
    expect(c('greaterEqual')).toEqual([1, 0, 1, 1, 0, 0]);
    const big = run1({ kind: 'compare', fn: 'less' }, [i64([2], [-(2n ** 62n), 5]), i64([1], [0])], 'bool', [2]);
    expect(big.dtype).toBe('bool');
    expect(big.toNumbers()).toEqual([1, 0]);
  });

  it('where broadcasts all three operands', () => {
    const cond = bool([2, 1], [1, 0]);
    const a = i32([3], [1, 2, 3]);
    const b = i32([], [-1]);
    expect(run1({ kind: 'where' }, [cond, a, b], 'int32', [2, 3]).toNested()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  });

  it('cast truncates toward zero and converts to bool as x != 0', () => {
    const x = f64([6], [-2.7, 2.9, 0, -0.5, NaN, 3e9]);
    expect(run1({ kind: 'cast', to: 'int32' }, [x], 'int32', [6]).toNumbers()).toEqual([-2, 2, 0, 0, -2147483648, -2147483648]);
    expect(run1({ kind: 'cast', to: 'int64' }, [x], 'int64', [6]).toNumbers()).toEqual([-2, 2, 0, 0, -(2 ** 63), 3e9]);
    expect(run1({ kind: 'cast', to: 'bool' }, [x], 'bool', [6]).toNumbers()).toEqual([1, 1, 0, 1, 1, 1]);
    expect(run1({ kind: 'cast', to: 'float32' }, [f64([1], [0.1])], 'float32', [1]).toNumbers()).toEqual([Math.fround(0.1)]);
    expect(run1({ kind: 'cast', to: 'float64' }, [bool([2], [1, 0])], 'float64', [2]).toNumbers()).toEqual([1, 0]);
    expect(run1({ kind: 'cast', to: 'int32' }, [i64([2], [2n ** 32n + 5n, -1])], 'int32', [2]).toNumbers()).toEqual([5, -1]);
    expect([...(run1({ kind: 'cast', to: 'int64' }, [i32([1], [-3])], 'int64', [1]).data as BigInt64Array)]).toEqual([-3n]);
    expect(run1({ kind: 'cast', to: 'float16' }, [f32([1], [65520])], 'float16', [1]).toNumbers()).toEqual([Infinity]);
  });

  it('outputs never share data with a constant', () => {
    const b = new Builder();
    const c = b.constant(f64([2, 2], [1, 2, 3, 4]));
    const r = b.node({ kind: 'reshape', shape: [4] }, [c], 'float64', [4]);
    const g = b.graph([c, r]);
    const [cv, rv] = executeReference(g, []);
    (cv!.data as Float64Array)[0] = 100;
    (rv!.data as Float64Array)[1] = 100;
    expect(executeReference(g, [])[1]!.toNumbers()).toEqual([1, 2, 3, 4]);
  });

  it('stopGradient is the identity', () => {
    const x = f32([2], [1, 2]);
    expect(run1({ kind: 'stopGradient' }, [x], 'float32', [2]).toNumbers()).toEqual([1, 2]);
  });
});

describe('reference executor: reduce and matmul', () => {
  const x = f64([2, 3], [1, 2, 3, 4, 5, 6]);

  it('sums and maxes over axes, with and without keepDims', () => {
    expect(run1({ kind: 'reduce', fn: 'sum', axes: [1], keepDims: true }, [x], 'float64', [2, 1]).toNested()).toEqual([[6], [15]]);
    expect(run1({ kind: 'reduce', fn: 'sum', axes: [0], keepDims: false }, [x], 'float64', [3]).toNested()).toEqual([5, 7, 9]);
    expect(run1({ kind: 'reduce', fn: 'sum', axes: [0, 1], keepDims: false }, [x], 'float64', []).toNumbers()).toEqual([21]);
    expect(run1({ kind: 'reduce', fn: 'max', axes: [0], keepDims: true }, [x], 'float64', [1, 3]).toNested()).toEqual([[4, 5, 6]]);
    const empty = NDArray.zeros('float32', [2, 0]);
    expect(run1({ kind: 'reduce', fn: 'max', axes: [1], keepDims: false }, [empty], 'float32', [2]).toNumbers()).toEqual([-Infinity, -Infinity]);
    expect(run1({ kind: 'reduce', fn: 'sum', axes: [1], keepDims: false }, [empty], 'float32', [2]).toNumbers()).toEqual([0, 0]);
    const withNaN = f64([3], [1, NaN, 2]);
    expect(run1({ kind: 'reduce', fn: 'max', axes: [0], keepDims: false }, [withNaN], 'float64', []).toNumbers()).toEqual([NaN]);
  });

  it('sums float32 in double precision and rounds once', () => {
    const values = [1, 2 ** -24, 2 ** -24];
    const r = run1({ kind: 'reduce', fn: 'sum', axes: [0], keepDims: false }, [f32([3], values)], 'float32', []);
    // Accumulating in float32 would give 1 (each 1 + 2^-24 rounds to 1); once-rounded it is 1 + 2^-23.
    expect(r.toNumbers()).toEqual([1 + 2 ** -23]);
  });

  it('integer sums wrap', () => {
    expect(run1({ kind: 'reduce', fn: 'sum', axes: [0], keepDims: false }, [i32([2], [2147483647, 2])], 'int32', []).toNumbers()).toEqual([-2147483647]);
    expect([...(run1({ kind: 'reduce', fn: 'max', axes: [0], keepDims: false }, [i64([3], [-5, 9, 2])], 'int64', []).data as BigInt64Array)]).toEqual([9n]);
  });

  it('matmul of 2x3 by 3x2 with batch broadcast', () => {
    const a = f64([2, 2, 3], [1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0]);
    const b = f64([3, 2], [7, 8, 9, 10, 11, 12]);
    const r = run1({ kind: 'matmul' }, [a, b], 'float64', [2, 2, 2]);
    expect(r.toNested()).toEqual([
      [
        [58, 64],
        [139, 154],
      ],
      [
        [7, 8],
        [9, 10],
      ],
    ]);
    // Both operands batched, one batch dim broadcast on each side: [2,1,1,2] x [3,2,1] -> [2,3,1,1].
    const c = f64([2, 1, 1, 2], [1, 2, 3, 4]);
    const d = f64([3, 2, 1], [1, 1, 0, 1, 1, 0]);
    expect(run1({ kind: 'matmul' }, [c, d], 'float64', [2, 3, 1, 1]).toNumbers()).toEqual([3, 2, 1, 7, 4, 3]);
    expect(() => run1({ kind: 'matmul' }, [a, a], 'float64', [2, 2, 3])).toThrow(/matmul \(node 2\): inner dims differ/);
  });

  it('integer matmul wraps', () => {
    const a = i32([1, 2], [65536, 1]);
    const b = i32([2, 1], [65536, 5]);
    expect(run1({ kind: 'matmul' }, [a, b], 'int32', [1, 1]).toNumbers()).toEqual([5]);
    expect(run1({ kind: 'matmul' }, [i64([1, 2], [3, 4]), i64([2, 1], [5, 6])], 'int64', [1, 1]).toNumbers()).toEqual([39]);
  });

  it('matmul of 256x256x256 float64 takes well under a second', () => {
    const n = 256;
    const a = NDArray.from('float64', [n, n], Array.from({ length: n * n }, (_, i) => (i % 7) - 3));
    const start = performance.now();
    const r = run1({ kind: 'matmul' }, [a, a], 'float64', [n, n]);
    expect(performance.now() - start).toBeLessThan(1000);
    let expected = 0;
    for (let p = 0; p < n; p++) expected += a.get(p) * a.get(p * n);
    expect(r.get(0)).toBe(expected);
  });
});

describe('reference executor: layout', () => {
  const x = i32([2, 3], [1, 2, 3, 4, 5, 6]);

  it('reshape and broadcastTo resolve symbolic shapes', () => {
    const b = new Builder();
    const inp = b.input('x', 'int32', ['n', 3]);
    const r = b.node({ kind: 'reshape', shape: [3, 'n'] }, [inp], 'int32', [3, 'n']);
    const c = b.node({ kind: 'broadcastTo', shape: [2, 3, 'n'] }, [r], 'int32', [2, 3, 'n']);
    const [rv, cv] = executeReference(b.graph([r, c]), [x]);
    expect(rv!.toNested()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(cv!.shape).toEqual([2, 3, 2]);
    expect(cv!.toNumbers()).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
    expect(() => run1({ kind: 'broadcastTo', shape: [2, 2] }, [x], 'int32', [2, 2])).toThrow(/broadcastTo \(node 1\)/);
  });

  it('transpose', () => {
    expect(run1({ kind: 'transpose', perm: [1, 0] }, [x], 'int32', [3, 2]).toNested()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const y = i32([2, 1, 3], [1, 2, 3, 4, 5, 6]);
    expect(run1({ kind: 'transpose', perm: [2, 0, 1] }, [y], 'int32', [3, 2, 1]).toNumbers()).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('slice with steps on a static dim and a negative start on a symbolic dim', () => {
    const b = new Builder();
    const inp = b.input('x', 'float64', [5, 'seq']);
    const s = b.node(
      { kind: 'slice', axes: [0, 1], starts: [1, -2], ends: [5, Infinity], steps: [2, 1] },
      [inp],
      'float64',
      [2, 2],
    );
    const data = f64([5, 4], Array.from({ length: 20 }, (_, i) => i));
    expect(executeReference(b.graph([s]), [data])[0]!.toNested()).toEqual([
      [6, 7],
      [14, 15],
    ]);
    // A negative end on the symbolic dim, and a start clamped by a short runtime size.
    const b2 = new Builder();
    const inp2 = b2.input('x', 'float64', ['seq']);
    const s2 = b2.node({ kind: 'slice', axes: [0], starts: [1], ends: [-1], steps: [1] }, [inp2], 'float64', ['seq - 2']);
    expect(executeReference(b2.graph([s2]), [f64([5], [0, 1, 2, 3, 4])])[0]!.toNumbers()).toEqual([1, 2, 3]);
    const b3 = new Builder();
    const inp3 = b3.input('x', 'float64', ['seq']);
    const s3 = b3.node({ kind: 'slice', axes: [0], starts: [-5], ends: [Infinity], steps: [1] }, [inp3], 'float64', [5]);
    expect(() => executeReference(b3.graph([s3]), [f64([3], [0, 1, 2])])).toThrow(/slice \(node 1\): computed shape \[3\] but the node declares \[5\]/);
  });

  it('slice with steps that do not divide the range', () => {
    const r = run1({ kind: 'slice', axes: [0], starts: [0], ends: [7], steps: [3] }, [i32([7], [0, 1, 2, 3, 4, 5, 6])], 'int32', [3]);
    expect(r.toNumbers()).toEqual([0, 3, 6]);
  });

  it('concat along an inner axis', () => {
    const a = i32([2, 1], [1, 2]);
    const b = i32([2, 2], [3, 4, 5, 6]);
    expect(run1({ kind: 'concat', axis: 1 }, [a, b, a], 'int32', [2, 4]).toNested()).toEqual([
      [1, 3, 4, 1],
      [2, 5, 6, 2],
    ]);
    expect(run1({ kind: 'concat', axis: 0 }, [a, a], 'int32', [4, 1]).toNumbers()).toEqual([1, 2, 1, 2]);
  });

  it('pad with a constant', () => {
    const r = run1({ kind: 'pad', pads: [1, 0, 0, 2], value: -1 }, [x], 'int32', [3, 5]);
    expect(r.toNested()).toEqual([
      [-1, -1, -1, -1, -1],
      [1, 2, 3, -1, -1],
      [4, 5, 6, -1, -1],
    ]);
    const big = run1({ kind: 'pad', pads: [1, 1], value: 9 }, [i64([1], [5])], 'int64', [3]);
    expect([...(big.data as BigInt64Array)]).toEqual([9n, 5n, 9n]);
  });
});

describe('reference executor: indexing', () => {
  const table = f64([3, 2], [1, 2, 3, 4, 5, 6]);

  it('gather with negative indices', () => {
    const r = run1({ kind: 'gather', axis: 0 }, [table, i64([2, 2], [-1, 0, 1, -3])], 'float64', [2, 2, 2]);
    expect(r.toNested()).toEqual([
      [
        [5, 6],
        [1, 2],
      ],
      [
        [3, 4],
        [1, 2],
      ],
    ]);
    const cols = run1({ kind: 'gather', axis: 1 }, [table, i32([], [-1])], 'float64', [3]);
    expect(cols.toNumbers()).toEqual([2, 4, 6]);
  });

  it('gather rejects out-of-range indices naming the value and the valid range', () => {
    expect(() => run1({ kind: 'gather', axis: 0 }, [table, i32([1], [3])], 'float64', [1, 2])).toThrow(RangeError);
    expect(() => run1({ kind: 'gather', axis: 0 }, [table, i32([1], [-4])], 'float64', [1, 2])).toThrow(
      /gather \(node 2\): index -4 is out of range for an axis of size 3 \(valid: -3 to 2\)/,
    );
  });

  it('scatterAdd accumulates repeated indices', () => {
    const base = f64([3, 2], [0, 0, 0, 0, 100, 100]);
    const indices = i32([3], [1, -2, 2]);
    const updates = f64([3, 2], [1, 2, 10, 20, 1, 1]);
    const r = run1({ kind: 'scatterAdd', axis: 0 }, [base, indices, updates], 'float64', [3, 2]);
    expect(r.toNested()).toEqual([
      [0, 0],
      [11, 22],
      [101, 101],
    ]);
    const along1 = run1({ kind: 'scatterAdd', axis: 1 }, [i32([1, 3], [0, 0, 0]), i32([4], [0, 2, 0, 0]), i32([1, 4], [1, 2, 3, 4])], 'int32', [1, 3]);
    expect(along1.toNumbers()).toEqual([8, 0, 2]);
  });

  it('takeAlong and putAlongAdd', () => {
    const x = i32([2, 3], [10, 20, 30, 40, 50, 60]);
    const idx = i64([2, 2], [2, 0, -1, 1]);
    expect(run1({ kind: 'takeAlong', axis: 1 }, [x, idx], 'int32', [2, 2]).toNested()).toEqual([
      [30, 10],
      [60, 50],
    ]);
    const idx0 = i32([1, 3], [1, 0, 1]);
    expect(run1({ kind: 'takeAlong', axis: 0 }, [x, idx0], 'int32', [1, 3]).toNumbers()).toEqual([40, 20, 60]);
    const base = f32([2, 3], [0, 0, 0, 0, 0, 0]);
    const same = i32([2, 2], [2, 2, 0, -3]);
    const upd = f32([2, 2], [1, 2, 3, 4]);
    expect(run1({ kind: 'putAlongAdd', axis: 1 }, [base, same, upd], 'float32', [2, 3]).toNested()).toEqual([
      [0, 0, 3],
      [7, 0, 0],
    ]);
  });
});

describe('reference executor: generators', () => {
  it('constant, iota with a symbolic length, dim', () => {
    const b = new Builder();
    const x = b.input('x', 'float32', ['batch', 4]);
    const k = b.constant(i32([2], [7, 8]));
    const io = b.node({ kind: 'iota', length: 'batch + 1', dtype: 'int64' }, [], 'int64', ['batch + 1']);
    const d = b.node({ kind: 'dim', axis: 0, dtype: 'int32' }, [x], 'int32', []);
    const d64 = b.node({ kind: 'dim', axis: 1, dtype: 'int64' }, [x], 'int64', []);
    const [kv, iv, dv, d64v] = executeReference(b.graph([k, io, d, d64]), [NDArray.zeros('float32', [3, 4])]);
    expect(kv!.toNumbers()).toEqual([7, 8]);
    expect([...(iv!.data as BigInt64Array)]).toEqual([0n, 1n, 2n, 3n]);
    expect(dv!.shape).toEqual([]);
    expect(dv!.toNumbers()).toEqual([3]);
    expect([...(d64v!.data as BigInt64Array)]).toEqual([4n]);
  });

  it('randomUniform is a pure function of the key and the flat index', () => {
    const draw = (key: bigint, dtype: DType = 'float64'): NDArray => {
      const b = new Builder();
      const k = b.input('key', 'int64', []);
      const r = b.node({ kind: 'randomUniform', shape: ['n', 3], dtype }, [k], dtype, ['n', 3]);
      const n = b.input('shape_source', 'bool', ['n']);
      void n;
      return executeReference(b.graph([r]), [NDArray.scalar('int64', key), bool([4], [0, 0, 0, 0])])[0]!;
    };
    const a = draw(0n);
    expect(a.shape).toEqual([4, 3]);
    expect(draw(0n).toNumbers()).toEqual(a.toNumbers());
    expect(draw(1n).toNumbers()).not.toEqual(a.toNumbers());
    expect(draw(-(2n ** 40n)).toNumbers()).not.toEqual(a.toNumbers());
    for (const v of a.toNumbers()) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    const [wa, wb] = keyWords(0n);
    expect(a.toNumbers().slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => uniformAt(wa, wb, i)));
    // float32 holds the 24-bit values exactly.
    expect(draw(5n, 'float32').toNumbers()).toEqual(draw(5n).toNumbers());
  });
});

describe('reference executor: inputs and symbolic dims', () => {
  function twoInputs(): Builder {
    const b = new Builder();
    const x = b.input('x', 'float32', ['batch', 'seq']);
    const y = b.input('y', 'float32', ['batch', 1]);
    const z = b.input('flat', 'float32', ['batch*seq']);
    const s = b.node({ kind: 'binary', fn: 'add' }, [x, y], 'float32', ['batch', 'seq']);
    b.node({ kind: 'reshape', shape: ['batch*seq'] }, [s], 'float32', ['batch*seq']);
    void z;
    return b;
  }

  it('binds names and checks polynomial dims', () => {
    const b = twoInputs();
    const out = executeReference(b.graph([4, 4]), [f32([2, 2], [1, 2, 3, 4]), f32([2, 1], [10, 20]), NDArray.zeros('float32', [4])]);
    expect(out).toHaveLength(2);
    expect(out[0]!.toNumbers()).toEqual([11, 12, 23, 24]);
    expect(() => executeReference(b.graph([4]), [f32([2, 2], [1, 2, 3, 4]), f32([2, 1], [10, 20]), NDArray.zeros('float32', [5])])).toThrow(
      /input 'flat' \(node 2\) axis 0: dim "batch\*seq" evaluates to 4 with batch=2, seq=2, but the size is 5/,
    );
  });

  it('reports a conflicting size for one name, naming the input, axis, symbol and both sizes', () => {
    const b = twoInputs();
    const run = (): NDArray[] => executeReference(b.graph([4]), [f32([2, 2], [1, 2, 3, 4]), f32([3, 1], [1, 2, 3]), NDArray.zeros('float32', [4])]);
    expect(run).toThrow(RangeError);
    expect(run).toThrow(/input 'y' \(node 1\) axis 0: symbol "batch" has size 3 here but 2 from input 'x' \(node 0\) axis 0/);
  });

  it('solves a name that only appears linearly in a polynomial dim', () => {
    const b = new Builder();
    const m = b.input('mask', 'float64', ['past + 1']);
    const io = b.node({ kind: 'iota', length: 'past', dtype: 'float64' }, [], 'float64', ['past']);
    void m;
    expect(executeReference(b.graph([io]), [f64([3], [0, 0, 0])])[0]!.toNumbers()).toEqual([0, 1]);
    expect(() => executeReference(b.graph([io]), [f64([0], [])])).toThrow(/input 'mask' \(node 0\) axis 0/);
  });

  it('checks input count, dtype, rank and static dims', () => {
    const b = new Builder();
    const x = b.input('x', 'float32', [2, 'n']);
    const g = b.graph([x]);
    expect(() => executeReference(g, [])).toThrow(/1 input\(s\), got 0/);
    expect(() => executeReference(g, [f64([2, 2], [0, 0, 0, 0])])).toThrow(TypeError);
    expect(() => executeReference(g, [f32([4], [0, 0, 0, 0])])).toThrow(/input 'x' \(node 0\): expected rank 2/);
    expect(() => executeReference(g, [f32([1, 4], [0, 0, 0, 0])])).toThrow(/input 'x' \(node 0\) axis 0: expected size 2, got 1/);
    const v = f32([2, 2], [1, 2, 3, 4]);
    expect(executeReference(g, [v])[0]).toBe(v);
  });

  it('ignores nodes no output needs and checks declared dtypes', () => {
    const b = new Builder();
    const x = b.input('x', 'int32', [1]);
    b.node({ kind: 'binary', fn: 'div' }, [x, x], 'int32', [1]); // would divide by zero, but is dead
    const n = b.node({ kind: 'unary', fn: 'neg' }, [x], 'int32', [1]);
    expect(executeReference(b.graph([n]), [i32([1], [0])])[0]!.toNumbers()).toEqual([0]);
    const bad = b.node({ kind: 'unary', fn: 'neg' }, [x], 'float32', [1]);
    expect(() => executeReference(b.graph([bad]), [i32([1], [0])])).toThrow(/unary 'neg' \(node 3\): computed a int32 value but the node declares float32/);
  });

  it('keeps a value alive until its last use and across repeated outputs', () => {
    const b = new Builder();
    const x = b.input('x', 'float64', [2]);
    let v = x;
    for (let i = 0; i < 50; i++) v = b.node({ kind: 'binary', fn: 'add' }, [v, x], 'float64', [2]);
    const out = executeReference(b.graph([v, x, v]), [f64([2], [1, 2])]);
    expect(out.map((o) => o.toNumbers())).toEqual([
      [51, 102],
      [1, 2],
      [51, 102],
    ]);
  });
});
