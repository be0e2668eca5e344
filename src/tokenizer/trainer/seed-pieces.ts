// The seed vocabulary of unigram training (unigram_model_trainer.cc, MakeSeedSentencePieces): every
// character of the corpus, then the substrings that occur at least twice and branch (the internal nodes
// of the corpus's suffix tree) and may be pieces, ranked by frequency × length, up to
// seed_sentencepiece_size pieces in all; scores are log(frequency × length / total).

import type { Alphabet } from './alphabet.js';
import type { PieceRules } from './piece-rules.js';
import { forEachInternalNode, lcpArray, suffixArray } from './suffix-array.js';

export interface SeedPieces {
  /** Character ids of the pieces, concatenated; piece i is ids[offsets[i], offsets[i + 1]). */
  readonly ids: Int32Array;
  readonly offsets: Int32Array;
  /** Log probability per piece. */
  readonly scores: Float64Array;
}

export type SeedProgress = (step: 'suffix-array' | 'substrings', detail: number) => void;

/**
 * The text the substrings are counted in: distinct strings (words, or whole sentences), each followed by
 * the character that follows it in the corpus (0 at a sentence end) and weighted by how often it occurs.
 * Pieces never cross a word, so the branching substrings of up to max_sentencepiece_length characters
 * and their counts are those of the whole corpus, in a text several times shorter.
 */
export interface SeedText {
  /** Character ids: string k is text[starts[k], starts[k + 1] − 1), its follower at starts[k + 1] − 1. */
  readonly text: Int32Array;
  readonly starts: Int32Array;
  readonly weights: Float64Array;
}

/** Seeds from the corpus text (rare characters as `unkId`, never a piece). */
export function makeSeedPieces(
  corpus: SeedText,
  alphabet: Alphabet,
  unkId: number,
  rules: PieceRules,
  seedSize: number,
  maxPieceLength: number,
  onProgress?: SeedProgress,
): SeedPieces {
  const { text, starts, weights } = corpus;
  const n = text.length;
  // Each position weighs as much as its string; characters are counted without the followers.
  const weightAt = new Float64Array(n);
  const charCounts = new Float64Array(alphabet.size);
  for (let k = 0; k + 1 < starts.length; k++) {
    const w = weights[k] as number;
    const begin = starts[k] as number;
    const end = starts[k + 1] as number;
    weightAt.fill(w, begin, end);
    for (let i = begin; i < end - 1; i++) charCounts[text[i] as number] = (charCounts[text[i] as number] as number) + w;
  }
  onProgress?.('suffix-array', n);
  const sa = suffixArray(text, alphabet.size);
  const lcp = lcpArray(text, sa);
  // cumulative[i] = the weight of the suffixes sa[0, i).
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (weightAt[sa[i] as number] as number);

  // Candidates: internal nodes of depth 2..maxPieceLength that are valid pieces; score = occurrences × length.
  let candOffset = new Int32Array(1 << 16);
  let candLength = new Uint8Array(1 << 16);
  let candScore = new Float64Array(1 << 16);
  let candidates = 0;
  forEachInternalNode(sa, lcp, (_index, left, right, depth) => {
    if (depth <= 1 || depth > maxPieceLength) return;
    const offset = sa[left] as number;
    if (!rules.isValid(text, offset, offset + depth)) return; // also rejects the boundary 0
    if (candidates === candScore.length) {
      candOffset = grown(candOffset, new Int32Array(candidates * 2));
      candLength = grown(candLength, new Uint8Array(candidates * 2));
      candScore = grown(candScore, new Float64Array(candidates * 2));
    }
    candOffset[candidates] = offset;
    candLength[candidates] = depth;
    candScore[candidates] = ((cumulative[right] as number) - (cumulative[left] as number)) * depth;
    candidates++;
  });
  onProgress?.('substrings', candidates);

  // Characters first, by count (descending) then code point; then substrings by score, then node order.
  const chars: number[] = [];
  for (let id = 1; id < alphabet.size; id++) if (id !== unkId && (charCounts[id] as number) > 0) chars.push(id);
  chars.sort((a, b) => (charCounts[b] as number) - (charCounts[a] as number) || a - b);
  const order = Int32Array.from({ length: candidates }, (_, i) => i).sort(
    (a, b) => (candScore[b] as number) - (candScore[a] as number) || a - b,
  );
  const take = Math.max(0, Math.min(candidates, seedSize - chars.length));
  const count = chars.length + take;
  const offsets = new Int32Array(count + 1);
  let idsLength = chars.length;
  for (let i = 0; i < take; i++) idsLength += candLength[order[i] as number] as number;
  const ids = new Int32Array(idsLength);
  const raw = new Float64Array(count);
  let at = 0;
  chars.forEach((id, i) => {
    offsets[i] = at;
    ids[at++] = id;
    raw[i] = charCounts[id] as number;
  });
  for (let i = 0; i < take; i++) {
    const c = order[i] as number;
    offsets[chars.length + i] = at;
    const offset = candOffset[c] as number;
    const length = candLength[c] as number;
    ids.set(text.subarray(offset, offset + length), at);
    at += length;
    raw[chars.length + i] = candScore[c] as number;
  }
  offsets[count] = at;
  const logSum = Math.log(raw.reduce((s, x) => s + x, 0));
  const scores = raw.map((x) => Math.log(x) - logSum);
  return { ids, offsets, scores };
}

function grown<T extends { set(source: ArrayLike<number>): void }>(source: ArrayLike<number>, target: T): T {
  target.set(source);
  return target;
}
