// One sequence of a greedy or sampling request, decoded one token per batch step: generation's
// tokenSearch for a single row (same processors, choice, score and ending rules), so a row gives the
// tokens generate() gives whatever batch it shares. It also keeps, when asked, each chosen token's
// log-probability and the most probable alternatives (OpenAI's logprobs).

import { logitsProcessors, type GenerateOptions } from '../generation/generate.js';
import type { Hypothesis } from '../generation/hypothesis.js';
import type { LogitsProcessor } from '../generation/processors/processor.js';
import { stopStringCriterion, type Decode, type StopCriterion } from '../generation/stopping.js';
import { tokenLogProbs, type ChooseToken } from '../generation/token-search.js';

/** A chosen token with its log-probability and the `top` most probable tokens of that step. */
export interface TokenLogprob {
  readonly id: number;
  readonly logprob: number;
  readonly top: readonly { readonly id: number; readonly logprob: number }[];
}

export type FinishReason = 'stop' | 'length';

/** The `k` most probable finite entries of `logProbs`, best first (lower id first on ties). */
function topEntries(logProbs: Float64Array, k: number): { id: number; logprob: number }[] {
  const best: { id: number; logprob: number }[] = [];
  for (let v = 0; v < logProbs.length; v++) {
    const p = logProbs[v]!;
    if (p === -Infinity || (best.length === k && p <= best[k - 1]!.logprob)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.logprob < p) at--;
    best.splice(at, 0, { id: v, logprob: p });
    if (best.length > k) best.pop();
  }
  return best;
}

export class DecodingRow {
  readonly #eosId: number;
  readonly #maxNewTokens: number;
  readonly #processors: readonly LogitsProcessor[];
  readonly #choose: ChooseToken;
  /** This row's index among its request's rows: the sampler's stream, as in generate(). */
  readonly #index: number;
  readonly #stop: StopCriterion | undefined;
  readonly #topLogprobs: number | null;
  /** The start token, then every chosen token. */
  readonly #ids: number[];
  #score = 0;
  #ended = false;
  #endedWithEos = false;
  #stopped = false;
  readonly logprobs: TokenLogprob[] = [];

  /**
   * Row `index` of a request decoded with `options` (`choose` shared by the request's rows, from
   * generate.ts's chooser()); `topLogprobs` alternatives are kept per token (null: no log-probabilities).
   */
  constructor(options: GenerateOptions, choose: ChooseToken, index: number, decode: Decode, topLogprobs: number | null) {
    this.#eosId = options.eosId;
    this.#maxNewTokens = options.maxNewTokens;
    this.#processors = logitsProcessors(options);
    this.#choose = choose;
    this.#index = index;
    this.#stop = options.stopStrings?.length ? stopStringCriterion(options.stopStrings, decode) : undefined;
    this.#topLogprobs = topLogprobs;
    this.#ids = [options.startId];
  }

  /** The token this row feeds to the next step. */
  get nextInput(): number {
    return this.#ids[this.#ids.length - 1]!;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Generated ids so far, eos excluded. */
  get generated(): number[] {
    return this.#ids.slice(1, this.#endedWithEos ? -1 : undefined);
  }

  /** 'stop' after eos or a stop string, 'length' after maxNewTokens. */
  get finishReason(): FinishReason {
    return this.#endedWithEos || this.#stopped ? 'stop' : 'length';
  }

  hypothesis(): Hypothesis {
    return { ids: this.generated, eos: this.#endedWithEos, score: this.#score };
  }

  /** Chooses the next token from this row's logits (a vocabulary-sized row); returns it. */
  advance(logits: Float32Array): number {
    if (this.#ended) throw new Error('decoding row: advanced after it ended');
    const logProbs = tokenLogProbs(logits, this.#processors, this.#ids);
    const token = this.#choose(logProbs, this.#index);
    this.#score += logProbs[token]!;
    this.#ids.push(token);
    if (this.#topLogprobs !== null) this.logprobs.push({ id: token, logprob: logProbs[token]!, top: topEntries(logProbs, this.#topLogprobs) });
    this.#endedWithEos = token === this.#eosId;
    this.#stopped = !this.#endedWithEos && (this.#stop?.(this.#ids.slice(1)) ?? false);
    this.#ended = this.#endedWithEos || this.#stopped || this.#ids.length - 1 >= this.#maxNewTokens;
    return token;
  }
}
