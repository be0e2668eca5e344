// Training end to end on a small corpus this test writes itself: the exact pieces of a BPE and a
// unigram model pinned, and — where Debian's sentencepiece is installed — equal, piece for piece and
// score for score, to what spm_train makes of the same file; the written .model loads in spm_encode and
// encodes as our own processor does. Bad input fails with messages naming the value and the way out.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseModelProto, serializeModelProto, type ModelProto } from '../../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { trainSentencePiece, type TrainOptions, type TrainProgress } from '../../src/tokenizer/trainer/train.js';
import { seededRandom } from '../helpers/arrays.js';

const HAVE_SPM = existsSync('/usr/bin/spm_train') && existsSync('/usr/bin/spm_encode');
if (!HAVE_SPM) console.warn('trainer-train.test: skipping the spm_train/spm_encode cross-checks: apt-get install sentencepiece');

const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'hat', 'that', 'rat', 'a', 'cats', 'hats', 'sattle', 'matter', 'latter', 'chat'];
const RARE = ['château', 'naïve', 'über', 'straße', '東京', 'とうきょう', 'トーキョー', '2024', 'x1'];

/** 400 lines of seeded Zipf-like word salad, with a few accented, Japanese and numeric words. */
function tinyCorpus(): string {
  const words = [...WORDS, ...RARE];
  const rand = seededRandom(3);
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(rand() * 8);
    const line: string[] = [];
    for (let j = 0; j < n; j++) line.push(words[Math.floor(words.length * rand() ** 2)] as string);
    lines.push(line.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

const DIR = mkdtempSync(path.join(os.tmpdir(), 'polyseq-trainer-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const CORPUS = path.join(DIR, 'tiny.txt');
writeFileSync(CORPUS, tinyCorpus());

function pieceList(model: ModelProto): string[] {
  return model.pieces.map((p) => p.piece);
}

function spmTrain(type: 'bpe' | 'unigram', vocabSize: number, extra: string[] = []): ModelProto {
  const prefix = path.join(DIR, `spm-${type}`);
  execFileSync('/usr/bin/spm_train', [
    `--input=${CORPUS}`,
    `--model_prefix=${prefix}`,
    `--vocab_size=${vocabSize}`,
    `--model_type=${type}`,
    '--character_coverage=1',
    '--num_threads=1',
    '--minloglevel=2',
    ...extra,
  ], { stdio: 'ignore' });
  return parseModelProto(readFileSync(`${prefix}.model`));
}

function spmEncode(model: string, text: string): string {
  return execFileSync('/usr/bin/spm_encode', ['--model', model, '--output_format=id'], { input: text }).toString();
}

const BPE_PIECES = [
  '<unk>', '<s>', '</s>', 'at', 'th', '▁th', '▁the', '▁c', '▁s', '▁cat', 'hat', '▁sat', 'er', '▁hat', '▁m', '▁mat', 'ter',
  'on', '▁on', '▁r', '▁rat', '▁that', '▁chat', 'le', 'tle', '▁matter', '▁sattle', '▁a', '▁cats', '▁hats', 'üb', '▁üb',
  '▁über', 'au', 'hâ', 'te', 'hâte', 'hâteau', '▁château', '▁ト', 'キョ', '▁トー', 'キョー', '▁トーキョー', '▁l', '▁lat', '▁',
  't', 'a', 'e', 'h', 's', 'c', 'r', 'n', 'm', 'l', 'o', 'ー', 'う', '2', 'b', 'ü', 'u', 'â', 'キ', 'ト', 'ョ', 'ß', 'v', 'ï',
  'き', 'と', 'ょ', '0', '4', '1', 'x', '京', '東',
];

const UNIGRAM_PIECES = [
  '<unk>', '<s>', '</s>', '▁the', '▁cat', '▁sat', '▁on', '▁hat', '▁mat', '▁rat', '▁that', '▁chat', '▁sattle', '▁matter',
  '▁a', '▁cats', '▁hats', '▁über', '▁château', '▁トーキョー', '▁latter', '▁straße', '▁naïve', '▁', '▁とうきょう', '▁2024',
  '1', 'x', '▁東京', 'a', '東', '京', '4', '0', 'ょ', 'と', 'き', 'ï', 'v', 'ß', 'ョ', 'ト', 'キ', 'â', 'u', 'ü', 'b', '2',
  'う', 'ー', 'o', 'l', 'm', 'n', 'r', 'c', 's', 'h', 'e', 't',
];

describe('trainSentencePiece on a small corpus', () => {
  it('BPE: merges by frequency, score −order, then the characters', async () => {
    const events: TrainProgress[] = [];
    const model = await trainSentencePiece({ input: [CORPUS], modelType: 'bpe', vocabSize: 80, characterCoverage: 1 }, (e) => events.push(e));
    expect(pieceList(model)).toEqual(BPE_PIECES);
    expect(model.pieces.slice(3, 7).map((p) => p.score)).toEqual([-0, -1, -2, -3]);
    expect(model.pieces[79]).toEqual({ piece: '東', score: -76, type: 'normal' });
    expect(model.trainerSpec.modelType).toBe('bpe');
    expect(events.map((e) => e.phase)).toEqual(['charsmap', 'read', 'normalize', 'alphabet', 'bpe', 'done']);
  });

  it('unigram: seeds, EM and pruning down to the vocabulary', async () => {
    const model = await trainSentencePiece({ input: [CORPUS], vocabSize: 60, characterCoverage: 1 });
    expect(pieceList(model)).toEqual(UNIGRAM_PIECES);
    expect(model.pieces.slice(3, 6).map((p) => Number(p.score.toFixed(4)))).toEqual([-1.6499, -2.4884, -2.7004]);
    expect(model.pieces.slice(-2).map((p) => Number(p.score.toFixed(4)))).toEqual([-9.3782, -9.3783]); // characters absent from the model: min score + 0.0001 steps
  });

  it('trains the same model from sentences given in memory', async () => {
    const sentences = readFileSync(CORPUS, 'utf8').split('\n');
    const model = await trainSentencePiece({ sentences, modelType: 'bpe', vocabSize: 80, characterCoverage: 1 });
    expect(pieceList(model)).toEqual(BPE_PIECES);
  });

  it.skipIf(!HAVE_SPM)('gives the pieces and scores spm_train gives', async () => {
    for (const [type, vocabSize] of [['bpe', 80], ['unigram', 60]] as const) {
      const reference = spmTrain(type, vocabSize);
      const ours = await trainSentencePiece({ input: [CORPUS], modelType: type, vocabSize, characterCoverage: 1 });
      expect(pieceList(ours)).toEqual(pieceList(reference));
      ours.pieces.forEach((p, i) => expect(p.score).toBeCloseTo(reference.pieces[i]?.score ?? NaN, 4));
    }
  });

  it.skipIf(!HAVE_SPM)('writes models spm_encode loads, encoding as our processor does (byte fallback, symbols)', async () => {
    const options: TrainOptions = { input: [CORPUS], vocabSize: 400, byteFallback: true, userDefinedSymbols: ['[MASK]'], controlSymbols: ['[CLM]'], hardVocabLimit: false };
    const sample = ['the cat sat on the [MASK] mat', 'Château über alles — 東京タワー ☃', 'x1 2024 naïve STRASSE', '  tabs\tand   spaces  ', ''];
    for (const modelType of ['unigram', 'bpe'] as const) {
      const model = await trainSentencePiece({ ...options, modelType });
      const file = path.join(DIR, `ours-${modelType}.model`);
      writeFileSync(file, serializeModelProto(model));
      const sp = SentencePieceProcessor.fromModel(model);
      const ours = sample.map((line) => `${sp.encodeIds(line).join(' ')}\n`).join('');
      expect(spmEncode(file, sample.map((line) => `${line}\n`).join(''))).toBe(ours);
      expect(model.pieces.slice(3, 5)).toEqual([
        { piece: '[CLM]', score: 0, type: 'control' },
        { piece: '[MASK]', score: 0, type: 'user_defined' },
      ]);
      expect(model.pieces[5]).toEqual({ piece: '<0x00>', score: 0, type: 'byte' });
    }
  });
});

describe('training input errors', () => {
  const train = (options: TrainOptions) => trainSentencePiece({ normalizationRuleName: 'identity', ...options });

  it('name the missing or empty input', async () => {
    await expect(train({})).rejects.toThrow('no training input: give input files (--input FILE...) or a directory per language (--input-per-language DIR)');
    const empty = path.join(DIR, 'empty.txt');
    writeFileSync(empty, '\n\n');
    await expect(train({ input: [empty] })).rejects.toThrow('the training input holds no usable sentences; give non-empty text files');
    await expect(train({ input: [path.join(DIR, 'missing.txt')] })).rejects.toThrow(/cannot read training input .*missing\.txt/);
  });

  it('name a vocabulary too small for the alphabet, or too large for the corpus', async () => {
    await expect(train({ input: [CORPUS], vocabSize: 20 })).rejects.toThrow(
      'vocabSize 20 is smaller than the 34 characters needed for character coverage 0.9994999766349792 plus 3 special pieces; raise vocabSize to at least 37 or lower characterCoverage',
    );
    await expect(train({ input: [CORPUS], vocabSize: 100, byteFallback: true })).rejects.toThrow(/vocabSize 100 is too small for the 259 special pieces/);
    await expect(train({ input: [CORPUS], vocabSize: 5000 })).rejects.toThrow(/vocabSize 5000 is too high for this corpus: it yields \d+ pieces; set vocabSize ≤ \d+, or turn hardVocabLimit off/);
    const soft = await train({ input: [CORPUS], vocabSize: 5000, hardVocabLimit: false });
    expect(soft.trainerSpec.vocabSize).toBe(soft.pieces.length);
  });

  it('name bad options', async () => {
    await expect(train({ input: [CORPUS], normalizationRuleName: 'nfc' })).rejects.toThrow(
      'unknown normalization rule name "nfc"; use one of nmt_nfkc, nfkc, nmt_nfkc_cf, nfkc_cf, identity, or a rule TSV file',
    );
    await expect(train({ input: [CORPUS], characterCoverage: 0.5 })).rejects.toThrow('characterCoverage must be in [0.98, 1] (got 0.5)');
    await expect(train({ input: [CORPUS], modelType: 'word' as 'bpe' })).rejects.toThrow(`model type "word" is not one polyseq trains; use 'unigram' or 'bpe'`);
    await expect(train({ input: [CORPUS], userDefinedSymbols: ['<unk>'] })).rejects.toThrow('userDefinedSymbols: "<unk>" is the unk piece, which is always defined; remove it');
    await expect(train({ input: [CORPUS], unkId: 7, vocabSize: 5 })).rejects.toThrow('unkId 7 is outside the vocabulary (vocabSize 5); use an id below it, or -1 to disable the piece');
  });

  it('compiles custom TSV rules and stores them as user_defined', async () => {
    const tsv = path.join(DIR, 'rules.tsv');
    writeFileSync(tsv, '61\t41\n# a comment\nU+0074 U+0068\t54 48\n');
    const model = await trainSentencePiece({ input: [CORPUS], vocabSize: 50, characterCoverage: 1, normalizationRuleTsv: tsv });
    expect(model.normalizerSpec.name).toBe('user_defined');
    const sp = SentencePieceProcessor.fromModel(model);
    expect(sp.normalize('that cat')).toBe('▁THAt▁cAt');
    writeFileSync(tsv, 'zz\t41\n');
    await expect(trainSentencePiece({ input: [CORPUS], normalizationRuleTsv: tsv })).rejects.toThrow(/line 1: source "zz" is not a hex code point/);
  });
});

describe('polyseq tokenizer train', () => {
  function capture(): { io: CliIo; out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return { io: { out: (t) => void (out += t), err: (t) => void (err += t) }, out: () => out, err: () => err };
  }

  it('writes the model, progress on stderr and one summary line on stdout', async () => {
    const output = path.join(DIR, 'cli.model');
    const { io, out, err } = capture();
    const argv = ['node', 'polyseq', 'tokenizer', 'train', '--input', CORPUS, '--vocab-size', '80', '--model-type', 'bpe', '--character-coverage', '1', '--output', output];
    expect(await main(argv, io)).toBe(0);
    expect(out()).toBe(`wrote ${output}: 80 pieces (bpe, normalization nmt_nfkc)\n`);
    expect(err()).toMatch(/^building the nmt_nfkc normalization rules\n/);
    expect(err()).toMatch(/\nBPE: 43\/43 merges/);
    expect(parseModelProto(readFileSync(output)).pieces.map((p) => p.piece)).toEqual(BPE_PIECES);
  });

  it('samples --input-per-language DIR with --alpha', async () => {
    const langs = path.join(DIR, 'langs');
    const lines = readFileSync(CORPUS, 'utf8').trimEnd().split('\n');
    mkdirSync(langs, { recursive: true });
    writeFileSync(path.join(langs, 'xx.txt'), `${lines.slice(0, 300).join('\n')}\n`);
    writeFileSync(path.join(langs, 'yy.txt'), `${lines.slice(300).map((l) => l.toUpperCase()).join('\n')}\n`);
    const output = path.join(DIR, 'langs.model');
    const { io, out, err } = capture();
    const argv = ['node', 'polyseq', 'tokenizer', 'train', '--input-per-language', langs, '--alpha', '0', '--vocab-size', '120', '--model-type', 'bpe', '--output', output];
    expect(await main(argv, io)).toBe(0);
    expect(out()).toBe(`wrote ${output}: 120 pieces (bpe, normalization nmt_nfkc)\n`);
    // Both corpora are read (α = 0 gives each half of the 400 sentences; balancedCounts is pinned in
    // trainer-input.test.ts), and both cases of the text make pieces.
    expect(err()).toContain(`reading ${path.join(langs, 'yy.txt')}: 100 lines\n`);
    const pieces = parseModelProto(readFileSync(output)).pieces.map((p) => p.piece);
    expect(pieces).toContain('▁THE');
    expect(pieces).toContain('▁the');
  });

  it('turns bad arguments into one line on stderr and exit code 1', async () => {
    const cases: [string[], string][] = [
      [['--vocab-size', '80'], 'error: no training input: give --input FILE... or --input-per-language DIR\n'],
      [['--input', CORPUS, '--vocab-size', 'x'], 'error: --vocab-size must be an integer ≥ 1 (got "x")\n'],
      [['--input', CORPUS, '--model-type', 'char'], 'error: --model-type must be unigram or bpe (got "char")\n'],
      [['--input', CORPUS, '--alpha', '0.3'], 'error: --alpha sets the language balance of --input-per-language; give that directory too\n'],
      [['--input-per-language', path.join(DIR, 'nope')], `error: --input-per-language ${path.join(DIR, 'nope')} must be a directory of <lang>.txt files`],
    ];
    for (const [args, message] of cases) {
      const { io, err } = capture();
      expect(await main(['node', 'polyseq', 'tokenizer', 'train', '--quiet', '--output', path.join(DIR, 'x.model'), ...args], io)).toBe(1);
      expect(err().startsWith(message)).toBe(true);
    }
  });
});
