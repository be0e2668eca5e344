// Reference kernel of matmul: NumPy matmul of operands of rank ≥ 2, [..., m, k] × [..., k, n], whose
// batch dims broadcast. Float products accumulate in doubles and round once to the dtype; int32
// accumulates with wrap-around modulo 2^32, int64 in BigInt modulo 2^64.

import { isFloat } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';
import { broadcastShapes, broadcastStrides, stridedIndices } from './broadcast.js';
import type { KernelContext } from './context.js';
import { fail, formatDims } from './context.js';
import { bigintsOf, fromNumbers, numbersOf } from './storage.js';

export function matmul(ctx: KernelContext, a: NDArray, b: NDArray): NDArray {
  if (a.dtype !== b.dtype) throw fail(ctx, `operands have different dtypes (${a.dtype} and ${b.dtype})`, 'type');
  if (a.dtype === 'bool') throw fail(ctx, 'matmul is not defined on bool', 'type');
  if (a.rank < 2 || b.rank < 2) throw fail(ctx, `operands must have rank ≥ 2, got ${formatDims(a.shape)} and ${formatDims(b.shape)}`);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (k !== k2) throw fail(ctx, `inner dims differ: ${formatDims(a.shape)} × ${formatDims(b.shape)}`);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes([aBatch, bBatch]);
  if (typeof batch === 'string') throw fail(ctx, `batch dims: ${batch}`);
  // Offsets of each batch's matrix in a and b (broadcast batch dims repeat the same matrix).
  const aOffsets = stridedIndices(batch, broadcastStrides(aBatch, batch).map((s) => s * m * k));
  const bOffsets = stridedIndices(batch, broadcastStrides(bBatch, batch).map((s) => s * k * n));
  const shape = [...batch, m, n];
  const count = aOffsets.length;

  if (a.dtype === 'int64') {
    const A = bigintsOf(a);
    const B = bigintsOf(b);
    const out = new BigInt64Array(count * m * n);
    for (let t = 0; t < count; t++) {
      const ao = aOffsets[t]!;
      const bo = bOffsets[t]!;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0n;
          for (let p = 0; p < k; p++) acc += A[ao + i * k + p]! * B[bo + p * n + j]!;
          out[(t * m + i) * n + j] = BigInt.asIntN(64, acc);
        }
      }
    }
    return new NDArray('int64', shape, out);
  }

  const A = numbersOf(a);
  const B = numbersOf(b);
  const out = new Float64Array(count * m * n);
  const wrap = !isFloat(a.dtype);
  for (let t = 0; t < count; t++) {
    const ao = aOffsets[t]!;
    const bo = bOffsets[t]!;
    for (let i = 0; i < m; i++) {
      const row = (t * m + i) * n;
      // Row i of the result accumulates a[i, p] * b[p, :] over p (streams through b row by row).
      for (let p = 0; p < k; p++) {
        const x = A[ao + i * k + p]!;
        const bRow = bo + p * n;
        if (wrap) for (let j = 0; j < n; j++) out[row + j] = (out[row + j]! + Math.imul(x, B[bRow + j]!)) | 0;
        else for (let j = 0; j < n; j++) out[row + j] += x * B[bRow + j]!;
      }
    }
  }
  return fromNumbers(a.dtype, shape, out);
}
