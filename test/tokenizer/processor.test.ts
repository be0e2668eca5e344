// SentencePieceProcessor on the toy models: hand-derived ids and pieces (user-defined symbols whole,
// unknown runs merged, byte fallback, unused pieces never emitted), decoding, the vocabulary API, special
// ids, and errors that name the bad value; the same toy models through spm_encode/spm_decode agree.

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeModelProto } from '../../src/tokenizer/model-proto.js';
import type { ModelProto } from '../../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { MISSING, TRICKY, spmDecode, spmEncode, tempDir } from './spm-reference.js';
import { toyBpe, toyUnigram } from './toy-models.js';

const BYTE0 = 11; // id of <0x00> in toyUnigram({ byteFallback: true })

describe('SentencePieceProcessor (toy unigram)', () => {
  const sp = SentencePieceProcessor.fromModel(toyUnigram());

  it('segments by the best total score', () => {
    // '▁ab▁abc': ▁ab (-4.5) beats ▁ + ab (-6); abc is unused, so ▁ab + c.
    expect(sp.encodePieces('ab abc')).toEqual(['▁ab', '▁ab', 'c']);
    expect(sp.encodeIds('ab abc')).toEqual([8, 8, 9]);
    expect(sp.encodeIds('abc')).toEqual([8, 9]);
    expect(sp.encodeIds('')).toEqual([]);
    expect(sp.encodeIds('   ')).toEqual([]);
  });

  it('keeps user-defined symbols whole and merges a run of unknown characters into one unk', () => {
    expect(sp.encodePieces('[MASK]x')).toEqual(['▁', '[MASK]', 'x']);
    expect(sp.encodeIds('[MASK]x')).toEqual([4, 3, 0]);
    expect(sp.encodePieces('xyz')).toEqual(['▁', 'xyz']);
    expect(sp.encodeIds('xyz')).toEqual([4, 0]);
    expect(sp.encodeIds('x a y')).toEqual([4, 0, 4, 5, 4, 0]);
  });

  it('decodes: leading ▁ dropped, unk as " ⁇ ", control pieces invisible', () => {
    expect(sp.decodeIds([8, 8, 9])).toBe('ab abc');
    expect(sp.decodeIds([4, 3, 0])).toBe('[MASK] ⁇ ');
    expect(sp.decodeIds([1, 8, 2])).toBe('ab');
    expect(sp.decodePieces(['▁ab', 'xyz', '<s>'])).toBe('abxyz');
    expect(sp.decodeIds([])).toBe('');
  });

  it('answers vocabulary questions', () => {
    expect(sp.vocabSize).toBe(11);
    expect(sp.pieceToId('ab')).toBe(7);
    expect(sp.pieceToId('abc')).toBe(10);
    expect(sp.pieceToId('zzz')).toBe(0); // absent → unk
    expect(sp.pieceToId('<s>')).toBe(1);
    expect(sp.idToPiece(8)).toBe('▁ab');
    expect(sp.getScore(8)).toBe(-4.5);
    expect([sp.isUnknown(0), sp.isControl(1), sp.isUserDefined(3), sp.isUnused(10), sp.isByte(5)]).toEqual([true, true, true, true, false]);
    expect([sp.unkId, sp.bosId, sp.eosId, sp.padId]).toEqual([0, 1, 2, -1]);
    expect(sp.normalize('  a  b ')).toBe('▁a▁b');
  });

  it('names a bad id and the valid range', () => {
    expect(() => sp.idToPiece(11)).toThrow('id 11 is not in the vocabulary of 11 pieces; ids run from 0 to 10');
    expect(() => sp.isControl(-1)).toThrow('id -1 is not in the vocabulary of 11 pieces');
    expect(() => sp.decodeIds([4, 99])).toThrow('id 99 (position 1) is not in the vocabulary of 11 pieces; ids run from 0 to 10');
  });
});

describe('SentencePieceProcessor (byte fallback)', () => {
  const sp = SentencePieceProcessor.fromModel(toyUnigram({ byteFallback: true }));

  it('spells unknown characters as their UTF-8 bytes', () => {
    expect(sp.encodePieces('xé')).toEqual(['▁', '<0x78>', '<0xC3>', '<0xA9>']);
    expect(sp.encodeIds('xé')).toEqual([4, BYTE0 + 0x78, BYTE0 + 0xc3, BYTE0 + 0xa9]);
    expect(sp.decodeIds(sp.encodeIds('xé ab'))).toBe('xé ab');
  });

  it('decodes byte pieces as UTF-8, each malformed byte as U+FFFD', () => {
    expect(sp.decodeIds([BYTE0 + 0xe2, BYTE0 + 0x82, BYTE0 + 0xac])).toBe('€');
    expect(sp.decodeIds([BYTE0 + 0xc3, 5, BYTE0 + 0xe2, BYTE0 + 0x82])).toBe('\ufffda\ufffd\ufffd');
    expect(sp.decodePieces(['<0x41>', '▁ab'])).toBe('A ab');
  });
});

describe('SentencePieceProcessor (toy BPE)', () => {
  const sp = SentencePieceProcessor.fromModel(toyBpe());

  it('merges the best-scoring pair first', () => {
    // ▁ a b c → ab (-1) → ▁ab (-2) → ▁abc (-4)
    expect(sp.encodePieces('abc')).toEqual(['▁abc']);
    // ▁ a b c b c: ab (-1); bc (-1.5) at the right (the left bc went stale); ▁ab (-2); ▁abc (-4).
    expect(sp.encodePieces('abcbc')).toEqual(['▁abc', 'bc']);
    expect(sp.encodeIds('ab x')).toEqual([9, 3, 0]);
  });
});

describe('SentencePieceProcessor errors', () => {
  const bad = (edit: (m: ModelProto) => ModelProto): (() => SentencePieceProcessor) => () =>
    SentencePieceProcessor.fromModel(edit(toyUnigram()), 'toy.model');

  it('rejects a model without an unk piece', () => {
    expect(bad((m) => ({ ...m, pieces: m.pieces.slice(1) }))).toThrow("toy.model: no piece has type 'unknown'; a model needs an unk piece (e.g. <unk>)");
  });

  it('rejects a duplicated piece', () => {
    expect(bad((m) => ({ ...m, pieces: [...m.pieces, { piece: 'ab', score: 0, type: 'normal' }] }))).toThrow(
      'toy.model: piece "ab" (id 11) is already defined as id 7',
    );
  });

  it('rejects byte pieces without byte_fallback, and byte_fallback without all 256', () => {
    expect(bad((m) => ({ ...m, pieces: [...m.pieces, { piece: '<0x41>', score: 0, type: 'byte' }] }))).toThrow(
      'toy.model: byte piece "<0x41>" (id 11) is found although trainer_spec.byte_fallback is false',
    );
    expect(bad((m) => ({ ...m, trainerSpec: { ...m.trainerSpec, byteFallback: true } }))).toThrow(
      'toy.model: byte_fallback is on but byte piece <0x00> is missing (all 256 are needed)',
    );
  });

  it('rejects a damaged precompiled charsmap', () => {
    expect(bad((m) => ({ ...m, normalizerSpec: { ...m.normalizerSpec, precompiledCharsmap: Uint8Array.of(1, 2, 3) } }))).toThrow(
      'toy.model: precompiled charsmap is broken: 3 bytes, too short for its header; the normalizer spec is damaged',
    );
  });

  it('rejects a model whose self-test fails', () => {
    expect(bad((m) => ({ ...m, selfTestData: [{ input: 'ab', expected: '▁ab' }, { input: 'abc', expected: '▁a b c' }] }))).toThrow(
      'toy.model fails 1 of its 2 self-test samples ("abc": expected "▁a b c", got "▁ab c"); the model file is inconsistent',
    );
  });

  it('rejects n-best and sampling where the model has none', () => {
    const bpe = SentencePieceProcessor.fromModel(toyBpe());
    expect(() => bpe.nbestEncodeIds('abc', 2)).toThrow('n-best encoding needs a unigram model; this one is bpe');
    const uni = SentencePieceProcessor.fromModel(toyUnigram());
    expect(() => uni.sampleEncodeIds('abc', { alpha: 0.1, nbestSize: 600 }, Math.random)).toThrow(
      'nbestSize must be an integer ≤ 512 (got 600); use -1 to sample from the whole lattice',
    );
    expect(() => uni.sampleEncodeIds('abc', { alpha: NaN }, Math.random)).toThrow('sampling alpha must be a finite number (got NaN)');
  });
});

const skip = MISSING !== null;
describe.skipIf(skip)(`toy models through the C++ library${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  const dir = skip ? '' : tempDir('toy');
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  const inputs = ['ab abc', 'abc', '[MASK]x', 'xyz', 'x a y', 'xé ab', 'abcbc', 'ab x', ...TRICKY];

  for (const [name, model] of [
    ['unigram', toyUnigram()],
    ['unigram with byte fallback', toyUnigram({ byteFallback: true })],
    ['bpe', toyBpe()],
  ] as const) {
    it(`${name}: spm_encode and spm_decode agree`, () => {
      const file = path.join(dir, `${name.replaceAll(' ', '-')}.model`);
      writeFileSync(file, serializeModelProto(model));
      const sp = SentencePieceProcessor.fromModel(model);
      expect(inputs.map((t) => sp.encodeIds(t).join(' '))).toEqual(spmEncode(file, inputs, 'id'));
      expect(inputs.map((t) => sp.encodePieces(t).join(' '))).toEqual(spmEncode(file, inputs, 'piece'));
      const ids = inputs.map((t) => sp.encodeIds(t)).filter((x) => x.length > 0);
      expect(ids.map((x) => sp.decodeIds(x))).toEqual(spmDecode(file, ids.map((x) => x.join(' ')), 'id'));
    });
  }
});
