// NDArray: a concrete host tensor (dtype, static shape, row-major typed array). Values go into compiled
// functions and come out of them as NDArrays; the data array is shared, never copied, on the way in.

import { allocate, isFloat, numberToBfloat16, numberToHalf, halfToNumber, bfloat16ToNumber } from './dtype.js';
import type { DataOf, DType, TypedArray } from './dtype.js';

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export class NDArray<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DataOf[D];

  constructor(dtype: D, shape: readonly number[], data: DataOf[D]) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`NDArray shape must hold non-negative integers (got [${shape.join(', ')}])`);
    }
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new RangeError(`NDArray of shape [${shape.join(', ')}] needs ${n} elements, got a ${data.constructor.name} of ${data.length}`);
    }
    this.dtype = dtype;
    this.shape = [...shape];
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  static zeros<D extends DType>(dtype: D, shape: readonly number[]): NDArray<D> {
    return new NDArray(dtype, shape, allocate(dtype, sizeOf(shape)));
  }

  /** An array from plain numbers (converted to `dtype`; int64 from numbers or bigints). */
  static from<D extends DType>(dtype: D, shape: readonly number[], values: ArrayLike<number | bigint>): NDArray<D> {
    const data = allocate(dtype, values.length);
    for (let i = 0; i < values.length; i++) writeElement(data, dtype, i, values[i]!);
    return new NDArray(dtype, shape, data);
  }

  static scalar<D extends DType>(dtype: D, value: number | bigint): NDArray<D> {
    return NDArray.from(dtype, [], [value]);
  }

  /** Element i as a JavaScript number (float16/bfloat16 decoded; int64 converted). */
  get(i: number): number {
    return readElement(this.data, this.dtype, i);
  }

  /** All elements as plain numbers. */
  toNumbers(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = readElement(this.data, this.dtype, i);
    return out;
  }

  /** Elements as nested arrays (for printing and tests). */
  toNested(): unknown {
    const flat = this.toNumbers();
    const build = (axis: number, offset: number): unknown => {
      if (axis === this.shape.length) return flat[offset];
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }
}

export function readElement(data: TypedArray, dtype: DType, i: number): number {
  switch (dtype) {
    case 'float16':
      return halfToNumber(data[i] as number);
    case 'bfloat16':
      return bfloat16ToNumber(data[i] as number);
    case 'int64':
      return Number(data[i] as bigint);
    default:
      return data[i] as number;
  }
}

export function writeElement(data: TypedArray, dtype: DType, i: number, value: number | bigint): void {
  switch (dtype) {
    case 'float16':
      (data as Uint16Array)[i] = numberToHalf(Number(value));
      return;
    case 'bfloat16':
      (data as Uint16Array)[i] = numberToBfloat16(Number(value));
      return;
    case 'int64':
      (data as BigInt64Array)[i] = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
      return;
    case 'bool':
      (data as Uint8Array)[i] = value ? 1 : 0;
      return;
    default:
      (data as Float32Array)[i] = isFloat(dtype) ? Number(value) : Math.trunc(Number(value));
  }
}
