// The bounded cache of prepared signatures behind compile(): a compiled function called with more input
// shapes than its cacheSize keeps at most cacheSize ONNX Runtime sessions, releases the ones it evicts,
// and re-traces (correctly) when an evicted signature comes back. Then the SessionCache itself, for
// what test/backend/onnx.test.ts leaves out: replacing, deleting, racing creators, failing releases.

import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile } from '../../src/backend/compile.js';
import { SessionCache } from '../../src/backend/session-cache.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { randomArray, seededRandom } from '../helpers/arrays.js';

/** x (n, k) @ w (k, m) + 1, in float64 on the host. */
function expected(x: NDArray, w: NDArray): number[] {
  const [n, k] = x.shape as [number, number];
  const m = w.shape[1]!;
  const xs = x.toNumbers();
  const ws = w.toNumbers();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += xs[i * k + p]! * ws[p * m + j]!;
      out.push(sum + 1);
    }
  }
  return out;
}

function expectValues(actual: NDArray, values: readonly number[]): void {
  const got = actual.toNumbers();
  expect(got.length).toBe(values.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 4));
}

/** The prototype of the sessions onnxruntime-node creates (the typings only declare the factory). */
const sessionPrototype = (ort.InferenceSession as unknown as { prototype: { release(): Promise<void> } }).prototype;

const rand = seededRandom(7);
const W = randomArray(rand, 'float32', [3, 2]);
/** Four signatures: the row count of x differs. */
const XS = [1, 2, 3, 4].map((rows) => randomArray(rand, 'float32', [rows, 3]));

describe('compile: bounded session cache', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps at most cacheSize sessions over 4 shapes, releases the evicted ones and recomputes them correctly', async () => {
    const release = vi.spyOn(sessionPrototype, 'release');
    let traces = 0;
    const f = compile(
      (x: Tensor, w: Tensor) => {
        traces++;
        return x.matmul(w).add(1);
      },
      { cacheSize: 2 },
    );

    for (const x of XS) {
      expectValues(await f(x, W), expected(x, W));
      expect(f.cached).toBeLessThanOrEqual(2);
    }
    expect(traces).toBe(4);
    expect(f.cached).toBe(2);
    // Eviction releases the session (asynchronously, off the call's path).
    await vi.waitFor(() => expect(release).toHaveBeenCalledTimes(2));

    // The most recent signature is still cached: no new trace.
    expectValues(await f(XS[3]!, W), expected(XS[3]!, W));
    expect(traces).toBe(4);

    // The first signature was evicted: it is traced again, gives the right answer, and evicts another.
    expectValues(await f(XS[0]!, W), expected(XS[0]!, W));
    expect(traces).toBe(5);
    expect(f.cached).toBe(2);
    await vi.waitFor(() => expect(release).toHaveBeenCalledTimes(3));

    // New input values for a cached signature are not stale.
    const other = randomArray(rand, 'float32', [1, 3]);
    expectValues(await f(other, W), expected(other, W));
    expect(traces).toBe(5);
  });

  // A session evicted while calls still hold it is released when the last of them finishes.
  it('stays bounded and correct when the signatures are called concurrently, and releases every evicted session once', async () => {
    const release = vi.spyOn(sessionPrototype, 'release');
    let traces = 0;
    const f = compile(
      (x: Tensor, w: Tensor) => {
        traces++;
        return x.matmul(w).add(1);
      },
      { cacheSize: 2 },
    );
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(XS.map((x) => f(x, W)));
      results.forEach((r, i) => expectValues(r, expected(XS[i]!, W)));
      expect(f.cached).toBeLessThanOrEqual(2);
    }
    await vi.waitFor(() => expect(release).toHaveBeenCalledTimes(traces - f.cached));
  });

  it('evicts least recently used, not least recently created', async () => {
    let traces = 0;
    const f = compile(
      (x: Tensor, w: Tensor) => {
        traces++;
        return x.matmul(w).add(1);
      },
      { cacheSize: 2, executor: 'reference' },
    );
    await f(XS[0]!, W); // [0]
    await f(XS[1]!, W); // [0, 1]
    await f(XS[0]!, W); // [1, 0]: a hit, 0 is now the most recent
    expect(traces).toBe(2);
    await f(XS[2]!, W); // [0, 2]: evicts 1
    await f(XS[0]!, W); // hit
    expect(traces).toBe(3);
    await f(XS[1]!, W); // miss: 1 was evicted
    expect(traces).toBe(4);
  });
});

interface Item {
  readonly name: string;
  release(): void | Promise<void>;
}

/** Two microtask turns: SessionCache releases off the caller's path. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}

describe('SessionCache', () => {
  const tracker = () => {
    const released: string[] = [];
    const item = (name: string): Item => ({ name, release: () => void released.push(name) });
    return { released, item };
  };

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SessionCache<string, Item>(0)).toThrow(RangeError);
    expect(() => new SessionCache<string, Item>(1.5)).toThrow(RangeError);
  });

  it('releases the value a set replaces, but not the same value set again', async () => {
    const { released, item } = tracker();
    const cache = new SessionCache<string, Item>(2);
    const a = item('a');
    cache.set('k', a);
    cache.set('k', a);
    await settle();
    expect(released).toEqual([]);
    cache.set('k', item('a2'));
    await settle();
    expect(released).toEqual(['a']);
    expect(cache.size).toBe(1);
    expect(cache.get('k')?.name).toBe('a2');
  });

  it('delete releases the entry; deleting a missing key is a no-op', async () => {
    const { released, item } = tracker();
    const cache = new SessionCache<string, Item>(2);
    cache.set('a', item('a'));
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    await settle();
    expect(released).toEqual(['a']);
    expect(cache.size).toBe(0);
  });

  it('getOrCreate keeps the first of two racing creators and releases the other', async () => {
    const { released, item } = tracker();
    const cache = new SessionCache<string, Item>(2);
    let finishSlow: () => void = () => {};
    const slow = cache.getOrCreate('k', () => new Promise<Item>((resolve) => (finishSlow = () => resolve(item('slow')))));
    const fast = await cache.getOrCreate('k', async () => item('fast'));
    finishSlow();
    expect((await slow).name).toBe('fast');
    expect(fast.name).toBe('fast');
    await settle();
    expect(released).toEqual(['slow']);
    expect(cache.size).toBe(1);
  });

  it('a release that throws or rejects does not break eviction or clear', async () => {
    const cache = new SessionCache<string, Item>(1);
    const released: string[] = [];
    cache.set('a', {
      name: 'a',
      release: () => {
        throw new Error('already released');
      },
    });
    cache.set('b', { name: 'b', release: async () => Promise.reject(new Error('native failure')) }); // evicts a
    await settle();
    cache.set('c', { name: 'c', release: () => void released.push('c') }); // evicts b
    await settle();
    expect(cache.size).toBe(1);
    expect(cache.get('c')?.name).toBe('c');
    await expect(cache.clear()).resolves.toBeUndefined();
    expect(released).toEqual(['c']);
    expect(cache.size).toBe(0);
  });

  it('clear waits for every release', async () => {
    const cache = new SessionCache<string, Item>(4);
    const done: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      cache.set(name, { name, release: () => new Promise<void>((resolve) => setTimeout(() => (done.push(name), resolve()), 5)) });
    }
    await cache.clear();
    expect(done.sort()).toEqual(['a', 'b', 'c']);
  });
});
