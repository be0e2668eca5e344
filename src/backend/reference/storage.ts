// How the reference kernels read and write NDArray storage: float16/bfloat16 are decoded to numbers and
// encoded back (rounding to nearest even), float32 results round when stored in a Float32Array, int64
// stays BigInt. `Slots` lets dtype-agnostic kernels (copies, selects) move raw elements of any dtype.

import { allocate, bfloat16ToNumber, halfToNumber, numberToBfloat16, numberToHalf } from '../../core/dtype.js';
import type { DType, TypedArray } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';

/** Raw element access shared by every typed array (source and destination must have the same dtype). */
export type Slots = { [index: number]: number | bigint; readonly length: number };

export function slotsOf(data: TypedArray): Slots {
  return data;
}

/**
 * The elements as numbers: the data itself for float32/float64/int32/bool, decoded float16/bfloat16,
 * and Number(x) for int64 (exact only below 2^53; callers use it for indices and casts to float).
 */
export function numbersOf(x: NDArray): ArrayLike<number> {
  switch (x.dtype) {
    case 'float32':
    case 'float64':
    case 'int32':
    case 'bool':
      return x.data as Float32Array | Float64Array | Int32Array | Uint8Array;
    case 'float16':
    case 'bfloat16': {
      const bits = x.data as Uint16Array;
      const decode = x.dtype === 'float16' ? halfToNumber : bfloat16ToNumber;
      const out = new Float64Array(bits.length);
      for (let i = 0; i < bits.length; i++) out[i] = decode(bits[i]!);
      return out;
    }
    case 'int64': {
      const big = x.data as BigInt64Array;
      const out = new Float64Array(big.length);
      for (let i = 0; i < big.length; i++) out[i] = Number(big[i]!);
      return out;
    }
  }
}

/** The elements of an int64 array. */
export function bigintsOf(x: NDArray): BigInt64Array {
  if (x.dtype !== 'int64') throw new TypeError(`expected an int64 array, got ${x.dtype}`);
  return x.data as BigInt64Array;
}

/**
 * An array of `dtype` from numbers: floats round to the dtype, int32 wraps modulo 2^32, int64 takes
 * integral values, bool is value != 0.
 */
export function fromNumbers(dtype: DType, shape: readonly number[], values: ArrayLike<number>): NDArray {
  const n = values.length;
  switch (dtype) {
    case 'float32':
      return new NDArray('float32', shape, Float32Array.from(values));
    case 'float64':
      return new NDArray('float64', shape, values instanceof Float64Array ? values : Float64Array.from(values));
    case 'float16':
    case 'bfloat16': {
      const encode = dtype === 'float16' ? numberToHalf : numberToBfloat16;
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = encode(values[i]!);
      return new NDArray(dtype, shape, out);
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i]! | 0;
      return new NDArray('int32', shape, out);
    }
    case 'int64': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(values[i]!);
      return new NDArray('int64', shape, out);
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] !== 0 ? 1 : 0;
      return new NDArray('bool', shape, out);
    }
  }
}

/** A fresh array of `dtype` whose element i is source element map[i] (raw copy, any dtype). */
export function takeByIndex(x: NDArray, shape: readonly number[], map: Int32Array): NDArray {
  const out = allocate(x.dtype, map.length);
  const src = slotsOf(x.data);
  const dst = slotsOf(out);
  for (let i = 0; i < map.length; i++) dst[i] = src[map[i]!]!;
  return new NDArray(x.dtype, shape, out);
}

/** A fresh copy of x's data (for kernels that accumulate into a copy of their base operand). */
export function copyData(x: NDArray): TypedArray {
  return x.data.slice();
}
