// Vocabulary presets with pinned ids. T5 (sentinels descending after the 32,000 pieces) on the real
// t5-spiece.model from ../shared/data, its piece ids taken from Debian's spm_encode; mBART and NLLB
// (fairseq layout: <s> <pad> </s> <unk> = 0–3, piece + 1, codes, <mask>) on tiny models built here and on
// models of the real sizes (250,000 and 256,000 pieces), pinned to the ids Hugging Face's
// MBartTokenizer/NllbTokenizer give mbart-large-cc25 and nllb-200 (en_XX 250004, eng_Latn 256047, ...).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALIZER_SPEC, DEFAULT_TRAINER_SPEC, serializeModelProto } from '../../src/tokenizer/model-proto.js';
import type { ModelPiece } from '../../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { MBART_CC25_LANGUAGE_CODES, NLLB_LANGUAGE_CODES } from '../../src/tokenizer/language-codes.js';
import { Vocabulary } from '../../src/tokenizer/vocabulary.js';

const T5_MODEL = fileURLToPath(new URL('../../../shared/data/tokenizers/t5-spiece.model', import.meta.url));
const HAVE_T5 = existsSync(T5_MODEL);
if (!HAVE_T5) console.warn(`vocabulary.test: skipping the t5-spiece.model tests: ${T5_MODEL} is absent (see ../shared/data/README.md)`);

/** A unigram model of the given pieces after <unk> <s> </s>, identity normalization (empty charsmap). */
function tinyModel(pieces: readonly (string | ModelPiece)[]): SentencePieceProcessor {
  const all: ModelPiece[] = [
    { piece: '<unk>', score: 0, type: 'unknown' },
    { piece: '<s>', score: 0, type: 'control' },
    { piece: '</s>', score: 0, type: 'control' },
    ...pieces.map((p, i): ModelPiece => (typeof p === 'string' ? { piece: p, score: -1 - i / 100, type: 'normal' } : p)),
  ];
  const bytes = serializeModelProto({
    pieces: all,
    trainerSpec: { ...DEFAULT_TRAINER_SPEC, vocabSize: all.length },
    normalizerSpec: { ...DEFAULT_NORMALIZER_SPEC },
    denormalizerSpec: null,
    selfTestData: [],
  });
  return SentencePieceProcessor.fromBytes(bytes);
}

/** Pieces ▁ a b c ▁ab ▁c abc: spm ids 3..9 (fairseq ids 4..10). */
const TINY_PIECES = ['▁', 'a', 'b', 'c', '▁ab', '▁c', 'abc'];

describe.skipIf(!HAVE_T5)(`Vocabulary.t5 on t5-spiece.model${HAVE_T5 ? '' : ' (skipped: data absent)'}`, () => {
  const proc = HAVE_T5 ? SentencePieceProcessor.fromBytes(readFileSync(T5_MODEL)) : null;
  const vocab = (): Vocabulary => Vocabulary.t5(proc!, { extraIds: 100 });

  it('has 32,100 ids: the pieces, then <extra_id_99> … <extra_id_0> (descending, as HF T5Tokenizer)', () => {
    const v = vocab();
    expect(proc!.vocabSize).toBe(32000);
    expect(v.size).toBe(32100);
    expect(v.sentinelCount).toBe(100);
    expect(v.sentinelId(0)).toBe(32099);
    expect(v.sentinelId(1)).toBe(32098);
    expect(v.sentinelId(99)).toBe(32000);
    expect(v.tokenToId('<extra_id_0>')).toBe(32099);
    expect(v.idToToken(32000)).toBe('<extra_id_99>');
    expect(v.idToToken(31999)).toBe(proc!.idToPiece(31999));
    expect(() => v.sentinelId(100)).toThrow(/\[0, 100\)/);
    expect(Vocabulary.t5(proc!).size).toBe(32100);
    expect(Vocabulary.t5(proc!, { extraIds: 0 }).size).toBe(32000);
  });

  it('names pad 0, eos 1, unk 2 from the model; T5 has no bos, mask, clm or doc', () => {
    const v = vocab();
    expect([v.padId, v.eosId, v.unkId]).toEqual([0, 1, 2]);
    expect([v.idToToken(0), v.idToToken(1), v.idToToken(2)]).toEqual(['<pad>', '</s>', '<unk>']);
    expect(v.hasSpecial('bos')).toBe(false);
    expect(() => v.bosId).toThrow(
      /no bos token.*spm_train --bos_id=N --bos_piece=<s>.*Vocabulary\.t5\(processor, \{ specialTokens: \{ bos: "<s>" \} \}\)/,
    );
    expect(() => v.clmId).toThrow(/no clm token.*--user-symbols \[CLM\]/);
    expect(() => v.languageCodeId('en_XX')).toThrow(/no language codes/);
  });

  it('encodes as spm_encode, with </s> and sentinels in the text as single ids', () => {
    const v = vocab();
    // spm_encode --output_format=id: "Hello world" → 566 7126 296 (H ello ▁world; this model has no dummy prefix).
    expect(v.encode('Hello world')).toEqual([566, 7126, 296]);
    expect(v.encode('Hello world', { addEos: true })).toEqual([566, 7126, 296, 1]);
    expect(v.encode('Hello world</s>')).toEqual([566, 7126, 296, 1]);
    // Without parsing specials "</s>" is text: spm_encode gives < / s > = 2 87 7 3155.
    expect(v.encode('Hello world</s>', { parseSpecial: false })).toEqual([566, 7126, 296, 2, 87, 7, 3155]);
    // Sentinels swallow the spaces around them (HF: lstrip and rstrip): The | walks in | park.
    expect(v.encode('The <extra_id_0> walks in <extra_id_1> park')).toEqual([634, 32099, 12539, 7, 16, 32098, 6334]);
    expect(v.encode('<extra_id_0><extra_id_99>')).toEqual([32099, 32000]);
    expect(v.encode('')).toEqual([]);
    expect(v.encode('', { addEos: true })).toEqual([1]);
  });

  it('decodes: SentencePiece between special tokens, which are written or skipped', () => {
    const v = vocab();
    expect(v.decode([566, 7126, 296])).toBe('Hello world');
    expect(v.decode([566, 7126, 296, 1])).toBe('Hello world</s>');
    expect(v.decode([566, 7126, 296, 1, 0, 0], { skipSpecial: true })).toBe('Hello world');
    expect(v.decode([634, 32099, 6334])).toBe('The<extra_id_0>park');
    expect(v.decode([634, 32099, 6334], { skipSpecial: true })).toBe('Thepark');
    expect([v.isSpecial(1), v.isSpecial(2), v.isSpecial(566), v.isSpecial(32099)]).toEqual([true, true, false, true]);
    expect(() => v.decode([32100])).toThrow(/token id 32100 is outside this t5 vocabulary of 32100 ids/);
    expect(() => v.decode([-1])).toThrow(RangeError);
  });

  it('AlexaTM tokens the model lacks are absent by default, added after the pieces with addMissing', () => {
    const plain = Vocabulary.alexatm(proc!);
    expect([plain.eosId, plain.unkId]).toEqual([1, 2]);
    expect(plain.size).toBe(32000);
    expect(() => plain.clmId).toThrow(
      /no clm token \("\[CLM\]" is not a piece of the SentencePiece model\); .*--user-symbols \[CLM\].*addMissing: true/,
    );
    expect(() => plain.padId).toThrow(/\[PAD\]/);
    const added = Vocabulary.alexatm(proc!, { addMissing: true });
    // Added in the order pad, bos, mask, clm, doc (eos and unk are pieces).
    expect(added.size).toBe(32005);
    expect([added.padId, added.bosId, added.maskId, added.clmId, added.docId]).toEqual([32000, 32001, 32002, 32003, 32004]);
    expect([added.eosId, added.unkId]).toEqual([1, 2]);
    // "[CLM] Sentence:" → [CLM] then "Sentence:" (spm_encode: 134 295 1433 10; the space is dropped by
    // remove_extra_whitespaces), where the whole line as text is 6306 8440 329 908 24190 1433 10.
    expect(added.encode('[CLM] Sentence:')).toEqual([32003, 134, 295, 1433, 10]);
    expect(plain.encode('[CLM] Sentence:')).toEqual([6306, 8440, 329, 908, 24190, 1433, 10]);
    expect(added.encode('a[DOC]b', { addBos: true, addEos: true })).toEqual([
      32001, ...proc!.encodeIds('a'), 32004, ...proc!.encodeIds('b'), 1,
    ]);
    expect(added.decode([32003, 134, 295, 1433, 10])).toBe('[CLM]Sentence:');
    expect(added.decode([32003, 134, 295, 1433, 10], { skipSpecial: true })).toBe('Sentence:');
  });
});

describe('Vocabulary.mbart (fairseq layout, HF MBartTokenizer)', () => {
  const proc = tinyModel(TINY_PIECES);
  const n = proc.vocabSize; // 10

  it('puts <s> <pad> </s> <unk> at 0–3, piece k at k + 1, the 25 codes at n + 1 …, <mask> last', () => {
    const v = Vocabulary.mbart(proc);
    expect(n).toBe(10);
    expect(v.size).toBe(n + 1 + 25 + 1);
    expect([v.bosId, v.padId, v.eosId, v.unkId]).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((id) => v.idToToken(id))).toEqual(['<s>', '<pad>', '</s>', '<unk>']);
    expect(v.tokenToId('▁ab')).toBe(proc.pieceToId('▁ab') + 1);
    expect(v.idToToken(proc.pieceToId('abc') + 1)).toBe('abc');
    expect(v.languageCodeId('ar_AR')).toBe(n + 1);
    expect(v.languageCodeId('en_XX')).toBe(n + 4);
    expect(v.languageCodeId('zh_CN')).toBe(n + 25);
    expect(v.maskId).toBe(n + 26);
    expect(v.idToToken(n + 26)).toBe('<mask>');
    expect(v.languageCodes).toEqual(MBART_CC25_LANGUAGE_CODES);
    expect(() => v.clmId).toThrow(/no clm token/);
  });

  it('encodes X </s> lang_code, maps the model unk to 3, and <mask> swallows the space before it', () => {
    const v = Vocabulary.mbart(proc);
    const ab = proc.encodeIds('ab c').map((id) => id + 1);
    expect(ab.length).toBeGreaterThan(0);
    expect(v.encode('ab c')).toEqual(ab);
    expect(v.encode('ab c', { addEos: true, language: 'en_XX' })).toEqual([...ab, 2, n + 4]);
    expect(v.encode('ab c', { addEos: true, language: 'ro_RO' })).toEqual([...ab, 2, n + 20]);
    // 'x' is no piece: ▁ x → pieces 3 0; the model's <unk> (piece 0) is fairseq's 3, never 0 + 1.
    expect(proc.encodeIds('x')).toEqual([3, proc.unkId]);
    expect(v.encode('x')).toEqual([4, 3]);
    expect(v.encode('ab <mask>')).toEqual([...proc.encodeIds('ab').map((id) => id + 1), n + 26]);
    expect(v.encode('en_XX ab')).toEqual([n + 4, ...proc.encodeIds(' ab').map((id) => id + 1)]);
    expect(v.decode([...ab, 2, n + 4])).toBe(`${proc.decodeIds(proc.encodeIds('ab c'))}</s>en_XX`);
    expect(v.decode([...ab, 2, n + 4], { skipSpecial: true })).toBe(proc.decodeIds(proc.encodeIds('ab c')));
  });

  it('names the code and the close ones when a language code is unknown', () => {
    const v = Vocabulary.mbart(proc);
    expect(() => v.languageCodeId('en_US')).toThrow(/unknown mbart language code "en_US"; did you mean en_XX\?/);
    expect(() => v.encode('a', { language: 'eng_Latn' })).toThrow(/unknown mbart language code "eng_Latn"; did you mean en_XX\?/);
    expect(() => v.languageCodeId('qq_QQ')).toThrow(/known: ar_AR, cs_CZ/);
  });

  it('takes other code lists (mBART-50 style), then named and added tokens after <mask>', () => {
    const v = Vocabulary.mbart(proc, {
      languageCodes: ['en_XX', 'xx_YY'],
      specialTokens: { clm: '[CLM]' },
      addedTokens: ['<sep>', { text: '<x>', special: true }],
    });
    expect(v.languageCodeId('xx_YY')).toBe(n + 2);
    expect(v.maskId).toBe(n + 3);
    expect(v.clmId).toBe(n + 4);
    expect([v.tokenToId('<sep>'), v.tokenToId('<x>')]).toEqual([n + 5, n + 6]);
    expect(v.size).toBe(n + 7);
    expect(v.encode('[CLM]ab', { addEos: true, language: 'xx_YY' })).toEqual([n + 4, ...proc.encodeIds('ab').map((id) => id + 1), 2, n + 2]);
    expect(v.decode([n + 5, n + 6, n + 4], { skipSpecial: true })).toBe('<sep>');
  });
});

describe('Vocabulary.nllb (fairseq layout, HF NllbTokenizer)', () => {
  const proc = tinyModel(TINY_PIECES);
  const n = proc.vocabSize;

  it('has the 202 FLORES-200 codes after the pieces and <mask> after them', () => {
    const v = Vocabulary.nllb(proc);
    expect(NLLB_LANGUAGE_CODES.length).toBe(202);
    expect(v.size).toBe(n + 1 + 202 + 1);
    expect(v.languageCodeId('ace_Arab')).toBe(n + 1);
    expect(v.languageCodeId('eng_Latn')).toBe(n + 47);
    expect(v.languageCodeId('fra_Latn')).toBe(n + 57);
    expect(v.languageCodeId('zul_Latn')).toBe(n + 202);
    expect(v.maskId).toBe(n + 203);
  });

  it('encodes lang_code X </s> (non-legacy) and suggests codes of the same language', () => {
    const v = Vocabulary.nllb(proc);
    const ab = proc.encodeIds('ab c').map((id) => id + 1);
    expect(v.encode('ab c', { addEos: true, language: 'eng_Latn' })).toEqual([n + 47, ...ab, 2]);
    expect(() => v.languageCodeId('en_XX')).toThrow(/unknown nllb language code "en_XX"; did you mean eng_Latn\?/);
  });
});

describe('fairseq ids at the real sizes (HF mbart-large-cc25 and nllb-200)', () => {
  /** A model of `size` pieces: <unk> <s> </s> and filler pieces; only its size matters here. */
  const sized = (size: number): SentencePieceProcessor =>
    tinyModel(Array.from({ length: size - 3 }, (_, i) => `p${i}`));

  it('mbart-large-cc25: 250,000 pieces → en_XX 250004, ro_RO 250020, <mask> 250026, 250027 ids', () => {
    const v = Vocabulary.mbart(sized(250_000));
    expect([v.languageCodeId('en_XX'), v.languageCodeId('ro_RO'), v.maskId, v.size]).toEqual([250004, 250020, 250026, 250027]);
  });

  it('nllb-200: 256,000 pieces → eng_Latn 256047, fra_Latn 256057, <mask> 256203, 256204 ids', () => {
    const v = Vocabulary.nllb(sized(256_000));
    expect([v.languageCodeId('eng_Latn'), v.languageCodeId('fra_Latn'), v.maskId, v.size]).toEqual([256047, 256057, 256203, 256204]);
  });
});

describe('Vocabulary.sentencePiece and added tokens', () => {
  const proc = tinyModel([
    ...TINY_PIECES,
    { piece: '[CLM]', score: 0, type: 'user_defined' },
    { piece: '[MASK]', score: 0, type: 'control' },
  ]);
  const n = proc.vocabSize; // 12

  it('names the model specials, finds named tokens among the pieces, and adds the rest after them', () => {
    const v = Vocabulary.sentencePiece(proc, { specialTokens: { clm: '[CLM]', mask: '[MASK]', doc: '[DOC]' } });
    expect([v.unkId, v.bosId, v.eosId]).toEqual([0, 1, 2]);
    expect(() => v.padId).toThrow(/no pad token/);
    expect([v.clmId, v.maskId, v.docId]).toEqual([10, 11, n]);
    expect(v.size).toBe(n + 1);
    expect(v.encode('[MASK]ab[DOC]')).toEqual([11, ...proc.encodeIds('ab'), n]);
    expect(v.encode('[MASK]ab', { parseSpecial: false })).toEqual(proc.encodeIds('[MASK]ab'));
    // The AlexaTM preset finds the same pieces, with no addition needed for those the model has.
    const alexatm = Vocabulary.alexatm(proc);
    expect([alexatm.clmId, alexatm.maskId, alexatm.bosId, alexatm.eosId, alexatm.unkId]).toEqual([10, 11, 1, 2, 0]);
    expect(alexatm.size).toBe(n);
    expect(() => alexatm.docId).toThrow(/no doc token \("\[DOC\]" is not a piece/);
  });

  it('splits on added tokens leftmost-longest and applies lstrip/rstrip', () => {
    const v = Vocabulary.sentencePiece(proc, { addedTokens: ['<x>', '<x><y>', { text: '<z>', lstrip: true, rstrip: true }] });
    const [x, xy, z] = [n, n + 1, n + 2];
    expect(v.encode('a<x><y>b<x>c')).toEqual([
      ...proc.encodeIds('a'), xy, ...proc.encodeIds('b'), x, ...proc.encodeIds('c'),
    ]);
    expect(v.encode('ab  <z>  c')).toEqual([...proc.encodeIds('ab'), z, ...proc.encodeIds('c')]);
    expect(v.decode([...proc.encodeIds('ab'), x])).toBe(`${proc.decodeIds(proc.encodeIds('ab'))}<x>`);
    expect(v.isSpecial(x)).toBe(false);
    // A token the model already has keeps its id and is matched atomically.
    const again = Vocabulary.sentencePiece(proc, { addedTokens: ['abc'] });
    expect(again.size).toBe(n);
    expect(again.tokenToId('abc')).toBe(proc.pieceToId('abc'));
    expect(again.tokenToId('nope')).toBeUndefined();
  });

  it('rejects bad options with a clear message', () => {
    expect(() => Vocabulary.t5(proc, { extraIds: -1 })).toThrow(/extraIds must be a non-negative integer/);
    expect(() => Vocabulary.sentencePiece(proc, { addedTokens: [''] })).toThrow(/non-empty/);
    expect(() => Vocabulary.mbart(proc, { languageCodes: ['en_XX', 'en_XX'] })).toThrow(/distinct/);
  });
});
