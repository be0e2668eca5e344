// A fully connected layer in PyTorch's layout: weight (out, in), bias (out), y = x·Wᵀ + b. Checkpoint
// weights are used as stored: the transpose is a view that ONNX Runtime folds into the MatMul
// (FusedMatMul with transB), so no transposed copy of a weight is ever made.

import type { Tensor } from '../../core/tensor.js';

/** nn.Linear's tensors: `weight` (out, in) and, when the layer has one, `bias` (out). */
export interface LinearParams<T = Tensor> {
  weight: T;
  bias?: T;
}

/** x (..., in) → (..., out). */
export function linear(x: Tensor, p: LinearParams): Tensor {
  const y = x.matmul(p.weight.mT); // (..., out)
  return p.bias ? y.add(p.bias) : y;
}
