// Reference kernels of the elementwise primitives: unary, binary, compare and where, all broadcasting
// NumPy-style. Floats compute in doubles and round once to their dtype when stored; int32 wraps modulo
// 2^32, int64 computes in BigInt and wraps modulo 2^64; integer division truncates toward zero.

import type { BinaryFn, CompareFn, UnaryFn } from '../../core/graph.js';
import { allocate, isFloat } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';
import { broadcastIndices, broadcastShapes } from './broadcast.js';
import type { KernelContext } from './context.js';
import { fail } from './context.js';
import { erf } from './erf.js';
import { bigintsOf, fromNumbers, numbersOf, slotsOf } from './storage.js';

/** The broadcast shape of the operands, or an error naming the node. */
function resultShape(ctx: KernelContext, operands: readonly NDArray[]): number[] {
  const shape = broadcastShapes(operands.map((x) => x.shape));
  if (typeof shape === 'string') throw fail(ctx, shape);
  return shape;
}

function requireSameDType(ctx: KernelContext, a: NDArray, b: NDArray): void {
  if (a.dtype !== b.dtype) throw fail(ctx, `operands have different dtypes (${a.dtype} and ${b.dtype})`, 'type');
}

// ---------------------------------------------------------------------------------------------- unary

const FLOAT_UNARY: Partial<Record<UnaryFn, (x: number) => number>> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  erf,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  reciprocal: (x) => 1 / x,
  floor: Math.floor,
  // As ONNX Runtime's Sign: 0 for ±0, NaN for NaN.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
};

const INT32_UNARY: Partial<Record<UnaryFn, (x: number) => number>> = {
  neg: (x) => -x | 0,
  abs: (x) => Math.abs(x) | 0,
  sign: (x) => Math.sign(x),
};

const INT64_UNARY: Partial<Record<UnaryFn, (x: bigint) => bigint>> = {
  neg: (x) => BigInt.asIntN(64, -x),
  abs: (x) => BigInt.asIntN(64, x < 0n ? -x : x),
  sign: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
};

export function unary(ctx: KernelContext, fn: UnaryFn, x: NDArray): NDArray {
  const n = x.size;
  if (isFloat(x.dtype)) {
    const f = FLOAT_UNARY[fn];
    if (!f) throw fail(ctx, `'${fn}' is not defined on ${x.dtype}`, 'type');
    const src = numbersOf(x);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(src[i]!);
    return fromNumbers(x.dtype, x.shape, out);
  }
  if (x.dtype === 'int32') {
    const f = INT32_UNARY[fn];
    if (!f) throw fail(ctx, `'${fn}' is not defined on int32`, 'type');
    const src = x.data as Int32Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = f(src[i]!);
    return new NDArray('int32', x.shape, out);
  }
  if (x.dtype === 'int64') {
    const f = INT64_UNARY[fn];
    if (!f) throw fail(ctx, `'${fn}' is not defined on int64`, 'type');
    const src = bigintsOf(x);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(src[i]!);
    return new NDArray('int64', x.shape, out);
  }
  if (fn !== 'not') throw fail(ctx, `'${fn}' is not defined on bool`, 'type');
  const src = x.data as Uint8Array;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i] ? 0 : 1;
  return new NDArray('bool', x.shape, out);
}

// --------------------------------------------------------------------------------------------- binary

const FLOAT_BINARY: Partial<Record<BinaryFn, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // ONNX Max/Min: NaN when either operand is NaN.
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
};

const INT32_BINARY: Partial<Record<BinaryFn, (a: number, b: number) => number>> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: Math.imul,
  div: (a, b) => Math.trunc(a / b) | 0,
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
};

const INT64_BINARY: Partial<Record<BinaryFn, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => BigInt.asIntN(64, a + b),
  sub: (a, b) => BigInt.asIntN(64, a - b),
  mul: (a, b) => BigInt.asIntN(64, a * b),
  div: (a, b) => BigInt.asIntN(64, a / b),
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
};

const BOOL_BINARY: Partial<Record<BinaryFn, (a: number, b: number) => number>> = {
  and: (a, b) => (a && b ? 1 : 0),
  or: (a, b) => (a || b ? 1 : 0),
};

export function binary(ctx: KernelContext, fn: BinaryFn, a: NDArray, b: NDArray): NDArray {
  requireSameDType(ctx, a, b);
  const shape = resultShape(ctx, [a, b]);
  const ia = broadcastIndices(a.shape, shape);
  const ib = broadcastIndices(b.shape, shape);
  const n = ia.length;
  const dtype = a.dtype;
  const undefinedOn = (): Error => fail(ctx, `'${fn}' is not defined on ${dtype}`, 'type');
  if (dtype === 'int64') {
    const f = INT64_BINARY[fn];
    if (!f) throw undefinedOn();
    const A = bigintsOf(a);
    const B = bigintsOf(b);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const y = B[ib[i]!]!;
      if (fn === 'div' && y === 0n) throw fail(ctx, `integer division by zero (element ${i} of the result)`);
      out[i] = f(A[ia[i]!]!, y);
    }
    return new NDArray('int64', shape, out);
  }
  const f = (isFloat(dtype) ? FLOAT_BINARY : dtype === 'int32' ? INT32_BINARY : BOOL_BINARY)[fn];
  if (!f) throw undefinedOn();
  const A = numbersOf(a);
  const B = numbersOf(b);
  const out = new Float64Array(n);
  const checkZero = fn === 'div' && dtype === 'int32';
  for (let i = 0; i < n; i++) {
    const y = B[ib[i]!]!;
    if (checkZero && y === 0) throw fail(ctx, `integer division by zero (element ${i} of the result)`);
    out[i] = f(A[ia[i]!]!, y);
  }
  return fromNumbers(dtype, shape, out);
}

// -------------------------------------------------------------------------------------------- compare

function comparator<T extends number | bigint>(fn: CompareFn): (a: T, b: T) => boolean {
  switch (fn) {
    case 'equal':
      return (a, b) => a === b;
    case 'less':
      return (a, b) => a < b;
    case 'lessEqual':
      return (a, b) => a <= b;
    case 'greater':
      return (a, b) => a > b;
    case 'greaterEqual':
      return (a, b) => a >= b;
  }
}

export function compare(ctx: KernelContext, fn: CompareFn, a: NDArray, b: NDArray): NDArray {
  requireSameDType(ctx, a, b);
  const shape = resultShape(ctx, [a, b]);
  const ia = broadcastIndices(a.shape, shape);
  const ib = broadcastIndices(b.shape, shape);
  const out = new Uint8Array(ia.length);
  if (a.dtype === 'int64') {
    const f = comparator<bigint>(fn);
    const A = bigintsOf(a);
    const B = bigintsOf(b);
    for (let i = 0; i < out.length; i++) out[i] = f(A[ia[i]!]!, B[ib[i]!]!) ? 1 : 0;
  } else {
    const f = comparator<number>(fn);
    const A = numbersOf(a);
    const B = numbersOf(b);
    for (let i = 0; i < out.length; i++) out[i] = f(A[ia[i]!]!, B[ib[i]!]!) ? 1 : 0;
  }
  return new NDArray('bool', shape, out);
}

// ---------------------------------------------------------------------------------------------- where

export function where(ctx: KernelContext, cond: NDArray, a: NDArray, b: NDArray): NDArray {
  if (cond.dtype !== 'bool') throw fail(ctx, `the condition must be bool, got ${cond.dtype}`, 'type');
  requireSameDType(ctx, a, b);
  const shape = resultShape(ctx, [cond, a, b]);
  const ic = broadcastIndices(cond.shape, shape);
  const ia = broadcastIndices(a.shape, shape);
  const ib = broadcastIndices(b.shape, shape);
  const C = cond.data as Uint8Array;
  const A = slotsOf(a.data);
  const B = slotsOf(b.data);
  const data = allocate(a.dtype, ic.length);
  const out = slotsOf(data);
  for (let i = 0; i < ic.length; i++) out[i] = C[ic[i]!] ? A[ia[i]!]! : B[ib[i]!]!;
  return new NDArray(a.dtype, shape, data);
}
