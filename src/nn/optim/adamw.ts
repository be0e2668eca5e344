// AdamW (Loshchilov & Hutter; PyTorch's torch.optim.AdamW) as a pure function of tensors: decoupled
// weight decay p ← p − lr·λ·p applied only where the decay mask says so (by default to tensors of
// rank ≥ 2, i.e. not to biases and norm scales), then the bias-corrected Adam step.

import * as ops from '../../core/ops.js';
import type { TensorLike } from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';
import { zipMap } from './tree-math.js';

export interface AdamWOptions {
  lr: TensorLike;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Which parameters decay, by path ("encoder.layers.0.fc1.weight") and tensor; default: rank ≥ 2. */
  decay?: (path: string, param: Tensor) => boolean;
}

/** Moments and the step count (a float32 scalar: the number of updates done so far). */
export interface AdamWState<T> {
  step: Tensor;
  m: T;
  v: T;
}

export const decayMatricesOnly = (_path: string, param: Tensor): boolean => param.rank >= 2;

/** One AdamW update → [new params, new state]. */
export function adamwUpdate<T>(params: T, grads: T, state: AdamWState<T>, options: AdamWOptions): [T, AdamWState<T>] {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0.01;
  const decay = options.decay ?? decayMatricesOnly;
  const step = state.step.add(1);
  const lr = typeof options.lr === 'number' ? ops.scalar(step.builder, options.lr, step.dtype) : options.lr;
  // Scalars first, so each parameter sees as few elementwise passes as possible (as PyTorch's AdamW):
  // p ← p·(1 − lr·λ) − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε)
  const stepSize = ops.binary('pow', b1, step).neg().add(1).reciprocal().mul(lr); // lr / (1 − β1^t)
  const invSqrtCorrection2 = ops.binary('pow', b2, step).neg().add(1).rsqrt(); // 1 / sqrt(1 − β2^t)
  const keep = lr.mul(-wd).add(1); // 1 − lr·λ
  const [next, m, v] = zipMap('adamw', [params, grads, state.m, state.v], 3, ([p, g, m0, v0], path) => {
    const m1 = m0!.mul(b1).add(g!.mul(1 - b1));
    const v1 = v0!.mul(b2).add(g!.square().mul(1 - b2));
    const denom = v1.sqrt().mul(invSqrtCorrection2).add(eps);
    const decayed = wd !== 0 && decay(path, p!) ? p!.mul(keep) : p!;
    return [decayed.sub(m1.div(denom).mul(stepSize)), m1, v1];
  });
  return [next as T, { step, m: m as T, v: v as T }];
}
