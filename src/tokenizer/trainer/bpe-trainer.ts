// Byte-pair-encoding training over characters (Sennrich et al. 2016; bpe_model_trainer.cc): words start
// as characters; the most frequent adjacent pair that may be a piece (ties: the shorter, then the smaller
// string) is merged everywhere, overlapping occurrences counted left to right once ("aaa" holds one
// "aa"); piece i scores −i, the kept characters follow. SentencePiece scans a top-5% set of pairs
// refreshed every 100 merges; a max-heap with lazily recounted frequencies finds the exact best pair.

import type { TrainerSpec } from '../model-proto.js';
import { Alphabet } from './alphabet.js';
import { compareCodePoints, sortByCountThenString } from './code-point-order.js';
import type { TrainingCorpus } from './corpus.js';
import { PieceRules, UNK_CODE_POINT, splitIntoWords } from './piece-rules.js';
import type { TrainProgress } from './train-progress.js';

/** A position is (left index, distance to the right index) in the flattened words: left × 2^16 + distance. */
const POSITION_SCALE = 0x10000;

class SymbolTable {
  /** Per symbol: its characters (alphabet ids), its string, whether it is the rare-character stand-in. */
  readonly chars: Int32Array[] = [];
  readonly strings: string[] = [];
  readonly isUnk: boolean[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  /** Per pair symbol: its occurrences (sorted) and frequency (0: to be recounted). */
  readonly positions: number[][] = [];
  readonly freq: number[] = [];
  readonly removed: boolean[] = [];
  /** (left, right) → pair symbol, or -1 for a pair that may not be a piece. */
  private readonly pairs = new Map<number, number>();

  constructor(
    private readonly alphabet: Alphabet,
    private readonly rules: PieceRules,
    unkId: number,
  ) {
    for (let id = 0; id < alphabet.size; id++) this.add(Int32Array.of(id), id === unkId, -1, -1);
  }

  private add(chars: Int32Array, isUnk: boolean, left: number, right: number): number {
    const id = this.chars.length;
    this.chars.push(chars);
    this.strings.push(this.alphabet.decode(chars));
    this.isUnk.push(isUnk);
    this.left.push(left);
    this.right.push(right);
    this.positions.push([]);
    this.freq.push(0);
    this.removed.push(false);
    return id;
  }

  private key(left: number, right: number): number {
    return left * 0x4000000 + right;
  }

  /** The pair symbol of (left, right), created if needed; -1 when the pair may not be a piece. */
  pair(left: number, right: number): number {
    const key = this.key(left, right);
    const known = this.pairs.get(key);
    if (known !== undefined) return known;
    let id = -1;
    if (!this.isUnk[left] && !this.isUnk[right]) {
      const a = this.chars[left] as Int32Array;
      const b = this.chars[right] as Int32Array;
      const chars = new Int32Array(a.length + b.length);
      chars.set(a);
      chars.set(b, a.length);
      if (this.rules.isValid(chars, 0, chars.length)) id = this.add(chars, false, left, right);
    }
    this.pairs.set(key, id);
    return id;
  }

  /** The existing pair symbol of (left, right), or -1. */
  existing(left: number, right: number): number {
    return this.pairs.get(this.key(left, right)) ?? -1;
  }

  /** Forgets a pair symbol, so the same pair would become a new symbol. */
  forget(id: number): void {
    this.removed[id] = true;
    this.pairs.delete(this.key(this.left[id] as number, this.right[id] as number));
  }

  /** Whether symbol a should be merged before symbol b at equal frequency: shorter, then smaller string. */
  before(a: number, b: number): boolean {
    const la = (this.chars[a] as Int32Array).length;
    const lb = (this.chars[b] as Int32Array).length;
    if (la !== lb) return la < lb;
    return compareCodePoints(this.strings[a] as string, this.strings[b] as string) < 0;
  }
}

/** A max-heap of (symbol, frequency when pushed), ordered by frequency, then SymbolTable.before. */
class PairHeap {
  private ids: number[] = [];
  private freqs: number[] = [];

  constructor(private readonly table: SymbolTable) {}

  get size(): number {
    return this.ids.length;
  }

  private higher(i: number, j: number): boolean {
    const fi = this.freqs[i] as number;
    const fj = this.freqs[j] as number;
    if (fi !== fj) return fi > fj;
    return this.table.before(this.ids[i] as number, this.ids[j] as number);
  }

  private swap(i: number, j: number): void {
    [this.ids[i], this.ids[j]] = [this.ids[j] as number, this.ids[i] as number];
    [this.freqs[i], this.freqs[j]] = [this.freqs[j] as number, this.freqs[i] as number];
  }

  push(id: number, freq: number): void {
    this.ids.push(id);
    this.freqs.push(freq);
    for (let i = this.ids.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.higher(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.ids[0] as number, this.freqs[0] as number];
    const lastId = this.ids.pop() as number;
    const lastFreq = this.freqs.pop() as number;
    if (this.ids.length > 0) {
      this.ids[0] = lastId;
      this.freqs[0] = lastFreq;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.ids.length && this.higher(l, best)) best = l;
        if (r < this.ids.length && this.higher(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

/**
 * Trains BPE on a prepared corpus; returns the normal pieces with scores (−order), merges first, then the
 * kept characters, vocab_size − meta pieces in all at most.
 */
export function trainBpe(corpus: TrainingCorpus, spec: TrainerSpec, metaCount: number, onProgress?: (event: TrainProgress) => void): [string, number][] {
  const alphabet = new Alphabet([...corpus.requiredChars.map(([cp]) => cp), UNK_CODE_POINT]);
  const rules = new PieceRules(spec, alphabet.codePoints);
  const table = new SymbolTable(alphabet, rules, alphabet.idOf(UNK_CODE_POINT));

  // Words, counted and sorted by count (descending) then string, as SplitSentencesByWhitespace leaves them.
  const counts = new Map<string, number>();
  for (const [text, freq] of corpus.sentences) {
    const words = spec.splitByWhitespace ? splitIntoWords(text, spec.treatWhitespaceAsSuffix, spec.allowWhitespaceOnlyPieces) : [text];
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + freq);
  }
  const words = sortByCountThenString([...counts]);
  counts.clear();
  let chars = 0;
  for (const [w] of words) chars += w.length;
  // The symbols of all words, flattened, with links to the previous and next live symbol of the same word.
  const symbols = new Int32Array(chars);
  const wordOf = new Int32Array(chars);
  let n = 0;
  words.forEach(([w], k) => {
    const start = n;
    n = alphabet.encodeInto(w, symbols, n);
    if (n - start >= POSITION_SCALE) throw new RangeError(`a training word of ${n - start} characters is too long for BPE (limit ${POSITION_SCALE - 1})`);
    wordOf.fill(k, start, n);
  });
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n && wordOf[i + 1] === wordOf[i] ? i + 1 : -1;
    prev[i] = i > 0 && wordOf[i - 1] === wordOf[i] ? i - 1 : -1;
  }
  const wordFreq = Float64Array.from(words, ([, f]) => f);

  /** Records the occurrence of the pair at (left, right); returns its symbol or -1. */
  const addPair = (left: number, right: number): number => {
    if (left < 0 || right < 0) return -1;
    const id = table.pair(symbols[left] as number, symbols[right] as number);
    if (id >= 0) {
      (table.positions[id] as number[]).push(left * POSITION_SCALE + (right - left));
      table.freq[id] = 0;
    }
    return id;
  };
  /** Recounts a pair symbol's frequency, dropping stale and overlapping occurrences (ComputeFreq). */
  const recount = (id: number): number => {
    const list = table.positions[id] as number[];
    const leftSym = table.left[id] as number;
    const rightSym = table.right[id] as number;
    let kept = 0;
    let prevRight = -1;
    let freq = 0;
    for (const p of list) {
      const left = Math.floor(p / POSITION_SCALE);
      const right = left + (p % POSITION_SCALE);
      if (left === prevRight || symbols[left] !== leftSym || symbols[right] !== rightSym || next[left] !== right) {
        prevRight = -1; // in "aaaa" the last "aa" counts again
        continue;
      }
      freq += wordFreq[wordOf[left] as number] as number;
      prevRight = right;
      list[kept++] = p;
    }
    list.length = kept;
    table.freq[id] = freq;
    return freq;
  };

  const heap = new PairHeap(table);
  const fresh = new Set<number>();
  for (let i = 0; i + 1 < n; i++) {
    const id = addPair(i, next[i] as number);
    if (id >= 0) fresh.add(id);
  }
  const pushFresh = (): void => {
    for (const id of fresh) if (!table.removed[id] && recount(id) > 0) heap.push(id, table.freq[id] as number);
    fresh.clear();
  };
  pushFresh();

  const target = spec.vocabSize - metaCount - corpus.requiredChars.length;
  if (target < 0) throw new RangeError(`vocabSize ${spec.vocabSize} leaves no room for the ${corpus.requiredChars.length} characters and ${metaCount} special pieces`);
  const pieces: [string, number][] = [];
  const seen = new Set<string>();
  while (pieces.length < target) {
    // The best pair: popped entries whose count went stale are recounted and pushed back.
    let best = -1;
    let bestFreq = 0;
    while (heap.size > 0) {
      const [id, pushed] = heap.pop();
      if (table.removed[id]) continue;
      if (table.freq[id] === 0) {
        if (recount(id) > 0) heap.push(id, table.freq[id] as number);
        continue;
      }
      if (pushed !== table.freq[id]) continue;
      best = id;
      bestFreq = pushed;
      break;
    }
    if (best < 0) break; // no pair left that may be a piece
    const text = table.strings[best] as string;
    table.forget(best);
    // The same string reached by another merge order ("aa"+"a", "a"+"aa") is one piece.
    if (seen.has(text)) continue;
    seen.add(text);
    pieces.push([text, -pieces.length]);
    if (pieces.length % 100 === 0) onProgress?.({ phase: 'bpe', merges: pieces.length, target, frequency: bestFreq });

    for (const p of table.positions[best] as number[]) {
      const left = Math.floor(p / POSITION_SCALE);
      const right = left + (p % POSITION_SCALE);
      if (symbols[left] !== table.left[best] || symbols[right] !== table.right[best] || next[left] !== right) continue;
      const before = prev[left] as number;
      const after = next[right] as number;
      // The pairs around the merge lose this occurrence.
      if (before >= 0) markStale(table.existing(symbols[before] as number, symbols[left] as number));
      if (after >= 0) markStale(table.existing(symbols[right] as number, symbols[after] as number));
      symbols[left] = best;
      symbols[right] = -1;
      next[left] = after;
      if (after >= 0) prev[after] = left;
      for (const id of [addPair(before, left), addPair(left, after)]) if (id >= 0) fresh.add(id);
    }
    (table.positions[best] as number[]).length = 0;
    pushFresh();
  }
  onProgress?.({ phase: 'bpe', merges: pieces.length, target, frequency: 0 });

  // The kept characters, by count (descending) then code point.
  const required = [...corpus.requiredChars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [cp] of required) pieces.push([String.fromCodePoint(cp), -pieces.length]);
  return pieces;

  /** The pair lost an occurrence: recount it before it is chosen (ResetFreq). */
  function markStale(id: number): void {
    if (id >= 0) table.freq[id] = 0;
  }
}
