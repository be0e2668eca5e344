// Optimizers against updates computed by hand from their published formulas (PyTorch's SGD and AdamW,
// torch.nn.utils.clip_grad_norm_), and the decay mask leaving biases alone.

import { describe, expect, it } from 'vitest';
import { compile } from '../../src/backend/compile.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { adamwUpdate } from '../../src/nn/optim/adamw.js';
import { clipByGlobalNorm } from '../../src/nn/optim/clip.js';
import { sgdMomentumUpdate, sgdUpdate } from '../../src/nn/optim/sgd.js';

const f32 = (shape: number[], values: number[]): NDArray => NDArray.from('float32', shape, values);

/** AdamW by the book for one scalar parameter over several steps. */
function adamwByHand(p: number, grads: number[], lr: number, wd: number, decay: boolean): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let m = 0;
  let v = 0;
  const out: number[] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    if (decay) p -= lr * wd * p;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    p -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    out.push(p);
  });
  return out;
}

describe('optimizers', () => {
  it('AdamW matches the formula over three steps, decaying the matrix and not the bias', async () => {
    const grads = [[0.5, -1], [0.25, 2], [-0.75, 0.1]];
    const step = compile(
      (params: { w: Tensor; b: Tensor }, g: { w: Tensor; b: Tensor }, state: { step: Tensor; m: { w: Tensor; b: Tensor }; v: { w: Tensor; b: Tensor } }) => {
        const [next, nextState] = adamwUpdate(params, g, state, { lr: 0.01, weightDecay: 0.1 });
        return { params: next, state: nextState };
      },
      { executor: 'reference' },
    );
    let params = { w: f32([1, 1], [1.5]), b: f32([1], [-0.5]) };
    let state = { step: NDArray.scalar('float32', 0) as NDArray, m: { w: f32([1, 1], [0]), b: f32([1], [0]) }, v: { w: f32([1, 1], [0]), b: f32([1], [0]) } };
    const seen: [number, number][] = [];
    for (const [gw, gb] of grads) {
      const out = await step(params, { w: f32([1, 1], [gw!]), b: f32([1], [gb!]) }, state);
      params = out.params;
      state = out.state;
      seen.push([params.w.get(0), params.b.get(0)]);
    }
    const wExpected = adamwByHand(1.5, grads.map((g) => g[0]!), 0.01, 0.1, true);
    const bExpected = adamwByHand(-0.5, grads.map((g) => g[1]!), 0.01, 0.1, false);
    seen.forEach(([w, b], i) => {
      expect(w).toBeCloseTo(wExpected[i]!, 6);
      expect(b).toBeCloseTo(bExpected[i]!, 6);
    });
    expect(state.step.get(0)).toBe(3);
  });

  it('SGD and SGD with momentum', async () => {
    const p = f32([2], [1, 2]);
    const g = f32([2], [0.5, -0.5]);
    const plain = await compile((a: Tensor, b: Tensor) => sgdUpdate(a, b, { lr: 0.1 }), { executor: 'reference' })(p, g);
    expect(plain.toNumbers().map((x) => +x.toFixed(6))).toEqual([0.95, 2.05]);
    const [next, velocity] = await compile((a: Tensor, b: Tensor, v: Tensor) => sgdMomentumUpdate(a, b, v, { lr: 0.1, momentum: 0.9 }), { executor: 'reference' })(
      p,
      g,
      f32([2], [1, 1]),
    );
    expect(velocity.toNumbers().map((x) => +x.toFixed(6))).toEqual([1.4, 0.4]); // 0.9·1 + g
    expect(next.toNumbers().map((x) => +x.toFixed(6))).toEqual([0.86, 1.96]);
  });

  it('clipping by global norm scales by maxNorm / (‖g‖ + 1e-6) only when the norm exceeds it', async () => {
    const fn = compile((a: Tensor, b: Tensor) => clipByGlobalNorm({ a, b }, 1), { executor: 'reference' });
    const [clipped, norm] = await fn(f32([2], [3, 0]), f32([1], [4])); // ‖g‖ = 5
    expect(norm.get(0)).toBe(5);
    const scale = 1 / (5 + 1e-6);
    expect(clipped.a.get(0)).toBeCloseTo(3 * scale, 6);
    expect(clipped.b.get(0)).toBeCloseTo(4 * scale, 6);
    const [small] = await fn(f32([2], [0.3, 0]), f32([1], [0.4]));
    expect(small.a.get(0)).toBeCloseTo(0.3, 7);
  });
});
