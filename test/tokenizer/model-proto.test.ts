// ModelProto reading and writing: exact bytes of a hand-built model (field numbers, wire types), byte-
// identical round trips of the shared .model files, models written from code loading in spm_encode with
// the same ids, and clear errors for empty, truncated and foreign files.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_NORMALIZER_SPEC,
  DEFAULT_TRAINER_SPEC,
  ModelFormatError,
  parseModelProto,
  serializeModelProto,
} from '../../src/tokenizer/model-proto.js';
import type { ModelProto } from '../../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { seededRandom } from '../helpers/arrays.js';
import { MISSING, MODELS, floresLines, spmEncode, tempDir } from './spm-reference.js';

const tiny: ModelProto = {
  pieces: [
    { piece: '<unk>', score: 0, type: 'unknown' },
    { piece: 'a', score: -1.5, type: 'normal' },
  ],
  trainerSpec: { ...DEFAULT_TRAINER_SPEC, vocabSize: 2 },
  normalizerSpec: { ...DEFAULT_NORMALIZER_SPEC, name: 'identity' },
  denormalizerSpec: null,
  selfTestData: [],
};

describe('ModelProto in code', () => {
  it('serializes to the exact protobuf bytes', () => {
    const text = (s: string): number[] => [...new TextEncoder().encode(s)];
    expect([...serializeModelProto(tiny)]).toEqual([
      // pieces (field 1): {piece '<unk>', type UNKNOWN (2)}, {piece 'a', score -1.5 (fixed32)}
      0x0a, 0x09, 0x0a, 0x05, ...text('<unk>'), 0x18, 0x02,
      0x0a, 0x08, 0x0a, 0x01, ...text('a'), 0x15, 0x00, 0x00, 0xc0, 0xbf,
      // trainer_spec (field 2): vocab_size (field 4) = 2; every other field is its default
      0x12, 0x02, 0x20, 0x02,
      // normalizer_spec (field 3): name (field 1) = 'identity'
      0x1a, 0x0a, 0x0a, 0x08, ...text('identity'),
    ]);
  });

  it('reads back what it wrote, defaults filled in', () => {
    const parsed = parseModelProto(serializeModelProto(tiny));
    const { wire, ...model } = parsed;
    expect(model).toEqual(tiny);
    expect(model.trainerSpec.padId).toBe(-1);
    expect(model.trainerSpec.characterCoverage).toBe(Math.fround(0.9995));
    expect(model.normalizerSpec.addDummyPrefix).toBe(true);
    expect(wire?.trainerSpec).toEqual(['vocabSize']);
    expect(wire?.pieces).toEqual(Uint8Array.of(2, 1));
  });

  it('writes negative int32 fields as ten-byte varints, as protobuf does', () => {
    const bytes = serializeModelProto({ ...tiny, trainerSpec: { ...tiny.trainerSpec, bosId: -1 } });
    expect(parseModelProto(bytes).trainerSpec.bosId).toBe(-1);
    // trainer_spec (14 bytes): vocab_size 0x20 0x02, then field 41 (key 0xc8 0x02) and ten bytes of -1
    expect([...bytes.subarray(bytes.indexOf(0x12), bytes.indexOf(0x12) + 17)]).toEqual([
      0x12, 0x0e, 0x20, 0x02, 0xc8, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x1a,
    ]);
  });

  it('refuses an empty piece, naming it', () => {
    const bad = { ...tiny, pieces: [...tiny.pieces, { piece: '', score: 0, type: 'normal' as const }] };
    expect(() => serializeModelProto(bad)).toThrow('piece 2 is empty; SentencePiece requires every piece to be non-empty');
  });
});

describe('ModelProto errors', () => {
  const how = 'expected a .model file written by spm_train or polyseq';

  it('names an empty file', () => {
    expect(() => parseModelProto(new Uint8Array(0), 'x.model')).toThrow(`x.model is empty (0 bytes); ${how}`);
  });

  it('names a truncated file', () => {
    const bytes = serializeModelProto(tiny);
    const cut = bytes.subarray(0, 20);
    expect(() => parseModelProto(cut, 'cut.model')).toThrow(ModelFormatError);
    expect(() => parseModelProto(cut, 'cut.model')).toThrow(
      `cut.model is truncated (20 bytes): embedded message at byte 12 runs past the end: needs 8 bytes, 7 left; ${how}`,
    );
  });

  it('names a file that is not a SentencePiece model', () => {
    const text = new TextEncoder().encode('hello, this is a text file\n');
    expect(() => parseModelProto(text, 'notes.txt')).toThrow(
      `notes.txt is not a SentencePiece model: field 13 (wire type 0) at byte 0 is not part of ModelProto; ${how}`,
    );
    const rand = seededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const noise = Uint8Array.from({ length: 200 }, () => Math.floor(rand() * 256));
      expect(() => parseModelProto(noise, 'noise.bin')).toThrow(/^noise\.bin (is not a SentencePiece model|is truncated)/);
    }
  });

  it('names a model without pieces', () => {
    const noPieces = serializeModelProto(tiny).subarray(21); // drop both pieces (11 + 10 bytes)
    expect(() => parseModelProto(noPieces, 'empty.model')).toThrow(`empty.model is not a SentencePiece model: it has no pieces (field 1); ${how}`);
  });

  it('load() names a missing file', async () => {
    await expect(SentencePieceProcessor.load('/nonexistent/m.model')).rejects.toThrow(/^cannot read SentencePiece model \/nonexistent\/m\.model: ENOENT/);
  });
});

const skip = MISSING !== null;
describe.skipIf(skip)(`ModelProto and the shared .model files${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  const dir = skip ? '' : tempDir('model-proto');
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, file] of Object.entries(MODELS)) {
    it(`round-trips ${name} byte for byte`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      const model = parseModelProto(bytes, file);
      expect(serializeModelProto(model)).toEqual(bytes);
      expect(parseModelProto(serializeModelProto(model))).toEqual(model);
    });
  }

  it('reads the t5 model’s specs', () => {
    const model = parseModelProto(new Uint8Array(readFileSync(MODELS.t5)));
    expect(model.pieces).toHaveLength(32_000);
    expect(model.trainerSpec.modelType).toBe('unigram');
    expect(model.trainerSpec.vocabSize).toBe(32_000);
    expect(model.normalizerSpec.name).toBe('nmt_nfkc');
    expect(model.denormalizerSpec).toBeNull();
  });

  it('writes models from code (no wire presence) that spm_encode reads with the same ids', () => {
    const lines = floresLines('dev').flatMap((f) => f.lines.slice(0, 40));
    for (const file of Object.values(MODELS)) {
      const { wire: _wire, ...model } = parseModelProto(new Uint8Array(readFileSync(file)));
      const rewritten = path.join(dir, path.basename(file));
      writeFileSync(rewritten, serializeModelProto(model));
      expect(spmEncode(rewritten, lines, 'id')).toEqual(spmEncode(file, lines, 'id'));
    }
  });
});
