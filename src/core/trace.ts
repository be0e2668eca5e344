// The graph builder behind tracing: tensors created while a function is traced become nodes of one
// GraphBuilder. Nodes are appended in topological order; a node never changes once added (except for
// its fusion hint, set by the composite that built it).

import type { DType } from './dtype.js';
import type { Shape } from './dim.js';
import type { Graph, Node, Prim } from './graph.js';

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly inputs: number[] = [];

  add(prim: Prim, inputs: readonly number[], dtype: DType, shape: Shape): Node {
    const node: Node = { id: this.nodes.length, prim, inputs, dtype, shape };
    this.nodes.push(node);
    if (prim.kind === 'input') this.inputs.push(node.id);
    return node;
  }

  graph(outputs: readonly number[]): Graph {
    return { nodes: this.nodes, inputs: this.inputs, outputs };
  }
}

const active: GraphBuilder[] = [];

/** Run `fn` with `builder` as the trace that free-standing constructors (constant, zeros, iota) use. */
export function withTrace<T>(builder: GraphBuilder, fn: () => T): T {
  active.push(builder);
  try {
    return fn();
  } finally {
    active.pop();
  }
}

/** The trace being built; throws outside compile/trace. */
export function currentTrace(): GraphBuilder {
  const b = active[active.length - 1];
  if (!b) throw new Error('no trace is active: create tensors inside a function given to compile() or trace()');
  return b;
}
