// The shared layers (src/nn/layers) against values written out by hand: PyTorch's Linear layout,
// sinusoidal positions in the graph against their host twin and against sin/cos directly, fairseq's
// padding-aware position ids, AlexaTM's LayerNorm, pre/post-LN residuals, and self-attention over a
// key/value cache against attention over the whole sequence. Each on ONNX Runtime and the reference.

import { describe, expect, it } from 'vitest';
import { compile } from '../../src/backend/compile.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { selfAttention, type AttentionProjections } from '../../src/nn/layers/attention.js';
import { positionIds } from '../../src/nn/layers/embedding.js';
import { linear } from '../../src/nn/layers/linear.js';
import { alexatmLayerNorm, residual } from '../../src/nn/layers/norms.js';
import { paddedPositionIds, sinusoidalPositions, sinusoidalTable } from '../../src/nn/layers/sinusoidal.js';
import { expectClose, randomArray, seededRandom } from '../helpers/arrays.js';

const EXECUTORS = ['ort', 'reference'] as const;
const TOL = { rtol: 1e-5, atol: 1e-6 };

describe.each(EXECUTORS)('layers on %s', (executor) => {
  const run = <A extends unknown[], R>(fn: (...a: A) => R) => compile(fn, { executor });

  it('linear uses PyTorch’s weight layout: y = x·Wᵀ + b with W (out, in)', async () => {
    const x = NDArray.from('float32', [1, 2], [1, 2]);
    const weight = NDArray.from('float32', [3, 2], [1, 0, 0, 1, 1, 1]); // rows are outputs
    const bias = NDArray.from('float32', [3], [0.5, 0, -1]);
    const y = await run((t: Tensor, w: Tensor, b: Tensor) => linear(t, { weight: w, bias: b }))(x, weight, bias);
    expect(y.toNumbers()).toEqual([1.5, 2, 2]);
  });

  it('sinusoidal positions: [sin(p·f) | cos(p·f)], f = (1, 10000^−1) for dim 4; odd dims get a zero column; the padding row is zero', async () => {
    const ids = NDArray.from('int64', [1, 3], [1, 2, 5]);
    const rows = await run((t: Tensor) => sinusoidalPositions(t, 4, 1))(ids);
    const expected = [2, 5].flatMap((p) => [Math.sin(p), Math.sin(p * 1e-4), Math.cos(p), Math.cos(p * 1e-4)]);
    expectClose(rows, NDArray.from('float32', [1, 3, 4], [0, 0, 0, 0, ...expected]), TOL, 'dim 4');
    const odd = await run((t: Tensor) => sinusoidalPositions(t, 7, 1))(NDArray.from('int64', [1, 2], [0, 9]));
    expect(odd.shape).toEqual([1, 2, 7]);
    expect(odd.get(13)).toBe(0); // the appended column
    // The graph's rows are the host table's rows (HF's float32 construction) for every position up to 1026.
    const all = NDArray.from('int64', [1, 1026], [...Array(1026).keys()]);
    const graph = await run((t: Tensor) => sinusoidalPositions(t, 16, 1))(all);
    expectClose(graph, NDArray.from('float32', [1, 1026, 16], sinusoidalTable(1026, 16, 1).toNumbers()), { rtol: 0, atol: 2e-6 }, 'table');
  });

  it('padding-aware position ids (fairseq make_positions): real tokens count from padding_idx + 1 after `past`, pads get padding_idx', async () => {
    const ids = NDArray.from('int32', [2, 4], [1, 1, 5, 6, 5, 6, 7, 1]);
    const pos = await run((t: Tensor) => paddedPositionIds(t, 1))(ids);
    expect(pos.toNumbers()).toEqual([1, 1, 2, 3, 2, 3, 4, 1]);
    const step = await run((t: Tensor) => paddedPositionIds(t, 1, 3))(NDArray.from('int32', [2, 1], [9, 1]));
    expect(step.toNumbers()).toEqual([5, 1]);
    const learned = await run((t: Tensor) => positionIds(t, 3, 2))(ids);
    expect(learned.toNumbers()).toEqual([5, 6, 7, 8]);
  });

  it('AlexaTM’s LayerNorm divides by the root of the uncentred mean of squares', async () => {
    const x = NDArray.from('float32', [1, 4], [1, 2, 3, 6]); // mean 3, mean of squares 12.5, variance 3.5
    const w = NDArray.from('float32', [4], [1, 2, 1, 1]);
    const b = NDArray.from('float32', [4], [0, 0, 1, 0]);
    const y = await run((t: Tensor, wt: Tensor, bt: Tensor) => alexatmLayerNorm(t, { weight: wt, bias: bt }, 1e-5))(x, w, b);
    const r = 1 / Math.sqrt(12.5 + 1e-5);
    expectClose(y, NDArray.from('float32', [1, 4], [-2 * r, -1 * r * 2, 0 + 1, 3 * r]), TOL, 'alexatm norm');
  });

  it('residual: pre-LN x + f(n(x)), post-LN n(x + f(x))', async () => {
    const x = NDArray.from('float32', [2], [1, 2]);
    const f = (h: Tensor) => h.mul(3);
    const n = (h: Tensor) => h.add(10);
    expect((await run((t: Tensor) => residual(t, f, n, true))(x)).toNumbers()).toEqual([34, 38]);
    expect((await run((t: Tensor) => residual(t, f, n, false))(x)).toNumbers()).toEqual([14, 18]);
  });

  it('causal self-attention over a cache of the first positions equals attention over the whole sequence', async () => {
    const rand = seededRandom(7);
    const lin = () => ({ weight: randomArray(rand, 'float32', [8, 8]), bias: randomArray(rand, 'float32', [8]) });
    const p: AttentionProjections<NDArray> = { q: lin(), k: lin(), v: lin(), o: lin() };
    const x = randomArray(rand, 'float32', [2, 5, 8]);
    const whole = await run((q: AttentionProjections, t: Tensor) => selfAttention(t, q, { heads: 2, causal: true }).output)(p, x);
    const chunked = await run((q: AttentionProjections, t: Tensor) => {
      const first = selfAttention(t.slice({ 1: { end: 3 } }), q, { heads: 2, causal: true });
      const rest = selfAttention(t.slice({ 1: { start: 3 } }), q, { heads: 2, causal: true, past: first.present });
      return { out: rest.output, cached: rest.present.key };
    })(p, x);
    expect(chunked.cached.shape).toEqual([2, 2, 5, 4]);
    const tail = NDArray.from('float32', [2, 2, 8], [0, 1].flatMap((b) => whole.toNumbers().slice(b * 40 + 24, b * 40 + 40)));
    expectClose(chunked.out, tail, TOL, 'cached');
  });
});
