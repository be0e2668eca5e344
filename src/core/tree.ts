// Trees of values: the arguments and results of traced and compiled functions may be a leaf, an array
// of trees or a plain record of trees (e.g. { params: { w1, b1 }, state: [m, v] }). Flattening visits
// record keys in sorted order, so a tree's structure is independent of how its object was built.

export type Tree<L> = L | readonly Tree<L>[] | { readonly [key: string]: Tree<L> };

/** The shape of a tree without its leaves: used as part of a cache key and to rebuild trees. */
export type TreeDef = { kind: 'leaf' } | { kind: 'array'; items: TreeDef[] } | { kind: 'record'; keys: string[]; items: TreeDef[] };

export interface Flat<L> {
  leaves: L[];
  /** Dotted path of each leaf ("params.w1", "1.0"), for names and error messages. */
  paths: string[];
  def: TreeDef;
}

function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Flatten a tree whose leaves satisfy `isLeaf`; anything else that is not an array or record throws. */
export function flatten<L>(tree: Tree<L>, isLeaf: (v: unknown) => v is L, what = 'value'): Flat<L> {
  const leaves: L[] = [];
  const paths: string[] = [];
  const walk = (node: unknown, path: string): TreeDef => {
    if (isLeaf(node)) {
      leaves.push(node);
      paths.push(path);
      return { kind: 'leaf' };
    }
    const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
    if (Array.isArray(node)) return { kind: 'array', items: node.map((v, i) => walk(v, join(i))) };
    if (isRecord(node)) {
      const keys = Object.keys(node).sort();
      return { kind: 'record', keys, items: keys.map((k) => walk(node[k], join(k))) };
    }
    const shown = node === null ? 'null' : typeof node === 'object' ? (node.constructor?.name ?? 'object') : typeof node;
    throw new TypeError(`${path === '' ? 'the argument' : `"${path}"`} is a ${shown}, not a ${what}, an array or a plain object`);
  };
  const def = walk(tree, '');
  return { leaves, paths, def };
}

/** Rebuild a tree of `def`'s structure from leaves in flattening order. */
export function unflatten<L>(def: TreeDef, leaves: readonly L[]): Tree<L> {
  let next = 0;
  const build = (d: TreeDef): Tree<L> => {
    if (d.kind === 'leaf') return leaves[next++]!;
    if (d.kind === 'array') return d.items.map(build);
    const out: { [key: string]: Tree<L> } = {};
    d.keys.forEach((k, i) => (out[k] = build(d.items[i]!)));
    return out;
  };
  const tree = build(def);
  if (next !== leaves.length) throw new RangeError(`unflatten: ${leaves.length} leaves for a tree of ${next}`);
  return tree;
}

/** A stable text of a tree structure, for cache keys. */
export function treeDefKey(def: TreeDef): string {
  if (def.kind === 'leaf') return '*';
  if (def.kind === 'array') return `[${def.items.map(treeDefKey).join(',')}]`;
  return `{${def.keys.map((k, i) => `${JSON.stringify(k)}:${treeDefKey(def.items[i]!)}`).join(',')}}`;
}
