// Unigram language-model training (Kudo 2018, "Subword Regularization", §3.2; unigram_model_trainer.cc):
// seed pieces from the suffix tree, then rounds of EM — num_sub_iterations of E-step (expected counts by
// forward-backward) and M-step (Bayesian/DP estimate: score = ψ(count) − ψ(Σ counts), pieces expected
// fewer than 0.5 times dropped) — each followed by pruning to shrinking_factor of the pieces, those whose
// removal loses the least likelihood going first, until 1.1 × vocab_size remain; then the final cut.

import type { TrainerSpec } from '../model-proto.js';
import { Alphabet } from './alphabet.js';
import { compareCodePoints, sortByCountThenString } from './code-point-order.js';
import type { TrainingCorpus } from './corpus.js';
import { PieceRules, UNK_CODE_POINT, WS_CHAR, splitIntoWords } from './piece-rules.js';
import { PieceTrie } from './piece-trie.js';
import { makeSeedPieces, type SeedPieces, type SeedText } from './seed-pieces.js';
import type { TrainProgress } from './train-progress.js';
import { Lattices, type CurrentModel } from './unigram-lattices.js';

/** Penalty of an unknown node below the lowest piece score (unigram_model.cc, kUnkPenalty). */
const UNK_PENALTY = 10;
/** The M-step drops pieces expected fewer times than this. */
const EXPECTED_FREQUENCY_THRESHOLD = 0.5;
/** Required characters missing from the model get its min score plus multiples of this. */
const MIN_SCORE_PENALTY_DELTA = 0.0001;

/** ψ(x), the digamma function (asymptotic series after shifting x above 7), as SentencePiece computes it. */
export function digamma(x: number): number {
  let result = 0;
  for (; x < 7; ++x) result -= 1 / x;
  x -= 1 / 2;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  result += Math.log(x) + (1 / 24) * xx2 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
  return result;
}

/**
 * The pruning loss: 'v0.1.97' reproduces SentencePiece 0.1.97 (the normalizer of the alternatives'
 * probabilities uses the vocabulary size; Debian's spm_train, whose vocabularies it matches), 'corrected'
 * the formula later versions use (the number of alternatives).
 */
export type PruningLoss = 'v0.1.97' | 'corrected';

/** The seed text of the distinct words with their followers (see SeedText). */
function seedText(followedByWord: ReadonlyMap<string, number>, endingSentence: ReadonlyMap<string, number>, alphabet: Alphabet): SeedText {
  let length = 0;
  for (const w of followedByWord.keys()) length += w.length + 1;
  for (const w of endingSentence.keys()) length += w.length + 1;
  const count = followedByWord.size + endingSentence.size;
  const text = new Int32Array(length);
  const starts = new Int32Array(count + 1);
  const weights = new Float64Array(count);
  // Words are split at '▁', so one follows another only where '▁' is in the alphabet.
  const space = alphabet.has(WS_CHAR) ? alphabet.idOf(WS_CHAR) : 0;
  let at = 0;
  let k = 0;
  for (const [words, follower] of [
    [followedByWord, space],
    [endingSentence, 0],
  ] as const) {
    for (const [w, weight] of words) {
      starts[k] = at;
      weights[k++] = weight;
      at = alphabet.encodeInto(w, text, at);
      text[at++] = follower;
    }
  }
  starts[k] = at;
  return { text: text.slice(0, at), starts, weights };
}

/** A piece of the model being trained: its seed id and score. */
interface ModelState {
  /** Seed id per current index. */
  readonly seeds: Int32Array;
  readonly scores: Float64Array;
}

/** The trainer's working state: seeds, their strings, and the lattices of the words and of the seeds. */
class UnigramTraining {
  readonly current: Int32Array;
  private model: ModelState;

  /** Lattices of the seed pieces alive at the first pruning, built then; pieceLattice maps seed id → string. */
  private pieces: Lattices | null = null;
  private pieceLattice = new Int32Array(0);

  constructor(
    readonly seeds: SeedPieces,
    readonly words: Lattices,
    private readonly buildPieceLattices: (seeds: Int32Array) => Lattices,
    private readonly pruningLoss: PruningLoss,
  ) {
    this.current = new Int32Array(seeds.scores.length);
    const ids = Int32Array.from(seeds.scores.keys());
    this.model = { seeds: ids, scores: seeds.scores.slice() };
    this.setModel(this.model);
  }

  get size(): number {
    return this.model.seeds.length;
  }

  get state(): ModelState {
    return this.model;
  }

  setModel(model: ModelState): void {
    this.current.fill(-1);
    model.seeds.forEach((seed, index) => {
      this.current[seed] = index;
    });
    this.model = model;
  }

  view(): CurrentModel {
    let min = Infinity;
    for (const s of this.model.scores) if (s < min) min = s;
    const scores = this.model.scores;
    return { current: this.current, scores, probs: scores.map(Math.exp), unkScore: min - UNK_PENALTY, unkIndex: 0 };
  }

  /** E-step then M-step; returns the objective (negative log likelihood per sentence). */
  emStep(): number {
    const expected = new Float64Array(this.size);
    const view = this.view();
    const likelihood = this.words.expectedCounts(view, expected);
    let totalFreq = 0;
    for (const f of this.words.freqs) totalFreq += f;
    // M-step.
    const kept: number[] = [];
    let sum = 0;
    for (let i = 0; i < expected.length; i++) {
      const freq = expected[i] as number;
      if (freq < EXPECTED_FREQUENCY_THRESHOLD) continue;
      kept.push(i);
      sum += freq;
    }
    const logSum = digamma(sum);
    const seeds = Int32Array.from(kept, (i) => this.model.seeds[i] as number);
    const scores = Float64Array.from(kept, (i) => digamma(expected[i] as number) - logSum);
    this.setModel({ seeds, scores });
    return -likelihood / totalFreq;
  }

  /** Keeps the pieces whose removal would cost the most likelihood (PruneSentencePieces). */
  prune(desiredSize: number, shrinkingFactor: number): void {
    const size = this.size;
    const view = this.view();
    // How each piece would be segmented without itself: the second best path of its own lattice.
    const alwaysKeep = new Uint8Array(size).fill(1);
    const alternatives: (number[] | null)[] = new Array<number[] | null>(size).fill(null);
    const second: number[] = [];
    if (this.pieces === null) {
      this.pieces = this.buildPieceLattices(this.model.seeds);
      this.pieceLattice = new Int32Array(this.seeds.scores.length).fill(-1);
      this.model.seeds.forEach((seed, k) => {
        this.pieceLattice[seed] = k;
      });
    }
    for (let i = 0; i < size; i++) {
      const bestSize = this.pieces.twoBest(this.pieceLattice[this.model.seeds[i] as number] as number, view, second);
      if (bestSize === 0) continue; // a single path: keep the piece
      if (bestSize >= 2) alwaysKeep[i] = 0;
      else alternatives[i] = second.slice();
    }
    // Frequencies in the Viterbi segmentation of the corpus.
    const freq = new Float64Array(size);
    this.words.viterbiCounts(view, freq);
    let vsum = 0;
    for (const f of this.words.freqs) vsum += f;
    let sum = 0;
    for (const f of freq) sum += f;
    const logSum = Math.log(sum);
    const keep: number[] = [];
    const candidates: number[] = [];
    const losses = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const f = freq[i] as number;
      if (f === 0 || alwaysKeep[i] === 0) continue; // not used, or splits into other pieces anyway
      const alt = alternatives[i];
      if (alt === null || alt.length === 0) {
        keep.push(i);
        continue;
      }
      // The loss if every occurrence of piece i were replaced by its alternative segmentation.
      const logProb = Math.log(f) - logSum;
      // SentencePiece 0.1.97 (what Debian's spm_train runs) multiplies by the vocabulary size − 1 where
      // the number of alternatives − 1 was meant; later versions fixed it.
      const logSumAlt = Math.log(sum + f * ((this.pruningLoss === 'corrected' ? alt.length : size) - 1));
      let logProbAlt = 0;
      for (const a of alt) logProbAlt += Math.log((freq[a] as number) + f) - logSumAlt;
      losses[i] = (f / vsum) * (logProb - logProbAlt);
      candidates.push(i);
    }
    const prunedSize = Math.max(desiredSize, Math.trunc(shrinkingFactor * size));
    candidates.sort((a, b) => (losses[b] as number) - (losses[a] as number) || a - b);
    for (const i of candidates) {
      if (keep.length >= prunedSize) break;
      keep.push(i);
    }
    this.setModel({
      seeds: Int32Array.from(keep, (i) => this.model.seeds[i] as number),
      scores: Float64Array.from(keep, (i) => this.model.scores[i] as number),
    });
  }

  /** Drops the lattice edges of removed pieces. */
  compact(): void {
    this.words.compact(this.current);
  }
}

/**
 * Trains a unigram model on a prepared corpus; returns the normal pieces and their scores, ordered as
 * the model stores them (score descending, then piece), vocab_size − meta pieces of them at most.
 */
export function trainUnigram(
  corpus: TrainingCorpus,
  spec: TrainerSpec,
  metaCount: number,
  onProgress?: (event: TrainProgress) => void,
  pruningLoss: PruningLoss = 'v0.1.97',
): [string, number][] {
  const alphabet = new Alphabet([...corpus.requiredChars.map(([cp]) => cp), UNK_CODE_POINT]);
  const unkId = alphabet.idOf(UNK_CODE_POINT);
  const rules = new PieceRules(spec, alphabet.codePoints);
  const maxLength = spec.maxSentencepieceLength;

  // Distinct words (sentences split at whitespace when split_by_whitespace): those followed by another
  // word, and those ending a sentence.
  const splitWords = spec.splitByWhitespace && !spec.treatWhitespaceAsSuffix && !spec.allowWhitespaceOnlyPieces;
  const followedByWord = new Map<string, number>();
  const endingSentence = new Map<string, number>();
  for (const [text, freq] of corpus.sentences) {
    const parts = splitWords ? splitIntoWords(text, false, false) : [text];
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) followedByWord.set(parts[i] as string, (followedByWord.get(parts[i] as string) ?? 0) + freq);
    endingSentence.set(parts[last] as string, (endingSentence.get(parts[last] as string) ?? 0) + freq);
  }
  onProgress?.({ phase: 'seeds', step: 'start', count: followedByWord.size + endingSentence.size });
  const seeds = makeSeedPieces(seedText(followedByWord, endingSentence, alphabet), alphabet, unkId, rules, spec.seedSentencepieceSize, maxLength, (step, detail) =>
    onProgress?.({ phase: 'seeds', step, count: detail }),
  );
  const seedCount = seeds.scores.length;
  onProgress?.({ phase: 'seeds', step: 'done', count: seedCount });

  const trie = new PieceTrie(alphabet.size, seeds.ids.length / 2);
  for (let i = 0; i < seedCount; i++) trie.insert(seeds.ids, seeds.offsets[i] as number, seeds.offsets[i + 1] as number, i);

  // The words of EM, counted and sorted as SentencePiece sorts them: by count, descending, then by string.
  let counts: Map<string, number>;
  if (splitWords || !spec.splitByWhitespace) {
    counts = followedByWord;
    for (const [w, freq] of endingSentence) counts.set(w, (counts.get(w) ?? 0) + freq);
  } else {
    counts = new Map();
    for (const [text, freq] of corpus.sentences) {
      for (const w of splitIntoWords(text, spec.treatWhitespaceAsSuffix, spec.allowWhitespaceOnlyPieces)) counts.set(w, (counts.get(w) ?? 0) + freq);
    }
  }
  const words = sortByCountThenString([...counts]);
  followedByWord.clear();
  endingSentence.clear();
  counts.clear();
  let chars = 0;
  for (const [w] of words) chars += w.length;
  const wordIds = new Int32Array(chars);
  const wordOffsets = new Int32Array(words.length + 1);
  let at = 0;
  words.forEach(([w], k) => {
    wordOffsets[k] = at;
    at = alphabet.encodeInto(w, wordIds, at);
  });
  wordOffsets[words.length] = at;
  const wordLattices = Lattices.build(wordIds, wordOffsets, Float64Array.from(words, ([, f]) => f), trie, maxLength);
  onProgress?.({ phase: 'lattices', words: words.length, edges: wordLattices.edgeCount });

  const training = new UnigramTraining(
    seeds,
    wordLattices,
    (alive) => Lattices.build(seeds.ids, seeds.offsets, new Float64Array(alive.length).fill(1), trie, maxLength, alive),
    pruningLoss,
  );
  const desiredSize = Math.trunc(spec.vocabSize * 1.1);
  for (let round = 0; ; round++) {
    for (let iter = 0; iter < spec.numSubIterations; iter++) {
      const objective = training.emStep();
      onProgress?.({ phase: 'em', round, iteration: iter, pieces: training.size, objective });
    }
    if (training.size <= desiredSize) break;
    training.prune(desiredSize, spec.shrinkingFactor);
    training.compact();
    onProgress?.({ phase: 'prune', round, pieces: training.size });
  }
  return finalPieces(training.state, seeds, alphabet, corpus, spec.vocabSize - metaCount);
}

/**
 * The final vocabulary (FinalizeSentencePieces): every required character (its model score, or the min
 * score plus a small penalty growing with rarity), then the best-scored pieces up to `size`.
 */
function finalPieces(model: ModelState, seeds: SeedPieces, alphabet: Alphabet, corpus: TrainingCorpus, size: number): [string, number][] {
  if (size <= 0) throw new RangeError(`no room for pieces: the special pieces fill the vocabulary (${size} left); raise vocabSize`);
  const pieceText = (seed: number) => alphabet.decode(seeds.ids, seeds.offsets[seed] as number, seeds.offsets[seed + 1] as number);
  const scoreOf = new Map<string, number>();
  let minScore = Infinity;
  model.seeds.forEach((seed, i) => {
    const s = model.scores[i] as number;
    scoreOf.set(pieceText(seed), s);
    minScore = Math.min(minScore, s);
  });
  const final = new Map<string, number>();
  let penalty = 0;
  // By count (descending), then code point: frequent characters get the smaller penalties.
  const required = [...corpus.requiredChars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [cp] of required) {
    const s = String.fromCodePoint(cp);
    const known = scoreOf.get(s);
    if (known !== undefined) final.set(s, known);
    else {
      final.set(s, minScore + penalty);
      penalty += MIN_SCORE_PENALTY_DELTA;
    }
  }
  const byScore = [...scoreOf].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  for (const [piece, score] of byScore) {
    if (final.has(piece)) continue;
    if (final.size >= size) break;
    final.set(piece, score);
  }
  return [...final].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
}
