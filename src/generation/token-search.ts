// The token-by-token search that greedy decoding and sampling share. Each of `rows` sequences starts from
// startId; at each step its logits go through the processors, become log-probabilities, and `choose`
// picks its next token. A sequence ends at eos, when `stop` says so, or after maxNewTokens. Given a
// Select, ended sequences leave the step's batch; without one they keep being fed eos (their logits are
// ignored) so the batch stays rectangular. Either way each sequence of a padded batch ends on its own
// and gets the same tokens (up to the rounding of a smaller batch's arithmetic). The search is an async
// generator: it yields each step's choices as they are made (for streaming) and returns the hypotheses
// (see completed()).

import type { Hypothesis } from './hypothesis.js';
import { logSoftmax, reusedRow } from './log-softmax.js';
import { applyProcessors, type LogitsProcessor } from './processors/processor.js';
import { checkLogits, logitsRow, type Select, type Step } from './step.js';
import type { StopCriterion } from './stopping.js';

/** Picks row `row`'s next token from its log-probabilities (a row search reuses: read it, do not keep it). */
export type ChooseToken = (logProbs: Float64Array, row: number) => number;

export interface TokenSearchOptions {
  readonly startId: number;
  readonly eosId: number;
  readonly maxNewTokens: number;
  /** Run on each row's logits, in order, before the log-softmax (default none). */
  readonly processors?: readonly LogitsProcessor[];
  /** Ends a sequence early, given its generated ids (e.g. stop strings). */
  readonly stop?: StopCriterion;
}

/** The token row `row` took at one step (eos included). */
export interface TokenChoice {
  readonly row: number;
  readonly token: number;
}

export async function* tokenSearch<C>(
  step: Step<C>,
  cache: C,
  rows: number,
  options: TokenSearchOptions,
  choose: ChooseToken,
  select?: Select<C>,
): AsyncGenerator<readonly TokenChoice[], Hypothesis[]> {
  const { startId, eosId, processors = [], stop } = options;
  const ids = Array.from({ length: rows }, () => [startId]);
  const scores = new Array<number>(rows).fill(0);
  const ended = new Array<boolean>(rows).fill(false);
  const endedWithEos = new Array<boolean>(rows).fill(false);
  let state = cache;
  let fed = Array.from({ length: rows }, (_, r) => r); // the sequence each row of the step's batch continues
  const scratch = reusedRow(); // one row of log-probabilities, row after row (choose reads it at once)
  for (let t = 0; t < options.maxNewTokens && ended.includes(false); t++) {
    const out = await step(fed.map((r) => (ended[r] ? eosId : ids[r]!.at(-1)!)), state);
    checkLogits(out.logits, out.vocabSize, fed.length);
    state = out.cache;
    const choices: TokenChoice[] = [];
    fed.forEach((r, i) => {
      if (ended[r]) return;
      const logProbs = tokenLogProbs(logitsRow(out.logits, out.vocabSize, i), processors, ids[r]!, scratch(out.vocabSize));
      const token = choose(logProbs, r);
      scores[r]! += logProbs[token]!;
      ids[r]!.push(token);
      endedWithEos[r] = token === eosId;
      ended[r] = endedWithEos[r] || (stop?.(ids[r]!.slice(1)) ?? false);
      choices.push({ row: r, token });
    });
    const more = t + 1 < options.maxNewTokens && ended.includes(false);
    if (select !== undefined && more && choices.some((c) => ended[c.row])) {
      const keep = fed.flatMap((r, i) => (ended[r] ? [] : [i])); // rows of the step's batch still decoding
      state = select(state, keep);
      fed = keep.map((i) => fed[i]!);
    }
    yield choices;
  }
  return ids.map((seq, r) => ({ ids: seq.slice(1, endedWithEos[r] ? -1 : undefined), eos: endedWithEos[r]!, score: scores[r]! }));
}

/**
 * The log-probabilities a token is chosen from: one row of `logits` after the processors (given the
 * ids so far), log-softmaxed in float64 into `out` (the logits are not copied when there are no processors).
 */
export function tokenLogProbs(logits: Float32Array, processors: readonly LogitsProcessor[], ids: readonly number[], out: Float64Array = new Float64Array(logits.length)): Float64Array {
  if (processors.length === 0) return logSoftmax(logits, out);
  out.set(logits);
  applyProcessors(processors, out, ids);
  return logSoftmax(out, out);
}

/** Runs a search to its end and returns its result. */
export async function completed<R>(search: AsyncGenerator<unknown, R>): Promise<R> {
  for (;;) {
    const next = await search.next();
    if (next.done) return next.value;
  }
}
