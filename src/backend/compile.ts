// compile(fn): trace a pure function of tensor trees once per input signature, hand the graph to an
// executor (ONNX Runtime by default, or the plain-TypeScript reference) and keep the prepared result in
// a bounded cache. Called with NDArrays (or trees of them), the compiled function returns NDArrays in
// the tree shape the traced function returned. Input data is passed to the executor without copying.

import { canonicalDim, evalDim, formatShape, isStatic } from '../core/dim.js';
import type { Shape } from '../core/dim.js';
import type { DType } from '../core/dtype.js';
import type { Graph } from '../core/graph.js';
import { NDArray } from '../core/ndarray.js';
import { Tensor } from '../core/tensor.js';
import { GraphBuilder, withTrace } from '../core/trace.js';
import { flatten, treeDefKey, unflatten } from '../core/tree.js';
import type { Tree, TreeDef } from '../core/tree.js';
import { executorFor } from './executor.js';
import type { Executable, ExecutorOptions } from './executor.js';
import { SessionCache } from './session-cache.js';

/** The dtype and shape of an argument leaf; dims may be symbolic ("batch", "seq"). */
export interface TensorSpec {
  readonly dtype: DType;
  readonly shape: Shape;
}

export function spec(dtype: DType, shape: Shape): TensorSpec {
  return { dtype, shape: shape.map(canonicalDim) };
}

/** NDArray leaves where the traced function has Tensor leaves. */
export type Materialized<T> = T extends Tensor
  ? NDArray
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Materialized<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: Materialized<T[K]> }
      : T;

/** TensorSpec leaves where the traced function has Tensor leaves. */
export type Specs<T> = T extends Tensor
  ? TensorSpec
  : T extends readonly unknown[]
    ? { [K in keyof T]: Specs<T[K]> }
    : T extends object
      ? { [K in keyof T]: Specs<T[K]> }
      : T;

export interface CompileOptions extends ExecutorOptions {
  /** 'ort' (ONNX Runtime, default) or 'reference' (plain TypeScript, slow; the test oracle). */
  executor?: 'ort' | 'reference';
  /**
   * Trace once for these argument specs (with symbolic dims) instead of once per concrete signature;
   * every call must then match them.
   */
  specs?: readonly Tree<TensorSpec>[];
  /** How many prepared signatures to keep (least recently used ones are released). Default 8. */
  cacheSize?: number;
}

export interface Traced {
  graph: Graph;
  outputDef: TreeDef;
}

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const isNDArray = (v: unknown): v is NDArray => v instanceof NDArray;
const isSpec = (v: unknown): v is TensorSpec =>
  typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && Array.isArray((v as TensorSpec).shape);

/** The name of an argument leaf: its path, prefixed by "argN" when there are several arguments. */
function leafName(argCount: number, arg: number, path: string): string {
  if (argCount === 1 && path) return path;
  return path ? `arg${arg}.${path}` : `arg${arg}`;
}

/** Trace `fn` on arguments of the given specs into a graph. */
export function trace(fn: (...args: never[]) => unknown, argSpecs: readonly Tree<TensorSpec>[]): Traced {
  const builder = new GraphBuilder();
  const args = argSpecs.map((tree, a) => {
    const flat = flatten(tree, isSpec, 'tensor spec');
    const tensors = flat.leaves.map((s, i) => {
      const name = leafName(argSpecs.length, a, flat.paths[i]!);
      const shape = s.shape.map(canonicalDim);
      return new Tensor(builder, builder.add({ kind: 'input', index: builder.inputs.length, name }, [], s.dtype, shape));
    });
    return unflatten(flat.def, tensors);
  });
  const result = withTrace(builder, () => (fn as (...a: unknown[]) => unknown)(...args));
  const out = flatten(result as Tree<Tensor>, isTensor, 'tensor');
  for (const t of out.leaves) {
    if (t.builder !== builder) throw new Error('compile: the function returned a tensor from another trace');
  }
  return { graph: builder.graph(out.leaves.map((t) => t.node.id)), outputDef: out.def };
}

function specOf(a: NDArray): TensorSpec {
  return { dtype: a.dtype, shape: a.shape };
}

/** Check concrete arrays against specs: dtypes, ranks, static dims and one size per symbol. */
function checkAgainstSpecs(arrays: readonly NDArray[], specs: readonly TensorSpec[], paths: readonly string[]): void {
  if (arrays.length !== specs.length) throw new RangeError(`compiled function expects ${specs.length} arrays, got ${arrays.length}`);
  const sizes = new Map<string, number>();
  const where = (i: number) => `"${paths[i]}"`;
  arrays.forEach((arr, i) => {
    const s = specs[i]!;
    if (arr.dtype !== s.dtype) throw new TypeError(`${where(i)} must be ${s.dtype} (got ${arr.dtype})`);
    if (arr.rank !== s.shape.length) throw new RangeError(`${where(i)} must have shape ${formatShape(s.shape)} (got [${arr.shape.join(', ')}])`);
    s.shape.forEach((d, axis) => {
      const actual = arr.shape[axis]!;
      if (isStatic(d) || !/^[A-Za-z_]\w*$/.test(d)) return;
      const bound = sizes.get(d);
      if (bound !== undefined && bound !== actual) {
        throw new RangeError(`${where(i)} has ${actual} at axis ${axis} for dim "${d}", which an earlier argument set to ${bound}`);
      }
      sizes.set(d, actual);
    });
  });
  arrays.forEach((arr, i) => {
    specs[i]!.shape.forEach((d, axis) => {
      const expected = evalDim(d, sizes);
      if (expected !== arr.shape[axis]) {
        throw new RangeError(`${where(i)} must have shape ${formatShape(specs[i]!.shape)}: axis ${axis} should be ${expected} (got [${arr.shape.join(', ')}])`);
      }
    });
  });
}

/**
 * A traced and prepared signature. The cache may evict it while calls are still running on it: it is
 * released once its last running call finishes, and a call that finds it released prepares anew.
 */
interface Prepared {
  traced: Traced;
  executable: Executable;
  running: number;
  evicted: boolean;
  released: boolean;
  release(): Promise<void>;
}

function releaseWhenIdle(p: Prepared): Promise<void> {
  if (!p.evicted || p.running > 0 || p.released) return Promise.resolve();
  p.released = true;
  return p.executable.release();
}

export interface Compiled<A extends readonly unknown[], R> {
  (...args: Materialized<A>): Promise<Materialized<R>>;
  /** The graph traced for these argument specs (for inspection and export). */
  trace(...specs: Specs<A>): Traced;
  /** Number of prepared signatures currently cached. */
  readonly cached: number;
}

export function compile<A extends readonly unknown[], R>(fn: (...args: A) => R, options: CompileOptions = {}): Compiled<A, R> {
  const executor = executorFor(options.executor ?? 'ort', options);
  const cache = new SessionCache<string, Prepared>(options.cacheSize ?? 8);
  const pending = new Map<string, Promise<Prepared>>();
  const fixed = options.specs?.map((tree) => flatten(tree, isSpec, 'tensor spec'));

  const prepare = async (specs: readonly Tree<TensorSpec>[]): Promise<Prepared> => {
    const traced = trace(fn as (...args: never[]) => unknown, specs);
    const executable = await executor.prepare(traced.graph);
    const prepared: Prepared = {
      traced,
      executable,
      running: 0,
      evicted: false,
      released: false,
      release: () => {
        prepared.evicted = true;
        return releaseWhenIdle(prepared);
      },
    };
    return prepared;
  };

  const call = async (...args: unknown[]): Promise<unknown> => {
    const flats = args.map((a) => flatten(a as Tree<NDArray>, isNDArray, 'NDArray'));
    const arrays = flats.flatMap((f) => f.leaves);
    let key: string;
    let specs: () => readonly Tree<TensorSpec>[];
    if (fixed) {
      const paths = flats.flatMap((f, a) => f.paths.map((p) => leafName(flats.length, a, p)));
      const structure = flats.map((f) => treeDefKey(f.def)).join('|');
      const expected = fixed.map((f) => treeDefKey(f.def)).join('|');
      if (structure !== expected) throw new TypeError(`compiled function: arguments are structured ${structure}, the specs ${expected}`);
      checkAgainstSpecs(arrays, fixed.flatMap((f) => f.leaves), paths);
      key = 'specs';
      specs = () => options.specs!;
    } else {
      key = flats.map((f) => treeDefKey(f.def)).join('|') + arrays.map((a) => `${a.dtype}[${a.shape.join(',')}]`).join(';');
      specs = () => flats.map((f) => unflatten(f.def, f.leaves.map(specOf))); // only needed on a miss
    }
    let prepared: Prepared | undefined;
    while (!prepared || prepared.released) {
      prepared = cache.get(key);
      if (!prepared) {
        let making = pending.get(key);
        if (!making) {
          making = prepare(specs())
            .then((p) => {
              cache.set(key, p);
              return p;
            })
            .finally(() => pending.delete(key));
          pending.set(key, making);
        }
        prepared = await making;
      }
    }
    const { traced, executable } = prepared;
    prepared.running++;
    let outputs: NDArray[];
    try {
      outputs = await executable.run(arrays);
    } finally {
      prepared.running--;
      void releaseWhenIdle(prepared).catch(() => undefined);
    }
    return unflatten(traced.outputDef, outputs);
  };

  const compiled = call as unknown as Compiled<A, R>;
  Object.defineProperty(compiled, 'trace', {
    value: (...specs: Specs<A>) => trace(fn as (...args: never[]) => unknown, specs as readonly Tree<TensorSpec>[]),
  });
  Object.defineProperty(compiled, 'cached', { get: () => cache.size });
  return compiled;
}
