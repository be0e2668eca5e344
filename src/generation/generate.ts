// generate(): decoding options in Hugging Face's vocabulary turned into the right search over a Step —
// beam search when numBeams > 1, sampling when doSample, greedy otherwise — with the logits processors
// they ask for, in Hugging Face's order (repetition penalty, no-repeat n-grams, banned ids, minimum
// length, forced first token; then, when sampling, temperature, top-k, top-p). The step's batch holds
// rowsPerSource(options) rows per source, consecutive (model-step.ts expands a batch so).

import { beamSearch, type EarlyStopping } from './beam-search.js';
import { argmax } from './greedy.js';
import type { Hypothesis } from './hypothesis.js';
import { bannedSequences } from './processors/banned.js';
import { forcedTokenAt } from './processors/forced-token.js';
import { minNewTokens } from './processors/min-length.js';
import { noRepeatNgram } from './processors/no-repeat-ngram.js';
import type { LogitsProcessor } from './processors/processor.js';
import { repetitionPenalty } from './processors/repetition-penalty.js';
import { temperature } from './processors/temperature.js';
import { topK } from './processors/top-k.js';
import { topP } from './processors/top-p.js';
import { sampler } from './sample.js';
import type { Reorder, Select, Step } from './step.js';
import { cutAtStopString, stopStringCriterion, type Decode, type StopCriterion } from './stopping.js';
import { completed, tokenSearch, type ChooseToken, type TokenChoice } from './token-search.js';

export interface GenerateOptions {
  /** The decoder's first input (decoder_start_token_id). */
  readonly startId: number;
  readonly eosId: number;
  readonly maxNewTokens: number;
  /** eos is banned until this many tokens are generated (default 0). */
  readonly minNewTokens?: number;
  /** Beams per source; above 1 selects beam search (default 1). */
  readonly numBeams?: number;
  /** Beam search: exponent of the length dividing a hypothesis's log-probability (default 1). */
  readonly lengthPenalty?: number;
  /** Beam search: when a source is done (default false). */
  readonly earlyStopping?: EarlyStopping;
  /** Sequences per source: beam search's n-best (≤ numBeams) or independent samples (default 1). */
  readonly numReturnSequences?: number;
  /** Sample instead of taking the best token (default false). */
  readonly doSample?: boolean;
  /** Sampling only (default 1). */
  readonly temperature?: number;
  /** Sampling only: keep the k most probable tokens (default all). */
  readonly topK?: number;
  /** Sampling only: keep the smallest set of tokens whose probability reaches p (default 1: all). */
  readonly topP?: number;
  /** Sampling only: the same seed gives the same tokens (default 0). */
  readonly seed?: bigint;
  /** Above 1 discourages tokens already generated (CTRL's penalty; default 1). */
  readonly repetitionPenalty?: number;
  /** No n-gram of this size occurs twice (default 0: off). */
  readonly noRepeatNgramSize?: number;
  /** Token sequences never generated; [id] bans one token. */
  readonly bannedIds?: readonly (readonly number[])[];
  /** The first generated token, e.g. a target language code (forced_bos_token_id). */
  readonly forcedFirstToken?: number;
  /**
   * A sequence ends once its decoded text contains one of these; generateText and streamGenerate cut the
   * text before it. Greedy and sampling stop early; beam search runs to its own end and is only cut.
   */
  readonly stopStrings?: readonly string[];
  /** Needed with stopStrings. */
  readonly decode?: Decode;
}

/** Options for text output: decode is required. */
export type TextOptions = GenerateOptions & { readonly decode: Decode };

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}

/** Rows of the step's batch per source: numBeams for beam search, numReturnSequences when sampling, else 1. */
export function rowsPerSource(options: Pick<GenerateOptions, 'numBeams' | 'numReturnSequences' | 'doSample'>): number {
  const beams = positiveInteger(options.numBeams ?? 1, 'numBeams');
  const sequences = positiveInteger(options.numReturnSequences ?? 1, 'numReturnSequences');
  if (beams > 1) {
    if (options.doSample) throw new RangeError('sampling with several beams is not supported: use numBeams 1 with doSample, or beam search without it');
    return beams;
  }
  if (options.doSample) return sequences;
  if (sequences > 1) throw new RangeError(`numReturnSequences = ${sequences} needs beam search (numBeams ≥ ${sequences}) or sampling (doSample)`);
  return 1;
}

/** The logits processors `options` ask for, in Hugging Face's order (warpers only when sampling). */
export function logitsProcessors(options: GenerateOptions): LogitsProcessor[] {
  const processors: LogitsProcessor[] = [];
  if (options.repetitionPenalty !== undefined) processors.push(repetitionPenalty(options.repetitionPenalty));
  if (options.noRepeatNgramSize) processors.push(noRepeatNgram(options.noRepeatNgramSize));
  if (options.bannedIds?.length) processors.push(bannedSequences(options.bannedIds));
  // The decoder's ids start with the start token, so new tokens are counted after one token.
  if (options.minNewTokens) processors.push(minNewTokens(options.minNewTokens, options.eosId, 1));
  if (options.forcedFirstToken !== undefined) processors.push(forcedTokenAt(1, options.forcedFirstToken));
  if (options.doSample) {
    if (options.temperature !== undefined) processors.push(temperature(options.temperature));
    if (options.topK !== undefined) processors.push(topK(options.topK));
    if (options.topP !== undefined) processors.push(topP(options.topP));
  }
  return processors;
}

/** The token choice `options` ask for: sampling from `options.seed`'s streams, or the best token. */
export function chooser(options: Pick<GenerateOptions, 'doSample' | 'seed'>): ChooseToken {
  return options.doSample ? sampler(options.seed ?? 0n) : argmax;
}

/** The greedy or sampling search `options` ask for over `rows` rows (beam search cannot stream); with `select`, ended rows leave the batch. */
export function tokenSearchFor<C>(step: Step<C>, cache: C, rows: number, options: GenerateOptions, select?: Select<C>): AsyncGenerator<readonly TokenChoice[], Hypothesis[]> {
  const { startId, eosId, maxNewTokens, stopStrings = [], decode } = options;
  let stop: StopCriterion | undefined;
  if (stopStrings.length > 0) {
    if (decode === undefined) throw new RangeError('stopStrings need a decode function');
    stop = stopStringCriterion(stopStrings, decode);
  }
  return tokenSearch(step, cache, rows, { startId, eosId, maxNewTokens, processors: logitsProcessors(options), stop }, chooser(options), select);
}

/**
 * The hypotheses of each of `batch` sources (numReturnSequences each; beam search's best first). `cache`
 * holds batch × rowsPerSource(options) rows; beam search needs `reorder`; with `select`, greedy decoding
 * and sampling drop ended rows from the step's batch (the same tokens up to rounding, less work).
 */
export async function generate<C>(step: Step<C>, cache: C, batch: number, options: GenerateOptions, reorder?: Reorder<C>, select?: Select<C>): Promise<Hypothesis[][]> {
  const perSource = rowsPerSource(options);
  const { startId, eosId, maxNewTokens, numBeams = 1, lengthPenalty, earlyStopping, numReturnSequences } = options;
  if (numBeams > 1) {
    if (reorder === undefined) throw new TypeError("beam search needs a Reorder for the step's cache");
    const processors = logitsProcessors(options);
    return beamSearch(step, cache, batch, { startId, eosId, maxNewTokens, numBeams, lengthPenalty, earlyStopping, numReturnSequences, processors }, reorder);
  }
  const hypotheses = await completed(tokenSearchFor(step, cache, batch * perSource, options, select));
  return Array.from({ length: batch }, (_, b) => hypotheses.slice(b * perSource, (b + 1) * perSource));
}

/** generate(), decoded and cut at the first stop string. */
export async function generateText<C>(step: Step<C>, cache: C, batch: number, options: TextOptions, reorder?: Reorder<C>): Promise<string[][]> {
  const hypotheses = await generate(step, cache, batch, options, reorder);
  return hypotheses.map((list) => list.map((h) => cutAtStopString(options.decode(h.ids), options.stopStrings ?? [])));
}
