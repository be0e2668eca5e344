// Test helpers: seeded random NDArrays (mulberry32, so every run sees the same inputs) and an
// allclose assertion that names the first offending element.

import { expect } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import type { DType } from '../../src/core/dtype.js';

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kinds of test inputs: general reals, values bounded away from 0, positive values, ints in [lo, hi), bools. */
export type Gen = 'normal' | 'nonzero' | 'positive' | { int: [number, number] } | 'bool';

export function randomArray(rand: () => number, dtype: DType, shape: readonly number[], gen: Gen = 'normal'): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    if (gen === 'bool') values.push(rand() < 0.5 ? 1 : 0);
    else if (typeof gen === 'object') values.push(gen.int[0] + Math.floor(rand() * (gen.int[1] - gen.int[0])));
    else {
      // Box–Muller normal, then shaped by the kind.
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      if (gen === 'normal') values.push(z);
      else if (gen === 'positive') values.push(0.2 + Math.abs(z));
      else values.push((z < 0 ? -0.3 : 0.3) + z);
    }
  }
  return NDArray.from(dtype, shape, values);
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

export function expectClose(actual: NDArray, expected: NDArray, tol: Tolerance, what = 'value'): void {
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  expect([...actual.shape], `${what}: shape`).toEqual([...expected.shape]);
  const a = actual.toNumbers();
  const e = expected.toNumbers();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (x === y) continue;
    const ok = Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) expect.fail(`${what}: element ${i} is ${x}, expected ${y} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Convert a float array to another float dtype. */
export function asDType(a: NDArray, dtype: DType): NDArray {
  return a.dtype === dtype ? a : NDArray.from(dtype, a.shape, a.toNumbers());
}
