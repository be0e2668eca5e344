// The trainer's input side: streamed line reading, the length/U+2585 filters, seeded reservoir sampling,
// language-balanced sampling (q ∝ p^α) with pinned counts, which strings may be pieces, how sentences
// split into words (SentencePiece's own test cases), the alphabet by character coverage, and the ids of
// the meta pieces.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINER_SPEC, type TrainerSpec } from '../../src/tokenizer/model-proto.js';
import { Alphabet } from '../../src/tokenizer/trainer/alphabet.js';
import { compareCodePoints } from '../../src/tokenizer/trainer/code-point-order.js';
import { metaPieceReplacer, prepareCorpus } from '../../src/tokenizer/trainer/corpus.js';
import { PieceRules, splitIntoWords } from '../../src/tokenizer/trainer/piece-rules.js';
import { balancedCounts, forEachLine, loadSentences } from '../../src/tokenizer/trainer/sentences.js';
import { metaPieces, resolveTrainerSpec } from '../../src/tokenizer/trainer/trainer-spec.js';
import { scriptName, scriptOf } from '../../src/tokenizer/trainer/unicode-script.js';

const DIR = mkdtempSync(path.join(os.tmpdir(), 'polyseq-input-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(DIR, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe('reading sentences', () => {
  it('streams lines, keeping \\r, counting a last line without \\n', async () => {
    const lines: string[] = [];
    await forEachLine(file('crlf.txt', 'one\r\ntwo\n\nthree'), (bytes) => void lines.push(new TextDecoder().decode(bytes)));
    expect(lines).toEqual(['one\r', 'two', '', 'three']);
  });

  it('skips empty lines, lines over max_sentence_length bytes and lines holding U+2585', async () => {
    const input = file('filters.txt', 'short\n\nthis line is too long\na\u2585\nfits exactly\n');
    const loaded = await loadSentences({ input: [input], maxSentenceLength: 12 });
    expect(loaded.sentences).toEqual([['short', 1], ['fits exactly', 1]]);
    expect(loaded.tooLong).toBe(1);
  });

  it('samples input_sentence_size lines by seeded reservoir sampling, or takes the first ones', async () => {
    const input = file('numbers.txt', Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    const a = await loadSentences({ input: [input], inputSentenceSize: 5, randomSeed: 1 });
    const b = await loadSentences({ input: [input], inputSentenceSize: 5, randomSeed: 1 });
    const c = await loadSentences({ input: [input], inputSentenceSize: 5, randomSeed: 2 });
    expect(a.sentences).toEqual(b.sentences);
    expect(a.sentences.map(([t]) => t)).toEqual(['line 196', 'line 56', 'line 80', 'line 295', 'line 572']);
    expect(c.sentences).not.toEqual(a.sentences);
    expect(a.totalLines).toBe(1000);
    const first = await loadSentences({ input: [input], inputSentenceSize: 3, shuffleInputSentence: false });
    expect(first.sentences.map(([t]) => t)).toEqual(['line 0', 'line 1', 'line 2']);
  });
});

describe('language-balanced sampling', () => {
  it('gives language i the share p_i^α / Σ p_j^α, rounded to sum exactly', () => {
    expect(balancedCounts([900, 100], 0.5, 1000).counts).toEqual([750, 250]);
    expect(balancedCounts([900, 100], 1, 1000).counts).toEqual([900, 100]);
    expect(balancedCounts([900, 100], 0, 1000).counts).toEqual([500, 500]);
    const { shares, counts } = balancedCounts([600, 300, 100], 0.5, 101);
    expect(shares.map((q) => Number(q.toFixed(4)))).toEqual([0.4727, 0.3343, 0.193]);
    expect(counts).toEqual([48, 34, 19]); // 47.74, 33.76, 19.49: the two largest remainders round up
    expect(() => balancedCounts([1], -1, 10)).toThrow('alpha must be a finite number ≥ 0 (got -1); 0.5 is the AlexaTM setting');
  });

  it('samples a directory of <lang>.txt: big languages down, small ones up (repeated lines)', async () => {
    const dir = path.join(DIR, 'langs');
    file('langs/en.txt', Array.from({ length: 900 }, (_, i) => `english ${i}`).join('\n'));
    file('langs/de.txt', Array.from({ length: 100 }, (_, i) => `deutsch ${i}`).join('\n'));
    const loaded = await loadSentences({ inputPerLanguage: dir, randomSeed: 3 });
    expect(loaded.languages).toEqual([
      { language: 'de', available: 100, corpusShare: 0.1, sampleShare: 0.25, selected: 250 },
      { language: 'en', available: 900, corpusShare: 0.9, sampleShare: 0.75, selected: 750 },
    ]);
    const total = (prefix: string) => loaded.sentences.filter(([t]) => t.startsWith(prefix)).reduce((s, [, f]) => s + f, 0);
    expect([total('deutsch'), total('english')]).toEqual([250, 750]);
    // German: every line twice, 50 of them three times; English: 750 distinct lines once.
    expect(loaded.sentences.filter(([t]) => t.startsWith('deutsch')).map(([, f]) => f).sort()).toEqual([...Array(50).fill(2), ...Array(50).fill(3)]);
    expect(loaded.sentences.filter(([t]) => t.startsWith('english'))).toHaveLength(750);
    const sized = await loadSentences({ inputPerLanguage: { de: path.join(dir, 'de.txt'), en: path.join(dir, 'en.txt') }, inputSentenceSize: 200, alpha: 0.5 });
    expect(sized.languages?.map((l) => l.selected)).toEqual([50, 150]);
  });

  it('names a directory without <lang>.txt files', async () => {
    const empty = path.join(DIR, 'no-langs');
    mkdirSync(empty, { recursive: true });
    await expect(loadSentences({ inputPerLanguage: empty })).rejects.toThrow(`--input-per-language ${empty} holds no <lang>.txt files; put one file per language there, e.g. en.txt, de.txt`);
  });
});

describe('piece rules', () => {
  const spec = (overrides: Partial<TrainerSpec> = {}): TrainerSpec => ({ ...DEFAULT_TRAINER_SPEC, ...overrides });
  const valid = (text: string, overrides: Partial<TrainerSpec> = {}): boolean => {
    const chars = [...text].map((c) => c.codePointAt(0) as number);
    const alphabet = new Alphabet(chars);
    const ids = alphabet.encode(text);
    return new PieceRules(spec(overrides), alphabet.codePoints).isValid(ids, 0, ids.length);
  };

  it('keeps ▁ at the start, one script per piece (kana with Han), numbers apart', () => {
    expect(['▁ab', 'a▁b', 'ab▁', '▁', 'a1', 'ab', 'aα', 'かな漢字カナー', 'e\u0301', '\u0301a', 'a,', 'x\u2585'].map((t) => valid(t))).toEqual([
      true, false, false, true, false, true, false, true, true, true, false, false,
    ]);
    expect(valid('ab▁', { treatWhitespaceAsSuffix: true })).toBe(true);
    expect(valid('▁ab', { treatWhitespaceAsSuffix: true })).toBe(false);
    expect(valid('a▁b', { splitByWhitespace: false })).toBe(true);
    expect(valid('ab▁', { splitByWhitespace: false })).toBe(false);
    expect(valid('a1', { splitByNumber: false })).toBe(true);
    expect(valid('12')).toBe(true);
    expect(valid('12', { splitDigits: true })).toBe(false);
    expect(valid('aα', { splitByUnicodeScript: false })).toBe(true);
    expect(valid('▁▁', { allowWhitespaceOnlyPieces: true })).toBe(true);
    expect(valid('▁▁')).toBe(false);
    expect(valid('abcde', { maxSentencepieceLength: 4 })).toBe(false);
  });

  it('reads scripts from the engine (Common for punctuation and unassigned code points)', () => {
    expect(['a', 'α', 'я', 'ب', 'क', 'த', 'త', 'か', 'カ', '漢', ',', '\u0301'].map((c) => scriptName(scriptOf(c.codePointAt(0) as number)))).toEqual([
      'Latin', 'Greek', 'Cyrillic', 'Arabic', 'Devanagari', 'Tamil', 'Telugu', 'Hiragana', 'Katakana', 'Han', 'Common', 'Inherited',
    ]);
    expect(scriptName(scriptOf(0x10ffff))).toBe('Common');
  });

  it('splits words at ▁ as SentencePiece does (model_interface_test.cc cases)', () => {
    expect(splitIntoWords('▁this▁is▁a▁pen', false, false)).toEqual(['▁this', '▁is', '▁a', '▁pen']);
    expect(splitIntoWords('this▁is▁a▁pen', false, false)).toEqual(['this', '▁is', '▁a', '▁pen']);
    expect(splitIntoWords('▁this▁▁is', false, false)).toEqual(['▁this', '▁', '▁is']);
    expect(splitIntoWords('', false, false)).toEqual([]);
    expect(splitIntoWords('hello', false, false)).toEqual(['hello']);
    expect(splitIntoWords('this▁is▁a▁pen▁', true, false)).toEqual(['this▁', 'is▁', 'a▁', 'pen▁']);
    expect(splitIntoWords('▁this▁▁is', false, true)).toEqual(['▁this', '▁▁is']);
    expect(splitIntoWords('this▁▁is▁', true, true)).toEqual(['this▁▁', 'is▁']);
  });

  it('orders strings by code point, as UTF-8 bytes sort', () => {
    const strings = ['\uffff', '\u{10000}', 'a', '\ue000', 'ab', ''];
    expect(strings.sort(compareCodePoints)).toEqual(['', 'a', 'ab', '\ue000', '\uffff', '\u{10000}']);
  });
});

describe('corpus preparation', () => {
  it('replaces meta pieces by a tab and rare characters by U+2585, keeping the covered alphabet', () => {
    const spec = resolveTrainerSpec({ characterCoverage: 0.98, controlSymbols: ['<sep>'] });
    const meta = metaPieces(spec);
    const sentences: [string, number][] = [
      ['▁aaaa▁bbb<sep>ab', 50],
      ['▁z<s>', 1],
    ];
    const corpus = prepareCorpus(sentences, (t) => t, spec, meta);
    // 603 characters counted, the tab of <sep> included: a, b, ▁ and the tab cover 602; 'z' is cut.
    expect(corpus.requiredChars).toEqual([[0x61, 250], [0x62, 200], [0x2581, 101]]);
    expect(corpus.sentences).toEqual([['▁aaaa▁bbb\u2585ab', 50], ['▁\u2585\u2585', 1]]);
    expect(metaPieceReplacer(['<s>', '<sep>', '<'])('a<sep><s><x')).toBe('a\t\t\tx');
  });

  it('places meta pieces at their ids, symbols at the lowest free ones', () => {
    const spec = resolveTrainerSpec({ vocabSize: 300, unkId: 2, bosId: 0, eosId: -1, padId: 5, controlSymbols: ['[CLM]'], userDefinedSymbols: ['[MASK]', '<pad>'], byteFallback: true });
    const meta = metaPieces(spec);
    expect([0, 1, 2, 3, 4, 5, 6, 261].map((id) => meta.get(id))).toEqual([
      { piece: '<s>', type: 'control' },
      { piece: '[CLM]', type: 'control' },
      { piece: '<unk>', type: 'unknown' },
      { piece: '[MASK]', type: 'user_defined' },
      { piece: '<0x00>', type: 'byte' },
      { piece: '<pad>', type: 'user_defined' },
      { piece: '<0x01>', type: 'byte' },
      undefined,
    ]);
    expect(meta.size).toBe(261);
  });
});
