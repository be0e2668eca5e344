// The reference executor: runs a Graph on host NDArrays with plain TypeScript kernels, one node at a
// time in order. It is the slow, obviously-correct oracle that the ONNX Runtime backend and float64
// gradient checks are tested against. Fusion hints are ignored; each node's output shape is computed
// from the runtime shapes and checked against the node's declared (possibly symbolic) shape. Outputs may
// share data with the inputs (reshape, cast to the same dtype, stopGradient do not copy), never with constants.

import { evalDim, formatShape } from '../../core/dim.js';
import type { Graph, Node } from '../../core/graph.js';
import { NDArray } from '../../core/ndarray.js';
import { bindInputs } from './binding.js';
import { cast } from './cast.js';
import type { KernelContext } from './context.js';
import { fail, formatDims, nodeLabel } from './context.js';
import { binary, compare, unary, where } from './elementwise.js';
import { constant, dim, iota, randomUniform } from './generators.js';
import { gather, putAlongAdd, scatterAdd, takeAlong } from './indexing.js';
import { broadcastTo, concat, pad, reshape, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import { copyData } from './storage.js';

/** Runs `graph` on `inputs` (one per graph.inputs entry, in order) and returns its outputs' arrays. */
export function executeReference(graph: Graph, inputs: readonly NDArray[]): NDArray[] {
  const sizes = bindInputs(graph, inputs);
  const lastUse = lastUses(graph);
  const values: (NDArray | undefined)[] = new Array<NDArray | undefined>(graph.nodes.length);
  graph.nodes.forEach((node, i) => {
    if (lastUse[i] === DEAD) return;
    const ctx: KernelContext = { node, sizes };
    const args = node.inputs.map((id) => values[id]!);
    const result = labelled(node, () => evaluate(ctx, args, inputs));
    checkResult(ctx, result);
    values[i] = result;
    for (const id of node.inputs) if (lastUse[id] === i) values[id] = undefined;
  });
  // A constant's array (possibly reshaped) belongs to the graph: hand out copies so callers may mutate outputs.
  const constantData = new Set(graph.nodes.flatMap((n) => (n.prim.kind === 'constant' ? [n.prim.value.data] : [])));
  return graph.outputs.map((id) => {
    const value = values[id]!;
    return constantData.has(value.data) ? new NDArray(value.dtype, value.shape, copyData(value)) : value;
  });
}

/** lastUse[id]: the index of the last node reading node id; KEEP for outputs, DEAD for nodes no output needs. */
const KEEP = Number.POSITIVE_INFINITY;
const DEAD = -1;

function lastUses(graph: Graph): number[] {
  const nodes = graph.nodes;
  const lastUse = new Array<number>(nodes.length).fill(DEAD);
  for (const id of graph.outputs) {
    if (!Number.isInteger(id) || id < 0 || id >= nodes.length) throw new RangeError(`graph output ${id} is not a node id`);
    lastUse[id] = KEEP;
  }
  // Walking backwards, a node is live when a live node (or an output) reads it.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.id !== i) throw new RangeError(`${nodeLabel(node)} is at index ${i} of graph.nodes`);
    if (lastUse[i] === DEAD) continue;
    for (const id of node.inputs) {
      if (!Number.isInteger(id) || id < 0 || id >= i) throw new RangeError(`${nodeLabel(node)} reads node ${id}, which does not precede it`);
      if (lastUse[id] === DEAD) lastUse[id] = i;
    }
  }
  return lastUse;
}

/** Runs `run`, giving any error it throws the node's label (RangeError unless it is a TypeError). */
function labelled(node: Node, run: () => NDArray): NDArray {
  const label = nodeLabel(node);
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && (e instanceof RangeError || e instanceof TypeError) && e.message.startsWith(label)) throw e;
    const message = `${label}: ${e instanceof Error ? e.message : String(e)}`;
    throw e instanceof TypeError ? new TypeError(message, { cause: e }) : new RangeError(message, { cause: e });
  }
}

const ARITY: Readonly<Record<Node['prim']['kind'], number>> = {
  input: 0,
  constant: 0,
  unary: 1,
  binary: 2,
  compare: 2,
  where: 3,
  cast: 1,
  stopGradient: 1,
  reduce: 1,
  matmul: 2,
  reshape: 1,
  broadcastTo: 1,
  transpose: 1,
  slice: 1,
  concat: -1,
  pad: 1,
  gather: 2,
  scatterAdd: 3,
  takeAlong: 2,
  putAlongAdd: 3,
  iota: 0,
  dim: 1,
  randomUniform: 1,
};

function evaluate(ctx: KernelContext, args: readonly NDArray[], inputs: readonly NDArray[]): NDArray {
  const prim = ctx.node.prim;
  const arity = ARITY[prim.kind];
  if (arity >= 0 ? args.length !== arity : args.length === 0) {
    throw fail(ctx, `takes ${arity >= 0 ? arity : 'at least 1'} input(s), got ${args.length}`);
  }
  const [x, y, z] = args as [NDArray, NDArray, NDArray];
  switch (prim.kind) {
    case 'input':
      return inputs[prim.index]!;
    case 'constant':
      return constant(prim.value);
    case 'unary':
      return unary(ctx, prim.fn, x);
    case 'binary':
      return binary(ctx, prim.fn, x, y);
    case 'compare':
      return compare(ctx, prim.fn, x, y);
    case 'where':
      return where(ctx, x, y, z);
    case 'cast':
      return cast(x, prim.to);
    case 'stopGradient':
      return x;
    case 'reduce':
      return reduce(ctx, prim.fn, x, prim.axes, prim.keepDims);
    case 'matmul':
      return matmul(ctx, x, y);
    case 'reshape':
      return reshape(ctx, x, prim.shape);
    case 'broadcastTo':
      return broadcastTo(ctx, x, prim.shape);
    case 'transpose':
      return transpose(ctx, x, prim.perm);
    case 'slice':
      return slice(ctx, x, prim.axes, prim.starts, prim.ends, prim.steps);
    case 'concat':
      return concat(ctx, args, prim.axis);
    case 'pad':
      return pad(ctx, x, prim.pads, prim.value);
    case 'gather':
      return gather(ctx, x, y, prim.axis);
    case 'scatterAdd':
      return scatterAdd(ctx, x, y, z, prim.axis);
    case 'takeAlong':
      return takeAlong(ctx, x, y, prim.axis);
    case 'putAlongAdd':
      return putAlongAdd(ctx, x, y, z, prim.axis);
    case 'iota':
      return iota(ctx, prim.length, prim.dtype);
    case 'dim':
      return dim(ctx, x, prim.axis, prim.dtype);
    case 'randomUniform':
      return randomUniform(ctx, x, prim.shape, prim.dtype);
    default: {
      const unknown: never = prim;
      throw fail(ctx, `unknown primitive ${JSON.stringify(unknown)}`, 'type');
    }
  }
}

/**
 * The computed value must have the node's dtype and rank, and each dim must equal the node's declared
 * dim where that evaluates with the bound sizes (a mismatch means shape inference and kernel disagree).
 */
function checkResult(ctx: KernelContext, result: NDArray): void {
  const node = ctx.node;
  if (result.dtype !== node.dtype) throw fail(ctx, `computed a ${result.dtype} value but the node declares ${node.dtype}`, 'type');
  const mismatch = (): Error =>
    fail(ctx, `computed shape ${formatDims(result.shape)} but the node declares ${formatShape(node.shape)}`);
  if (result.rank !== node.shape.length) throw mismatch();
  node.shape.forEach((d, axis) => {
    let expected: number;
    try {
      expected = evalDim(d, ctx.sizes);
    } catch {
      return; // a name no input binds: nothing to check against
    }
    if (expected !== result.shape[axis]) throw mismatch();
  });
}
