// Scaled dot-product attention with optional boolean masks (true = may attend) and a causal mask that
// also works with a key/value cache (query i sits at position Tk − Tq + i). Masked scores get a large
// negative number rather than −∞, so a fully masked row yields a uniform average instead of NaN.

import { arange } from '../core/constructors.js';
import * as ops from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { softmax } from './activations.js';

export interface AttentionOptions {
  /** Boolean mask broadcastable to (B, H, Tq, Tk): true where attention is allowed. */
  mask?: Tensor;
  /** Forbid attending to later positions. */
  causal?: boolean;
  /** Score scale; default 1/sqrt(head dim). T5 uses 1. */
  scale?: number;
  /** Additive score bias broadcastable to (B, H, Tq, Tk) (T5 relative positions, ALiBi). */
  bias?: Tensor;
  /** Applied to the attention probabilities before they weight the values (attention dropout while training). */
  dropout?: (probs: Tensor) => Tensor;
}

const MASKED = -1e9;

/** Key padding (B, Tk) of 1/true for real tokens → a (B, 1, 1, Tk) attention mask. */
export function paddingMask(keyValid: Tensor): Tensor {
  const valid = keyValid.dtype === 'bool' ? keyValid : keyValid.ne(0);
  return valid.unsqueeze(1).unsqueeze(1);
}

/** (Tq, Tk) lower-triangular mask with query i at position Tk − Tq + i. */
export function causalMask(q: Tensor, k: Tensor): Tensor {
  const tq = q.shape[q.rank - 2]!;
  const tk = k.shape[k.rank - 2]!;
  const qPos = arange(tq).add(ops.dimSize(k, k.rank - 2).sub(ops.dimSize(q, q.rank - 2))); // (Tq)
  return qPos.unsqueeze(1).ge(arange(tk).unsqueeze(0)); // (Tq, Tk)
}

/** q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, Dv) → (B, H, Tq, Dv). */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  const headDim = q.shape[q.rank - 1]!;
  const scale = options.scale ?? (typeof headDim === 'number' ? 1 / Math.sqrt(headDim) : undefined);
  if (scale === undefined) throw new RangeError(`attention: the head dim ${JSON.stringify(headDim)} is symbolic; pass options.scale`);
  let scores = q.matmul(k.mT); // (B, H, Tq, Tk)
  if (scale !== 1) scores = scores.mul(scale);
  if (options.bias) scores = scores.add(options.bias);
  let mask = options.mask;
  if (options.causal) {
    const c = causalMask(q, k);
    mask = mask ? mask.and(c) : c;
  }
  if (mask) scores = ops.where(mask, scores, MASKED);
  let probs = softmax(scores, -1); // (B, H, Tq, Tk)
  if (options.dropout) probs = options.dropout(probs);
  return probs.matmul(v); // (B, H, Tq, Dv)
}
