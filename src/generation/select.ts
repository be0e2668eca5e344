// Decode-then-select: generate several candidates per source (samples, or a beam's n-best), score each
// with the model's own log-likelihood through a callback (e.g. scoreTargets on the candidates), and keep
// the best-scoring one per source.

import { generate, type GenerateOptions } from './generate.js';
import { argmax } from './greedy.js';
import type { Hypothesis } from './hypothesis.js';
import type { Reorder, Select, Step } from './step.js';

/** The model's score (higher is better) of each candidate of source `source`. */
export type ScoreCandidates = (source: number, candidates: readonly Hypothesis[]) => Promise<readonly number[]>;

/** Per source, the candidate `score` ranks first (the earlier on ties), carrying that score. */
export async function decodeThenSelect<C>(
  step: Step<C>,
  cache: C,
  batch: number,
  options: GenerateOptions,
  score: ScoreCandidates,
  reorder?: Reorder<C>,
  select?: Select<C>,
): Promise<Hypothesis[]> {
  const candidates = await generate(step, cache, batch, options, reorder, select);
  const selected: Hypothesis[] = [];
  for (const [source, list] of candidates.entries()) {
    const scores = await score(source, list);
    if (scores.length !== list.length) throw new RangeError(`the scoring callback gave ${scores.length} scores for ${list.length} candidates`);
    const best = argmax(scores);
    selected.push({ ...list[best]!, score: scores[best]! });
  }
  return selected;
}
