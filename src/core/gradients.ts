// The gradient rule of every primitive, written in primitives: given the node's inputs x, its output y
// and the cotangent g of y, each rule returns the cotangent of each input (undefined: no gradient —
// integer, bool and index inputs, and piecewise-constant ops). `needs[i]` says whether input i wants
// one, so rules skip work nobody uses. Broadcast operands get their cotangent summed back by unbroadcast.

import { isFloat } from './dtype.js';
import { dimAdd, dimSub, isStatic } from './dim.js';
import type { Dim, Shape } from './dim.js';
import type { Node } from './graph.js';
import * as ops from './ops.js';
import type { Tensor } from './tensor.js';

export interface GradContext {
  node: Node;
  x: readonly Tensor[];
  y: Tensor;
  g: Tensor;
  needs: readonly boolean[];
}

export type Cotangents = (Tensor | undefined)[];

/** Sum g over the axes that broadcasting added or stretched, so that it takes `shape`. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  return axes.length === 0 ? g : ops.reshape(g.sum(axes, true), shape);
}

function zeros(like: Tensor): Tensor {
  return ops.full(like.builder, like.shape, 0, like.dtype);
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function unaryRule({ node, x: [x], y, g }: GradContext): Cotangents {
  if (node.prim.kind !== 'unary' || !x) return [];
  switch (node.prim.fn) {
    case 'neg':
      return [g.neg()];
    case 'exp':
      return [g.mul(y)];
    case 'log':
      return [g.div(x)];
    case 'sqrt':
      return [g.div(y.mul(2))];
    case 'tanh':
      return [g.mul(y.square().neg().add(1))];
    case 'erf':
      return [g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI))];
    case 'abs':
      return [g.mul(x.sign())];
    case 'sin':
      return [g.mul(x.cos())];
    case 'cos':
      return [g.mul(x.sin()).neg()];
    case 'reciprocal':
      return [g.mul(y.square()).neg()];
    case 'floor':
    case 'sign':
    case 'not':
      return [undefined];
  }
}

/** 1 where a wins, ½ on ties, 0 where it loses (ties split evenly, so the rule is symmetric). */
function winnerMask(a: Tensor, b: Tensor, fn: 'maximum' | 'minimum'): Tensor {
  const wins = fn === 'maximum' ? a.gt(b) : a.lt(b);
  return wins.cast(a.dtype).add(a.eq(b).cast(a.dtype).mul(0.5));
}

function binaryRule({ node, x: [a, b], y, g, needs }: GradContext): Cotangents {
  if (node.prim.kind !== 'binary' || !a || !b) return [];
  const both = (da: () => Tensor, db: () => Tensor): Cotangents => [
    needs[0] ? unbroadcast(da(), a.shape) : undefined,
    needs[1] ? unbroadcast(db(), b.shape) : undefined,
  ];
  switch (node.prim.fn) {
    case 'add':
      return both(() => g, () => g);
    case 'sub':
      return both(() => g, () => g.neg());
    case 'mul':
      return both(() => g.mul(b), () => g.mul(a));
    case 'div':
      return both(() => g.div(b), () => g.mul(y).div(b).neg());
    case 'pow':
      return both(() => g.mul(b).mul(a.pow(b.sub(1))), () => g.mul(y).mul(a.log()));
    case 'maximum':
    case 'minimum': {
      const fn = node.prim.fn;
      return both(() => g.mul(winnerMask(a, b, fn)), () => g.mul(winnerMask(b, a, fn)));
    }
    case 'and':
    case 'or':
      return [undefined, undefined];
  }
}

function whereRule({ x: [c, a, b], g, needs }: GradContext): Cotangents {
  if (!c || !a || !b) return [];
  return [
    undefined,
    needs[1] ? unbroadcast(ops.where(c, g, 0), a.shape) : undefined,
    needs[2] ? unbroadcast(ops.where(c, 0, g), b.shape) : undefined,
  ];
}

function reduceRule({ node, x: [x], y, g }: GradContext): Cotangents {
  if (node.prim.kind !== 'reduce' || !x) return [];
  const { axes, keepDims, fn } = node.prim;
  const kept: Dim[] = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const gk = keepDims ? g : ops.reshape(g, kept);
  if (fn === 'sum') return [ops.broadcastTo(gk, x.shape)];
  const yk = keepDims ? y : ops.reshape(y, kept);
  const mask = x.eq(yk).cast(x.dtype);
  return [mask.mul(gk.div(mask.sum(axes, true)))];
}

/**
 * da = g·bᵀ, db = aᵀ·g, summed over broadcast batch dims. For the common (…, M, K)·(K, N) of a linear
 * layer, db folds a's batch dims into the contraction — one (K, B·M)·(B·M, N) matmul instead of a
 * batched matmul followed by a reduction.
 */
function matmulRule({ x: [a, b], g, needs }: GradContext): Cotangents {
  if (!a || !b) return [];
  const db = () => {
    if (b.rank === 2 && a.rank > 2) {
      const k = a.shape[a.rank - 1]!;
      const n = g.shape[g.rank - 1]!;
      return a.reshape([-1, k]).mT.matmul(g.reshape([-1, n])); // (K, B·M)·(B·M, N)
    }
    return unbroadcast(a.mT.matmul(g), b.shape);
  };
  return [needs[0] ? unbroadcast(g.matmul(b.mT), a.shape) : undefined, needs[1] ? db() : undefined];
}

/** The cotangent of a slice: g placed back at its positions, zeros elsewhere. */
function sliceRule({ node, x: [x], g }: GradContext): Cotangents {
  if (node.prim.kind !== 'slice' || !x) return [];
  const { axes, starts, steps } = node.prim;
  let out = g;
  axes.forEach((axis, k) => {
    const dim = x.shape[axis]!;
    const step = steps[k]!;
    if (step > 1) {
      // (.., n, ..) → (.., n, step, ..) zero-padded → (.., n*step, ..): element j lands at j*step.
      const n = out.shape[axis] as number;
      const spread = ops.pad(out.unsqueeze(axis + 1), padAt(axis + 1, out.rank + 1, 0, step - 1));
      out = ops.reshape(spread, [...out.shape.slice(0, axis), n * step, ...out.shape.slice(axis + 1)]);
      const length = Math.min(n * step, (dim as number) - starts[k]!);
      out = out.slice({ [axis]: { end: length } });
    }
    const before = resolveIndex(starts[k]!, dim);
    const after = dimSub(dim, dimAdd(before, out.shape[axis]!));
    out = padWithZeros(out, axis, before, after);
  });
  return [out];
}

function resolveIndex(index: number, dim: Dim): Dim {
  return index < 0 ? dimAdd(dim, index) : index;
}

function padAt(axis: number, rank: number, before: number, after: number): [number, number][] {
  return Array.from({ length: rank }, (_, i): [number, number] => (i === axis ? [before, after] : [0, 0]));
}

/** Zeros before and after along `axis`: a pad when both amounts are static, else a concat. */
function padWithZeros(t: Tensor, axis: number, before: Dim, after: Dim): Tensor {
  if (isStatic(before) && isStatic(after)) return ops.pad(t, padAt(axis, t.rank, before, after));
  const block = (n: Dim) => ops.full(t.builder, t.shape.map((d, i) => (i === axis ? n : d)), 0, t.dtype);
  const parts = [before !== 0 ? block(before) : undefined, t, after !== 0 ? block(after) : undefined];
  return ops.concat(parts.filter((p): p is Tensor => p !== undefined), axis);
}

function concatRule({ node, x, g, needs }: GradContext): Cotangents {
  if (node.prim.kind !== 'concat') return [];
  const axis = node.prim.axis;
  let offset: Dim = 0;
  return x.map((t, i) => {
    const start = offset;
    offset = dimAdd(offset, t.shape[axis]!);
    if (!needs[i]) return undefined;
    if (isStatic(start) && isStatic(offset)) return g.slice({ [axis]: { start, end: offset } });
    // Symbolic offsets: slice from the front for the first part, from the back for the last; a middle
    // part with symbolic bounds is cut out of the suffix after the preceding parts.
    const suffix = isStatic(start) ? g.slice({ [axis]: { start } }) : sliceFromEnd(g, axis, dimSub(g.shape[axis]!, start));
    return sliceFirst(suffix, axis, t.shape[axis]!);
  });
}

function sliceFromEnd(t: Tensor, axis: number, length: Dim): Tensor {
  if (!isStatic(length)) throw new RangeError(`concat gradient: cannot slice a symbolic length ${JSON.stringify(length)} from the end`);
  return t.slice({ [axis]: { start: -length } });
}

function sliceFirst(t: Tensor, axis: number, length: Dim): Tensor {
  if (t.shape[axis] === length) return t;
  if (isStatic(length)) return t.slice({ [axis]: { end: length } });
  const rest = dimSub(t.shape[axis]!, length);
  if (!isStatic(rest)) throw new RangeError(`concat gradient: cannot cut a symbolic length ${JSON.stringify(length)} out of ${JSON.stringify(t.shape[axis])}`);
  return t.slice({ [axis]: { end: -rest } });
}

function padRule({ node, x: [x], g }: GradContext): Cotangents {
  if (node.prim.kind !== 'pad' || !x) return [];
  const { pads } = node.prim;
  const specs: Record<number, { start: number; end?: number }> = {};
  x.shape.forEach((_, i) => {
    const before = pads[i]!;
    const after = pads[i + x.rank]!;
    if (before || after) specs[i] = after ? { start: before, end: -after } : { start: before };
  });
  return [g.slice(specs)];
}

type Rule = (ctx: GradContext) => Cotangents;

const none: Rule = ({ x }) => x.map(() => undefined);

export const GRADIENT_RULES: { readonly [K in Node['prim']['kind']]: Rule } = {
  input: none,
  constant: none,
  unary: unaryRule,
  binary: binaryRule,
  compare: none,
  where: whereRule,
  cast: ({ x: [x], g }) => [x && isFloat(x.dtype) && isFloat(g.dtype) ? ops.cast(g, x.dtype) : undefined],
  stopGradient: none,
  reduce: reduceRule,
  matmul: matmulRule,
  reshape: ({ x: [x], g }) => [x ? ops.reshape(g, x.shape) : undefined],
  broadcastTo: ({ x: [x], g }) => [x ? unbroadcast(g, x.shape) : undefined],
  transpose: ({ node, g }) => {
    if (node.prim.kind !== 'transpose') return [];
    const inverse: number[] = [];
    node.prim.perm.forEach((p, i) => (inverse[p] = i));
    return [ops.transpose(g, inverse)];
  },
  slice: sliceRule,
  concat: concatRule,
  pad: padRule,
  gather: ({ node, x: [x, idx], g }) =>
    node.prim.kind === 'gather' && x && idx ? [ops.scatterAdd(zeros(x), idx, g, node.prim.axis), undefined] : [],
  scatterAdd: ({ node, x: [, idx], g, needs }) =>
    node.prim.kind === 'scatterAdd' && idx ? [needs[0] ? g : undefined, undefined, needs[2] ? ops.gather(g, idx, node.prim.axis) : undefined] : [],
  takeAlong: ({ node, x: [x, idx], g }) =>
    node.prim.kind === 'takeAlong' && x && idx ? [ops.putAlongAdd(zeros(x), idx, g, node.prim.axis), undefined] : [],
  putAlongAdd: ({ node, x: [, idx], g, needs }) =>
    node.prim.kind === 'putAlongAdd' && idx ? [needs[0] ? g : undefined, undefined, needs[2] ? ops.takeAlong(g, idx, node.prim.axis) : undefined] : [],
  iota: none,
  dim: none,
  randomUniform: none,
};
