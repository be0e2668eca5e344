// Parity with spm_encode/spm_decode across the options SentencePiece models come with: small models
// trained here by spm_train with treat_whitespace_as_suffix, custom normalization and denormalization
// TSV rules, no whitespace cleanup, word and char model types, and a BPE model with split_digits,
// nmt_nfkc_cf and byte fallback; plus escape_whitespaces=false (written by serializeModelProto).

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Charsmap, parseRuleTsv } from '../../src/tokenizer/charsmap.js';
import { parseModelProto, serializeModelProto } from '../../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../../src/tokenizer/processor.js';
import { MISSING, TRICKY, corpusSample, floresLines, spmDecode, spmEncode, spmTrain, tempDir } from './spm-reference.js';

const RULES_TSV = '41\t61\n42\t62\n2160\t31\nFF41\t41 41\n3042\t\n61 62\t7A\n'; // A→a B→b Ⅰ→1 ａ→AA あ→(deleted) ab→z
const DENORM_TSV = '7A\t61 62\n'; // z→ab

const skip = MISSING !== null;
describe.skipIf(skip)(`model options, against the C++ library${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  const models: Record<string, string> = {};
  let dir = '';
  const lines = skip ? [] : [...floresLines('dev').flatMap((f) => f.lines.slice(0, 150)), ...TRICKY];

  beforeAll(async () => {
    dir = tempDir('variants');
    const corpus = corpusSample(dir, 1500, ['de', 'en', 'ja']);
    writeFileSync(path.join(dir, 'rules.tsv'), RULES_TSV);
    writeFileSync(path.join(dir, 'denorm.tsv'), DENORM_TSV);
    const common = [`--input=${corpus}`, '--vocab_size=1500', '--hard_vocab_limit=false', '--character_coverage=0.995', `--num_threads=${os.availableParallelism()}`];
    const variants: Record<string, string[]> = {
      suffix: ['--treat_whitespace_as_suffix=true'],
      rules: [
        `--normalization_rule_tsv=${path.join(dir, 'rules.tsv')}`,
        `--denormalization_rule_tsv=${path.join(dir, 'denorm.tsv')}`,
        '--user_defined_symbols=[MASK],ab',
      ],
      'no-cleanup': ['--remove_extra_whitespaces=false', '--add_dummy_prefix=false'],
      word: ['--model_type=word', '--use_all_vocab=true'],
      char: ['--model_type=char', '--user_defined_symbols=[MASK]'],
      'bpe-suffix': ['--model_type=bpe', '--treat_whitespace_as_suffix=true', '--split_digits=true', '--normalization_rule_name=nmt_nfkc_cf', '--byte_fallback=true'],
    };
    const trained = await Promise.all(Object.entries(variants).map(([name, flags]) => spmTrain(dir, name, [...common, ...flags])));
    Object.keys(variants).forEach((name, i) => (models[name] = trained[i]!));
    const { wire: _wire, ...suffix } = parseModelProto(new Uint8Array(readFileSync(models['suffix']!)));
    models['no-escape'] = path.join(dir, 'no-escape.model');
    writeFileSync(models['no-escape'], serializeModelProto({ ...suffix, normalizerSpec: { ...suffix.normalizerSpec, escapeWhitespaces: false } }));
  }, 600_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['suffix', 'rules', 'no-cleanup', 'word', 'char', 'bpe-suffix', 'no-escape']) {
    it(`${name}: ids, pieces and decoding equal the C++ library’s`, async () => {
      const file = models[name]!;
      const sp = await SentencePieceProcessor.load(file);
      const diff = (ours: string[], reference: string[]): [string, string, string | undefined][] =>
        ours.map((o, i): [string, string, string | undefined] => [lines[i]!.slice(0, 60), o, reference[i]]).filter(([, o, r]) => o !== r).slice(0, 3);
      expect(diff(lines.map((l) => sp.encodeIds(l).join(' ')), spmEncode(file, lines, 'id'))).toEqual([]);
      expect(diff(lines.map((l) => sp.encodePieces(l).join(' ')), spmEncode(file, lines, 'piece'))).toEqual([]);
      const ids = lines.map((l) => sp.encodeIds(l)).filter((x) => x.length > 0);
      const decoded = spmDecode(file, ids.map((x) => x.join(' ')), 'id');
      expect(ids.map((x, i) => [x.join(' '), sp.decodeIds(x), decoded[i]]).filter(([, o, r]) => o !== r).slice(0, 3)).toEqual([]);
    });
  }

  it('rules: the compiled charsmap holds the TSV rules, and one compiled here works in the C++ library', () => {
    const model = parseModelProto(new Uint8Array(readFileSync(models['rules']!)));
    const sortByBytes = (r: [string, string][]): [string, string][] => [...r].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    expect(Charsmap.parse(model.normalizerSpec.precompiledCharsmap).rules()).toEqual(sortByBytes(parseRuleTsv(RULES_TSV)));
    expect(Charsmap.parse(model.denormalizerSpec!.precompiledCharsmap).rules()).toEqual([['z', 'ab']]);
    expect(model.normalizerSpec.name).toBe('user_defined');
    const { wire: _wire, ...rest } = model;
    const ours = path.join(dir, 'rules-ours.model');
    const blob = Charsmap.compile(parseRuleTsv(RULES_TSV));
    writeFileSync(ours, serializeModelProto({ ...rest, normalizerSpec: { ...model.normalizerSpec, precompiledCharsmap: blob } }));
    expect(spmEncode(ours, lines, 'id')).toEqual(spmEncode(models['rules']!, lines, 'id'));
    const sp = SentencePieceProcessor.fromModel(model);
    // A→a and B→b; the user-defined 'ab' passes through before the ab→z rule can apply; あ is deleted.
    expect(sp.normalize('ABab ａ あ')).toBe('▁abab▁AA');
    // Decoding runs the denormalizer: z→ab.
    expect(sp.decodeIds(sp.encodeIds('xyz'))).toBe('xyab');
  });
});
