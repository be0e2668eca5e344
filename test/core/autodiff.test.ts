// Autodiff beyond the per-primitive checks: hand-derived gradients, gradients through broadcasting,
// fan-out accumulation, argnum/hasAux, trees of parameters, and integer inputs carrying no gradient.

import { describe, expect, it } from 'vitest';
import { grad, valueAndGrad } from '../../src/core/autodiff.js';
import { compile } from '../../src/backend/compile.js';
import { oneHot } from '../../src/core/constructors.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';

const EXECUTORS = ['ort', 'reference'] as const;

describe.each(EXECUTORS)('autodiff on %s', (executor) => {
  it('d/dx Σ x²·w = 2·x·w, exactly', async () => {
    const x = NDArray.from('float32', [4], [1, -2, 0.5, 3]);
    const w = NDArray.from('float32', [4], [2, 1, -1, 0.25]);
    const g = await compile((a: Tensor, b: Tensor) => grad((p: Tensor) => p.square().mul(b).sum())(a), { executor })(x, w);
    expect([...g.data]).toEqual([4, -4, -1, 1.5]);
  });

  it('gradients through broadcasting are summed back to the operand shape', async () => {
    // f = Σ (x + y)·z with x (3,1), y (4), z (2,3,4): df/dx[i] = Σ_{b,j} z[b,i,j], df/dy[j] = Σ_{b,i} z[b,i,j]
    const x = NDArray.from('float32', [3, 1], [1, 2, 3]);
    const y = NDArray.from('float32', [4], [0, 0, 0, 0]);
    const zv = Array.from({ length: 24 }, (_, i) => i);
    const z = NDArray.from('float32', [2, 3, 4], zv);
    const fn = (a: Tensor, b: Tensor, c: Tensor) => grad((p: { x: Tensor; y: Tensor }) => p.x.add(p.y).mul(c).sum())({ x: a, y: b });
    const g = await compile(fn, { executor })(x, y, z);
    const dx = [0, 1, 2].map((i) => [0, 1].reduce((s, b) => s + [0, 1, 2, 3].reduce((t, j) => t + zv[b * 12 + i * 4 + j]!, 0), 0));
    const dy = [0, 1, 2, 3].map((j) => [0, 1].reduce((s, b) => s + [0, 1, 2].reduce((t, i) => t + zv[b * 12 + i * 4 + j]!, 0), 0));
    expect(g.x.shape).toEqual([3, 1]);
    expect([...g.x.data]).toEqual(dx);
    expect([...g.y.data]).toEqual(dy);
  });

  it('a value used twice accumulates both cotangents: d/dx (x·x + 3x) = 2x + 3', async () => {
    const x = NDArray.from('float32', [3], [0, 1, -2]);
    const g = await compile((a: Tensor) => grad((p: Tensor) => p.mul(p).add(p.mul(3)).sum())(a), { executor })(x);
    expect([...g.data]).toEqual([3, 5, -1]);
  });

  it('stopGradient blocks its branch: d/dx Σ stopGradient(x)·x = x', async () => {
    const x = NDArray.from('float32', [3], [2, -1, 0.5]);
    const g = await compile((a: Tensor) => grad((p: Tensor) => p.stopGradient().mul(p).sum())(a), { executor })(x);
    expect([...g.data]).toEqual([2, -1, 0.5]);
  });

  it('valueAndGrad with argnum and hasAux', async () => {
    const a = NDArray.from('float32', [2], [1, 2]);
    const b = NDArray.from('float32', [2], [3, 4]);
    const fn = (p: Tensor, q: Tensor) => {
      const [[loss, aux], g] = valueAndGrad((u: Tensor, v: Tensor): [Tensor, Tensor] => [u.mul(v).sum(), v.mul(2)], { argnum: 1, hasAux: true })(p, q);
      return { loss, aux, g };
    };
    const out = await compile(fn, { executor })(a, b);
    expect(out.loss.get(0)).toBe(11);
    expect([...out.aux.data]).toEqual([6, 8]);
    expect([...out.g.data]).toEqual([1, 2]);
  });

  it('a parameter the loss does not use gets zeros; integer inputs flow no gradient (embedding lookup)', async () => {
    const table = NDArray.from('float32', [3, 2], [1, 2, 3, 4, 5, 6]);
    const unused = NDArray.from('float32', [2], [7, 7]);
    const ids = NDArray.from('int32', [4], [2, 0, 2, -1]);
    const fn = (t: Tensor, u: Tensor, i: Tensor) => grad((p: { t: Tensor; u: Tensor }) => p.t.gather(i).sum())({ t, u });
    const g = await compile(fn, { executor })(table, unused, ids);
    expect([...g.t.data]).toEqual([1, 1, 0, 0, 3, 3]); // row 2 picked three times (index -1 is row 2)
    expect([...g.u.data]).toEqual([0, 0]);
  });
});

describe('autodiff errors', () => {
  it('asking for the gradient of an integer input names it', () => {
    const fn = (x: Tensor) => grad((p: { ids: Tensor }) => p.ids.cast('float32').sum())({ ids: x });
    expect(() => compile(fn).trace({ dtype: 'int32', shape: [3] })).toThrow(
      'grad: "ids" is int32; integer and bool inputs carry no gradient — pass them in another argument than argnum 0',
    );
  });

  it('a non-scalar loss is rejected with its shape', () => {
    const fn = (x: Tensor) => grad((p: Tensor) => p.mul(2))(x);
    expect(() => compile(fn).trace({ dtype: 'float32', shape: [3] })).toThrow(
      'grad: the function must return a scalar (got shape [3]); reduce it with .sum() or .mean()',
    );
  });
});

describe("oneHot (a composition of iota, equal and cast)", () => {
  it('puts a 1 at each index', async () => {
    const out = await compile((i: Tensor) => oneHot(i, 3))(NDArray.from('int64', [2], [2, 0]));
    expect(out.toNested()).toEqual([[0, 0, 1], [1, 0, 0]]);
  });
});
