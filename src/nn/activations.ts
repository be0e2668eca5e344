// Activations and normalised exponentials as compositions of primitives, each marked as fusable into
// the matching ONNX operator (Softmax, LogSoftmax, Gelu). Max-subtraction keeps exp from overflowing;
// the subtracted max carries no gradient (it cancels out of the result).

import { fused } from '../core/fusion.js';
import { normalizeAxis } from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';

/** exp(x) / Σ exp(x) along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const ax = normalizeAxis('softmax', axis, x.rank);
  return fused('Softmax', [x], { axis: ax }, () => {
    const e = x.sub(x.max(ax, true).stopGradient()).exp();
    return e.div(e.sum(ax, true));
  });
}

/** x − log Σ exp(x) along `axis`. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const ax = normalizeAxis('logSoftmax', axis, x.rank);
  return fused('LogSoftmax', [x], { axis: ax }, () => {
    const shifted = x.sub(x.max(ax, true).stopGradient());
    return shifted.sub(shifted.exp().sum(ax, true).log());
  });
}

export type GeluApproximation = 'none' | 'tanh';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU: x·Φ(x) exactly (`none`, with erf) or with the tanh approximation. */
export function gelu(x: Tensor, approximate: GeluApproximation = 'none'): Tensor {
  return fused('Gelu', [x], { approximate }, () => {
    if (approximate === 'none') return x.mul(x.mul(SQRT_HALF).erf().add(1)).mul(0.5);
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(inner.tanh().add(1)).mul(0.5);
  });
}
