// Greedy decoding: the token search taking the highest-scoring token at each step (the lowest id on
// ties), after any logits processors.

import { completed, tokenSearch, type TokenSearchOptions } from './token-search.js';
import type { Select, Step } from './step.js';

export type GreedyOptions = TokenSearchOptions;

/** Index of the largest of `scores` (the first on ties). */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let v = 1; v < scores.length; v++) if (scores[v]! > scores[best]!) best = v;
  return best;
}

/** The generated ids of each of `batch` sequences (eos excluded); with `select`, ended sequences leave the batch. */
export async function greedy<C>(step: Step<C>, cache: C, batch: number, options: GreedyOptions, select?: Select<C>): Promise<number[][]> {
  const hypotheses = await completed(tokenSearch(step, cache, batch, options, argmax, select));
  return hypotheses.map((h) => h.ids);
}
