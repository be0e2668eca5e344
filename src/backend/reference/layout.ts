// Reference kernels of the layout primitives: reshape, broadcastTo, transpose, slice, concat and pad.
// Each moves raw elements without converting them, so they work alike for every dtype. Views
// (broadcastTo, transpose, slice) are index maps over their output; reshape shares the input's data.

import type { Shape } from '../../core/dim.js';
import { allocate } from '../../core/dtype.js';
import { NDArray, sizeOf } from '../../core/ndarray.js';
import { broadcastIndices, broadcastsTo, stridedIndices, stridesOf } from './broadcast.js';
import type { KernelContext } from './context.js';
import { fail, formatDims, resolveDim } from './context.js';
import { slotsOf, takeByIndex } from './storage.js';

export function reshape(ctx: KernelContext, x: NDArray, target: Shape): NDArray {
  const shape = target.map((d) => resolveDim(ctx, d));
  if (sizeOf(shape) !== x.size) throw fail(ctx, `cannot reshape ${formatDims(x.shape)} (${x.size} elements) to ${formatDims(shape)}`);
  return new NDArray(x.dtype, shape, x.data);
}

export function broadcastTo(ctx: KernelContext, x: NDArray, target: Shape): NDArray {
  const shape = target.map((d) => resolveDim(ctx, d));
  if (!broadcastsTo(x.shape, shape)) throw fail(ctx, `${formatDims(x.shape)} does not broadcast to ${formatDims(shape)}`);
  return takeByIndex(x, shape, broadcastIndices(x.shape, shape));
}

export function transpose(ctx: KernelContext, x: NDArray, perm: readonly number[]): NDArray {
  const rank = x.rank;
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== rank || sorted.some((p, d) => p !== d)) {
    throw fail(ctx, `perm [${perm.join(', ')}] is not a permutation of the ${rank} axes of ${formatDims(x.shape)}`);
  }
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  return takeByIndex(x, shape, stridedIndices(shape, perm.map((p) => strides[p]!)));
}

/** ONNX Slice's clamping for a positive step: negative positions count from the end, then clamp to [0, size]. */
function clampPosition(position: number, size: number): number {
  const p = position < 0 ? position + size : position;
  return Math.min(Math.max(p, 0), size);
}

export function slice(
  ctx: KernelContext,
  x: NDArray,
  axes: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  steps: readonly number[],
): NDArray {
  if (starts.length !== axes.length || ends.length !== axes.length || steps.length !== axes.length) {
    throw fail(ctx, `axes, starts, ends and steps have different lengths (${axes.length}, ${starts.length}, ${ends.length}, ${steps.length})`);
  }
  const shape = [...x.shape];
  const strides = stridesOf(x.shape);
  const viewStrides = [...strides];
  let offset = 0;
  const seen = new Set<number>();
  axes.forEach((axis, k) => {
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank || seen.has(axis)) {
      throw fail(ctx, `axis ${axis} is out of range for rank ${x.rank} or repeated`);
    }
    seen.add(axis);
    const step = steps[k]!;
    if (!Number.isInteger(step) || step < 1) throw fail(ctx, `step ${step} on axis ${axis} must be an integer ≥ 1`);
    const size = x.shape[axis]!;
    const start = clampPosition(starts[k]!, size);
    const end = clampPosition(ends[k]!, size);
    shape[axis] = end > start ? Math.ceil((end - start) / step) : 0;
    offset += start * strides[axis]!;
    viewStrides[axis] = step * strides[axis]!;
  });
  return takeByIndex(x, shape, stridedIndices(shape, viewStrides, offset));
}

export function concat(ctx: KernelContext, xs: readonly NDArray[], axis: number): NDArray {
  if (xs.length === 0) throw fail(ctx, 'needs at least one operand');
  const first = xs[0]!;
  if (!Number.isInteger(axis) || axis < 0 || axis >= first.rank) throw fail(ctx, `axis ${axis} is out of range for rank ${first.rank}`);
  for (const x of xs) {
    if (x.dtype !== first.dtype) throw fail(ctx, `operands have different dtypes (${first.dtype} and ${x.dtype})`, 'type');
    if (x.rank !== first.rank || x.shape.some((n, d) => d !== axis && n !== first.shape[d])) {
      throw fail(ctx, `shapes ${formatDims(first.shape)} and ${formatDims(x.shape)} differ off axis ${axis}`);
    }
  }
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const total = xs.reduce((acc, x) => acc + x.shape[axis]!, 0);
  const shape = [...first.shape];
  shape[axis] = total;
  const data = allocate(first.dtype, outer * total * inner);
  const out = slotsOf(data);
  const rowLength = total * inner;
  let column = 0; // where the current operand's block starts within an output row
  for (const x of xs) {
    const src = slotsOf(x.data);
    const block = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) {
      const from = o * block;
      const to = o * rowLength + column;
      for (let j = 0; j < block; j++) out[to + j] = src[from + j]!;
    }
    column += block;
  }
  return new NDArray(first.dtype, shape, data);
}

export function pad(ctx: KernelContext, x: NDArray, pads: readonly number[], value: number): NDArray {
  const rank = x.rank;
  if (pads.length !== 2 * rank) throw fail(ctx, `pads has ${pads.length} entries, expected ${2 * rank} for rank ${rank}`);
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) throw fail(ctx, `pads [${pads.join(', ')}] must be integers ≥ 0`);
  const shape = x.shape.map((n, d) => n + pads[d]! + pads[rank + d]!);
  const fill = NDArray.from(x.dtype, [1], [value]);
  const data = allocate(x.dtype, sizeOf(shape));
  const out = slotsOf(data);
  const fillValue = slotsOf(fill.data)[0]!;
  for (let i = 0; i < out.length; i++) out[i] = fillValue;
  // Element (i_0, …) of x lands at (i_0 + before_0, …) of the result.
  const outStrides = stridesOf(shape);
  const offset = outStrides.reduce((acc, s, d) => acc + s * pads[d]!, 0);
  const target = stridedIndices(x.shape, outStrides, offset);
  const src = slotsOf(x.data);
  for (let i = 0; i < target.length; i++) out[target[i]!] = src[i]!;
  return new NDArray(x.dtype, shape, data);
}
