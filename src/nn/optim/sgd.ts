// Stochastic gradient descent with optional momentum (PyTorch's form: v = μ·v + g; p = p − lr·v) as a
// pure function of tensors, for use inside a compiled training step.

import type { TensorLike } from '../../core/ops.js';
import { zipMap } from './tree-math.js';

export interface SgdOptions {
  lr: TensorLike;
  momentum?: number;
}

/** Plain SGD: params − lr·grads. */
export function sgdUpdate<T>(params: T, grads: T, options: SgdOptions): T {
  const [next] = zipMap('sgd', [params, grads], 1, ([p, g]) => [p!.sub(g!.mul(options.lr))]);
  return next as T;
}

/** SGD with momentum: returns [params, velocity]. */
export function sgdMomentumUpdate<T>(params: T, grads: T, velocity: T, options: SgdOptions): [T, T] {
  const mu = options.momentum ?? 0.9;
  const [next, v] = zipMap('sgd', [params, grads, velocity], 2, ([p, g, vel]) => {
    const nv = vel!.mul(mu).add(g!);
    return [p!.sub(nv.mul(options.lr)), nv];
  });
  return [next as T, v as T];
}
