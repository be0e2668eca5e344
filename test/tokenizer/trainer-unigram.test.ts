// The unigram trainer's parts against slow, obviously correct twins: the suffix array and LCP array
// against sorting the suffixes, the suffix-tree nodes against counting substrings, forward-backward
// (probability and log space) and Viterbi against enumerating every segmentation, and ψ pinned.

import { describe, expect, it } from 'vitest';
import { PieceTrie } from '../../src/tokenizer/trainer/piece-trie.js';
import { forEachInternalNode, lcpArray, suffixArray } from '../../src/tokenizer/trainer/suffix-array.js';
import { Lattices, type CurrentModel } from '../../src/tokenizer/trainer/unigram-lattices.js';
import { digamma } from '../../src/tokenizer/trainer/unigram-trainer.js';
import { seededRandom } from '../helpers/arrays.js';

function naiveSuffixArray(text: Int32Array): number[] {
  const suffix = (i: number) => Array.from(text.subarray(i));
  return [...text.keys()].sort((a, b) => {
    const x = suffix(a);
    const y = suffix(b);
    for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return (x[k] as number) - (y[k] as number);
    return x.length - y.length;
  });
}

describe('suffix array', () => {
  it('sorts the suffixes of "banana" and finds its repeated branching substrings', () => {
    const text = Int32Array.from('banana', (c) => c.charCodeAt(0) - 96);
    const sa = suffixArray(text, 27);
    expect(Array.from(sa)).toEqual([5, 3, 1, 0, 4, 2]); // a, ana, anana, banana, na, nana
    const lcp = lcpArray(text, sa);
    expect(Array.from(lcp)).toEqual([-1, 1, 3, 0, 0, 2]);
    const nodes: string[] = [];
    forEachInternalNode(sa, lcp, (index, left, right, depth) => {
      const start = sa[left] as number;
      nodes.push(`${index}:${'banana'.slice(start, start + depth)}×${right - left}`);
    });
    expect(nodes).toEqual(['0:ana×2', '1:a×3', '2:na×2', '3:×6']);
  });

  it('matches sorting the suffixes, and its nodes are the substrings seen twice with two continuations', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const k = 1 + Math.floor(rand() * 4);
      const text = Int32Array.from({ length: n }, () => Math.floor(rand() * k));
      const sa = suffixArray(text, k);
      expect(Array.from(sa)).toEqual(naiveSuffixArray(text));
      const lcp = lcpArray(text, sa);
      // Brute force: substrings occurring ≥ 2 times that are followed by two different characters (or the end).
      const expected = new Map<string, number>();
      for (let len = 1; len <= n; len++) {
        const seen = new Map<string, { count: number; next: Set<number> }>();
        for (let i = 0; i + len <= n; i++) {
          const key = text.subarray(i, i + len).join(',');
          const entry = seen.get(key) ?? { count: 0, next: new Set<number>() };
          entry.count++;
          entry.next.add(i + len < n ? (text[i + len] as number) : -1 - i);
          seen.set(key, entry);
        }
        for (const [key, { count, next }] of seen) if (count >= 2 && next.size >= 2) expected.set(key, count);
      }
      const found = new Map<string, number>();
      forEachInternalNode(sa, lcp, (_i, left, right, depth) => {
        if (depth > 0) found.set(text.subarray(sa[left] as number, (sa[left] as number) + depth).join(','), right - left);
      });
      expect(found).toEqual(expected);
    }
  });
});

/** Every segmentation of a string into pieces of `pieces` (or unknown single characters where no single-character piece starts). */
function segmentations(word: number[], pieces: Map<string, number>): number[][][] {
  const out: number[][][] = [];
  const walk = (pos: number, path: number[][]) => {
    if (pos === word.length) {
      out.push(path);
      return;
    }
    let single = false;
    for (let end = pos + 1; end <= word.length; end++) {
      const id = pieces.get(word.slice(pos, end).join(','));
      if (id === undefined) continue;
      if (end === pos + 1) single = true;
      walk(end, [...path, [id, pos, end]]);
    }
    if (!single) walk(pos + 1, [...path, [-1, pos, pos + 1]]);
  };
  walk(0, []);
  return out;
}

describe('unigram lattices', () => {
  // Pieces over characters 1..4; character 5 has no piece (an unknown node).
  const pieceList = [[1], [2], [3], [4], [1, 2], [2, 3], [1, 2, 3], [3, 4], [4, 1], [2, 3, 4, 1]];
  const scores = Float64Array.from([-2, -2.5, -3, -1.5, -2.2, -2.9, -3.1, -2.7, -4, -5]);
  const pieces = new Map(pieceList.map((p, i) => [p.join(','), i]));
  const trie = new PieceTrie(6);
  pieceList.forEach((p, i) => trie.insert(p, 0, p.length, i));
  const unkScore = -15;
  const model: CurrentModel = { current: Int32Array.from(pieceList.keys()), scores, probs: scores.map(Math.exp), unkScore, unkIndex: 0 };
  const scoreOf = (id: number) => (id < 0 ? unkScore : (scores[id] as number));

  function lattices(words: number[][], freqs: number[]): Lattices {
    const offsets = new Int32Array(words.length + 1);
    words.forEach((w, i) => (offsets[i + 1] = (offsets[i] as number) + w.length));
    return Lattices.build(Int32Array.from(words.flat()), offsets, Float64Array.from(freqs), trie, 16);
  }

  it('forward-backward gives the expected counts of enumerating every path (probability and log space)', () => {
    const rand = seededRandom(5);
    const words: number[][] = [];
    for (let i = 0; i < 40; i++) words.push(Array.from({ length: 1 + Math.floor(rand() * 24) }, () => 1 + Math.floor(rand() * 5)));
    const freqs = words.map((_, i) => 1 + (i % 3));
    const expected = new Float64Array(pieceList.length);
    const likelihood = lattices(words, freqs).expectedCounts(model, expected);
    const twin = new Float64Array(pieceList.length);
    let twinLikelihood = 0;
    words.forEach((w, k) => {
      const paths = segmentations(w, pieces).map((path) => ({ path, p: Math.exp(path.reduce((s, [id]) => s + scoreOf(id as number), 0)) }));
      const z = paths.reduce((s, { p }) => s + p, 0);
      twinLikelihood += (freqs[k] as number) * Math.log(z);
      for (const { path, p } of paths) for (const [id] of path) twin[(id as number) < 0 ? 0 : (id as number)] += ((freqs[k] as number) * p) / z;
    });
    expect(likelihood).toBeCloseTo(twinLikelihood, 9);
    expected.forEach((x, i) => expect(x).toBeCloseTo(twin[i] as number, 9));
  });

  it('Viterbi and the two best paths agree with enumeration', () => {
    const words = [[1, 2, 3, 4, 1], [2, 3, 4, 1], [5, 1, 2], [4, 1, 2, 3]];
    const counts = new Float64Array(pieceList.length);
    const lat = lattices(words, [1, 1, 1, 1]);
    lat.viterbiCounts(model, counts);
    const twin = new Float64Array(pieceList.length);
    const second: number[] = [];
    words.forEach((w, k) => {
      const ranked = segmentations(w, pieces)
        .map((path) => ({ path, s: path.reduce((t, [id]) => t + scoreOf(id as number), 0) }))
        .sort((a, b) => b.s - a.s);
      for (const [id] of (ranked[0] as { path: number[][] }).path) twin[(id as number) < 0 ? 0 : (id as number)] += 1;
      const bestSize = lat.twoBest(k, model, second);
      expect(bestSize).toBe((ranked[0] as { path: number[][] }).path.length);
      if (bestSize === 1) expect(second).toEqual((ranked[1] as { path: number[][] }).path.map(([id]) => Math.max(0, id as number)));
    });
    expect(Array.from(counts)).toEqual(Array.from(twin));
    // "2 3 4 1" is one piece (−5); the second best is 23·4·1 (−2.9 − 1.5 − 2 = −6.4).
    expect(lat.twoBest(1, model, second)).toBe(1);
    expect(second).toEqual([5, 3, 0]);
  });
});

describe('digamma', () => {
  it('matches ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2 and ψ(x + 1) = ψ(x) + 1/x', () => {
    // SentencePiece's series is accurate to ~1e-10.
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 9);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 9);
    expect(digamma(10.5) - digamma(9.5)).toBeCloseTo(1 / 9.5, 9);
    expect(digamma(1e6)).toBeCloseTo(Math.log(1e6) - 0.5e-6, 12);
  });
});
