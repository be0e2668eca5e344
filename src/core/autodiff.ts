// Symbolic reverse-mode differentiation over the trace: `grad` and `valueAndGrad` wrap a function of
// tensors; calling the wrapper inside a trace runs the function, then appends the backward pass to the
// same graph, one gradient rule (gradients.ts) per primitive, cotangents summed where a value fans out.

import { isFloat } from './dtype.js';
import { formatShape } from './dim.js';
import { GRADIENT_RULES } from './gradients.js';
import * as ops from './ops.js';
import { Tensor } from './tensor.js';
import { flatten, unflatten } from './tree.js';
import type { Tree } from './tree.js';

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/**
 * Cotangents of `wrt` for the scalar (or `seed`-weighted) output `y`. A `wrt` tensor that `y` does not
 * depend on gets zeros.
 */
export function vjp(y: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] {
  const builder = y.builder;
  if (!isFloat(y.dtype)) throw new TypeError(`grad: the output must be a float tensor (got ${y.dtype})`);
  if (!seed && y.rank !== 0) {
    throw new RangeError(`grad: the function must return a scalar (got shape ${formatShape(y.shape)}); reduce it with .sum() or .mean()`);
  }
  const nodes = builder.nodes;
  // Only nodes that depend on some wrt tensor through float values need cotangents.
  const live = new Uint8Array(y.node.id + 1);
  for (const t of wrt) if (t.node.id <= y.node.id) live[t.node.id] = 1;
  for (let id = 0; id <= y.node.id; id++) {
    const node = nodes[id]!;
    if (!live[id] && isFloat(node.dtype) && node.inputs.some((i) => live[i])) live[id] = 1;
  }
  const cotangents = new Map<number, Tensor>();
  cotangents.set(y.node.id, seed ?? ops.full(builder, [], 1, y.dtype));
  for (let id = y.node.id; id >= 0; id--) {
    const g = cotangents.get(id);
    if (!g || !live[id]) continue;
    const node = nodes[id]!;
    const needs = node.inputs.map((i) => live[i] === 1);
    if (!needs.some(Boolean)) continue;
    const x = node.inputs.map((i) => new Tensor(builder, nodes[i]!));
    const grads = GRADIENT_RULES[node.prim.kind]({ node, x, y: new Tensor(builder, node), g, needs });
    node.inputs.forEach((input, k) => {
      const gi = grads[k];
      if (!gi || !needs[k]) return;
      const prev = cotangents.get(input);
      cotangents.set(input, prev ? prev.add(gi) : gi);
    });
    if (!wrt.some((t) => t.node.id === id)) cotangents.delete(id);
  }
  return wrt.map((t) => cotangents.get(t.node.id) ?? ops.full(builder, t.shape, 0, t.dtype));
}

export interface GradOptions<N extends number = number> {
  /** Which positional argument to differentiate with respect to (default 0). */
  argnum?: N;
  /** The function returns [loss, aux]; aux is passed through untouched. */
  hasAux?: boolean;
}

function differentiate(fn: (...args: never[]) => unknown, options: GradOptions): (args: unknown[]) => [Tensor, Tree<Tensor>, unknown] {
  const argnum = options.argnum ?? 0;
  return (args) => {
    if (argnum >= args.length) throw new RangeError(`grad: argnum ${argnum} but the function got ${args.length} arguments`);
    const flat = flatten(args[argnum] as Tree<Tensor>, isTensor, 'tensor');
    flat.leaves.forEach((t, i) => {
      if (!isFloat(t.dtype)) {
        throw new TypeError(
          `grad: "${flat.paths[i] || 'argument'}" is ${t.dtype}; integer and bool inputs carry no gradient — pass them in another argument than argnum ${argnum}`,
        );
      }
    });
    const result = (fn as (...a: unknown[]) => unknown)(...args);
    let value: unknown = result;
    let aux: unknown;
    if (options.hasAux) {
      if (!Array.isArray(result) || result.length !== 2) throw new TypeError('grad: with hasAux the function must return [loss, aux]');
      [value, aux] = result as [unknown, unknown];
    }
    if (!(value instanceof Tensor)) throw new TypeError('grad: the function must return a scalar tensor');
    const grads = vjp(value, flat.leaves);
    return [value, unflatten(flat.def, grads), aux];
  };
}

/** `grad(f)(...args)`: the gradient of scalar f with respect to args[argnum], shaped like that argument. */
export function grad<A extends readonly unknown[], N extends number = 0>(fn: (...args: A) => Tensor, options: GradOptions<N> = {}): (...args: A) => A[N] {
  const d = differentiate(fn, options);
  return (...args) => d([...args])[1] as A[N];
}

/** `valueAndGrad(f)(...args)` → [value, gradient]; with `hasAux`, f returns [loss, aux] and this [[loss, aux], gradient]. */
export function valueAndGrad<A extends readonly unknown[], N extends number = 0>(
  fn: (...args: A) => Tensor,
  options?: GradOptions<N> & { hasAux?: false },
): (...args: A) => [Tensor, A[N]];
export function valueAndGrad<A extends readonly unknown[], Aux, N extends number = 0>(
  fn: (...args: A) => [Tensor, Aux],
  options: GradOptions<N> & { hasAux: true },
): (...args: A) => [[Tensor, Aux], A[N]];
export function valueAndGrad(fn: (...args: never[]) => unknown, options: GradOptions = {}): (...args: unknown[]) => [unknown, unknown] {
  const d = differentiate(fn, options);
  return (...args) => {
    const [value, grads, aux] = d(args);
    return [options.hasAux ? [value, aux] : value, grads];
  };
}
