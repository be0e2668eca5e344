// Losses. crossEntropy follows PyTorch's F.cross_entropy: log-softmax over the last axis, the target's
// negative log-likelihood mixed with label smoothing (ε spread uniformly over the classes), positions
// whose label equals ignoreIndex excluded, and a mean over the remaining positions.

import * as ops from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { logSoftmax } from './activations.js';

export interface CrossEntropyOptions {
  /** ε in [0, 1): the target distribution is (1−ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
  /** Labels equal to this are ignored (no loss, not counted). Default -100, as PyTorch. */
  ignoreIndex?: number;
  /** 'mean' over non-ignored positions (default), 'sum', or 'none' (per position, 0 where ignored). */
  reduction?: 'mean' | 'sum' | 'none';
  /** Per-position loss weights, shaped like labels (e.g. to weight examples). */
  weights?: Tensor;
}

/** logits (..., C) float, labels (...) int32/int64 → a scalar (or per-position losses with 'none'). */
export function crossEntropy(logits: Tensor, labels: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1)) throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1) (got ${eps})`);
  if (labels.rank !== logits.rank - 1) {
    throw new RangeError(`crossEntropy: labels ${labels.toString()} must have the shape of logits ${logits.toString()} without the class axis`);
  }
  const ignore = options.ignoreIndex ?? -100;
  const keep = labels.ne(ignore); // (...)
  const safeLabels = ops.where(keep, labels, 0); // (...)
  const logp = logSoftmax(logits, -1); // (..., C)
  let loss = logp.takeAlong(safeLabels.unsqueeze(-1), -1).squeeze(-1).neg(); // (...)
  if (eps > 0) loss = loss.mul(1 - eps).sub(logp.mean(-1).mul(eps));
  const weight = options.weights ? ops.where(keep, options.weights, 0) : keep.cast(logits.dtype);
  loss = loss.mul(weight);
  switch (options.reduction ?? 'mean') {
    case 'none':
      return loss;
    case 'sum':
      return loss.sum();
    case 'mean':
      return loss.sum().div(weight.sum());
  }
}
