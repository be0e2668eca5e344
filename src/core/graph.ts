// The graph IR: a closed set of primitives, nodes that apply them, and graphs of nodes in topological
// order. Every primitive has shape/dtype inference (ops.ts), a reference kernel (backend/reference),
// an ONNX lowering (backend/onnx) and a gradient rule (autodiff.ts). Semantics follow NumPy/ONNX:
// elementwise ops broadcast NumPy-style; axes are non-negative after normalisation by ops.ts.

import type { DType } from './dtype.js';
import type { Dim, Shape } from './dim.js';
import type { NDArray } from './ndarray.js';

export type UnaryFn =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'tanh'
  | 'erf'
  | 'abs'
  | 'sin'
  | 'cos'
  | 'reciprocal'
  | 'floor'
  | 'sign'
  | 'not';

/** `and`/`or` take bools; `pow` takes floats; integer `div` truncates toward zero (as ONNX Div on ints). */
export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'and' | 'or';

/** Result dtype bool. */
export type CompareFn = 'equal' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

export type ReduceFn = 'sum' | 'max';

/**
 * The closed primitive set. Inputs are listed per kind; `x` is inputs[0].
 * - input: a graph parameter (inputs: none); `index` is its position in Graph.inputs.
 * - constant: a literal value (inputs: none).
 * - unary(x), binary(a, b), compare(a, b): elementwise, broadcasting.
 * - where(cond: bool, a, b): elementwise select, broadcasting all three.
 * - cast(x): to `to` (float → int truncates toward zero; → bool is x != 0).
 * - stopGradient(x): identity whose gradient is zero.
 * - reduce(x): over `axes` (sorted, distinct), keeping them as size-1 dims when keepDims.
 * - matmul(a, b): NumPy matmul of rank ≥ 2 operands, batch dims broadcast.
 * - reshape(x): to `shape` (fully resolved, same element count).
 * - broadcastTo(x): NumPy broadcast of x to `shape` (x's rank ≤ shape's rank).
 * - transpose(x): out.shape[i] = x.shape[perm[i]].
 * - slice(x): per listed axis, elements start, start+step, … before end. starts/ends are already clamped
 *   to the dim for static dims; for symbolic dims they may be negative (from the end) and `end` may be
 *   Infinity (to the end). steps are ≥ 1.
 * - concat(...xs): along `axis`.
 * - pad(x): constant padding; pads = [before_0, …, before_{r-1}, after_0, …, after_{r-1}], all ≥ 0.
 * - gather(x, indices: int32|int64): out = x.shape[:axis] + indices.shape + x.shape[axis+1:] (ONNX Gather;
 *   negative indices count from the end).
 * - scatterAdd(base, indices, updates): the transpose of gather: out = base, then for every position of
 *   `indices`, out[..., indices[j], ...] += updates[..., j, ...]; updates has gather's output shape.
 * - takeAlong(x, indices): ONNX GatherElements / numpy.take_along_axis; indices has x's rank, out has
 *   indices' shape.
 * - putAlongAdd(base, indices, updates): ONNX ScatterElements with reduction "add"; indices and updates
 *   have the same shape and base's rank.
 * - iota: [0, 1, …, length-1] of `dtype` (inputs: none).
 * - dim(x): the runtime size of x.shape[axis] as a scalar of `dtype`.
 * - randomUniform(key: int64 scalar): uniform floats in [0, 1) of `shape` and `dtype`, a pure function of
 *   the key and the element's flat index (counter-based; see random.ts for the exact bit recipe).
 */
export type Prim =
  | { readonly kind: 'input'; readonly index: number; readonly name: string }
  | { readonly kind: 'constant'; readonly value: NDArray }
  | { readonly kind: 'unary'; readonly fn: UnaryFn }
  | { readonly kind: 'binary'; readonly fn: BinaryFn }
  | { readonly kind: 'compare'; readonly fn: CompareFn }
  | { readonly kind: 'where' }
  | { readonly kind: 'cast'; readonly to: DType }
  | { readonly kind: 'stopGradient' }
  | { readonly kind: 'reduce'; readonly fn: ReduceFn; readonly axes: readonly number[]; readonly keepDims: boolean }
  | { readonly kind: 'matmul' }
  | { readonly kind: 'reshape'; readonly shape: Shape }
  | { readonly kind: 'broadcastTo'; readonly shape: Shape }
  | { readonly kind: 'transpose'; readonly perm: readonly number[] }
  | {
      readonly kind: 'slice';
      readonly axes: readonly number[];
      readonly starts: readonly number[];
      readonly ends: readonly number[];
      readonly steps: readonly number[];
    }
  | { readonly kind: 'concat'; readonly axis: number }
  | { readonly kind: 'pad'; readonly pads: readonly number[]; readonly value: number }
  | { readonly kind: 'gather'; readonly axis: number }
  | { readonly kind: 'scatterAdd'; readonly axis: number }
  | { readonly kind: 'takeAlong'; readonly axis: number }
  | { readonly kind: 'putAlongAdd'; readonly axis: number }
  | { readonly kind: 'iota'; readonly length: Dim; readonly dtype: DType }
  | { readonly kind: 'dim'; readonly axis: number; readonly dtype: DType }
  | { readonly kind: 'randomUniform'; readonly shape: Shape; readonly dtype: DType };

export type PrimKind = Prim['kind'];

/**
 * A composite (softmax, layer norm, GELU) that a backend may run as one fused operator. `output` is the
 * node carrying the annotation; `interior` are the nodes strictly inside the composite. A lowering may
 * replace the composite by the fused op only when no interior node is used outside it.
 */
export interface Fusion {
  readonly op: 'Softmax' | 'LogSoftmax' | 'LayerNormalization' | 'Gelu';
  /** Node ids of the fused operator's inputs, in the ONNX operator's order. */
  readonly inputs: readonly number[];
  readonly attrs: Readonly<Record<string, number | string>>;
  readonly interior: readonly number[];
}

export interface Node {
  readonly id: number;
  readonly prim: Prim;
  readonly inputs: readonly number[];
  readonly dtype: DType;
  readonly shape: Shape;
  fusion?: Fusion;
}

/** A traced function: nodes in topological order (node.id === index), parameter nodes and outputs. */
export interface Graph {
  readonly nodes: readonly Node[];
  /** Node ids of the `input` nodes, in parameter order. */
  readonly inputs: readonly number[];
  /** Node ids of the outputs, in order (the same node may appear twice). */
  readonly outputs: readonly number[];
}
