// Tensor: a symbolic value inside a trace (a node of a GraphBuilder), with the fluent methods people
// expect (x.matmul(w).add(b).tanh()). Methods map onto the primitives of ops.ts; the few that are
// compositions (mean, rsqrt, square, squeeze, …) say so.

import type { DType } from './dtype.js';
import { formatShape, isStatic } from './dim.js';
import type { Dim, Shape } from './dim.js';
import type { Node } from './graph.js';
import * as ops from './ops.js';
import type { SliceSpec, TensorLike } from './ops.js';
import type { GraphBuilder } from './trace.js';

export class Tensor {
  readonly builder: GraphBuilder;
  readonly node: Node;

  constructor(builder: GraphBuilder, node: Node) {
    this.builder = builder;
    this.node = node;
  }

  get dtype(): DType {
    return this.node.dtype;
  }

  get shape(): Shape {
    return this.node.shape;
  }

  get rank(): number {
    return this.node.shape.length;
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }

  // elementwise arithmetic
  add(y: TensorLike): Tensor {
    return ops.binary('add', this, y);
  }
  sub(y: TensorLike): Tensor {
    return ops.binary('sub', this, y);
  }
  mul(y: TensorLike): Tensor {
    return ops.binary('mul', this, y);
  }
  div(y: TensorLike): Tensor {
    return ops.binary('div', this, y);
  }
  pow(y: TensorLike): Tensor {
    return ops.binary('pow', this, y);
  }
  maximum(y: TensorLike): Tensor {
    return ops.binary('maximum', this, y);
  }
  minimum(y: TensorLike): Tensor {
    return ops.binary('minimum', this, y);
  }
  and(y: Tensor): Tensor {
    return ops.binary('and', this, y);
  }
  or(y: Tensor): Tensor {
    return ops.binary('or', this, y);
  }
  neg(): Tensor {
    return ops.unary('neg', this);
  }
  exp(): Tensor {
    return ops.unary('exp', this);
  }
  log(): Tensor {
    return ops.unary('log', this);
  }
  sqrt(): Tensor {
    return ops.unary('sqrt', this);
  }
  /** 1 / sqrt(x) (composition). */
  rsqrt(): Tensor {
    return ops.unary('reciprocal', ops.unary('sqrt', this));
  }
  tanh(): Tensor {
    return ops.unary('tanh', this);
  }
  erf(): Tensor {
    return ops.unary('erf', this);
  }
  abs(): Tensor {
    return ops.unary('abs', this);
  }
  sin(): Tensor {
    return ops.unary('sin', this);
  }
  cos(): Tensor {
    return ops.unary('cos', this);
  }
  reciprocal(): Tensor {
    return ops.unary('reciprocal', this);
  }
  floor(): Tensor {
    return ops.unary('floor', this);
  }
  sign(): Tensor {
    return ops.unary('sign', this);
  }
  not(): Tensor {
    return ops.unary('not', this);
  }
  /** x * x (composition). */
  square(): Tensor {
    return this.mul(this);
  }
  /** max(x, 0) (composition). */
  relu(): Tensor {
    return this.maximum(0);
  }
  /** 1 / (1 + exp(-x)) (composition). */
  sigmoid(): Tensor {
    return this.neg().exp().add(1).reciprocal();
  }

  // comparisons (bool results)
  eq(y: TensorLike): Tensor {
    return ops.compare('equal', this, y);
  }
  /** not(x == y) (composition). */
  ne(y: TensorLike): Tensor {
    return ops.compare('equal', this, y).not();
  }
  lt(y: TensorLike): Tensor {
    return ops.compare('less', this, y);
  }
  le(y: TensorLike): Tensor {
    return ops.compare('lessEqual', this, y);
  }
  gt(y: TensorLike): Tensor {
    return ops.compare('greater', this, y);
  }
  ge(y: TensorLike): Tensor {
    return ops.compare('greaterEqual', this, y);
  }

  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  stopGradient(): Tensor {
    return ops.stopGradient(this);
  }

  // reductions
  sum(axes?: number | readonly number[], keepDims = false): Tensor {
    return ops.reduce('sum', this, axes, keepDims);
  }
  max(axes?: number | readonly number[], keepDims = false): Tensor {
    return ops.reduce('max', this, axes, keepDims);
  }
  /** sum / count (composition; the count is computed at run time for symbolic dims). */
  mean(axes?: number | readonly number[], keepDims = false): Tensor {
    const norm = ops.normalizeAxes('mean', axes, this.rank);
    const dims = norm.map((a) => this.shape[a]!);
    const total = this.sum(norm, keepDims);
    if (dims.every(isStatic)) return total.div(dims.reduce((p, d) => p * d, 1));
    const count = norm.map((a) => ops.dimSize(this, a, this.dtype)).reduce((p, c) => p.mul(c));
    return total.div(count);
  }

  // linear algebra and layout
  matmul(y: Tensor): Tensor {
    return ops.matmul(this, y);
  }
  reshape(shape: readonly Dim[]): Tensor {
    return ops.reshape(this, shape);
  }
  broadcastTo(shape: readonly Dim[]): Tensor {
    return ops.broadcastTo(this, shape);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  /** Swap the last two axes. */
  get mT(): Tensor {
    const perm = [...Array(this.rank).keys()];
    perm[this.rank - 1] = this.rank - 2;
    perm[this.rank - 2] = this.rank - 1;
    return ops.transpose(this, perm);
  }
  slice(specs: Readonly<Record<number, SliceSpec>>): Tensor {
    return ops.slice(this, specs);
  }
  pad(pads: readonly (readonly [number, number])[], value = 0): Tensor {
    return ops.pad(this, pads, value);
  }
  gather(indices: Tensor, axis = 0): Tensor {
    return ops.gather(this, indices, axis);
  }
  takeAlong(indices: Tensor, axis: number): Tensor {
    return ops.takeAlong(this, indices, axis);
  }
  /** Insert a size-1 axis at `axis` (reshape). */
  unsqueeze(axis: number): Tensor {
    const ax = ops.normalizeAxis('unsqueeze', axis, this.rank + 1);
    return ops.reshape(this, [...this.shape.slice(0, ax), 1, ...this.shape.slice(ax)]);
  }
  /** Remove size-1 axes (all of them by default) (reshape). */
  squeeze(axes?: number | readonly number[]): Tensor {
    const norm = axes === undefined ? this.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : ops.normalizeAxes('squeeze', axes, this.rank);
    for (const a of norm) {
      if (this.shape[a] !== 1) throw new RangeError(`squeeze: axis ${a} of ${formatShape(this.shape)} has size ${JSON.stringify(this.shape[a])}, not 1`);
    }
    return ops.reshape(this, this.shape.filter((_, i) => !norm.includes(i)));
  }
}
