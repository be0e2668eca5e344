// Checks the runtime arrays passed to a graph against its `input` nodes (count, dtype, rank, static
// dims) and binds the symbolic dim names to sizes. A dim that is a single name binds it; a polynomial
// dim ("batch*seq", "past + 1") is checked once its names are bound, or, when exactly one of its names
// is unbound and appears linearly, solves for that name.

import type { Dim } from '../../core/dim.js';
import { dimTerms, evalDim, formatShape } from '../../core/dim.js';
import type { Graph, Node } from '../../core/graph.js';
import type { NDArray } from '../../core/ndarray.js';
import { formatDims } from './context.js';

interface Binding {
  readonly size: number;
  /** Where the size came from, for conflict messages: "input 'x' (node 0) axis 1". */
  readonly source: string;
}

interface PendingDim {
  readonly dim: string;
  readonly size: number;
  readonly where: string;
}

function inputLabel(node: Node, axis?: number): string {
  const name = node.prim.kind === 'input' ? node.prim.name : '?';
  return `input '${name}' (node ${node.id})${axis === undefined ? '' : ` axis ${axis}`}`;
}

/** The single name a dim consists of ("batch"), or undefined for numbers and other polynomials. */
function singleName(dim: Dim): string | undefined {
  if (typeof dim === 'number') return undefined;
  const terms = dimTerms(dim);
  return terms.length === 1 && terms[0]!.coeff === 1 && terms[0]!.names.length === 1 ? terms[0]!.names[0] : undefined;
}

/** The `input` nodes of the graph in parameter order, checked against graph.inputs. */
export function inputNodes(graph: Graph): Node[] {
  return graph.inputs.map((id, k) => {
    const node = graph.nodes[id];
    if (!node || node.prim.kind !== 'input') throw new RangeError(`graph.inputs[${k}] = ${id} is not an input node`);
    if (node.prim.index !== k) {
      throw new RangeError(`${inputLabel(node)} has index ${node.prim.index} but is graph.inputs[${k}]`);
    }
    return node;
  });
}

/** Validates `inputs` against the graph's parameters and returns the sizes bound to symbolic names. */
export function bindInputs(graph: Graph, inputs: readonly NDArray[]): Map<string, number> {
  const params = inputNodes(graph);
  if (inputs.length !== params.length) {
    throw new RangeError(`input: the graph takes ${params.length} input(s), got ${inputs.length}`);
  }
  const bindings = new Map<string, Binding>();
  const pending: PendingDim[] = [];
  params.forEach((node, k) => {
    const x = inputs[k]!;
    if (x.dtype !== node.dtype) throw new TypeError(`${inputLabel(node)}: expected ${node.dtype}, got ${x.dtype}`);
    if (x.rank !== node.shape.length) {
      throw new RangeError(`${inputLabel(node)}: expected rank ${node.shape.length} (shape ${formatShape(node.shape)}), got shape ${formatDims(x.shape)}`);
    }
    node.shape.forEach((dim, axis) => {
      const size = x.shape[axis]!;
      const where = inputLabel(node, axis);
      if (typeof dim === 'number') {
        if (dim !== size) throw new RangeError(`${where}: expected size ${dim}, got ${size}`);
        return;
      }
      const name = singleName(dim);
      if (name === undefined) {
        pending.push({ dim, size, where });
        return;
      }
      const bound = bindings.get(name);
      if (bound === undefined) bindings.set(name, { size, source: where });
      else if (bound.size !== size) {
        throw new RangeError(`${where}: symbol "${name}" has size ${size} here but ${bound.size} from ${bound.source}`);
      }
    });
  });
  solvePolynomials(pending, bindings);
  return new Map([...bindings].map(([name, b]) => [name, b.size]));
}

/** Checks (or, with one linear unknown, solves) the polynomial dims until none is left. */
function solvePolynomials(pending: PendingDim[], bindings: Map<string, Binding>): void {
  const sizes = (): Map<string, number> => new Map([...bindings].map(([n, b]) => [n, b.size]));
  let left = pending;
  while (left.length > 0) {
    const next: PendingDim[] = [];
    for (const p of left) {
      const terms = dimTerms(p.dim);
      const unbound = [...new Set(terms.flatMap((t) => t.names.filter((n) => !bindings.has(n))))];
      if (unbound.length === 0) {
        const expected = evalDim(p.dim, sizes());
        if (expected !== p.size) {
          throw new RangeError(`${p.where}: dim "${p.dim}" evaluates to ${expected} with ${describe(p.dim, bindings)}, but the size is ${p.size}`);
        }
        continue;
      }
      const solved = unbound.length === 1 ? solveLinear(terms, unbound[0]!, p.size, bindings) : undefined;
      if (solved === undefined) {
        next.push(p);
        continue;
      }
      if (!Number.isInteger(solved) || solved < 0) {
        throw new RangeError(`${p.where}: size ${p.size} does not fit dim "${p.dim}" for any size of "${unbound[0]}" (solves to ${solved})`);
      }
      bindings.set(unbound[0]!, { size: solved, source: `${p.where} (from "${p.dim}")` });
    }
    if (next.length === left.length) {
      const p = next[0]!;
      throw new RangeError(`${p.where}: cannot bind the names of dim "${p.dim}" (no input has a dim that is just one of them)`);
    }
    left = next;
  }
}

/** The value of `name` making Σ terms = size, when `name` appears only to the first power; else undefined. */
function solveLinear(
  terms: { coeff: number; names: string[] }[],
  name: string,
  size: number,
  bindings: ReadonlyMap<string, Binding>,
): number | undefined {
  let slope = 0;
  let rest = 0;
  for (const t of terms) {
    const power = t.names.filter((n) => n === name).length;
    if (power > 1) return undefined;
    let value = t.coeff;
    for (const n of t.names) if (n !== name) value *= bindings.get(n)!.size;
    if (power === 1) slope += value;
    else rest += value;
  }
  return slope === 0 ? undefined : (size - rest) / slope;
}

function describe(dim: string, bindings: ReadonlyMap<string, Binding>): string {
  const names = [...new Set(dimTerms(dim).flatMap((t) => t.names))];
  return names.map((n) => `${n}=${bindings.get(n)!.size}`).join(', ');
}
