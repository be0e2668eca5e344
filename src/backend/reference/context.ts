// What every reference kernel receives besides its operands: the node it evaluates (so that errors name
// the primitive kind and node id) and the sizes bound to symbolic dims by the graph's inputs. Kernels
// throw through `fail`, which prefixes the node's label to the message.

import type { Dim } from '../../core/dim.js';
import { evalDim } from '../../core/dim.js';
import type { Node } from '../../core/graph.js';

export interface KernelContext {
  readonly node: Node;
  /** Sizes of the symbolic dim names, bound from the runtime shapes of the graph's inputs. */
  readonly sizes: ReadonlyMap<string, number>;
}

/** "unary 'erf' (node 7)", "matmul (node 3)": how errors name a node. */
export function nodeLabel(node: Node): string {
  const prim = node.prim;
  const fn = prim.kind === 'unary' || prim.kind === 'binary' || prim.kind === 'compare' || prim.kind === 'reduce' ? ` '${prim.fn}'` : '';
  return `${prim.kind}${fn} (node ${node.id})`;
}

/** A RangeError (bad sizes, values or indices) or TypeError (bad dtypes) whose message starts with the node's label. */
export function fail(ctx: KernelContext, message: string, type: 'range' | 'type' = 'range'): Error {
  const text = `${nodeLabel(ctx.node)}: ${message}`;
  return type === 'type' ? new TypeError(text) : new RangeError(text);
}

/** The runtime value of a dim of the IR (a number, or a polynomial over the bound names). */
export function resolveDim(ctx: KernelContext, dim: Dim): number {
  let value: number;
  try {
    value = evalDim(dim, ctx.sizes);
  } catch (e) {
    throw fail(ctx, e instanceof Error ? e.message : String(e));
  }
  if (!Number.isInteger(value) || value < 0) throw fail(ctx, `dim ${JSON.stringify(dim)} evaluates to ${value}, not a size`);
  return value;
}

export function formatDims(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
