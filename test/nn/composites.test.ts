// The compositions against formulas written out by hand in plain JavaScript: softmax, log-softmax,
// layer norm, RMS norm, both GELUs, cross-entropy (label smoothing, ignore index), attention with
// padding and causal masks, dropout. Each runs on ONNX Runtime and on the reference executor.

import { describe, expect, it } from 'vitest';
import { compile } from '../../src/backend/compile.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { gelu, logSoftmax, softmax } from '../../src/nn/activations.js';
import { layerNorm, rmsNorm } from '../../src/nn/normalization.js';
import { crossEntropy } from '../../src/nn/losses.js';
import { attention, paddingMask } from '../../src/nn/attention.js';
import { dropout } from '../../src/nn/dropout.js';
import { expectClose, randomArray, seededRandom } from '../helpers/arrays.js';

const TOL = { rtol: 1e-5, atol: 1e-6 };
const EXECUTORS = ['ort', 'reference'] as const;

function rows(a: NDArray): number[][] {
  const n = a.shape[a.rank - 1]!;
  const flat = a.toNumbers();
  return Array.from({ length: flat.length / n }, (_, r) => flat.slice(r * n, (r + 1) * n));
}

const rand = seededRandom(2024);
const x = randomArray(rand, 'float32', [3, 5]);

function softmaxRow(r: number[]): number[] {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((p, v) => p + v, 0);
  return e.map((v) => v / s);
}

describe.each(EXECUTORS)('compositions on %s', (executor) => {
  const run = (fn: (...a: Tensor[]) => Tensor, ...args: NDArray[]) => compile(fn, { executor })(...args);

  it('softmax and log-softmax', async () => {
    const expected = NDArray.from('float32', x.shape, rows(x).flatMap(softmaxRow));
    expectClose(await run((t) => softmax(t), x), expected, TOL, 'softmax');
    expectClose(await run((t) => logSoftmax(t), x), NDArray.from('float32', x.shape, expected.toNumbers().map(Math.log)), TOL, 'logSoftmax');
  });

  it('softmax over axis 0', async () => {
    const t = (await run((v) => softmax(v, 0), x)).toNumbers();
    for (let c = 0; c < 5; c++) expect(t[c]! + t[5 + c]! + t[10 + c]!).toBeCloseTo(1, 6);
  });

  it('layer norm and RMS norm', async () => {
    const w = randomArray(rand, 'float32', [5]);
    const b = randomArray(rand, 'float32', [5]);
    const wv = w.toNumbers();
    const bv = b.toNumbers();
    const ln = rows(x).flatMap((r) => {
      const mean = r.reduce((p, v) => p + v, 0) / r.length;
      const variance = r.reduce((p, v) => p + (v - mean) ** 2, 0) / r.length;
      return r.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * wv[i]! + bv[i]!);
    });
    expectClose(await run((t, ww, bb) => layerNorm(t, ww!, bb!), x, w, b), NDArray.from('float32', x.shape, ln), TOL, 'layerNorm');
    const rms = rows(x).flatMap((r) => {
      const ms = r.reduce((p, v) => p + v * v, 0) / r.length;
      return r.map((v, i) => (v / Math.sqrt(ms + 1e-6)) * wv[i]!);
    });
    expectClose(await run((t, ww) => rmsNorm(t, ww!), x, w), NDArray.from('float32', x.shape, rms), TOL, 'rmsNorm');
  });

  it('GELU, exact and tanh', async () => {
    const v = x.toNumbers();
    // erf(z) from its Maclaurin series, independent of the executors' erf.
    const erf = (z: number) => {
      let sum = 0;
      let term = z;
      for (let n = 0; n < 60; n++) {
        sum += term / (2 * n + 1);
        term *= (-z * z) / (n + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * sum;
    };
    const exact = v.map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2)));
    const approx = v.map((z) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3))));
    expectClose(await run((t) => gelu(t), x), NDArray.from('float32', x.shape, exact), TOL, 'gelu');
    expectClose(await run((t) => gelu(t, 'tanh'), x), NDArray.from('float32', x.shape, approx), TOL, 'gelu tanh');
  });

  it('cross-entropy with label smoothing and an ignore index', async () => {
    const labels = NDArray.from('int32', [3], [4, -100, 1]);
    const eps = 0.1;
    const losses = rows(x).map((r, i) => {
      const label = labels.get(i);
      if (label === -100) return undefined;
      const logp = softmaxRow(r).map(Math.log);
      return (1 - eps) * -logp[label]! + eps * -(logp.reduce((p, v) => p + v, 0) / logp.length);
    });
    const kept = losses.filter((l): l is number => l !== undefined);
    const mean = kept.reduce((p, v) => p + v, 0) / kept.length;
    const got = await run((t, l) => crossEntropy(t, l!, { labelSmoothing: eps }), x, labels);
    expect(got.shape).toEqual([]);
    expect(got.get(0)).toBeCloseTo(mean, 5);
    const none = await run((t, l) => crossEntropy(t, l!, { reduction: 'none' }), x, labels);
    expect(none.get(1)).toBe(0);
    expect(none.get(0)).toBeCloseTo(-Math.log(softmaxRow(rows(x)[0]!)[4]!), 5);
  });

  it('attention with a padding mask and a causal mask', async () => {
    const [B, H, T, D] = [2, 1, 3, 4];
    const q = randomArray(rand, 'float32', [B, H, T, D]);
    const k = randomArray(rand, 'float32', [B, H, T, D]);
    const v = randomArray(rand, 'float32', [B, H, T, D]);
    const valid = NDArray.from('int32', [B, T], [1, 1, 1, 1, 1, 0]); // batch 1: last key is padding
    const qa = q.toNumbers();
    const ka = k.toNumbers();
    const va = v.toNumbers();
    const expected: number[] = [];
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += qa[(b * T + i) * D + d]! * ka[(b * T + j) * D + d]!;
          const allowed = j <= i && valid.get(b * T + j) === 1;
          scores.push(allowed ? s / Math.sqrt(D) : -Infinity);
        }
        const p = softmaxRow(scores);
        for (let d = 0; d < D; d++) expected.push(p.reduce((acc, pj, j) => acc + pj * va[(b * T + j) * D + d]!, 0));
      }
    }
    const got = await run((qq, kk, vv, m) => attention(qq, kk!, vv!, { mask: paddingMask(m!), causal: true }), q, k, v, valid);
    expectClose(got, NDArray.from('float32', [B, H, T, D], expected), TOL, 'attention');
  });

  it('dropout keeps about 1 − rate of the elements, scaled by 1/(1 − rate), the same for the same key', async () => {
    const ones = NDArray.from('float32', [4000], new Float32Array(4000).fill(1));
    const key = NDArray.scalar('int64', 5n);
    const fn = (t: Tensor, k: Tensor) => dropout(t, 0.25, k);
    const a = (await run(fn, ones, key)).toNumbers();
    const b = (await run(fn, ones, key)).toNumbers();
    expect(a).toEqual(b);
    const kept = a.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 4000 - 0.75)).toBeLessThan(0.03);
  });
});
