// Normalisations over the last axis, as functions of a {weight, bias?} record: PyTorch's LayerNorm,
// AlexaTM's variant (subtract the mean, divide by the root of the *uncentred* mean of squares, as the
// released AlexaTMLayerNorm does) and T5's RMSNorm. `residual` wraps a sublayer pre-LN or post-LN.

import type { Tensor } from '../../core/tensor.js';
import { layerNorm as layerNormCore, rmsNorm as rmsNormCore } from '../normalization.js';

/** A norm's tensors: `weight` (D) and, except RMSNorm, `bias` (D). */
export interface NormParams<T = Tensor> {
  weight: T;
  bias?: T;
}

export type NormKind = 'layer' | 'alexatm' | 'rms';

/** (x − mean) / √(var + eps) · weight + bias. */
export function layerNorm(x: Tensor, p: NormParams, eps = 1e-5): Tensor {
  return layerNormCore(x, p.weight, p.bias, eps);
}

/** AlexaTM's: (x − mean(x)) / √(mean(x²) + eps) · weight + bias. */
export function alexatmLayerNorm(x: Tensor, p: NormParams, eps = 1e-5): Tensor {
  const meanSquare = x.square().mean(-1, true); // (..., 1)
  const normed = x.sub(x.mean(-1, true)).mul(meanSquare.add(eps).rsqrt()).mul(p.weight); // (..., D)
  return p.bias ? normed.add(p.bias) : normed;
}

/** x / √(mean(x²) + eps) · weight. */
export function rmsNorm(x: Tensor, p: NormParams, eps = 1e-6): Tensor {
  return rmsNormCore(x, p.weight, eps);
}

/** The norm of `kind` as a function of (x, params). */
export function norm(kind: NormKind, eps: number): (x: Tensor, p: NormParams) => Tensor {
  switch (kind) {
    case 'layer':
      return (x, p) => layerNorm(x, p, eps);
    case 'alexatm':
      return (x, p) => alexatmLayerNorm(x, p, eps);
    case 'rms':
      return (x, p) => rmsNorm(x, p, eps);
  }
}

/**
 * A residual sublayer: pre-LN x + drop(f(norm(x))), or post-LN norm(x + drop(f(x))). `drop` is the
 * residual dropout (training).
 */
export function residual(
  x: Tensor,
  sublayer: (h: Tensor) => Tensor,
  normalize: (h: Tensor) => Tensor,
  preNorm: boolean,
  drop?: (h: Tensor) => Tensor,
): Tensor {
  const d = drop ?? ((h: Tensor) => h);
  return preNorm ? x.add(d(sublayer(normalize(x)))) : normalize(x.add(d(sublayer(x))));
}
