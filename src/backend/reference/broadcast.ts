// Shape and index arithmetic shared by the reference kernels: row-major strides, NumPy broadcasting of
// runtime shapes, and strided index maps (for every element of an iteration shape, in row-major order,
// the flat index it reads from or writes to). Views such as transpose, slice and broadcasting are all
// expressed as an index map over their output.

import { sizeOf } from '../../core/ndarray.js';

/** Row-major strides of a shape (the last axis has stride 1). */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** The NumPy broadcast of runtime shapes, or a description of the first incompatible axis. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] | string {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (let d = 0; d < rank; d++) {
    let size = 1;
    for (const shape of shapes) {
      const k = d - (rank - shape.length);
      if (k < 0) continue;
      const n = shape[k]!;
      if (n === 1) continue;
      if (size !== 1 && n !== size) {
        return `shapes ${shapes.map((s) => `[${s.join(', ')}]`).join(' and ')} do not broadcast (axis ${d} of the result: ${size} vs ${n})`;
      }
      size = n;
    }
    out[d] = size;
  }
  return out;
}

/**
 * The strides with which an array of `inShape` is read when broadcast to `outShape` (aligned to
 * outShape's axes; 0 on the axes it is broadcast along). The caller has checked compatibility.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => (d < lead || inShape[d - lead] === 1 ? 0 : inStrides[d - lead]!));
}

/** True when `inShape` broadcasts to exactly `outShape` (NumPy rules, inShape's rank ≤ outShape's). */
export function broadcastsTo(inShape: readonly number[], outShape: readonly number[]): boolean {
  const lead = outShape.length - inShape.length;
  if (lead < 0) return false;
  return inShape.every((n, k) => n === 1 || n === outShape[k + lead]);
}

/**
 * For each element of `shape` in row-major order, offset + Σ index[d] * strides[d]. This is the flat
 * index a strided view reads (or an accumulation writes) for that element.
 */
export function stridedIndices(shape: readonly number[], strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(shape);
  const out = new Int32Array(n);
  if (n === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = offset;
    return out;
  }
  const last = rank - 1;
  const innerSize = shape[last]!;
  const innerStride = strides[last]!;
  const counter = new Array<number>(rank).fill(0);
  let base = offset;
  let i = 0;
  while (i < n) {
    for (let j = 0, at = base; j < innerSize; j++, at += innerStride) out[i++] = at;
    // Advance the odometer over the outer axes.
    for (let d = last - 1; d >= 0; d--) {
      const c = counter[d]! + 1;
      base += strides[d]!;
      if (c < shape[d]!) {
        counter[d] = c;
        break;
      }
      base -= c * strides[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

/** The index map reading an array of `inShape` broadcast to `outShape`. */
export function broadcastIndices(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  return stridedIndices(outShape, broadcastStrides(inShape, outShape));
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, d) => n === b[d]);
}
