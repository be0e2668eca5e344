// Position-wise feed-forward blocks: fc2(act(fc1(x))) (BART, AlexaTM, T5 v1.0) and the gated variant
// down(act(gate(x)) ⊙ up(x)) (T5 v1.1/mT5: wi_0, wi_1, wo). Activations by Hugging Face's ACT2FN names.

import type { Tensor } from '../../core/tensor.js';
import { gelu } from '../activations.js';
import { linear, type LinearParams } from './linear.js';

/** `gelu` is exact (erf), `gelu_new` the tanh approximation. */
export type ActivationName = 'gelu' | 'gelu_new' | 'relu' | 'silu';

export function activation(name: ActivationName): (x: Tensor) => Tensor {
  switch (name) {
    case 'gelu':
      return (x) => gelu(x, 'none');
    case 'gelu_new':
      return (x) => gelu(x, 'tanh');
    case 'relu':
      return (x) => x.relu();
    case 'silu':
      return (x) => x.mul(x.sigmoid());
  }
}

/** fc2(drop(act(fc1(x)))): x (..., D) → (..., D); `drop` is the activation dropout (training). */
export function feedForward(x: Tensor, fc1: LinearParams, fc2: LinearParams, act: ActivationName, drop?: (h: Tensor) => Tensor): Tensor {
  let h = activation(act)(linear(x, fc1)); // (..., F)
  if (drop) h = drop(h);
  return linear(h, fc2); // (..., D)
}

/** down(drop(act(gate(x)) ⊙ up(x))): x (..., D) → (..., D). */
export function gatedFeedForward(
  x: Tensor,
  gate: LinearParams,
  up: LinearParams,
  down: LinearParams,
  act: ActivationName,
  drop?: (h: Tensor) => Tensor,
): Tensor {
  let h = activation(act)(linear(x, gate)).mul(linear(x, up)); // (..., F)
  if (drop) h = drop(h);
  return linear(h, down); // (..., D)
}
