// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_: the gradients are scaled by
// min(1, maxNorm / (‖g‖ + 1e-6)) where ‖g‖ is the L2 norm of all gradients together.

import type { Tensor } from '../../core/tensor.js';
import { flattenTensors, zipMap } from './tree-math.js';

/** The L2 norm of every leaf of a gradient tree taken together (a scalar). */
export function globalNorm(grads: unknown): Tensor {
  const leaves = flattenTensors(grads, 'globalNorm').leaves;
  if (leaves.length === 0) throw new RangeError('globalNorm: the gradient tree has no tensors');
  return leaves.map((g) => g.square().sum()).reduce((a, b) => a.add(b)).sqrt();
}

/** [clipped gradients, the norm before clipping]. */
export function clipByGlobalNorm<T>(grads: T, maxNorm: number): [T, Tensor] {
  if (!(maxNorm > 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be > 0 (got ${maxNorm})`);
  const norm = globalNorm(grads);
  const scale = norm.add(1e-6).reciprocal().mul(maxNorm).minimum(1);
  const [clipped] = zipMap('clipByGlobalNorm', [grads], 1, ([g]) => [g!.mul(scale)]);
  return [clipped as T, norm];
}
