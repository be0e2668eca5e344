// A model's parameters as the checkpoint names them, nested on the dots: "model.encoder.layers.0.fc1.weight"
// is params.model.encoder.layers[0].fc1.weight. Segments that count 0, 1, … become arrays. Flattening
// the tree (core/tree.ts joins paths with dots) gives the checkpoint names back, and they are also the
// input names of every compiled graph, so a tensor has one name from file to ONNX model.

import type { TensorSpec } from '../backend/compile.js';
import { flatten, type Tree } from '../core/tree.js';
import type { ParamSpec } from './param-spec.js';

/** A nested record/array tree of leaves `L` keyed by checkpoint name segments. */
export type ParamTree<L> = { [key: string]: L | ParamTree<L> | ParamTree<L>[] };

type Branch<L> = { children: Map<string, Node<L>> };
type Node<L> = { leaf: L } | Branch<L>;

/** Nests (name, leaf) pairs on the dots of their names; throws on a name that is both a leaf and a prefix. */
export function nestNamed<L>(entries: Iterable<readonly [string, L]>): ParamTree<L> {
  const root: Branch<L> = { children: new Map() };
  for (const [name, leaf] of entries) {
    const parts = name.split('.');
    if (parts.some((p) => p === '')) throw new RangeError(`tensor name "${name}" has an empty segment`);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.children.get(part);
      if (next === undefined) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      if (!('children' in next)) throw new RangeError(`tensor "${name}" is nested under another tensor's name`);
      node = next;
    }
    const last = parts[parts.length - 1]!;
    if (node.children.has(last)) throw new RangeError(`tensor name "${name}" is given twice or is also a prefix of other names`);
    node.children.set(last, { leaf });
  }
  return build(root) as ParamTree<L>;
}

function build<L>(node: Node<L>): L | ParamTree<L> | ParamTree<L>[] {
  if ('leaf' in node) return node.leaf;
  const keys = [...node.children.keys()];
  const isArray = keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k)) && keys.every((_, i) => node.children.has(String(i)));
  if (isArray) return keys.map((_, i) => build(node.children.get(String(i))!) as ParamTree<L>);
  const out: ParamTree<L> = {};
  for (const k of keys) out[k] = build(node.children.get(k)!);
  return out;
}

/** The (name, leaf) pairs of a tree, names joined with dots, in sorted-key order. */
export function flattenNamed<L>(tree: object, isLeaf: (v: unknown) => v is L): [string, L][] {
  const flat = flatten(tree as Tree<L>, isLeaf, 'tensor');
  return flat.leaves.map((leaf, i) => [flat.paths[i]!, leaf]);
}

/**
 * The tensors a model's params tree holds, by name: every tensor the checkpoint stores except tied
 * copies and integer index buffers (AlexaTM's position_ids), which are rebuilt on save and checked on load.
 */
export function treeSpecs(specs: readonly ParamSpec[]): ParamSpec[] {
  return specs.filter((s) => (s.kind === 'parameter' || s.persistent) && s.tiedTo === undefined && s.dtype === 'float');
}

/** Compile specs (float32, static shapes) for a params tree described by `specs`. */
export function paramTreeSpecs(specs: readonly ParamSpec[]): ParamTree<TensorSpec> {
  return nestNamed(treeSpecs(specs).map((s): [string, TensorSpec] => [s.name, { dtype: 'float32', shape: s.shape }]));
}
