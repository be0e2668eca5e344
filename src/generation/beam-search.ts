// Beam search with Hugging Face's BeamSearchScorer semantics. Each source decodes numBeams rows (the step's
// batch is sources × numBeams, row b·numBeams + k being beam k of source b). At each step every beam's
// logits become log-probabilities, go through the logits processors, and are added to the beam's running
// score; the best 2·numBeams continuations of a source are visited in order: an eos among the first
// numBeams ends a hypothesis (scored Σ log-probabilities / length^lengthPenalty, the length counting the
// eos), other tokens fill the next beams until numBeams. The decoder state is reordered to follow the
// beams. A source is done when earlyStopping says no better hypothesis can come (true: numBeams
// hypotheses exist; false: Hugging Face's heuristic from the current length; 'never': the bound from
// maxNewTokens when lengthPenalty > 0); at maxNewTokens its open beams become hypotheses too.

import type { Hypothesis } from './hypothesis.js';
import { logNormalizer, logSoftmax, reusedRow } from './log-softmax.js';
import { applyProcessors, type LogitsProcessor } from './processors/processor.js';
import { checkLogits, logitsRow, type Reorder, type Step } from './step.js';

export type EarlyStopping = boolean | 'never';

export interface BeamSearchOptions {
  readonly startId: number;
  readonly eosId: number;
  readonly maxNewTokens: number;
  readonly numBeams: number;
  /** Exponent of the length in a hypothesis's score (default 1; above 0 favours longer sequences). */
  readonly lengthPenalty?: number;
  /** Default false. */
  readonly earlyStopping?: EarlyStopping;
  /** Hypotheses returned per source, best first (default 1, at most numBeams). */
  readonly numReturnSequences?: number;
  /** Run on each beam's log-probabilities before they are added to its score (default none). */
  readonly processors?: readonly LogitsProcessor[];
}

/** A continuation of a beam: its token and the running score it would have. */
interface Candidate {
  readonly beam: number;
  readonly token: number;
  readonly score: number;
}

/** The numBeams best finished hypotheses of one source (Hugging Face's BeamHypotheses). */
class FinishedHypotheses {
  private readonly kept: Hypothesis[] = [];

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: EarlyStopping,
    private readonly maxNewTokens: number,
  ) {}

  /** Offers a hypothesis of `length` generated tokens whose log-probabilities sum to `sum`. */
  add(ids: number[], eos: boolean, sum: number, length: number): void {
    const score = sum / length ** this.lengthPenalty;
    if (this.kept.length >= this.numBeams && score <= this.worst()) return;
    this.kept.push({ ids, eos, score });
    if (this.kept.length > this.numBeams) this.kept.splice(this.worstIndex(), 1);
  }

  /** Whether no open beam can still produce a better hypothesis (`best`: the best candidate's running score at `length` tokens). */
  isDone(best: number, length: number): boolean {
    if (this.kept.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    const boundLength = this.earlyStopping === 'never' && this.lengthPenalty > 0 ? this.maxNewTokens : length;
    return this.worst() >= best / boundLength ** this.lengthPenalty;
  }

  /** The `n` best hypotheses, best first. */
  best(n: number): Hypothesis[] {
    return [...this.kept].sort((a, b) => b.score - a.score).slice(0, n);
  }

  private worstIndex(): number {
    let worst = 0;
    for (let i = 1; i < this.kept.length; i++) if (this.kept[i]!.score < this.kept[worst]!.score) worst = i;
    return worst;
  }

  private worst(): number {
    return this.kept[this.worstIndex()]!.score;
  }
}

/**
 * A beam's log-probabilities as scores[v] − max − logSum: with processors, the processed log-softmax
 * written into a scratch row (max = logSum = 0); without, the raw logits row itself, not copied, and
 * its normaliser — the same float64 values as logSoftmax gives, for the few tokens search reads.
 */
interface LogProbRow {
  readonly scores: ArrayLike<number>;
  readonly max: number;
  readonly logSum: number;
}

function logProbRow(logits: Float32Array, processors: readonly LogitsProcessor[], history: readonly number[], scratch: Float64Array): LogProbRow {
  if (processors.length === 0) {
    const { max, logSum } = logNormalizer(logits);
    if (max !== -Infinity) return { scores: logits, max, logSum };
  }
  const logProbs = logSoftmax(logits, scratch);
  applyProcessors(processors, logProbs, history);
  return { scores: logProbs, max: 0, logSum: 0 };
}

/** Indices of the `k` largest of `values`, largest first (the lower index first on ties). */
function topIndices(values: ArrayLike<number>, k: number): number[] {
  const top: number[] = [];
  for (let v = 0; v < values.length; v++) {
    if (top.length === k) {
      if (!(values[v]! > values[top[k - 1]!]!)) continue;
      top.pop();
    }
    let at = top.length;
    while (at > 0 && values[v]! > values[top[at - 1]!]!) at--;
    top.splice(at, 0, v);
  }
  return top;
}

/** The best hypotheses of each of `batch` sources, best first; `cache` holds batch × numBeams rows. */
export async function beamSearch<C>(step: Step<C>, cache: C, batch: number, options: BeamSearchOptions, reorder: Reorder<C>): Promise<Hypothesis[][]> {
  const { startId, eosId, maxNewTokens, numBeams, lengthPenalty = 1, earlyStopping = false, numReturnSequences = 1, processors = [] } = options;
  if (!Number.isInteger(numBeams) || numBeams < 1) throw new RangeError(`numBeams must be a positive integer (got ${numBeams})`);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RangeError(`beam search needs maxNewTokens ≥ 1 (got ${maxNewTokens})`);
  if (!Number.isInteger(numReturnSequences) || numReturnSequences < 1 || numReturnSequences > numBeams) {
    throw new RangeError(`numReturnSequences must be between 1 and numBeams = ${numBeams} (got ${numReturnSequences})`);
  }
  const rows = batch * numBeams;
  const finished = Array.from({ length: batch }, () => new FinishedHypotheses(numBeams, lengthPenalty, earlyStopping, maxNewTokens));
  const done = new Array<boolean>(batch).fill(false);
  let histories = Array.from({ length: rows }, () => [startId]);
  // Only the first beam of each source is live at the start, so its continuations are not counted numBeams times.
  let beamScores = Array.from({ length: rows }, (_, r): number => (r % numBeams === 0 ? 0 : -1e9));
  let state = cache;
  const scratch = reusedRow(); // one row of processed log-probabilities, row after row
  for (let t = 0; t < maxNewTokens; t++) {
    const out = await step(histories.map((h) => h[h.length - 1]!), state);
    const vocabSize = out.vocabSize;
    checkLogits(out.logits, vocabSize, rows);
    if (vocabSize < 2) throw new RangeError(`beam search needs a vocabulary of at least 2 tokens (got ${vocabSize})`);
    // Row r of the next step continues row sources[r] with tokens[r]; a done source keeps its rows as they are.
    const sources = Array.from({ length: rows }, (_, r) => r);
    const tokens = new Array<number>(rows).fill(eosId);
    const nextScores = new Array<number>(rows).fill(0);
    for (let b = 0; b < batch; b++) {
      if (done[b]) continue;
      const candidates: Candidate[] = [];
      for (let k = 0; k < numBeams; k++) {
        const row = b * numBeams + k;
        const { scores, max, logSum } = logProbRow(logitsRow(out.logits, vocabSize, row), processors, histories[row]!, scratch(vocabSize));
        for (const token of topIndices(scores, 2 * numBeams)) candidates.push({ beam: k, token, score: beamScores[row]! + (scores[token]! - max - logSum) });
      }
      candidates.sort((x, y) => y.score - x.score || x.beam - y.beam || x.token - y.token);
      let filled = 0;
      for (let rank = 0; rank < 2 * numBeams && filled < numBeams; rank++) {
        const { beam, token, score } = candidates[rank]!;
        const row = b * numBeams + beam;
        if (token !== eosId) {
          const next = b * numBeams + filled++;
          sources[next] = row;
          tokens[next] = token;
          nextScores[next] = score;
        } else if (rank < numBeams) {
          finished[b]!.add(histories[row]!.slice(1), true, score, t + 1);
        }
      }
      done[b] = finished[b]!.isDone(candidates[0]!.score, t + 1);
    }
    histories = sources.map((source, r) => [...histories[source]!, tokens[r]!]);
    beamScores = nextScores;
    if (done.every(Boolean) || t + 1 === maxNewTokens) break;
    state = reorder(out.cache, sources);
  }
  return finished.map((hypotheses, b) => {
    if (!done[b]) {
      for (let k = 0; k < numBeams; k++) {
        const history = histories[b * numBeams + k]!;
        hypotheses.add(history.slice(1), false, beamScores[b * numBeams + k]!, history.length - 1);
      }
    }
    return hypotheses.best(numReturnSequences);
  });
}
