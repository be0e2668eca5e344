// Reference kernels of cast and stopGradient. Casts follow ONNX Runtime on x86-64: float → int truncates
// toward zero (NaN and out-of-range values give the integer minimum, as the hardware conversion does),
// int64 → int32 wraps, → bool is x != 0 (NaN → true), bool → number is 0/1.

import type { DType } from '../../core/dtype.js';
import { isFloat } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';
import { bigintsOf, fromNumbers, numbersOf } from './storage.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const TWO_POW_63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);

function floatToInt32(x: number): number {
  const t = Math.trunc(x);
  return t >= INT32_MIN && t <= INT32_MAX ? t : INT32_MIN;
}

function floatToInt64(x: number): bigint {
  const t = Math.trunc(x);
  return t >= -TWO_POW_63 && t < TWO_POW_63 ? BigInt(t) : INT64_MIN;
}

export function cast(x: NDArray, to: DType): NDArray {
  if (x.dtype === to) return x;
  const n = x.size;
  if (x.dtype === 'int64') {
    const src = bigintsOf(x);
    if (to === 'int32') {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(32, src[i]!));
      return new NDArray('int32', x.shape, out);
    }
    if (to === 'bool') {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = src[i] !== 0n ? 1 : 0;
      return new NDArray('bool', x.shape, out);
    }
    return fromNumbers(to, x.shape, numbersOf(x));
  }
  const src = numbersOf(x);
  if (to === 'int64') {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = isFloat(x.dtype) ? floatToInt64(src[i]!) : BigInt(src[i]!);
    return new NDArray('int64', x.shape, out);
  }
  if (to === 'int32' && isFloat(x.dtype)) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = floatToInt32(src[i]!);
    return new NDArray('int32', x.shape, out);
  }
  // Float ↔ float rounds to the target; int32/bool → anything converts exactly (or rounds to a float);
  // → bool is x != 0.
  return fromNumbers(to, x.shape, src);
}
