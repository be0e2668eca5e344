import { describe, it, expect } from 'vitest';
import type { DType } from '../../src/core/dtype.js';
import type { Shape } from '../../src/core/dim.js';
import type { Fusion, Graph, Node, Prim } from '../../src/core/graph.js';
import { NDArray } from '../../src/core/ndarray.js';
import { keyWords, uniformAt } from '../../src/core/random.js';
import { encodeVarint } from '../../src/protobuf/writer.js';
import { lowerGraph, lowerToOnnx, onnxOpTypes } from '../../src/backend/onnx/lower.js';
import type { LowerOptions, LoweredOnnx } from '../../src/backend/onnx/lower.js';
import { createOrtSession, ExecutionProviderError, runSession } from '../../src/backend/ort.js';
import type { OrtSession } from '../../src/backend/ort.js';
import { SessionCache } from '../../src/backend/session-cache.js';

/** A tiny graph builder: nodes in topological order, ids = positions. */
class G {
  readonly nodes: Node[] = [];
  readonly inputs: number[] = [];

  add(prim: Prim, inputs: readonly number[], dtype: DType, shape: Shape, fusion?: Fusion): number {
    const node: Node = { id: this.nodes.length, prim, inputs, dtype, shape, ...(fusion ? { fusion } : {}) };
    this.nodes.push(node);
    return node.id;
  }

  input(name: string, dtype: DType, shape: Shape): number {
    const id = this.add({ kind: 'input', index: this.inputs.length, name }, [], dtype, shape);
    this.inputs.push(id);
    return id;
  }

  const(a: NDArray): number {
    return this.add({ kind: 'constant', value: a }, [], a.dtype, a.shape);
  }

  dtype(id: number): DType {
    return this.nodes[id]!.dtype;
  }

  shape(id: number): Shape {
    return this.nodes[id]!.shape;
  }

  graph(outputs: readonly number[]): Graph {
    return { nodes: this.nodes, inputs: this.inputs, outputs };
  }
}

const f32 = (shape: number[], values: number[]): NDArray => NDArray.from('float32', shape, values);
const i64 = (shape: number[], values: number[]): NDArray => NDArray.from('int64', shape, values);
const i32 = (shape: number[], values: number[]): NDArray => NDArray.from('int32', shape, values);

async function session(lowered: LoweredOnnx): Promise<OrtSession> {
  return createOrtSession(lowered.bytes, { intraOpThreads: 1 });
}

async function run(graph: Graph, inputs: NDArray[], options?: LowerOptions): Promise<NDArray[]> {
  const lowered = lowerGraph(graph, options);
  const s = await session(lowered);
  try {
    return await runSession(s, inputs, lowered.inputNames, lowered.outputNames, lowered.outputDTypes);
  } finally {
    await s.release();
  }
}

async function run1(graph: Graph, inputs: NDArray[], options?: LowerOptions): Promise<NDArray> {
  return (await run(graph, inputs, options))[0]!;
}

function close(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('protobuf writer', () => {
  it('encodes varints, including negative int64 as 10 bytes', () => {
    expect([...encodeVarint(-1)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect([...encodeVarint(-1n)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(2 ** 32)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect([...encodeVarint(0x7fffffffffffffffn)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
  });
});

describe('ONNX lowering: elementwise', () => {
  it('lowers every unary function', async () => {
    const xs = [-1.5, -0.25, 0.5, 2];
    const cases: [Parameters<typeof unaryPrim>[0], (v: number) => number][] = [
      ['neg', (v) => -v],
      ['exp', Math.exp],
      ['abs', Math.abs],
      ['tanh', Math.tanh],
      ['sin', Math.sin],
      ['cos', Math.cos],
      ['reciprocal', (v) => 1 / v],
      ['floor', Math.floor],
      ['sign', Math.sign],
    ];
    const g = new G();
    const x = g.input('x', 'float32', [4]);
    const outs = cases.map(([fn]) => g.add(unaryPrim(fn), [x], 'float32', [4]));
    const pos = g.input('p', 'float32', [3]);
    const outLog = g.add(unaryPrim('log'), [pos], 'float32', [3]);
    const outSqrt = g.add(unaryPrim('sqrt'), [pos], 'float32', [3]);
    const outErf = g.add(unaryPrim('erf'), [x], 'float32', [4]);
    const b = g.input('b', 'bool', [2]);
    const outNot = g.add(unaryPrim('not'), [b], 'bool', [2]);
    const res = await run(g.graph([...outs, outLog, outSqrt, outErf, outNot]), [
      f32([4], xs),
      f32([3], [1, 4, Math.E]),
      NDArray.from('bool', [2], [1, 0]),
    ]);
    cases.forEach(([, f], k) => close(res[k]!.toNumbers(), xs.map(f)));
    close(res[cases.length]!.toNumbers(), [0, Math.log(4), 1]);
    close(res[cases.length + 1]!.toNumbers(), [1, 2, Math.sqrt(Math.E)]);
    close(res[cases.length + 2]!.toNumbers(), [-0.966105146, -0.276326390, 0.520499878, 0.995322265]);
    expect(res[cases.length + 3]!.dtype).toBe('bool');
    expect(res[cases.length + 3]!.toNumbers()).toEqual([0, 1]);
  });

  it('lowers binary, compare and where with broadcasting', async () => {
    const g = new G();
    const a = g.input('a', 'float32', [2, 2]);
    const b = g.input('b', 'float32', [2]);
    const bin = (fn: Extract<Prim, { kind: 'binary' }>['fn']): number => g.add({ kind: 'binary', fn }, [a, b], 'float32', [2, 2]);
    const cmp = (fn: Extract<Prim, { kind: 'compare' }>['fn']): number => g.add({ kind: 'compare', fn }, [a, b], 'bool', [2, 2]);
    const outs = [bin('add'), bin('sub'), bin('mul'), bin('div'), bin('pow'), bin('maximum'), bin('minimum')];
    const cmps = [cmp('equal'), cmp('less'), cmp('lessEqual'), cmp('greater'), cmp('greaterEqual')];
    const sel = g.add({ kind: 'where' }, [cmps[1]!, a, b], 'float32', [2, 2]);
    const ia = g.input('ia', 'int32', [2]);
    const ib = g.input('ib', 'int32', [2]);
    const idiv = g.add({ kind: 'binary', fn: 'div' }, [ia, ib], 'int32', [2]);
    const ba = g.input('ba', 'bool', [2]);
    const bb = g.input('bb', 'bool', [2]);
    const band = g.add({ kind: 'binary', fn: 'and' }, [ba, bb], 'bool', [2]);
    const bor = g.add({ kind: 'binary', fn: 'or' }, [ba, bb], 'bool', [2]);
    const res = await run(g.graph([...outs, ...cmps, sel, idiv, band, bor]), [
      f32([2, 2], [1, 2, 3, 4]),
      f32([2], [2, 2]),
      i32([2], [-7, 7]),
      i32([2], [2, 2]),
      NDArray.from('bool', [2], [1, 1]),
      NDArray.from('bool', [2], [0, 1]),
    ]);
    const v = res.map((r) => r.toNumbers());
    expect(v[0]).toEqual([3, 4, 5, 6]);
    expect(v[1]).toEqual([-1, 0, 1, 2]);
    expect(v[2]).toEqual([2, 4, 6, 8]);
    expect(v[3]).toEqual([0.5, 1, 1.5, 2]);
    close(v[4]!, [1, 4, 9, 16]);
    expect(v[5]).toEqual([2, 2, 3, 4]);
    expect(v[6]).toEqual([1, 2, 2, 2]);
    expect(v[7]).toEqual([0, 1, 0, 0]);
    expect(v[8]).toEqual([1, 0, 0, 0]);
    expect(v[9]).toEqual([1, 1, 0, 0]);
    expect(v[10]).toEqual([0, 0, 1, 1]);
    expect(v[11]).toEqual([0, 1, 1, 1]);
    expect(v[12]).toEqual([1, 2, 2, 2]);
    expect(res[13]!.dtype).toBe('int32');
    expect(v[13]).toEqual([-3, 3]); // integer division truncates toward zero
    expect(v[14]).toEqual([0, 1]);
    expect(v[15]).toEqual([1, 1]);
  });

  it('lowers cast (truncating, to bool) and stopGradient without extra nodes', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [4]);
    const toInt = g.add({ kind: 'cast', to: 'int32' }, [x], 'int32', [4]);
    const toBool = g.add({ kind: 'cast', to: 'bool' }, [x], 'bool', [4]);
    const toI64 = g.add({ kind: 'cast', to: 'int64' }, [x], 'int64', [4]);
    const same = g.add({ kind: 'cast', to: 'float32' }, [x], 'float32', [4]);
    const sg = g.add({ kind: 'stopGradient' }, [same], 'float32', [4]);
    const twice = g.add({ kind: 'binary', fn: 'add' }, [sg, sg], 'float32', [4]);
    const lowered = lowerGraph(g.graph([toInt, toBool, toI64, twice]));
    expect(onnxOpTypes(lowered).filter((t) => t === 'Identity')).toEqual([]);
    const res = await run(g.graph([toInt, toBool, toI64, twice]), [f32([4], [-2.7, 0, 0.5, 3.9])]);
    expect(res[0]!.toNumbers()).toEqual([-2, 0, 0, 3]);
    expect(res[1]!.toNumbers()).toEqual([1, 0, 1, 1]);
    expect(res[2]!.dtype).toBe('int64');
    expect(res[2]!.data).toEqual(new BigInt64Array([-2n, 0n, 0n, 3n]));
    close(res[3]!.toNumbers(), [-5.4, 0, 1, 7.8]);
  });
});

function unaryPrim(fn: Extract<Prim, { kind: 'unary' }>['fn']): Prim {
  return { kind: 'unary', fn };
}

describe('ONNX lowering: shapes and indexing', () => {
  it('lowers reduce, matmul, transpose and concat', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [2, 3]);
    const sum0 = g.add({ kind: 'reduce', fn: 'sum', axes: [0], keepDims: false }, [x], 'float32', [3]);
    const max1 = g.add({ kind: 'reduce', fn: 'max', axes: [1], keepDims: true }, [x], 'float32', [2, 1]);
    const sumAll = g.add({ kind: 'reduce', fn: 'sum', axes: [0, 1], keepDims: false }, [x], 'float32', []);
    const t = g.add({ kind: 'transpose', perm: [1, 0] }, [x], 'float32', [3, 2]);
    const mm = g.add({ kind: 'matmul' }, [x, t], 'float32', [2, 2]);
    const cat = g.add({ kind: 'concat', axis: 1 }, [x, max1], 'float32', [2, 4]);
    const res = await run(g.graph([sum0, max1, sumAll, t, mm, cat]), [f32([2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(res[0]!.toNumbers()).toEqual([5, 7, 9]);
    expect(res[1]!.shape).toEqual([2, 1]);
    expect(res[1]!.toNumbers()).toEqual([3, 6]);
    expect(res[2]!.shape).toEqual([]);
    expect(res[2]!.toNumbers()).toEqual([21]);
    expect(res[3]!.toNumbers()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(res[4]!.toNumbers()).toEqual([14, 32, 32, 77]);
    expect(res[5]!.toNumbers()).toEqual([1, 2, 3, 3, 4, 5, 6, 6]);
  });

  it('lowers batched matmul with broadcast batch dims', async () => {
    const g = new G();
    const a = g.input('a', 'float32', [2, 1, 2]);
    const b = g.input('b', 'float32', [2, 1]);
    const mm = g.add({ kind: 'matmul' }, [a, b], 'float32', [2, 1, 1]);
    const res = await run1(g.graph([mm]), [f32([2, 1, 2], [1, 2, 3, 4]), f32([2, 1], [10, 1])]);
    expect(res.shape).toEqual([2, 1, 1]);
    expect(res.toNumbers()).toEqual([12, 34]);
  });

  it('lowers reshape, broadcastTo, slice and pad', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [2, 3]);
    const r = g.add({ kind: 'reshape', shape: [3, 2] }, [x], 'float32', [3, 2]);
    const row = g.input('row', 'float32', [3]);
    const bc = g.add({ kind: 'broadcastTo', shape: [2, 3] }, [row], 'float32', [2, 3]);
    const sl = g.add({ kind: 'slice', axes: [1], starts: [0], ends: [3], steps: [2] }, [x], 'float32', [2, 2]);
    const sl2 = g.add({ kind: 'slice', axes: [0, 1], starts: [1, 1], ends: [2, Infinity], steps: [1, 1] }, [x], 'float32', [1, 2]);
    const pd = g.add({ kind: 'pad', pads: [0, 1, 1, 0], value: -1 }, [x], 'float32', [3, 4]);
    const res = await run(g.graph([r, bc, sl, sl2, pd]), [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [7, 8, 9])]);
    expect(res[0]!.shape).toEqual([3, 2]);
    expect(res[0]!.toNumbers()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res[1]!.toNumbers()).toEqual([7, 8, 9, 7, 8, 9]);
    expect(res[2]!.toNumbers()).toEqual([1, 3, 4, 6]);
    expect(res[3]!.toNumbers()).toEqual([5, 6]);
    expect(res[4]!.shape).toEqual([3, 4]);
    expect(res[4]!.toNumbers()).toEqual([-1, 1, 2, 3, -1, 4, 5, 6, -1, -1, -1, -1]);
  });

  it('lowers gather (negative indices), takeAlong and putAlongAdd', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [3, 2]);
    const idx = g.input('idx', 'int64', [2, 2]);
    const ga = g.add({ kind: 'gather', axis: 0 }, [x, idx], 'float32', [2, 2, 2]);
    const idx1 = g.input('idx1', 'int32', [1]);
    const ga1 = g.add({ kind: 'gather', axis: 1 }, [x, idx1], 'float32', [3, 1]);
    const along = g.input('along', 'int64', [3, 1]);
    const ta = g.add({ kind: 'takeAlong', axis: 1 }, [x, along], 'float32', [3, 1]);
    const base = g.input('base', 'float32', [2, 3]);
    const pIdx = g.input('pidx', 'int64', [2, 3]);
    const upd = g.input('upd', 'float32', [2, 3]);
    const pa = g.add({ kind: 'putAlongAdd', axis: 1 }, [base, pIdx, upd], 'float32', [2, 3]);
    const res = await run(g.graph([ga, ga1, ta, pa]), [
      f32([3, 2], [1, 2, 3, 4, 5, 6]),
      i64([2, 2], [0, 2, -1, 1]),
      i32([1], [-1]),
      i64([3, 1], [1, 0, 1]),
      f32([2, 3], [0, 0, 0, 1, 1, 1]),
      i64([2, 3], [0, 0, 2, -1, 1, 1]),
      f32([2, 3], [1, 2, 3, 4, 5, 6]),
    ]);
    expect(res[0]!.shape).toEqual([2, 2, 2]);
    expect(res[0]!.toNumbers()).toEqual([1, 2, 5, 6, 5, 6, 3, 4]);
    expect(res[1]!.toNumbers()).toEqual([2, 4, 6]);
    expect(res[2]!.toNumbers()).toEqual([2, 3, 6]);
    expect(res[3]!.toNumbers()).toEqual([3, 0, 3, 1, 12, 5]);
  });

  for (const scatterND of [false, true]) {
    it(`lowers scatterAdd on axis 0 and on inner axes, accumulating duplicates and negative indices (scatterND: ${scatterND})`, async () => {
      const g = new G();
      const base = g.input('base', 'float32', [3, 2]);
      const idx = g.input('idx', 'int32', [2, 2]);
      const upd = g.input('upd', 'float32', [2, 2, 2]);
      const s0 = g.add({ kind: 'scatterAdd', axis: 0 }, [base, idx, upd], 'float32', [3, 2]);
      const base1 = g.input('base1', 'float32', [2, 3, 2]);
      const idx1 = g.input('idx1', 'int64', [2]);
      const upd1 = g.input('upd1', 'float32', [2, 2, 2]);
      const s1 = g.add({ kind: 'scatterAdd', axis: 1 }, [base1, idx1, upd1], 'float32', [2, 3, 2]);
      const vec = g.input('vec', 'float32', [4]);
      const vidx = g.input('vidx', 'int64', [3]);
      const vupd = g.input('vupd', 'float32', [3]);
      const s2 = g.add({ kind: 'scatterAdd', axis: 0 }, [vec, vidx, vupd], 'float32', [4]);
      // Symbolic trailing dims: base ["n", 2, "k"] along axis 2 with scalar indices.
      const sb = g.input('sb', 'float32', ['n', 2, 'k']);
      const si = g.input('si', 'int64', []);
      const su = g.input('su', 'float32', ['n', 2]);
      const s3 = g.add({ kind: 'scatterAdd', axis: 2 }, [sb, si, su], 'float32', ['n', 2, 'k']);
      const res = await run(
        g.graph([s0, s1, s2, s3]),
        [
          f32([3, 2], [0, 0, 0, 0, 100, 100]),
          i32([2, 2], [0, 2, 0, -1]),
          f32([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
          f32([2, 3, 2], new Array<number>(12).fill(0)),
          i64([2], [2, -1]),
          f32([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
          f32([4], [0, 0, 0, 0]),
          i64([3], [1, 1, -1]),
          f32([3], [1, 2, 4]),
          f32([1, 2, 3], [0, 0, 0, 0, 0, 0]),
          NDArray.scalar('int64', -2),
          f32([1, 2], [5, 7]),
        ],
        { scatterND },
      );
      // rows: 0 ← [1,2]+[5,6]; 2 ← [3,4]+[7,8] (index -1 is row 2), on top of base.
      expect(res[0]!.toNumbers()).toEqual([6, 8, 0, 0, 110, 112]);
      // out[b, idx1[j], k] += upd1[b, j, k]; both indices name row 2.
      expect(res[1]!.toNumbers()).toEqual([0, 0, 0, 0, 4, 6, 0, 0, 0, 0, 12, 14]);
      expect(res[2]!.toNumbers()).toEqual([0, 3, 0, 4]);
      expect(res[3]!.shape).toEqual([1, 2, 3]);
      expect(res[3]!.toNumbers()).toEqual([0, 5, 0, 0, 7, 0]);
    });
  }

  it('scatterAdd stays exact under many repeated indices with several threads', async () => {
    const rows = 7;
    const n = 20000;
    const h = 16;
    const g = new G();
    const base = g.input('base', 'float32', [rows, h]);
    const idx = g.input('idx', 'int64', [n]);
    const upd = g.input('upd', 'float32', [n, h]);
    const s = g.add({ kind: 'scatterAdd', axis: 0 }, [base, idx, upd], 'float32', [rows, h]);
    const lowered = lowerGraph(g.graph([s]));
    const sess = await createOrtSession(lowered.bytes, { intraOpThreads: 4 });
    const iv = Array.from({ length: n }, (_, j) => (j * 7919) % rows);
    const uv = Array.from({ length: n * h }, (_, j) => j % 5);
    const expected = new Array<number>(rows * h).fill(0);
    for (let j = 0; j < n; j++) for (let k = 0; k < h; k++) expected[iv[j]! * h + k] += uv[j * h + k]!;
    try {
      for (let rep = 0; rep < 3; rep++) {
        const [out] = await runSession(
          sess,
          [NDArray.zeros('float32', [rows, h]), i64([n], iv), f32([n, h], uv)],
          lowered.inputNames,
          lowered.outputNames,
        );
        expect(out!.toNumbers()).toEqual(expected);
      }
    } finally {
      await sess.release();
    }
  });

  it('lowers iota, dim and constants, and names outputs out0, out1, … even for repeats and inputs', async () => {
    const g = new G();
    const x = g.input('x', 'float32', ['n', 2]);
    const io = g.add({ kind: 'iota', length: 4, dtype: 'float32' }, [], 'float32', [4]);
    const ioSym = g.add({ kind: 'iota', length: 'n', dtype: 'int32' }, [], 'int32', ['n']);
    const ioSym64 = g.add({ kind: 'iota', length: '2*n + 1', dtype: 'int64' }, [], 'int64', ['2*n + 1']);
    const d0 = g.add({ kind: 'dim', axis: 0, dtype: 'int64' }, [x], 'int64', []);
    const d1 = g.add({ kind: 'dim', axis: 1, dtype: 'float32' }, [x], 'float32', []);
    const c = g.const(f32([2], [0.5, 0.25]));
    const graph = g.graph([io, ioSym, ioSym64, d0, d1, c, x, d0]);
    const lowered = lowerGraph(graph);
    expect(lowered.outputNames).toEqual(['out0', 'out1', 'out2', 'out3', 'out4', 'out5', 'out6', 'out7']);
    const res = await run(graph, [f32([3, 2], [1, 2, 3, 4, 5, 6])]);
    expect(res[0]!.toNumbers()).toEqual([0, 1, 2, 3]);
    expect(res[1]!.dtype).toBe('int32');
    expect(res[1]!.toNumbers()).toEqual([0, 1, 2]);
    expect(res[2]!.toNumbers()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res[3]!.shape).toEqual([]);
    expect(res[3]!.toNumbers()).toEqual([3]);
    expect(res[4]!.toNumbers()).toEqual([2]);
    expect(res[5]!.toNumbers()).toEqual([0.5, 0.25]);
    expect(res[6]!.toNumbers()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res[7]!.toNumbers()).toEqual([3]);
  });

  it('sanitizes and uniquifies input names', async () => {
    const g = new G();
    const a = g.input('my input', 'float32', [1]);
    const b = g.input('my_input', 'float32', [1]);
    const c = g.input('out0', 'float32', [1]);
    const s = g.add({ kind: 'binary', fn: 'add' }, [a, b], 'float32', [1]);
    const t = g.add({ kind: 'binary', fn: 'add' }, [s, c], 'float32', [1]);
    const lowered = lowerGraph(g.graph([t]));
    expect(lowered.inputNames).toEqual(['my_input', 'my_input_1', 'in_out0']);
    expect((await run1(g.graph([t]), [f32([1], [1]), f32([1], [2]), f32([1], [4])])).toNumbers()).toEqual([7]);
  });

  it('lets elementwise ops broadcast instead of materialising broadcastTo', async () => {
    const g = new G();
    const x = g.input('x', 'float32', ['batch', 3]);
    const row = g.input('row', 'float32', [3]);
    const bc = g.add({ kind: 'broadcastTo', shape: ['batch', 3] }, [row], 'float32', ['batch', 3]);
    const sum = g.add({ kind: 'binary', fn: 'add' }, [x, bc], 'float32', ['batch', 3]);
    const col = g.input('col', 'float32', [2, 1]);
    const bc2 = g.add({ kind: 'broadcastTo', shape: [2, 3] }, [col], 'float32', [2, 3]);
    const bc3 = g.add({ kind: 'broadcastTo', shape: [2, 3] }, [row], 'float32', [2, 3]);
    const prod = g.add({ kind: 'binary', fn: 'mul' }, [bc2, bc3], 'float32', [2, 3]);
    const colOnly = g.add({ kind: 'binary', fn: 'mul' }, [bc2, bc2], 'float32', [2, 3]);
    const graph = g.graph([sum, prod, colOnly]);
    const types = onnxOpTypes(lowerGraph(graph));
    expect(types.filter((t) => t === 'Expand')).toHaveLength(1); // only col·col needs its broadcast
    const [so, po, co] = await run(graph, [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [10, 20, 30]), f32([2, 1], [2, 3])]);
    expect(so!.toNumbers()).toEqual([11, 22, 33, 14, 25, 36]);
    expect(po!.toNumbers()).toEqual([20, 40, 60, 30, 60, 90]);
    expect(co!.shape).toEqual([2, 3]);
    expect(co!.toNumbers()).toEqual([4, 4, 4, 9, 9, 9]);
  });

  it('drops nodes that no output needs', () => {
    const g = new G();
    const x = g.input('x', 'float32', [2]);
    g.add(unaryPrim('exp'), [x], 'float32', [2]);
    const y = g.add(unaryPrim('neg'), [x], 'float32', [2]);
    expect(onnxOpTypes(lowerGraph(g.graph([y])))).toEqual(['Neg']);
  });
});

describe('ONNX lowering: symbolic dims', () => {
  it('runs one session for several batch sizes', async () => {
    const g = new G();
    const x = g.input('x', 'float32', ['batch', 3]);
    const w = g.const(f32([3], [1, 10, 100]));
    const y = g.add({ kind: 'binary', fn: 'mul' }, [x, w], 'float32', ['batch', 3]);
    const flat = g.add({ kind: 'reshape', shape: ['3*batch'] }, [y], 'float32', ['3*batch']);
    const lowered = lowerGraph(g.graph([flat]));
    const s = await session(lowered);
    try {
      for (const batch of [2, 5]) {
        const xs = Array.from({ length: batch * 3 }, (_, i) => i);
        const [out] = await runSession(s, [f32([batch, 3], xs)], lowered.inputNames, lowered.outputNames);
        expect(out!.shape).toEqual([batch * 3]);
        expect(out!.toNumbers()).toEqual(xs.map((v, i) => v * [1, 10, 100][i % 3]!));
      }
    } finally {
      await s.release();
    }
  });

  it('computes symbolic reshape and broadcast targets at run time', async () => {
    const g = new G();
    const ids = g.input('ids', 'int64', ['batch', 'seq']);
    const h = g.input('h', 'float32', ['batch*seq', 2]);
    const r = g.add({ kind: 'reshape', shape: ['batch', 'seq', 2] }, [h], 'float32', ['batch', 'seq', 2]);
    const back = g.add({ kind: 'reshape', shape: ['batch', 'seq*2'] }, [r], 'float32', ['batch', 'seq*2']);
    const bias = g.input('bias', 'float32', ['seq', 1]);
    const bc = g.add({ kind: 'broadcastTo', shape: ['batch', 'seq', 2] }, [bias], 'float32', ['batch', 'seq', 2]);
    const sum = g.add({ kind: 'binary', fn: 'add' }, [r, bc], 'float32', ['batch', 'seq', 2]);
    const idsF = g.add({ kind: 'cast', to: 'float32' }, [ids], 'float32', ['batch', 'seq']);
    const tail = g.add({ kind: 'slice', axes: [1], starts: [-1], ends: [Infinity], steps: [1] }, [idsF], 'float32', ['batch', 1]);
    const graph = g.graph([r, back, sum, tail]);
    const lowered = lowerGraph(graph);
    const s = await session(lowered);
    try {
      for (const [batch, seq] of [
        [2, 3],
        [1, 4],
      ] as const) {
        const n = batch * seq;
        const hv = Array.from({ length: n * 2 }, (_, i) => i);
        const bv = Array.from({ length: seq }, (_, i) => 100 * (i + 1));
        const idv = Array.from({ length: n }, (_, i) => i);
        const [ro, bo, so, to] = await runSession(
          s,
          [i64([batch, seq], idv), f32([n, 2], hv), f32([seq, 1], bv)],
          lowered.inputNames,
          lowered.outputNames,
        );
        expect(ro!.shape).toEqual([batch, seq, 2]);
        expect(ro!.toNumbers()).toEqual(hv);
        expect(bo!.shape).toEqual([batch, seq * 2]);
        expect(so!.toNumbers()).toEqual(hv.map((v, i) => v + bv[Math.floor(i / 2) % seq]!));
        expect(to!.shape).toEqual([batch, 1]);
        expect(to!.toNumbers()).toEqual(Array.from({ length: batch }, (_, b) => b * seq + seq - 1));
      }
    } finally {
      await s.release();
    }
  });

  it('reads polynomial dims from inputs that carry them, and builds the others from symbols', async () => {
    const g = new G();
    const h = g.input('h', 'float32', ['batch*seq', 3]);
    g.input('kv', 'float32', ['past', 2]);
    const d = g.add({ kind: 'dim', axis: 0, dtype: 'int32' }, [h], 'int32', []);
    const io = g.add({ kind: 'iota', length: 'past + 1', dtype: 'int64' }, [], 'int64', ['past + 1']);
    const io2 = g.add({ kind: 'iota', length: '2*past - 1', dtype: 'float32' }, [], 'float32', ['2*past - 1']);
    const graph = g.graph([d, io, io2]);
    const types = onnxOpTypes(lowerGraph(graph));
    expect(types.filter((t) => t === 'Shape')).toHaveLength(2);
    expect(types).not.toContain('Concat');
    const [dv, iv, iv2] = await run(graph, [f32([6, 3], new Array<number>(18).fill(0)), f32([3, 2], new Array<number>(6).fill(0))]);
    expect(dv!.toNumbers()).toEqual([6]);
    expect(iv!.toNumbers()).toEqual([0, 1, 2, 3]);
    expect(iv2!.toNumbers()).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps common reshapes static (copying dims with 0, inferring one with -1)', () => {
    const g = new G();
    const x = g.input('x', 'float32', ['batch', 'seq', 8]);
    const split = g.add({ kind: 'reshape', shape: ['batch', 'seq', 2, 4] }, [x], 'float32', ['batch', 'seq', 2, 4]);
    const flat = g.add({ kind: 'reshape', shape: ['batch*seq', 8] }, [x], 'float32', ['batch*seq', 8]);
    const types = onnxOpTypes(lowerGraph(g.graph([split, flat])));
    expect(types).toEqual(['Reshape', 'Reshape']);
  });
});

describe('ONNX lowering: randomUniform', () => {
  const keys = [0n, 1n, 42n, -1n, -123456789n, 0x100000005n, -(2n ** 40n) - 3n, 2n ** 62n + 12345n];

  it('reproduces random.ts bit for bit for static and symbolic shapes', async () => {
    const g = new G();
    const key = g.input('key', 'int64', []);
    g.input('x', 'float32', ['rows', 'cols']);
    const r = g.add({ kind: 'randomUniform', shape: [3, 5], dtype: 'float32' }, [key], 'float32', [3, 5]);
    const rs = g.add({ kind: 'randomUniform', shape: ['rows', 5], dtype: 'float32' }, [key], 'float32', ['rows', 5]);
    const rs2 = g.add({ kind: 'randomUniform', shape: ['rows', 'cols'], dtype: 'float32' }, [key], 'float32', ['rows', 'cols']);
    const r64 = g.add({ kind: 'randomUniform', shape: [7], dtype: 'float64' }, [key], 'float64', [7]);
    const r16 = g.add({ kind: 'randomUniform', shape: [2, 3], dtype: 'float16' }, [key], 'float16', [2, 3]);
    const r0 = g.add({ kind: 'randomUniform', shape: [], dtype: 'float32' }, [key], 'float32', []);
    const lowered = lowerGraph(g.graph([r, rs, rs2, r64, r16, r0]));
    const s = await session(lowered);
    try {
      for (const k of keys) {
        const [a, b] = keyWords(k);
        const expected = (n: number): number[] => Array.from({ length: n }, (_, i) => uniformAt(a, b, i));
        const [o, os, os2, o64, o16, o0] = await runSession(
          s,
          [NDArray.from('int64', [], [k]), f32([4, 3], new Array<number>(12).fill(0))],
          lowered.inputNames,
          lowered.outputNames,
        );
        expect(o!.shape).toEqual([3, 5]);
        expect(o!.toNumbers()).toEqual(expected(15));
        expect(os!.shape).toEqual([4, 5]);
        expect(os!.toNumbers()).toEqual(expected(20));
        expect(os2!.shape).toEqual([4, 3]);
        expect(os2!.toNumbers()).toEqual(expected(12));
        expect(o64!.dtype).toBe('float64');
        expect(o64!.toNumbers()).toEqual(expected(7));
        expect(o16!.dtype).toBe('float16');
        expect(o16!.toNumbers()).toEqual(NDArray.from('float16', [6], expected(6)).toNumbers());
        expect(o0!.shape).toEqual([]);
        expect(o0!.toNumbers()).toEqual(expected(1));
      }
    } finally {
      await s.release();
    }
  });
});

describe('ONNX lowering: fusions', () => {
  /** softmax(x) over the last axis, traced as primitives, annotated as a Softmax composite. */
  function softmaxGraph(exposeExp: boolean | 'consumer', fuseAnnotation = true): { graph: Graph; exp: number } {
    const g = new G();
    const x = g.input('x', 'float32', ['batch', 3]);
    const mx = g.add({ kind: 'reduce', fn: 'max', axes: [1], keepDims: true }, [x], 'float32', ['batch', 1]);
    const sub = g.add({ kind: 'binary', fn: 'sub' }, [x, mx], 'float32', ['batch', 3]);
    const exp = g.add(unaryPrim('exp'), [sub], 'float32', ['batch', 3]);
    const sum = g.add({ kind: 'reduce', fn: 'sum', axes: [1], keepDims: true }, [exp], 'float32', ['batch', 1]);
    const fusion: Fusion = { op: 'Softmax', inputs: [x], attrs: { axis: -1 }, interior: [mx, sub, exp, sum] };
    const div = g.add({ kind: 'binary', fn: 'div' }, [exp, sum], 'float32', ['batch', 3], fuseAnnotation ? fusion : undefined);
    if (exposeExp === 'consumer') {
      const other = g.add({ kind: 'binary', fn: 'add' }, [div, exp], 'float32', ['batch', 3]);
      return { graph: g.graph([other]), exp };
    }
    return { graph: g.graph(exposeExp ? [div, exp] : [div]), exp };
  }

  const softmax = (row: number[]): number[] => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };

  it('emits a Softmax composite as one Softmax node', async () => {
    const { graph } = softmaxGraph(false);
    const lowered = lowerGraph(graph);
    expect(onnxOpTypes(lowered)).toEqual(['Softmax']);
    expect(lowered.fusedNodes).toEqual([5]);
    expect(new TextDecoder().decode(lowered.bytes)).toContain('Softmax');
    const out = await run1(graph, [f32([2, 3], [1, 2, 3, 0, 0, 0])]);
    close(out.toNumbers(), [...softmax([1, 2, 3]), ...softmax([0, 0, 0])]);
  });

  it('keeps the composite unfused when an interior node is used elsewhere, or when fuse is off', async () => {
    const { graph } = softmaxGraph(true);
    const types = onnxOpTypes(lowerGraph(graph));
    expect(types).not.toContain('Softmax');
    expect(types).toContain('Exp');
    const [sm, e] = await run(graph, [f32([1, 3], [1, 2, 3])]);
    close(sm!.toNumbers(), softmax([1, 2, 3]));
    close(e!.toNumbers(), [Math.exp(-2), Math.exp(-1), 1]);
    const consumed = softmaxGraph('consumer').graph;
    expect(onnxOpTypes(lowerGraph(consumed))).not.toContain('Softmax');
    close((await run1(consumed, [f32([1, 3], [1, 2, 3])])).toNumbers(), softmax([1, 2, 3]).map((v, i) => v + Math.exp(i - 2)));
    const unfused = onnxOpTypes(lowerGraph(softmaxGraph(false).graph, { fuse: false }));
    expect(unfused).not.toContain('Softmax');
    expect(unfused).toContain('ReduceMax');
  });

  function layerNormGraph(withParams: boolean): Graph {
    const g = new G();
    const x = g.input('x', 'float32', ['batch', 4]);
    const n = g.const(f32([], [4]));
    const eps = g.const(f32([], [0.5]));
    const s1 = g.add({ kind: 'reduce', fn: 'sum', axes: [1], keepDims: true }, [x], 'float32', ['batch', 1]);
    const mean = g.add({ kind: 'binary', fn: 'div' }, [s1, n], 'float32', ['batch', 1]);
    const xc = g.add({ kind: 'binary', fn: 'sub' }, [x, mean], 'float32', ['batch', 4]);
    const sq = g.add({ kind: 'binary', fn: 'mul' }, [xc, xc], 'float32', ['batch', 4]);
    const s2 = g.add({ kind: 'reduce', fn: 'sum', axes: [1], keepDims: true }, [sq], 'float32', ['batch', 1]);
    const variance = g.add({ kind: 'binary', fn: 'div' }, [s2, n], 'float32', ['batch', 1]);
    const ve = g.add({ kind: 'binary', fn: 'add' }, [variance, eps], 'float32', ['batch', 1]);
    const sd = g.add(unaryPrim('sqrt'), [ve], 'float32', ['batch', 1]);
    const interior = [s1, mean, xc, sq, s2, variance, ve, sd];
    const attrs = { axis: -1, epsilon: 0.5 };
    if (!withParams) {
      const y = g.add({ kind: 'binary', fn: 'div' }, [xc, sd], 'float32', ['batch', 4], {
        op: 'LayerNormalization',
        inputs: [x],
        attrs,
        interior,
      });
      return g.graph([y]);
    }
    const scale = g.input('scale', 'float32', [4]);
    const bias = g.input('bias', 'float32', [4]);
    const norm = g.add({ kind: 'binary', fn: 'div' }, [xc, sd], 'float32', ['batch', 4]);
    const scaled = g.add({ kind: 'binary', fn: 'mul' }, [norm, scale], 'float32', ['batch', 4]);
    const y = g.add({ kind: 'binary', fn: 'add' }, [scaled, bias], 'float32', ['batch', 4], {
      op: 'LayerNormalization',
      inputs: [x, scale, bias],
      attrs,
      interior: [...interior, norm, scaled],
    });
    return g.graph([y]);
  }

  const layerNorm = (row: number[]): number[] => {
    const m = row.reduce((a, b) => a + b, 0) / row.length;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
    return row.map((x) => (x - m) / Math.sqrt(v + 0.5)); // epsilon 0.5 checks the float attribute
  };

  it('emits LayerNormalization with scale and bias, or synthesizes them', async () => {
    const row = [1, 2, 4, 9];
    const withParams = layerNormGraph(true);
    expect(onnxOpTypes(lowerGraph(withParams))).toEqual(['LayerNormalization']);
    const out = await run1(withParams, [f32([1, 4], row), f32([4], [1, 2, 1, 1]), f32([4], [0, 0, 1, 0])]);
    close(
      out.toNumbers(),
      layerNorm(row).map((v, i) => v * [1, 2, 1, 1][i]! + [0, 0, 1, 0][i]!),
      4,
    );
    const bare = layerNormGraph(false);
    expect(onnxOpTypes(lowerGraph(bare))).toEqual(['LayerNormalization']);
    close((await run1(bare, [f32([1, 4], row)])).toNumbers(), layerNorm(row), 4);
  });

  it('emits Gelu at opset 20 and the primitives below it', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [3]);
    const rs2 = g.const(f32([], [Math.SQRT1_2]));
    const half = g.const(f32([], [0.5]));
    const one = g.const(f32([], [1]));
    const a = g.add({ kind: 'binary', fn: 'mul' }, [x, rs2], 'float32', [3]);
    const e = g.add(unaryPrim('erf'), [a], 'float32', [3]);
    const p = g.add({ kind: 'binary', fn: 'add' }, [e, one], 'float32', [3]);
    const hx = g.add({ kind: 'binary', fn: 'mul' }, [x, half], 'float32', [3]);
    const y = g.add({ kind: 'binary', fn: 'mul' }, [hx, p], 'float32', [3], {
      op: 'Gelu',
      inputs: [x],
      attrs: { approximate: 'none' },
      interior: [a, e, p, hx],
    });
    const graph = g.graph([y]);
    expect(onnxOpTypes(lowerGraph(graph))).toEqual(['Gelu']);
    expect(onnxOpTypes(lowerGraph(graph, { opset: 19 }))).toContain('Erf');
    const expected = [-0.158655254, 0, 1.954499736];
    close((await run1(graph, [f32([3], [-1, 0, 2])])).toNumbers(), expected);
    close((await run1(graph, [f32([3], [-1, 0, 2])], { opset: 19 })).toNumbers(), expected);
  });
});

describe('ONNX lowering: dtypes at the boundary', () => {
  it('passes bfloat16 and float16 through casts', async () => {
    const g = new G();
    const x = g.input('x', 'bfloat16', [3]);
    const xf = g.add({ kind: 'cast', to: 'float32' }, [x], 'float32', [3]);
    const h = g.input('h', 'float16', [2]);
    const hf = g.add({ kind: 'cast', to: 'float32' }, [h], 'float32', [2]);
    const back = g.add({ kind: 'cast', to: 'float16' }, [hf], 'float16', [2]);
    const toBf = g.add({ kind: 'cast', to: 'bfloat16' }, [xf], 'bfloat16', [3]);
    const res = await run(g.graph([xf, back, toBf, x]), [NDArray.from('bfloat16', [3], [1.5, -2, 3.25]), NDArray.from('float16', [2], [0.5, -8])]);
    expect(res[0]!.toNumbers()).toEqual([1.5, -2, 3.25]);
    expect(res[1]!.dtype).toBe('float16');
    expect(res[1]!.toNumbers()).toEqual([0.5, -8]);
    expect(res[2]!.dtype).toBe('bfloat16');
    expect(res[2]!.toNumbers()).toEqual([1.5, -2, 3.25]);
    expect(res[3]!.dtype).toBe('bfloat16');
    expect(res[3]!.toNumbers()).toEqual([1.5, -2, 3.25]);
  });
});

describe('ONNX Runtime executor', () => {
  const tiny = (): Uint8Array => {
    const g = new G();
    const x = g.input('x', 'float32', [2]);
    return lowerToOnnx(g.graph([g.add(unaryPrim('neg'), [x], 'float32', [2])]));
  };

  it('explains an execution provider that is not available', async () => {
    const err = await createOrtSession(tiny(), { executionProviders: ['cuda'] }).catch((e: unknown) => e);
    if (err instanceof Error) {
      expect(err).toBeInstanceOf(ExecutionProviderError);
      expect(err.message).toContain('"cuda"');
      expect(err.message).toContain('cpu');
      expect(err.message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js');
    } else {
      await (err as OrtSession).release(); // a machine with the CUDA provider installed
    }
    const webgpu = await createOrtSession(tiny(), { executionProviders: ['webgpu'] }).catch((e: unknown) => e);
    if (webgpu instanceof Error) {
      expect(webgpu).toBeInstanceOf(ExecutionProviderError);
      expect(webgpu.message).toContain('"webgpu" is not available');
    } else {
      await (webgpu as OrtSession).release(); // a machine with a WebGPU adapter
    }
    const bogus = await createOrtSession(tiny(), { executionProviders: ['nosuchep'] }).catch((e: unknown) => e);
    expect(bogus).toBeInstanceOf(ExecutionProviderError);
    expect((bogus as Error).message).toMatch(/"nosuchep" is not available.*lists: cpu/);
  });

  it('names the IR node when ONNX Runtime rejects the model', async () => {
    const g = new G();
    const x = g.input('x', 'int32', [2]);
    const y = g.add(unaryPrim('erf'), [x], 'int32', [2]);
    await expect(createOrtSession(lowerToOnnx(g.graph([y])))).rejects.toThrow(/IR node 1 \(unary\.erf\)/);
  });

  it('runs a session made from lowerToOnnx bytes without names, restoring bfloat16 outputs', async () => {
    const g = new G();
    const x = g.input('x', 'float32', [2]);
    const y = g.add({ kind: 'cast', to: 'bfloat16' }, [x], 'bfloat16', [2]);
    const z = g.add(unaryPrim('neg'), [x], 'float32', [2]);
    const s = await createOrtSession(lowerToOnnx(g.graph([y, z])));
    try {
      const [yo, zo] = await runSession(s, [f32([2], [1.5, -3])]);
      expect(yo!.dtype).toBe('bfloat16');
      expect(yo!.toNumbers()).toEqual([1.5, -3]);
      expect(zo!.toNumbers()).toEqual([-1.5, 3]);
      const [only] = await runSession(s, [f32([2], [2, 4])], undefined, ['out0']);
      expect(only!.dtype).toBe('bfloat16');
      expect(only!.toNumbers()).toEqual([2, 4]);
    } finally {
      await s.release();
    }
  });

  it('wraps input data without copying', async () => {
    const { toOrtTensor } = await import('../../src/backend/ort.js');
    const a = f32([2], [1, 2]);
    expect(toOrtTensor(a).data).toBe(a.data);
  });
});

describe('SessionCache', () => {
  it('evicts the least recently used entry and releases it', async () => {
    const released: string[] = [];
    const item = (name: string): { name: string; release(): void } => ({ name, release: () => void released.push(name) });
    const cache = new SessionCache<string, ReturnType<typeof item>>(2);
    cache.set('a', item('a'));
    cache.set('b', item('b'));
    expect(cache.get('a')?.name).toBe('a');
    cache.set('c', item('c'));
    await Promise.resolve();
    await Promise.resolve();
    expect(released).toEqual(['b']);
    expect(cache.has('b')).toBe(false);
    expect(cache.size).toBe(2);
    const got = await cache.getOrCreate('d', async () => item('d'));
    expect(got.name).toBe('d');
    await cache.clear();
    expect(released.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
