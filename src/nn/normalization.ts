// Normalisation layers as compositions: LayerNorm (over the last axis, biased variance as in PyTorch,
// fusable into ONNX LayerNormalization) and RMSNorm (T5's: no mean subtraction, no bias).

import { fused } from '../core/fusion.js';
import type { Tensor } from '../core/tensor.js';

/** (x − mean) / sqrt(var + eps) · weight + bias over the last axis; weight and bias have its size. */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor | undefined, eps = 1e-5): Tensor {
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return fused('LayerNormalization', inputs, { axis: -1, epsilon: eps }, () => {
    const centred = x.sub(x.mean(-1, true)); // (..., D)
    const variance = centred.square().mean(-1, true); // (..., 1)
    const normed = centred.mul(variance.add(eps).rsqrt()).mul(weight);
    return bias ? normed.add(bias) : normed;
  });
}

/** x / sqrt(mean(x²) + eps) · weight over the last axis. */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  return x.mul(x.square().mean(-1, true).add(eps).rsqrt()).mul(weight);
}
