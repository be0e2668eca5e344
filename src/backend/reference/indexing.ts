// Reference kernels of the indexing primitives: gather (ONNX Gather) and its adjoint scatterAdd, and
// takeAlong (ONNX GatherElements) and its adjoint putAlongAdd (ONNX ScatterElements, reduction "add").
// Negative indices count from the end of the axis; anything outside [-size, size) is a RangeError.
// The scatters accumulate in doubles for floats (rounding once), modulo 2^32 / 2^64 for int32 / int64.

import { isFloat } from '../../core/dtype.js';
import { NDArray, sizeOf } from '../../core/ndarray.js';
import { sameShape, stridedIndices, stridesOf } from './broadcast.js';
import type { KernelContext } from './context.js';
import { fail, formatDims } from './context.js';
import { bigintsOf, copyData, fromNumbers, numbersOf, takeByIndex } from './storage.js';

/** The indices as non-negative positions along an axis of `size`, or a RangeError naming the bad one. */
function positions(ctx: KernelContext, indices: NDArray, size: number): Int32Array {
  if (indices.dtype !== 'int32' && indices.dtype !== 'int64') throw fail(ctx, `indices must be int32 or int64, got ${indices.dtype}`, 'type');
  const out = new Int32Array(indices.size);
  const outOfRange = (v: number | bigint): Error =>
    fail(ctx, `index ${v} is out of range for an axis of size ${size} (valid: ${-size} to ${size - 1})`);
  if (indices.dtype === 'int64') {
    const big = bigintsOf(indices);
    const limit = BigInt(size);
    for (let i = 0; i < out.length; i++) {
      const v = big[i]!;
      if (v < -limit || v >= limit) throw outOfRange(v);
      out[i] = v < 0n ? Number(v + limit) : Number(v);
    }
  } else {
    const small = indices.data as Int32Array;
    for (let i = 0; i < out.length; i++) {
      const v = small[i]!;
      if (v < -size || v >= size) throw outOfRange(v);
      out[i] = v < 0 ? v + size : v;
    }
  }
  return out;
}

function checkAxis(ctx: KernelContext, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw fail(ctx, `axis ${axis} is out of range for rank ${rank}`);
}

/**
 * out = base; out[target[i]] += updates[i] for every i, in the dtype's arithmetic (floats accumulate in
 * doubles and round once at the end).
 */
function accumulate(ctx: KernelContext, base: NDArray, target: Int32Array, updates: NDArray): NDArray {
  if (updates.dtype !== base.dtype) throw fail(ctx, `updates are ${updates.dtype} but the base is ${base.dtype}`, 'type');
  const n = target.length;
  if (base.dtype === 'int64') {
    const out = copyData(base) as BigInt64Array;
    const u = bigintsOf(updates);
    for (let i = 0; i < n; i++) out[target[i]!] = BigInt.asIntN(64, out[target[i]!]! + u[i]!);
    return new NDArray('int64', base.shape, out);
  }
  if (base.dtype === 'int32') {
    const out = copyData(base) as Int32Array;
    const u = updates.data as Int32Array;
    for (let i = 0; i < n; i++) out[target[i]!] = (out[target[i]!]! + u[i]!) | 0;
    return new NDArray('int32', base.shape, out);
  }
  if (!isFloat(base.dtype)) throw fail(ctx, `adding is not defined on ${base.dtype}`, 'type');
  const out = Float64Array.from(numbersOf(base));
  const u = numbersOf(updates);
  for (let i = 0; i < n; i++) out[target[i]!] += u[i]!;
  return fromNumbers(base.dtype, base.shape, out);
}

/**
 * For gather/scatterAdd along `axis` of `xShape` at the positions `pos`: for each element of the
 * gathered result (shape xShape[:axis] + indices.shape + xShape[axis+1:]) the flat index into x.
 */
function gatherMap(xShape: readonly number[], axis: number, pos: Int32Array): Int32Array {
  const outer = sizeOf(xShape.slice(0, axis));
  const size = xShape[axis]!;
  const inner = sizeOf(xShape.slice(axis + 1));
  const count = pos.length;
  const map = new Int32Array(outer * count * inner);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * size + pos[j]!) * inner;
      for (let r = 0; r < inner; r++) map[i++] = from + r;
    }
  }
  return map;
}

function gatherShape(xShape: readonly number[], axis: number, indicesShape: readonly number[]): number[] {
  return [...xShape.slice(0, axis), ...indicesShape, ...xShape.slice(axis + 1)];
}

export function gather(ctx: KernelContext, x: NDArray, indices: NDArray, axis: number): NDArray {
  checkAxis(ctx, axis, x.rank);
  const pos = positions(ctx, indices, x.shape[axis]!);
  const shape = gatherShape(x.shape, axis, indices.shape);
  return takeByIndex(x, shape, gatherMap(x.shape, axis, pos));
}

export function scatterAdd(ctx: KernelContext, base: NDArray, indices: NDArray, updates: NDArray, axis: number): NDArray {
  checkAxis(ctx, axis, base.rank);
  const pos = positions(ctx, indices, base.shape[axis]!);
  const expected = gatherShape(base.shape, axis, indices.shape);
  if (!sameShape(updates.shape, expected)) {
    throw fail(ctx, `updates have shape ${formatDims(updates.shape)}, expected gather's output shape ${formatDims(expected)}`);
  }
  return accumulate(ctx, base, gatherMap(base.shape, axis, pos), updates);
}

/**
 * For takeAlong/putAlongAdd: for each element of `indices` (same rank as x, each dim ≤ x's off the
 * axis), the flat index into x: its own position off the axis, the index's value along it.
 */
function alongMap(ctx: KernelContext, xShape: readonly number[], indices: NDArray, axis: number): Int32Array {
  checkAxis(ctx, axis, xShape.length);
  if (indices.rank !== xShape.length || indices.shape.some((n, d) => d !== axis && n > xShape[d]!)) {
    throw fail(ctx, `indices of shape ${formatDims(indices.shape)} do not fit ${formatDims(xShape)} off axis ${axis}`);
  }
  const pos = positions(ctx, indices, xShape[axis]!);
  const strides = stridesOf(xShape);
  const map = stridedIndices(indices.shape, strides.map((s, d) => (d === axis ? 0 : s)));
  const axisStride = strides[axis]!;
  for (let i = 0; i < map.length; i++) map[i] += pos[i]! * axisStride;
  return map;
}

export function takeAlong(ctx: KernelContext, x: NDArray, indices: NDArray, axis: number): NDArray {
  return takeByIndex(x, indices.shape, alongMap(ctx, x.shape, indices, axis));
}

export function putAlongAdd(ctx: KernelContext, base: NDArray, indices: NDArray, updates: NDArray, axis: number): NDArray {
  if (!sameShape(updates.shape, indices.shape)) {
    throw fail(ctx, `updates have shape ${formatDims(updates.shape)} but indices have ${formatDims(indices.shape)}`);
  }
  return accumulate(ctx, base, alongMap(ctx, base.shape, indices, axis), updates);
}
