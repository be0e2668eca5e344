// A toy decoder for search tests: a vocabulary of five tokens (0 start, 1 eos, 2 a, 3 b, 4 c) whose next-token
// distribution is a hand-written table of the generated prefix. Its cache is each row's fed tokens (and
// the batch row it started as, which a table may depend on), so a search that forgets to reorder the
// cache reads the wrong prefix's distribution; `select` drops rows and records the batch sizes fed.

import type { Reorder, Select, Step } from '../../src/generation/step.js';

export const START = 0;
export const EOS = 1;
export const A = 2;
export const B = 3;
export const C = 4;
export const VOCAB = 5;

/** Per row, the tokens fed so far (the start token first) and the batch row it started as. */
export type ToyCache = readonly { readonly fed: readonly number[]; readonly origin: number }[];

/** Next-token probabilities after a generated prefix (of batch row `row`, for tables that tell rows apart). */
export type Table = (prefix: readonly number[], row: number) => readonly number[];

/** A table from weights per prefix (ids joined by ','; '' is the empty prefix), normalised, with a fallback. */
export function table(entries: Readonly<Record<string, readonly number[]>>, fallback: readonly number[]): Table {
  return (prefix) => {
    const weights = entries[prefix.join(',')] ?? fallback;
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / total);
  };
}

export interface Toy {
  readonly step: Step<ToyCache>;
  readonly reorder: Reorder<ToyCache>;
  readonly select: Select<ToyCache>;
  /** The empty cache of `rows` rows. */
  cache(rows: number): ToyCache;
  /** How many times step ran. */
  readonly calls: () => number;
  /** The number of rows fed at each step. */
  readonly batchSizes: () => readonly number[];
}

export function toy(probabilities: Table): Toy {
  const sizes: number[] = [];
  const step: Step<ToyCache> = async (tokens, cache) => {
    if (tokens.length !== cache.length) throw new RangeError(`toy step: ${tokens.length} tokens for ${cache.length} cached rows`);
    sizes.push(tokens.length);
    const next = cache.map((row, r) => ({ fed: [...row.fed, tokens[r]!], origin: row.origin }));
    const logits = new Float32Array(tokens.length * VOCAB);
    next.forEach((row, r) => logits.set(probabilities(row.fed.slice(1), row.origin).map(Math.log), r * VOCAB));
    return { logits, vocabSize: VOCAB, cache: next };
  };
  // Reordering moves prefixes between the rows of a source; selecting keeps whole rows.
  const reorder: Reorder<ToyCache> = (cache, indices) => indices.map((i, r) => ({ fed: cache[i]!.fed, origin: cache[r]!.origin }));
  return {
    step,
    reorder,
    select: (cache, rows) => rows.map((i) => cache[i]!),
    cache: (rows) => Array.from({ length: rows }, (_, origin) => ({ fed: [], origin })),
    calls: () => sizes.length,
    batchSizes: () => sizes,
  };
}

/** log p(sequence) under row 0 of `probabilities`, the sequence being generated tokens (eos included if it ended so). */
export function logProbability(probabilities: Table, sequence: readonly number[]): number {
  return sequence.reduce((sum, token, t) => sum + Math.log(probabilities(sequence.slice(0, t), 0)[token]!), 0);
}
