// The segmentation lattices of the unigram trainer: for each string (a word of the corpus, or a seed
// piece itself), every occurrence of a seed piece in it, found once through the seed trie. A training
// step sees the current vocabulary through `current` (seed id → index in the current model, -1 once
// removed): forward-backward gives expected piece counts (the E-step), Viterbi the best segmentations,
// and the two best paths of a piece show what replaces it (unigram_model.cc, Lattice).

import type { PieceTrie } from './piece-trie.js';

/** The current model as the lattices see it. */
export interface CurrentModel {
  /** Seed id → index in the current model, or -1 for a removed piece. */
  readonly current: Int32Array;
  /** Log probability per current index. */
  readonly scores: Float64Array;
  /** exp(scores), for the forward-backward of short strings in probability space. */
  readonly probs: Float64Array;
  /** The score of the unknown node inserted where no one-character piece starts (min score − 10). */
  readonly unkScore: number;
  /**
   * The index that unknown nodes count for: SentencePiece's trainer model leaves unk_id at 0, so their
   * expected counts go to the first current piece (TrainerModel of unigram_model_trainer.cc).
   */
  readonly unkIndex: number;
}

/**
 * Strings up to this many characters are run through forward-backward in probability space: even a path
 * of unknown nodes (score ≥ −40 each) keeps its probability above 1e-300 over this length.
 */
const PROBABILITY_SPACE_MAX_LENGTH = 16;

function logSumExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

export class Lattices {
  /** Per string: its edges are edges[edgeStart[k], edgeStart[k + 1]), sorted by position, then length. */
  edgeStart: Int32Array;
  edgePos: Uint16Array;
  edgeLen: Uint8Array;
  /** Seed id of each edge. */
  edgePiece: Int32Array;
  private alpha = new Float64Array(64);
  private beta = new Float64Array(64);
  private noSingle = new Uint8Array(64);
  private backEdge = new Int32Array(64);

  private constructor(
    /** Characters per string. */
    readonly lengths: Int32Array,
    /** Weight per string (how often a word occurs). */
    readonly freqs: Float64Array,
    edgeStart: Int32Array,
    edgePos: Uint16Array,
    edgeLen: Uint8Array,
    edgePiece: Int32Array,
  ) {
    this.edgeStart = edgeStart;
    this.edgePos = edgePos;
    this.edgeLen = edgeLen;
    this.edgePiece = edgePiece;
    const longest = lengths.reduce((m, n) => Math.max(m, n), 0);
    this.ensure(longest + 1);
  }

  get count(): number {
    return this.lengths.length;
  }

  private ensure(n: number): void {
    if (this.alpha.length >= n) return;
    this.alpha = new Float64Array(n);
    this.beta = new Float64Array(n);
    this.noSingle = new Uint8Array(n);
    this.backEdge = new Int32Array(n);
  }

  /**
   * Lattices of the strings text[offsets[k], offsets[k + 1]) (character ids) against the pieces of
   * `trie` (values: seed ids), with weights `freqs`; with `which`, of the strings which[0], which[1], ….
   */
  static build(text: Int32Array, offsets: Int32Array, freqs: Float64Array, trie: PieceTrie, maxPieceLength: number, which?: Int32Array): Lattices {
    const count = which === undefined ? offsets.length - 1 : which.length;
    const lengths = new Int32Array(count);
    const edgeStart = new Int32Array(count + 1);
    let pos = new Uint16Array(1 << 16);
    let len = new Uint8Array(1 << 16);
    let piece = new Int32Array(1 << 16);
    let n = 0;
    for (let k = 0; k < count; k++) {
      const string = which === undefined ? k : (which[k] as number);
      const begin = offsets[string] as number;
      const end = offsets[string + 1] as number;
      if (end - begin > 0xffff) throw new RangeError(`a training word of ${end - begin} characters is longer than the lattice allows (65535)`);
      lengths[k] = end - begin;
      edgeStart[k] = n;
      for (let p = begin; p < end; p++) {
        const stop = Math.min(end, p + maxPieceLength);
        for (let i = p, node = 0; i < stop; i++) {
          node = trie.step(node, text[i] as number);
          if (node < 0) break;
          const value = trie.value;
          if (value < 0) continue;
          if (n === piece.length) {
            pos = grow(pos, new Uint16Array(n * 2));
            len = grow(len, new Uint8Array(n * 2));
            piece = grow(piece, new Int32Array(n * 2));
          }
          pos[n] = p - begin;
          len[n] = i + 1 - p;
          piece[n] = value;
          n++;
        }
      }
    }
    edgeStart[count] = n;
    return new Lattices(lengths, freqs, edgeStart, pos.slice(0, n), len.slice(0, n), piece.slice(0, n));
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.edgePiece.length;
  }

  /** Drops the edges of removed pieces, so later passes skip them. */
  compact(current: Int32Array): void {
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const begin = this.edgeStart[k] as number;
      const end = this.edgeStart[k + 1] as number;
      this.edgeStart[k] = n;
      for (let e = begin; e < end; e++) {
        if ((current[this.edgePiece[e] as number] as number) < 0) continue;
        this.edgePos[n] = this.edgePos[e] as number;
        this.edgeLen[n] = this.edgeLen[e] as number;
        this.edgePiece[n] = this.edgePiece[e] as number;
        n++;
      }
    }
    this.edgeStart[this.count] = n;
    this.edgePos = this.edgePos.slice(0, n);
    this.edgeLen = this.edgeLen.slice(0, n);
    this.edgePiece = this.edgePiece.slice(0, n);
  }

  /**
   * E-step over strings [from, to): adds freq × the marginal probability of each piece occurrence to
   * `expected` (by current index) and returns Σ freq × log Z (the log likelihood).
   */
  expectedCounts(model: CurrentModel, expected: Float64Array, from = 0, to = this.count): number {
    let likelihood = 0;
    for (let k = from; k < to; k++) {
      const n = this.lengths[k] as number;
      likelihood += n <= PROBABILITY_SPACE_MAX_LENGTH ? this.expectedLinear(k, n, model, expected) : this.expectedLog(k, n, model, expected);
    }
    return likelihood;
  }

  /** Forward-backward of string k in probability space; returns freq × log Z. */
  private expectedLinear(k: number, n: number, model: CurrentModel, expected: Float64Array): number {
    const { current, probs, unkIndex } = model;
    const unkProb = Math.exp(model.unkScore);
    const { edgeStart, edgePos, edgeLen, edgePiece, alpha, beta, noSingle } = this;
    const begin = edgeStart[k] as number;
    const end = edgeStart[k + 1] as number;
    alpha.fill(0, 1, n + 1);
    alpha[0] = 1;
    let e = begin;
    for (let p = 0; p < n; p++) {
      const a = alpha[p] as number;
      let single = 0;
      for (; e < end && edgePos[e] === p; e++) {
        const c = current[edgePiece[e] as number] as number;
        if (c < 0) continue;
        const l = edgeLen[e] as number;
        if (l === 1) single = 1;
        alpha[p + l] = (alpha[p + l] as number) + a * (probs[c] as number);
      }
      noSingle[p] = 1 - single;
      if (single === 0) alpha[p + 1] = (alpha[p + 1] as number) + a * unkProb;
    }
    beta[n] = 1;
    e = end - 1;
    for (let p = n - 1; p >= 0; p--) {
      let b = noSingle[p] === 1 ? unkProb * (beta[p + 1] as number) : 0;
      for (; e >= begin && edgePos[e] === p; e--) {
        const c = current[edgePiece[e] as number] as number;
        if (c >= 0) b += (probs[c] as number) * (beta[p + (edgeLen[e] as number)] as number);
      }
      beta[p] = b;
    }
    const z = alpha[n] as number;
    const freq = this.freqs[k] as number;
    const scale = freq / z;
    for (e = begin; e < end; e++) {
      const c = current[edgePiece[e] as number] as number;
      if (c < 0) continue;
      const p = edgePos[e] as number;
      expected[c] = (expected[c] as number) + (alpha[p] as number) * (probs[c] as number) * (beta[p + (edgeLen[e] as number)] as number) * scale;
    }
    for (let p = 0; p < n; p++) {
      if (noSingle[p] === 1) expected[unkIndex] = (expected[unkIndex] as number) + (alpha[p] as number) * unkProb * (beta[p + 1] as number) * scale;
    }
    return freq * Math.log(z);
  }

  /** Forward-backward of string k in log space (long strings); returns freq × log Z. */
  private expectedLog(k: number, n: number, model: CurrentModel, expected: Float64Array): number {
    const { current, scores, unkScore, unkIndex } = model;
    const { edgeStart, edgePos, edgeLen, edgePiece, alpha, beta, noSingle } = this;
    const begin = edgeStart[k] as number;
    const end = edgeStart[k + 1] as number;
    alpha.fill(-Infinity, 1, n + 1);
    alpha[0] = 0;
    let e = begin;
    for (let p = 0; p < n; p++) {
      const a = alpha[p] as number;
      let single = false;
      for (; e < end && edgePos[e] === p; e++) {
        const c = current[edgePiece[e] as number] as number;
        if (c < 0) continue;
        const l = edgeLen[e] as number;
        if (l === 1) single = true;
        alpha[p + l] = logSumExp(alpha[p + l] as number, a + (scores[c] as number));
      }
      noSingle[p] = single ? 0 : 1;
      if (!single) alpha[p + 1] = logSumExp(alpha[p + 1] as number, a + unkScore);
    }
    beta[n] = 0;
    e = end - 1;
    for (let p = n - 1; p >= 0; p--) {
      let b = -Infinity;
      for (; e >= begin && edgePos[e] === p; e--) {
        const c = current[edgePiece[e] as number] as number;
        if (c < 0) continue;
        b = logSumExp(b, (scores[c] as number) + (beta[p + (edgeLen[e] as number)] as number));
      }
      if (noSingle[p] === 1) b = logSumExp(b, unkScore + (beta[p + 1] as number));
      beta[p] = b;
    }
    const z = alpha[n] as number;
    const freq = this.freqs[k] as number;
    for (e = begin; e < end; e++) {
      const c = current[edgePiece[e] as number] as number;
      if (c < 0) continue;
      const p = edgePos[e] as number;
      const m = Math.exp((alpha[p] as number) + (scores[c] as number) + (beta[p + (edgeLen[e] as number)] as number) - z);
      expected[c] = (expected[c] as number) + freq * m;
    }
    for (let p = 0; p < n; p++) {
      if (noSingle[p] !== 1) continue;
      const m = Math.exp((alpha[p] as number) + unkScore + (beta[p + 1] as number) - z);
      expected[unkIndex] = (expected[unkIndex] as number) + freq * m;
    }
    return freq * z;
  }

  /**
   * Viterbi over strings [from, to): adds freq to `counts` (by current index) for each piece of each
   * best segmentation (unknown nodes count for unkIndex); returns the number of tokens.
   */
  viterbiCounts(model: CurrentModel, counts: Float64Array, from = 0, to = this.count): number {
    const { current, unkIndex } = model;
    let tokens = 0;
    for (let k = from; k < to; k++) {
      const n = this.viterbi(k, model);
      const freq = this.freqs[k] as number;
      for (let p = n; p > 0; ) {
        const e = this.backEdge[p] as number;
        if (e < 0) {
          counts[unkIndex] = (counts[unkIndex] as number) + freq;
          p -= 1;
        } else {
          const c = current[this.edgePiece[e] as number] as number;
          counts[c] = (counts[c] as number) + freq;
          p -= this.edgeLen[e] as number;
        }
        tokens++;
      }
    }
    return tokens;
  }

  /** Viterbi of string k into this.backEdge (edge index per end position; -1: an unknown node); returns its length. */
  private viterbi(k: number, model: CurrentModel): number {
    const { current, scores, unkScore } = model;
    const { edgeStart, edgePos, edgeLen, edgePiece, alpha: best, backEdge } = this;
    const n = this.lengths[k] as number;
    const end = edgeStart[k + 1] as number;
    best.fill(-Infinity, 1, n + 1);
    best[0] = 0;
    let e = edgeStart[k] as number;
    for (let p = 0; p < n; p++) {
      const a = best[p] as number;
      let single = false;
      for (; e < end && edgePos[e] === p; e++) {
        const c = current[edgePiece[e] as number] as number;
        if (c < 0) continue;
        const l = edgeLen[e] as number;
        if (l === 1) single = true;
        const v = a + (scores[c] as number);
        if (v > (best[p + l] as number)) {
          best[p + l] = v;
          backEdge[p + l] = e;
        }
      }
      if (!single) {
        const v = a + unkScore;
        if (v > (best[p + 1] as number)) {
          best[p + 1] = v;
          backEdge[p + 1] = -1;
        }
      }
    }
    return n;
  }

  /**
   * The two best segmentations of string k (SentencePiece uses NBest(2)). Returns 0 when there is no
   * second one, else the number of pieces of the best; when the best is the whole string as one piece,
   * `second` receives the current indices of the second best's pieces.
   */
  twoBest(k: number, model: CurrentModel, second: number[]): number {
    const { current, scores, unkScore, unkIndex } = model;
    const n = this.lengths[k] as number;
    const end = this.edgeStart[k + 1] as number;
    this.ensureTwoBest(2 * (n + 1));
    // Per position t and rank r (0 best, 1 second), at slot 2t + r: score, arriving edge (-1: an unknown
    // node), the rank it extends at the edge's start, and the edge's length.
    const { nbScore: score, nbEdge: edge, nbFrom: from, nbLength: length } = this;
    score.fill(-Infinity, 0, 2 * (n + 1));
    score[0] = 0;
    const offer = (t: number, v: number, e: number, r: number, l: number): void => {
      const top = 2 * t;
      if (v > (score[top] as number)) {
        score[top + 1] = score[top] as number;
        edge[top + 1] = edge[top] as number;
        from[top + 1] = from[top] as number;
        length[top + 1] = length[top] as number;
        score[top] = v;
        edge[top] = e;
        from[top] = r;
        length[top] = l;
      } else if (v > (score[top + 1] as number)) {
        score[top + 1] = v;
        edge[top + 1] = e;
        from[top + 1] = r;
        length[top + 1] = l;
      }
    };
    let e = this.edgeStart[k] as number;
    for (let p = 0; p < n; p++) {
      let single = false;
      for (; e < end && this.edgePos[e] === p; e++) {
        const c = current[this.edgePiece[e] as number] as number;
        if (c < 0) continue;
        const l = this.edgeLen[e] as number;
        if (l === 1) single = true;
        offer(p + l, (score[2 * p] as number) + (scores[c] as number), e, 0, l);
        offer(p + l, (score[2 * p + 1] as number) + (scores[c] as number), e, 1, l);
      }
      if (!single) {
        offer(p + 1, (score[2 * p] as number) + unkScore, -1, 0, 1);
        offer(p + 1, (score[2 * p + 1] as number) + unkScore, -1, 1, 1);
      }
    }
    if ((score[2 * n + 1] as number) === -Infinity) return 0;
    let bestSize = 0;
    for (let t = n, r = 0; t > 0; bestSize++) {
      const slot = 2 * t + r;
      r = from[slot] as number;
      t -= length[slot] as number;
    }
    second.length = 0;
    if (bestSize === 1) {
      for (let t = n, r = 1; t > 0; ) {
        const slot = 2 * t + r;
        const e2 = edge[slot] as number;
        second.push(e2 < 0 ? unkIndex : (current[this.edgePiece[e2] as number] as number));
        r = from[slot] as number;
        t -= length[slot] as number;
      }
      second.reverse();
    }
    return bestSize;
  }

  private nbScore = new Float64Array(0);
  private nbEdge = new Int32Array(0);
  private nbFrom = new Int32Array(0);
  private nbLength = new Int32Array(0);

  private ensureTwoBest(size: number): void {
    if (this.nbScore.length >= size) return;
    this.nbScore = new Float64Array(size);
    this.nbEdge = new Int32Array(size);
    this.nbFrom = new Int32Array(size);
    this.nbLength = new Int32Array(size);
  }
}

function grow<T extends { set(source: ArrayLike<number>): void }>(source: ArrayLike<number>, target: T): T {
  target.set(source);
  return target;
}
