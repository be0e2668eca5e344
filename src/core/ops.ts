// The primitive constructors: one function per primitive of graph.ts, each inferring the output dtype
// and shape while tracing and throwing, at the call site, an error that names the op, the operands'
// shapes and the offending dimension. Plain numbers are accepted where a tensor operand is expected
// and become scalar constants of the other operand's dtype.

import { isFloat, isInteger } from './dtype.js';
import type { DType } from './dtype.js';
import { canonicalDim, dimAdd, dimDivExact, dimProduct, dimSub, formatShape, isStatic } from './dim.js';
import type { Dim, Shape } from './dim.js';
import type { BinaryFn, CompareFn, Prim, ReduceFn, UnaryFn } from './graph.js';
import { NDArray } from './ndarray.js';
import type { GraphBuilder } from './trace.js';
import { Tensor } from './tensor.js';

export type TensorLike = Tensor | number;

function apply(builder: GraphBuilder, prim: Prim, inputs: readonly Tensor[], dtype: DType, shape: Shape): Tensor {
  for (const t of inputs) {
    if (t.builder !== builder) {
      throw new Error(`${prim.kind}: operands come from different traces; a tensor cannot be used outside the function that traced it`);
    }
  }
  return new Tensor(builder, builder.add(prim, inputs.map((t) => t.node.id), dtype, shape));
}

/** A constant holding `value` in the trace of `builder`. */
export function constant(builder: GraphBuilder, value: NDArray): Tensor {
  return apply(builder, { kind: 'constant', value }, [], value.dtype, value.shape);
}

/** A scalar constant of `dtype`. */
export function scalar(builder: GraphBuilder, value: number, dtype: DType): Tensor {
  return constant(builder, NDArray.scalar(dtype, value));
}

/** Resolve a mix of tensors and numbers to tensors of one trace and one dtype. */
function operands(op: string, values: readonly TensorLike[]): Tensor[] {
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  if (!first) throw new TypeError(`${op}: at least one operand must be a tensor (got only numbers)`);
  return values.map((v) => {
    if (v instanceof Tensor) return v;
    if (isInteger(first.dtype) && !Number.isInteger(v)) {
      throw new TypeError(`${op}: ${v} is not an integer but the other operand is ${first.dtype}; cast the tensor to a float dtype first`);
    }
    return scalar(first.builder, v, first.dtype);
  });
}

function sameDType(op: string, ts: readonly Tensor[]): DType {
  const dtype = ts[0]!.dtype;
  for (const t of ts) {
    if (t.dtype !== dtype) {
      throw new TypeError(`${op}: operand dtypes differ (${ts.map((x) => x.dtype).join(' vs ')}); cast one operand with .cast(dtype)`);
    }
  }
  return dtype;
}

/** NumPy broadcasting of shapes; a symbolic dim broadcasts only with itself or 1. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1 || d === dim) continue;
      if (dim === 1) {
        dim = d;
        continue;
      }
      throw new RangeError(
        `${op}: cannot broadcast shapes ${shapes.map(formatShape).join(' and ')}: dim ${i} (from the left of the broadcast result) is ${JSON.stringify(dim)} vs ${JSON.stringify(d)}`,
      );
    }
    out.push(dim);
  }
  return out;
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank} (valid: ${-rank}..${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

const FLOAT_ONLY: ReadonlySet<UnaryFn> = new Set(['exp', 'log', 'sqrt', 'tanh', 'erf', 'sin', 'cos', 'reciprocal', 'floor']);

export function unary(fn: UnaryFn, x: Tensor): Tensor {
  if (fn === 'not' ? x.dtype !== 'bool' : x.dtype === 'bool') {
    throw new TypeError(`${fn}: does not take ${x.dtype} (shape ${formatShape(x.shape)})${fn === 'not' ? '; compare to get a bool first' : '; cast to a number dtype first'}`);
  }
  if (FLOAT_ONLY.has(fn) && !isFloat(x.dtype)) {
    throw new TypeError(`${fn}: needs a float tensor, got ${x.dtype} of shape ${formatShape(x.shape)}; use .cast('float32') first`);
  }
  return apply(x.builder, { kind: 'unary', fn }, [x], x.dtype, x.shape);
}

export function binary(fn: BinaryFn, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(fn, [a, b]) as [Tensor, Tensor];
  const dtype = sameDType(fn, [ta, tb]);
  const logical = fn === 'and' || fn === 'or';
  if (logical !== (dtype === 'bool')) {
    throw new TypeError(`${fn}: ${logical ? 'needs bool operands' : 'does not take bool operands'} (got ${dtype})`);
  }
  if (fn === 'pow' && !isFloat(dtype)) throw new TypeError(`pow: needs float operands (got ${dtype})`);
  return apply(ta.builder, { kind: 'binary', fn }, [ta, tb], dtype, broadcastShapes(fn, [ta.shape, tb.shape]));
}

export function compare(fn: CompareFn, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(fn, [a, b]) as [Tensor, Tensor];
  sameDType(fn, [ta, tb]);
  return apply(ta.builder, { kind: 'compare', fn }, [ta, tb], 'bool', broadcastShapes(fn, [ta.shape, tb.shape]));
}

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'bool') throw new TypeError(`where: the condition must be bool (got ${cond.dtype})`);
  const [ta, tb] = operands('where', [a, b]) as [Tensor, Tensor];
  const dtype = sameDType('where', [ta, tb]);
  const shape = broadcastShapes('where', [cond.shape, ta.shape, tb.shape]);
  return apply(cond.builder, { kind: 'where' }, [cond, ta, tb], dtype, shape);
}

export function cast(x: Tensor, to: DType): Tensor {
  if (x.dtype === to) return x;
  return apply(x.builder, { kind: 'cast', to }, [x], to, x.shape);
}

export function stopGradient(x: Tensor): Tensor {
  return apply(x.builder, { kind: 'stopGradient' }, [x], x.dtype, x.shape);
}

/** Normalised, sorted, distinct axes; `undefined` means all axes. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  const list = axes === undefined ? [...Array(rank).keys()] : typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))].sort((p, q) => p - q);
  if (out.length !== list.length) throw new RangeError(`${op}: axes [${list.join(', ')}] repeat an axis`);
  return out;
}

export function reduce(fn: ReduceFn, x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const op = `reduce ${fn}`;
  if (x.dtype === 'bool') throw new TypeError(`${op}: does not take bool; cast to a number dtype first`);
  const norm = normalizeAxes(op, axes, x.rank);
  if (norm.length === 0) return x;
  const shape: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (!norm.includes(i)) shape.push(d);
    else if (keepDims) shape.push(1);
  });
  return apply(x.builder, { kind: 'reduce', fn, axes: norm, keepDims }, [x], x.dtype, shape);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  const dtype = sameDType('matmul', [a, b]);
  if (dtype === 'bool') throw new TypeError('matmul: does not take bool operands');
  if (a.rank < 2 || b.rank < 2) {
    throw new RangeError(`matmul: operands need rank ≥ 2 (got ${formatShape(a.shape)} and ${formatShape(b.shape)}); reshape vectors to matrices`);
  }
  const k1 = a.shape[a.rank - 1]!;
  const k2 = b.shape[b.rank - 2]!;
  if (k1 !== k2) {
    throw new RangeError(
      `matmul: inner dims differ: ${formatShape(a.shape)} has ${JSON.stringify(k1)} at axis ${a.rank - 1}, ${formatShape(b.shape)} has ${JSON.stringify(k2)} at axis ${b.rank - 2}`,
    );
  }
  const batch = broadcastShapes('matmul (batch dims)', [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
  return apply(a.builder, { kind: 'matmul' }, [a, b], dtype, [...batch, a.shape[a.rank - 2]!, b.shape[b.rank - 1]!]);
}

/** Reshape; one entry may be -1 (inferred, possibly symbolically, e.g. ["batch", "seq", 8] → [-1, 8]). */
export function reshape(x: Tensor, shape: readonly Dim[]): Tensor {
  const total = dimProduct(x.shape);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: at most one dim may be -1 (got ${formatShape(shape)})`);
  const known = shape.filter((d) => d !== -1).map(canonicalDim);
  let resolved: Dim[];
  if (inferred === 1) {
    const rest = dimDivExact(total, dimProduct(known));
    if (rest === undefined) {
      throw new RangeError(`reshape: cannot infer the -1 dim of ${formatShape(shape)} from ${formatShape(x.shape)} (${JSON.stringify(total)} elements)`);
    }
    resolved = shape.map((d) => (d === -1 ? rest : canonicalDim(d)));
  } else {
    resolved = known;
    const count = dimProduct(resolved);
    if (count !== total) {
      throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (${JSON.stringify(total)} elements) to ${formatShape(shape)} (${JSON.stringify(count)} elements)`);
    }
  }
  if (resolved.length === x.rank && resolved.every((d, i) => d === x.shape[i])) return x;
  return apply(x.builder, { kind: 'reshape', shape: resolved }, [x], x.dtype, resolved);
}

export function broadcastTo(x: Tensor, shape: readonly Dim[]): Tensor {
  const target = shape.map(canonicalDim);
  if (target.length < x.rank) {
    throw new RangeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to the lower-rank ${formatShape(target)}`);
  }
  const out = broadcastShapes('broadcastTo', [x.shape, target]);
  if (out.some((d, i) => d !== target[i])) {
    throw new RangeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(target)}`);
  }
  if (target.length === x.rank && target.every((d, i) => d === x.shape[i])) return x;
  return apply(x.builder, { kind: 'broadcastTo', shape: target }, [x], x.dtype, target);
}

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? [...Array(x.rank).keys()].reverse();
  const sorted = [...p].map((a) => normalizeAxis('transpose', a, x.rank)).sort((u, v) => u - v);
  if (p.length !== x.rank || sorted.some((a, i) => a !== i)) {
    throw new RangeError(`transpose: [${p.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}`);
  }
  const norm = p.map((a) => normalizeAxis('transpose', a, x.rank));
  if (norm.every((a, i) => a === i)) return x;
  return apply(x.builder, { kind: 'transpose', perm: norm }, [x], x.dtype, norm.map((a) => x.shape[a]!));
}

export interface SliceSpec {
  /** First index (negative counts from the end); default 0. */
  start?: number;
  /** One past the last index (negative counts from the end); default: to the end. */
  end?: number;
  step?: number;
}

/** Slice along several axes: `specs[axis]` (an absent axis is taken whole). */
export function slice(x: Tensor, specs: Readonly<Record<number, SliceSpec>>): Tensor {
  const axes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const shape = [...x.shape];
  for (const [key, spec] of Object.entries(specs)) {
    const axis = normalizeAxis('slice', Number(key), x.rank);
    const dim = x.shape[axis]!;
    const step = spec.step ?? 1;
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`slice: step must be a positive integer (got ${step} on axis ${axis})`);
    let start = spec.start ?? 0;
    let end = spec.end ?? Infinity;
    if (isStatic(dim)) {
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
      start = clamp(start);
      end = clamp(end);
      shape[axis] = Math.max(0, Math.ceil((end - start) / step));
    } else {
      if (step !== 1) throw new RangeError(`slice: a step other than 1 needs a static dim (axis ${axis} is ${JSON.stringify(dim)})`);
      if (start >= 0 && end === Infinity) shape[axis] = dimSub(dim, start);
      else if (start >= 0 && end >= 0 && end >= start) shape[axis] = end - start;
      else if (start >= 0 && end < 0) shape[axis] = dimSub(dimAdd(dim, end), start);
      else if (start < 0 && end === Infinity) shape[axis] = -start;
      else if (start < 0 && end < 0 && end >= start) shape[axis] = end - start;
      else {
        throw new RangeError(
          `slice: cannot tell the length of [${start}:${end}] on symbolic axis ${axis} (${JSON.stringify(dim)}) of ${formatShape(x.shape)}; slice from the start or from the end only`,
        );
      }
    }
    if (isStatic(dim) && start === 0 && end === dim && step === 1) continue;
    axes.push(axis);
    starts.push(start);
    ends.push(end);
    steps.push(step);
  }
  if (axes.length === 0) return x;
  return apply(x.builder, { kind: 'slice', axes, starts, ends, steps }, [x], x.dtype, shape);
}

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new RangeError('concat: needs at least one tensor');
  const first = xs[0]!;
  const dtype = sameDType('concat', xs);
  const ax = normalizeAxis('concat', axis, first.rank);
  let total: Dim = 0;
  for (const [k, t] of xs.entries()) {
    if (t.rank !== first.rank) throw new RangeError(`concat: operand ${k} has rank ${t.rank} (${formatShape(t.shape)}), operand 0 has rank ${first.rank}`);
    t.shape.forEach((d, i) => {
      if (i !== ax && d !== first.shape[i]) {
        throw new RangeError(`concat: operand ${k} ${formatShape(t.shape)} differs from operand 0 ${formatShape(first.shape)} at axis ${i} (only axis ${ax} may differ)`);
      }
    });
    total = dimAdd(total, t.shape[ax]!);
  }
  if (xs.length === 1) return first;
  const shape = first.shape.map((d, i) => (i === ax ? total : d));
  return apply(first.builder, { kind: 'concat', axis: ax }, xs, dtype, shape);
}

/** Constant padding; `pads[i] = [before, after]` for axis i (missing axes unpadded). */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  if (pads.length > x.rank) throw new RangeError(`pad: ${pads.length} pad pairs for a tensor of rank ${x.rank}`);
  const before = x.shape.map((_, i) => pads[i]?.[0] ?? 0);
  const after = x.shape.map((_, i) => pads[i]?.[1] ?? 0);
  for (const p of [...before, ...after]) {
    if (!Number.isInteger(p) || p < 0) throw new RangeError(`pad: pads must be non-negative integers (got ${JSON.stringify(pads)})`);
  }
  if ([...before, ...after].every((p) => p === 0)) return x;
  const shape = x.shape.map((d, i) => dimAdd(d, before[i]! + after[i]!));
  return apply(x.builder, { kind: 'pad', pads: [...before, ...after], value }, [x], x.dtype, shape);
}

function checkIndices(op: string, indices: Tensor): void {
  if (indices.dtype !== 'int32' && indices.dtype !== 'int64') {
    throw new TypeError(`${op}: indices must be int32 or int64 (got ${indices.dtype} of shape ${formatShape(indices.shape)})`);
  }
}

export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  checkIndices('gather', indices);
  const ax = normalizeAxis('gather', axis, x.rank);
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  return apply(x.builder, { kind: 'gather', axis: ax }, [x, indices], x.dtype, shape);
}

export function scatterAdd(base: Tensor, indices: Tensor, updates: Tensor, axis = 0): Tensor {
  checkIndices('scatterAdd', indices);
  sameDType('scatterAdd', [base, updates]);
  const ax = normalizeAxis('scatterAdd', axis, base.rank);
  const expected = [...base.shape.slice(0, ax), ...indices.shape, ...base.shape.slice(ax + 1)];
  if (expected.length !== updates.rank || expected.some((d, i) => d !== updates.shape[i])) {
    throw new RangeError(
      `scatterAdd: updates ${formatShape(updates.shape)} must have gather's output shape ${formatShape(expected)} (base ${formatShape(base.shape)}, indices ${formatShape(indices.shape)}, axis ${ax})`,
    );
  }
  return apply(base.builder, { kind: 'scatterAdd', axis: ax }, [base, indices, updates], base.dtype, base.shape);
}

export function takeAlong(x: Tensor, indices: Tensor, axis: number): Tensor {
  checkIndices('takeAlong', indices);
  const ax = normalizeAxis('takeAlong', axis, x.rank);
  if (indices.rank !== x.rank) {
    throw new RangeError(`takeAlong: indices ${formatShape(indices.shape)} must have the rank of x ${formatShape(x.shape)}`);
  }
  indices.shape.forEach((d, i) => {
    if (i !== ax && d !== x.shape[i]) {
      throw new RangeError(`takeAlong: indices ${formatShape(indices.shape)} and x ${formatShape(x.shape)} differ at axis ${i} (only axis ${ax} may differ)`);
    }
  });
  return apply(x.builder, { kind: 'takeAlong', axis: ax }, [x, indices], x.dtype, indices.shape);
}

export function putAlongAdd(base: Tensor, indices: Tensor, updates: Tensor, axis: number): Tensor {
  checkIndices('putAlongAdd', indices);
  sameDType('putAlongAdd', [base, updates]);
  const ax = normalizeAxis('putAlongAdd', axis, base.rank);
  if (indices.rank !== base.rank || updates.rank !== base.rank || indices.shape.some((d, i) => d !== updates.shape[i])) {
    throw new RangeError(
      `putAlongAdd: indices ${formatShape(indices.shape)} and updates ${formatShape(updates.shape)} must have one shape of base's rank (base ${formatShape(base.shape)})`,
    );
  }
  return apply(base.builder, { kind: 'putAlongAdd', axis: ax }, [base, indices, updates], base.dtype, base.shape);
}

/** [0, 1, …, length-1]. */
export function iota(builder: GraphBuilder, length: Dim, dtype: DType = 'int64'): Tensor {
  if (dtype === 'bool') throw new TypeError('iota: dtype must be numeric (got bool)');
  const len = canonicalDim(length);
  return apply(builder, { kind: 'iota', length: len, dtype }, [], dtype, [len]);
}

/** The runtime size of x.shape[axis] as a scalar (a constant when the dim is static). */
export function dimSize(x: Tensor, axis: number, dtype: DType = 'int64'): Tensor {
  const ax = normalizeAxis('dim', axis, x.rank);
  const d = x.shape[ax]!;
  if (isStatic(d)) return scalar(x.builder, d, dtype);
  return apply(x.builder, { kind: 'dim', axis: ax, dtype }, [x], dtype, []);
}

export function randomUniform(key: Tensor, shape: readonly Dim[], dtype: DType = 'float32'): Tensor {
  if (key.dtype !== 'int64' || key.rank !== 0) {
    throw new TypeError(`randomUniform: the key must be an int64 scalar (got ${key.dtype} of shape ${formatShape(key.shape)})`);
  }
  if (!isFloat(dtype)) throw new TypeError(`randomUniform: dtype must be a float dtype (got ${dtype})`);
  const s = shape.map(canonicalDim);
  return apply(key.builder, { kind: 'randomUniform', shape: s, dtype }, [key], dtype, s);
}

/** A tensor of `shape` filled with `value` (a scalar constant broadcast). */
export function full(builder: GraphBuilder, shape: readonly Dim[], value: number, dtype: DType = 'float32'): Tensor {
  const s = shape.map(canonicalDim);
  if (s.every(isStatic) && dimProduct(s) === 1) return constant(builder, NDArray.from(dtype, s as number[], [value]));
  return broadcastTo(scalar(builder, value, dtype), s);
}
