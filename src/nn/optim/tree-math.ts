// Pairing trees of tensors leaf by leaf, as optimizers do (params with grads with moments). Trees must
// share one structure; the error names the first path where they differ.

import { Tensor } from '../../core/tensor.js';
import { flatten, treeDefKey, unflatten } from '../../core/tree.js';
import type { Flat, Tree } from '../../core/tree.js';

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/** Flatten a tree of tensors (any nested arrays and plain objects, typed interfaces included). */
export function flattenTensors(tree: unknown, what: string): Flat<Tensor> {
  try {
    return flatten(tree as Tree<Tensor>, isTensor, 'tensor');
  } catch (e) {
    throw new TypeError(`${what}: ${(e as Error).message}`);
  }
}

/** Apply fn to matching leaves of several same-structured trees; fn returns one tensor per output tree. */
export function zipMap(what: string, trees: readonly unknown[], outputs: number, fn: (leaves: Tensor[], path: string) => Tensor[]): Tree<Tensor>[] {
  const flats = trees.map((t, i) => flattenTensors(t, `${what} (tree ${i})`));
  const key = treeDefKey(flats[0]!.def);
  flats.forEach((f, i) => {
    if (treeDefKey(f.def) !== key) {
      const path = f.paths.find((p, k) => p !== flats[0]!.paths[k]) ?? f.paths[0] ?? '';
      throw new TypeError(`${what}: tree ${i} does not match tree 0 in structure (first difference at "${path}")`);
    }
  });
  const results: Tensor[][] = Array.from({ length: outputs }, () => []);
  flats[0]!.leaves.forEach((_, k) => {
    const out = fn(flats.map((f) => f.leaves[k]!), flats[0]!.paths[k]!);
    out.forEach((t, j) => results[j]!.push(t));
  });
  return results.map((leaves) => unflatten(flats[0]!.def, leaves));
}
