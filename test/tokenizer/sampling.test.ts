// N-best and sampling: exact n-best on a toy model and parity with `spm_encode --output_format=nbest_id`;
// unigram sampling (forward-filtering backward-sampling, and from the n best) and BPE-dropout are
// deterministic under a seeded generator, never change the text, and draw segmentations with the
// probabilities the scores give.

import { describe, expect, it } from 'vitest';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { seededRandom } from '../helpers/arrays.js';
import { MISSING, MODELS, floresLines, spmEncode } from './spm-reference.js';
import { toyBpe, toyUnigram } from './toy-models.js';

/** Frequency of each segmentation (pieces joined by spaces) over `n` draws. */
function frequencies(n: number, draw: () => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = draw().join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, c]) => [k, c / n]));
}

/** Softmax of alpha · scores. */
function probabilities(scores: readonly number[], alpha: number): number[] {
  const max = Math.max(...scores.map((s) => alpha * s));
  const w = scores.map((s) => Math.exp(alpha * s - max));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

describe('unigram n-best and sampling (toy model)', () => {
  const sp = SentencePieceProcessor.fromModel(toyUnigram());
  // '▁ab' has three segmentations: ▁ab (-4.5), ▁ + ab (-6), ▁ + a + b (-8).
  const paths = ['▁ab', '▁ ab', '▁ a b'];
  const scores = [-4.5, -6, -8];

  it('lists the n best, best first, and no more than exist', () => {
    expect(sp.nbestEncodePieces('ab', 10)).toEqual([['▁ab'], ['▁', 'ab'], ['▁', 'a', 'b']]);
    expect(sp.nbestEncodeIds('ab', 2)).toEqual([[8], [4, 7]]);
    expect(sp.nbestEncodeIds('ab', 1)).toEqual([[8]]);
    expect(sp.nbestEncodeIds('', 3)).toEqual([[]]);
  });

  it('samples the whole lattice with probabilities ∝ exp(alpha · score)', () => {
    for (const alpha of [1, 0.5]) {
      const rand = seededRandom(11);
      const freq = frequencies(20_000, () => sp.sampleEncodePieces('ab', { alpha, nbestSize: -1 }, rand));
      probabilities(scores, alpha).forEach((p, i) => expect(Math.abs((freq.get(paths[i]!) ?? 0) - p)).toBeLessThan(0.015));
    }
  });

  it('samples from the n best with the same probabilities', () => {
    const rand = seededRandom(12);
    const freq = frequencies(20_000, () => sp.sampleEncodePieces('ab', { alpha: 0.5, nbestSize: 2 }, rand));
    const p = probabilities(scores.slice(0, 2), 0.5);
    expect(Math.abs(freq.get('▁ab')! - p[0]!)).toBeLessThan(0.015);
    expect(Math.abs(freq.get('▁ ab')! - p[1]!)).toBeLessThan(0.015);
    expect(freq.has('▁ a b')).toBe(false);
  });

  it('is Viterbi with nbestSize 0 or 1, and the same sample for the same seed', () => {
    expect(sp.sampleEncodeIds('ab abc', { alpha: 0.1, nbestSize: 1 }, seededRandom(1))).toEqual(sp.encodeIds('ab abc'));
    expect(sp.sampleEncodeIds('ab abc', { alpha: 0.1, nbestSize: 0 }, seededRandom(1))).toEqual(sp.encodeIds('ab abc'));
    const draw = (seed: number): number[][] => {
      const rand = seededRandom(seed);
      return Array.from({ length: 20 }, () => sp.sampleEncodeIds('ab ab ab', { alpha: 0.2 }, rand));
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });
});

describe('BPE-dropout (toy model)', () => {
  const sp = SentencePieceProcessor.fromModel(toyBpe());

  it('is plain BPE at dropout 0 and characters at dropout 1', () => {
    expect(sp.sampleEncodePieces('abc', { alpha: 0 }, seededRandom(1))).toEqual(['▁abc']);
    expect(sp.sampleEncodePieces('abc', { alpha: 1 }, seededRandom(1))).toEqual(['▁', 'a', 'b', 'c']);
  });

  it('skips each merge with the dropout probability', () => {
    // '▁ab': merge ab, then ▁ab; each skipped with p = 0.3.
    const rand = seededRandom(21);
    const freq = frequencies(20_000, () => sp.sampleEncodePieces('ab', { alpha: 0.3 }, rand));
    expect(Math.abs(freq.get('▁ab')! - 0.7 * 0.7)).toBeLessThan(0.015);
    expect(Math.abs(freq.get('▁ ab')! - 0.7 * 0.3)).toBeLessThan(0.015);
    expect(Math.abs(freq.get('▁ a b')! - 0.3)).toBeLessThan(0.015);
  });

  it('repeats for the same seed and keeps the text', () => {
    const draw = (seed: number): number[][] => {
      const rand = seededRandom(seed);
      return Array.from({ length: 20 }, () => sp.sampleEncodeIds('abc abcbc', { alpha: 0.5 }, rand));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    for (const ids of draw(3)) expect(sp.decodeIds(ids)).toBe('abc abcbc');
  });
});

const skip = MISSING !== null;
describe.skipIf(skip)(`n-best and sampling on real models${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  const lines = skip ? [] : floresLines('dev').flatMap((f) => f.lines.slice(0, 25));

  for (const [name, file] of [
    ['t5', MODELS.t5],
    ['spm-test-unigram', MODELS.unigramTest],
  ] as const) {
    it(`${name}: n-best equals spm_encode --output_format=nbest_id (n = 2, 8), and its first is Viterbi`, async () => {
      const sp = await SentencePieceProcessor.load(file);
      for (const n of [2, 8]) {
        const reference = spmEncode(file, lines, 'nbest_id', [`--nbest_size=${n}`]);
        const ours = lines.flatMap((l) => sp.nbestEncodeIds(l, n).map((ids) => ids.join(' ')));
        expect(ours.length).toBe(reference.length);
        const bad = ours.map((o, i) => [i, o, reference[i]]).filter(([, o, r]) => o !== r);
        expect(bad.slice(0, 3)).toEqual([]);
      }
      for (const l of lines) expect(sp.nbestEncodeIds(l, 4)[0]).toEqual(sp.encodeIds(l));
    });
  }

  it('t5: lattice samples follow the n-best probabilities of a word, and keep the text', async () => {
    const sp = await SentencePieceProcessor.load(MODELS.t5);
    const word = 'Tokenization';
    const all = sp.nbestEncodePieces(word, 1024); // every segmentation of a short word
    const scores = all.map((pieces) => pieces.reduce((s, p) => s + sp.getScore(sp.pieceToId(p)), 0));
    const alpha = 0.3;
    const p = probabilities(scores, alpha);
    const rand = seededRandom(99);
    const freq = frequencies(20_000, () => sp.sampleEncodePieces(word, { alpha, nbestSize: -1 }, rand));
    for (let i = 0; i < 3; i++) expect(Math.abs((freq.get(all[i]!.join(' ')) ?? 0) - p[i]!)).toBeLessThan(0.015);
    const line = lines[0]!;
    const text = sp.decodeIds(sp.encodeIds(line));
    for (let i = 0; i < 20; i++) expect(sp.decodeIds(sp.sampleEncodeIds(line, { alpha: 0.1 }, rand))).toBe(text);
  });
});
