// The BPE model's encoder (bpe_model.cc): split the normalized text into characters (user-defined symbols
// whole and frozen), then repeatedly merge the adjacent pair whose merged piece has the highest score
// (ties: leftmost first), via a priority queue of candidate pairs with stale entries skipped. Merged
// pieces that are 'unused' are split back along the merges that made them. BPE-dropout skips each merge
// with probability `dropout` (Provilkov et al., 2020, arXiv 1910.13267).

import { PieceTable, UNUSED } from './piece-table.js';
import type { Segments } from './segments.js';
import { oneCharLen } from './utf8.js';

export class BpeModel {
  // Symbols (reused): byte start, byte length (0 once merged away), neighbours, frozen flag.
  private start = new Int32Array(256);
  private len = new Int32Array(256);
  private prev = new Int32Array(256);
  private next = new Int32Array(256);
  private frozen = new Uint8Array(256);
  // Candidate pairs: left symbol, right symbol, score, merged byte length; `heap` orders pair indices.
  private pairLeft = new Int32Array(256);
  private pairRight = new Int32Array(256);
  private pairScore = new Float64Array(256);
  private pairSize = new Int32Array(256);
  private pairs = 0;
  private heap = new Int32Array(256);
  private heapSize = 0;
  /** Merged 'unused' piece (bytes as a latin1 key) → byte length of its left part. */
  private revMerge = new Map<string, number>();

  constructor(readonly table: PieceTable) {}

  private reserveSymbols(n: number): void {
    if (n <= this.start.length) return;
    let size = this.start.length;
    while (size < n) size *= 2;
    this.start = new Int32Array(size);
    this.len = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.next = new Int32Array(size);
    this.frozen = new Uint8Array(size);
  }

  private growPairs(): void {
    const size = this.pairLeft.length * 2;
    const grow32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.pairLeft = grow32(this.pairLeft);
    this.pairRight = grow32(this.pairRight);
    this.pairSize = grow32(this.pairSize);
    this.heap = grow32(this.heap);
    const scores = new Float64Array(size);
    scores.set(this.pairScore);
    this.pairScore = scores;
  }

  /** True when pair a should be merged before pair b: higher score, then leftmost. */
  private above(a: number, b: number): boolean {
    const sa = this.pairScore[a]!;
    const sb = this.pairScore[b]!;
    return sa > sb || (sa === sb && this.pairLeft[a]! < this.pairLeft[b]!);
  }

  private heapPush(pair: number): void {
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(pair, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = pair;
  }

  private heapPop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.heapSize]!;
    const n = this.heapSize;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.above(heap[child + 1]!, heap[child]!)) child++;
      if (!this.above(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Queues the pair (left, right) if both exist, neither is frozen, and their concatenation is a piece. */
  private maybeAddPair(normalized: Uint8Array, left: number, right: number): void {
    if (left < 0 || right < 0 || this.frozen[left] || this.frozen[right]) return;
    const s = this.start[left]!;
    const size = this.len[left]! + this.len[right]!;
    const id = this.table.trie.exactMatch(normalized, s, s + size);
    if (id < 0) return;
    if (this.pairs === this.pairLeft.length) this.growPairs();
    const p = this.pairs++;
    this.pairLeft[p] = left;
    this.pairRight[p] = right;
    this.pairScore[p] = this.table.scores[id]!;
    this.pairSize[p] = size;
    this.heapPush(p);
    if (this.table.types[id] === UNUSED) this.revMerge.set(latin1(normalized, s, s + size), this.len[left]!);
  }

  /**
   * Segments normalized[0, length) into `out`. With `dropout` in (0, 1) each merge is skipped with that
   * probability, drawing from `rand`; dropout ≥ 1 skips every merge.
   */
  encode(normalized: Uint8Array, length: number, out: Segments, dropout = 0, rand?: () => number): void {
    out.clear();
    if (length === 0) return;
    this.reserveSymbols(length);
    const matcher = this.table.userDefined;
    let count = 0;
    for (let pos = 0; pos < length; count++) {
      const symbolLength = matcher === null ? 0 : matcher.longestPrefix(normalized, pos, length);
      this.frozen[count] = symbolLength > 0 ? 1 : 0;
      const n = symbolLength > 0 ? symbolLength : Math.min(oneCharLen(normalized[pos]!), length - pos);
      this.start[count] = pos;
      this.len[count] = n;
      this.prev[count] = count - 1;
      pos += n;
      this.next[count] = pos < length ? count + 1 : -1;
    }
    this.pairs = 0;
    this.heapSize = 0;
    if (this.revMerge.size > 0) this.revMerge.clear();
    for (let i = 1; i < count; i++) this.maybeAddPair(normalized, i - 1, i);

    const len = this.len;
    while (this.heapSize > 0) {
      const p = this.heapPop();
      const left = this.pairLeft[p]!;
      const right = this.pairRight[p]!;
      // A stale pair: one side was merged away or has grown since.
      if (len[left] === 0 || len[right] === 0 || len[left]! + len[right]! !== this.pairSize[p]) continue;
      if (dropout > 0 && (dropout >= 1 || (rand !== undefined && rand() < dropout))) continue;
      len[left] = len[left]! + len[right]!;
      const after = this.next[right]!;
      this.next[left] = after;
      if (after >= 0) this.prev[after] = left;
      len[right] = 0;
      this.maybeAddPair(normalized, this.prev[left]!, left);
      this.maybeAddPair(normalized, left, after);
    }
    for (let i = 0; i !== -1; i = this.next[i]!) this.resegment(normalized, this.start[i]!, this.start[i]! + len[i]!, out);
  }

  /** Emits the piece bytes[s, e), splitting an 'unused' piece back into the pieces it was merged from. */
  private resegment(normalized: Uint8Array, s: number, e: number, out: Segments): void {
    const id = this.table.pieceToIdBytes(normalized, s, e);
    if (this.table.types[id] !== UNUSED) {
      out.push(id, e);
      return;
    }
    const split = this.revMerge.get(latin1(normalized, s, e));
    if (split === undefined) {
      out.push(id, e);
      return;
    }
    this.resegment(normalized, s, s + split, out);
    this.resegment(normalized, s + split, e, out);
  }
}

/** A string with one char per byte: a map key for a byte range. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
