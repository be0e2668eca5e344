// The unigram model's encoders (unigram_model.cc): the optimized Viterbi of Model::EncodeOptimized (the
// C++ default), which walks the piece trie from every character start and keeps the best path ending at
// each byte, with the same float32/double arithmetic so ties resolve alike; and the lattice the C++ builds
// (PopulateNodes) for n-best and sampling. Unknown characters get min_score - 10; user-defined pieces
// get length * max_score - 0.1 and so always win; unused pieces are skipped.

import { Lattice, pickIndex } from './lattice.js';
import { unitHasLeaf, unitLabel, unitOffset, unitValue } from './double-array.js';
import { PieceTable, UNUSED, USER_DEFINED } from './piece-table.js';
import type { Segments } from './segments.js';
import { oneCharLen } from './utf8.js';

const fround = Math.fround;
/** kUnkPenalty of the C++. */
const UNK_PENALTY = 10;
/** The C++ caps n-best at 1024 (and sampling from the n-best at 512). */
export const MAX_NBEST = 1024;

/** One n-best result: the segmentation (ids, end offsets) and its score. */
export interface ScoredSegmentation {
  readonly ids: readonly number[];
  readonly ends: readonly number[];
  readonly score: number;
}

export class UnigramModel {
  private readonly unkScore: number;
  // Viterbi scratch, indexed by byte offset (grown as needed, reused).
  private bestScore = new Float32Array(256);
  private startsAt = new Int32Array(256);
  private bestId = new Int32Array(256);
  // Trie matches of one position, for the lattice.
  private matchLengths = new Int32Array(64);
  private matchIds = new Int32Array(64);

  /**
   * Per id, the score a trie match adds in EncodeOptimized (the C++ computes it in double): the piece's
   * score, or for user-defined pieces byte length × max_score − 0.1; NaN for unused pieces (skipped).
   */
  private readonly matchScores: Float64Array;

  constructor(readonly table: PieceTable) {
    this.unkScore = fround(table.minScore - UNK_PENALTY);
    const encoder = new TextEncoder();
    this.matchScores = Float64Array.from(table.pieces, (piece, id) => {
      const type = table.types[id];
      if (type === UNUSED) return NaN;
      if (type === USER_DEFINED) return fround(encoder.encode(piece).length * table.maxScore) - 0.1;
      return table.scores[id]!;
    });
  }

  private reserve(n: number): void {
    if (n <= this.bestScore.length) return;
    let size = this.bestScore.length;
    while (size < n) size *= 2;
    this.bestScore = new Float32Array(size);
    this.startsAt = new Int32Array(size);
    this.bestId = new Int32Array(size);
  }

  /** The best segmentation of normalized[0, length) into `out` (EncodeOptimized). */
  encode(normalized: Uint8Array, length: number, out: Segments): void {
    out.clear();
    if (length === 0) return;
    this.reserve(length + 1);
    const bestScore = this.bestScore;
    const startsAt = this.startsAt;
    const bestId = this.bestId;
    startsAt.fill(-1, 0, length + 1);
    bestScore[0] = 0;
    const table = this.table;
    const units = table.trie.units;
    const matchScores = this.matchScores;
    const unkScore = this.unkScore;
    const unkId = table.unkId;
    const rootOffset = unitOffset(units[0]!);

    let start = 0;
    while (start < length) {
      const till = bestScore[start]!;
      const mblen = Math.min(oneCharLen(normalized[start]!), length - start);
      let hasSingle = false;
      let node = rootOffset;
      for (let k = start; k < length; ) {
        const c = normalized[k]!;
        node ^= c;
        const unit = units[node]!;
        if (unitLabel(unit) !== c) break;
        node ^= unitOffset(unit);
        k++;
        if (!unitHasLeaf(unit)) continue;
        const id = unitValue(units[node]!);
        const score = matchScores[id]!;
        if (score !== score) continue; // unused
        // Summed in double, compared with the float best, stored as float: as the C++.
        const candidate = score + till;
        if (startsAt[k] === -1 || candidate > bestScore[k]!) {
          bestScore[k] = candidate;
          startsAt[k] = start;
          bestId[k] = id;
        }
        if (k - start === mblen) hasSingle = true;
      }
      if (!hasSingle) {
        const end = start + mblen;
        const candidate = fround(unkScore + till);
        if (startsAt[end] === -1 || candidate > bestScore[end]!) {
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = unkId;
        }
      }
      start += mblen;
    }
    for (let end = length; end > 0; end = startsAt[end]!) out.push(bestId[end]!, end);
    out.reverse();
  }

  /** The lattice of normalized[0, length) with every matching piece (PopulateNodes). */
  lattice(normalized: Uint8Array, length: number): Lattice {
    const surface: number[] = [];
    for (let p = 0; p < length; p += Math.min(oneCharLen(normalized[p]!), length - p)) surface.push(p);
    surface.push(length);
    const lattice = new Lattice(Int32Array.from(surface));
    const table = this.table;
    const maxScore = table.maxScore;
    for (let begin = 0; begin < lattice.size; begin++) {
      const byteStart = surface[begin]!;
      let n = table.trie.commonPrefixes(normalized, byteStart, length, this.matchLengths, this.matchIds);
      if (n > this.matchLengths.length) {
        this.matchLengths = new Int32Array(n);
        this.matchIds = new Int32Array(n);
        n = table.trie.commonPrefixes(normalized, byteStart, length, this.matchLengths, this.matchIds);
      }
      let hasSingle = false;
      let chars = begin;
      for (let k = 0; k < n; k++) {
        const byteEnd = byteStart + this.matchLengths[k]!;
        while (surface[chars]! < byteEnd) chars++;
        const id = this.matchIds[k]!;
        if (table.types[id] === UNUSED) continue;
        const len = chars - begin;
        const score = table.types[id] === USER_DEFINED ? fround(len * maxScore) - 0.1 : table.scores[id]!;
        lattice.insert(begin, len, id, score);
        if (len === 1) hasSingle = true;
      }
      if (!hasSingle) lattice.insert(begin, 1, table.unkId, this.unkScore);
    }
    return lattice;
  }

  /** The n best segmentations, best first (NBestEncode; n is clamped to [1, 1024]). */
  nbest(normalized: Uint8Array, length: number, n: number, scratch: Segments): ScoredSegmentation[] {
    if (length === 0) return [{ ids: [], ends: [], score: 0 }];
    const size = Math.max(1, Math.min(Math.trunc(n), MAX_NBEST));
    if (size === 1) {
      this.encode(normalized, length, scratch);
      return [{ ids: Array.from(scratch.ids.subarray(0, scratch.count)), ends: Array.from(scratch.ends.subarray(0, scratch.count)), score: 0 }];
    }
    const lattice = this.lattice(normalized, length);
    return lattice.nbest(size).map((path) => ({
      ids: path.nodes.map((node) => lattice.ids[node]!),
      ends: path.nodes.map((node) => lattice.byteEnd(node)),
      score: path.score,
    }));
  }

  /**
   * One sampled segmentation (SampleEncode): from the full lattice by forward-filtering backward-sampling
   * when nbestSize < 0, the Viterbi one when nbestSize is 0 or 1, else one of the n best with probability
   * ∝ exp(alpha · score).
   */
  sample(normalized: Uint8Array, length: number, alpha: number, nbestSize: number, rand: () => number, out: Segments): void {
    out.clear();
    if (length === 0) return;
    if (nbestSize === 0 || nbestSize === 1) {
      this.encode(normalized, length, out);
      return;
    }
    if (nbestSize < 0) {
      const lattice = this.lattice(normalized, length);
      for (const node of lattice.sample(alpha, rand)) out.push(lattice.ids[node]!, lattice.byteEnd(node));
      return;
    }
    const nbests = this.nbest(normalized, length, nbestSize, out);
    // Normalized in log space first (newer SentencePiece; 0.1.97 exponentiates raw float scores, which
    // underflow to all-zero weights on long sentences).
    const logits = nbests.map((r) => alpha * r.score);
    const max = Math.max(...logits);
    const chosen = nbests[pickIndex(logits.map((x) => Math.exp(x - max)), rand)]!;
    out.clear();
    chosen.ids.forEach((id, i) => out.push(id, chosen.ends[i]!));
  }
}
