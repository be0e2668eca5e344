// The precompiled charsmap: compiling rules and reading them back, longest-match lookups, the TSV rule
// format, broken blobs; and against the C++ library: the t5 model's rules equal what spm_normalize
// decompiles, and a charsmap compiled here from those rules gives spm_encode the same ids.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Charsmap, CharsmapError, parseRuleTsv } from '../../src/tokenizer/charsmap.js';
import { parseModelProto, serializeModelProto } from '../../src/tokenizer/model-proto.js';
import { MISSING, MODELS, floresLines, spmEncode, tempDir } from './spm-reference.js';
import { execFileSync } from 'node:child_process';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Charsmap', () => {
  const rules: [string, string][] = [
    ['ﬁ', 'fi'],
    ['Ａ', 'A'],
    ['\u3000', ' '],
    ['a', 'x'],
    ['ab', 'y'],
    ['\u200b', ''],
    ['ｶﾞ', 'ガ'],
  ];
  const blob = Charsmap.compile(rules);
  const charsmap = Charsmap.parse(blob);

  it('reads back the rules it compiled, sources in byte order', () => {
    const sorted = [...rules].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    expect(charsmap.rules()).toEqual(sorted);
  });

  it('reads back sources and replacements that start with U+FEFF (a BOM is text, as in the C++)', () => {
    const long = 'a rule longer than sixteen bytes';
    const bomRules: [string, string][] = [
      [`\ufeff${long}`, `\ufeff${long}!`],
      ['\ufeffx', '\ufeffY'],
    ];
    expect(Charsmap.parse(Charsmap.compile(bomRules)).rules()).toEqual(bomRules);
  });

  it('lays the blob out as <trie size><trie><NUL-terminated replacements>', () => {
    const trieSize = new DataView(blob.buffer).getUint32(0, true);
    expect(trieSize % 4).toBe(0);
    // Each distinct replacement once, in byte order, NUL-terminated.
    expect(new TextDecoder().decode(blob.subarray(4 + trieSize))).toBe('\0 \0A\0fi\0x\0y\0ガ\0');
  });

  it('finds the longest rule at a position', () => {
    const text = enc('abc');
    const replacement = (n: number): string => {
      const at = charsmap.trie.value;
      return n === 0 ? '(none)' : new TextDecoder().decode(charsmap.normalized.subarray(at, charsmap.replacementEnd(at)));
    };
    let n = charsmap.longestMatch(text, 0, 3);
    expect([n, replacement(n)]).toEqual([2, 'y']);
    n = charsmap.longestMatch(text, 0, 1);
    expect([n, replacement(n)]).toEqual([1, 'x']);
    n = charsmap.longestMatch(text, 2, 3);
    expect(n).toBe(0);
    const kana = enc('ｶﾞｶ');
    n = charsmap.longestMatch(kana, 0, kana.length);
    expect([n, replacement(n)]).toEqual([6, 'ガ']);
    n = charsmap.longestMatch(kana, 6, kana.length);
    expect(n).toBe(0); // 'ｶ' alone has no rule
  });

  it('rejects broken blobs as the C++ does', () => {
    expect(() => Charsmap.parse(Uint8Array.of(1, 2, 3))).toThrow('precompiled charsmap is broken: 3 bytes, too short for its header');
    expect(() => Charsmap.parse(Uint8Array.of(0xff, 0, 0, 0, 1, 2))).toThrow('its trie claims 255 bytes but only 2 follow');
    expect(() => Charsmap.parse(Uint8Array.of(3, 0, 0, 0, 1, 2, 3, 4))).toThrow('trie size 3 is not a positive multiple of 4');
  });

  it('rejects rules it cannot compile', () => {
    expect(() => Charsmap.compile([])).toThrow(CharsmapError);
    expect(() => Charsmap.compile([['', 'x']])).toThrow('a normalization rule needs a non-empty source');
    expect(() => Charsmap.compile([['a\0', 'x']])).toThrow('contains NUL');
    // 32 rules sharing prefixes with one key exceed the normalizer's 32 results.
    const chain = Array.from({ length: 32 }, (_, i) => ['a'.repeat(i + 1), 'b'] as [string, string]);
    expect(() => Charsmap.compile(chain)).toThrow('32 rules share a prefix with "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; SentencePiece allows fewer than 32');
  });
});

describe('parseRuleTsv', () => {
  it('reads hex code points, U+ prefixes, deletions and trailing comments', () => {
    const tsv = 'FF21\t41\t# Ａ => A\nU+FB01\tU+0066 U+0069\n200B\n\n# a comment line\n41 42\t7A\r\n';
    expect(parseRuleTsv(tsv)).toEqual([
      ['Ａ', 'A'],
      ['ﬁ', 'fi'],
      ['\u200b', ''],
      ['AB', 'z'],
    ]);
  });

  it('names the line and the bad code point', () => {
    expect(() => parseRuleTsv('41\t42\nZZ\t41\n', 'rules.tsv')).toThrow('rules.tsv line 2: source "ZZ" is not a hex code point (e.g. 41 or U+FF21)');
    expect(() => parseRuleTsv('41\tD800\n', 'rules.tsv')).toThrow('rules.tsv line 1: target "D800" is not a hex code point');
  });
});

const skip = MISSING !== null;
describe.skipIf(skip)(`charsmaps of the C++ library${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  const dir = skip ? '' : tempDir('charsmap');
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('reads the t5 model’s nmt_nfkc rules as spm_normalize decompiles them', () => {
    const model = parseModelProto(new Uint8Array(readFileSync(MODELS.t5)));
    const ours = Charsmap.parse(model.normalizerSpec.precompiledCharsmap).rules();
    const tsv = path.join(dir, 't5.tsv');
    execFileSync('spm_normalize', ['--model', MODELS.t5, '--decompile', `--output=${tsv}`]);
    const theirs = new Map(parseRuleTsv(readFileSync(tsv, 'utf8')));
    expect(ours.length).toBe(theirs.size);
    expect(ours.filter(([src, trg]) => theirs.get(src) !== trg)).toEqual([]);
    expect(new Map(ours).get('ﬁ')).toBe('fi');
    expect(new Map(ours).get('Ａ')).toBe('A');
  });

  it('recompiles the t5 model’s rules into its own charsmap byte for byte (Darts-clone’s DAWG and placement)', () => {
    const own = parseModelProto(new Uint8Array(readFileSync(MODELS.t5))).normalizerSpec.precompiledCharsmap;
    const blob = Charsmap.compile(Charsmap.parse(own).rules());
    expect(blob.length).toBe(237_539);
    expect(Buffer.compare(blob, own)).toBe(0);
  });

  it('compiles a charsmap that the C++ library reads like its own (t5 rules recompiled)', () => {
    const model = parseModelProto(new Uint8Array(readFileSync(MODELS.t5)));
    const rules = Charsmap.parse(model.normalizerSpec.precompiledCharsmap).rules();
    const blob = Charsmap.compile(rules);
    expect(Charsmap.parse(blob).rules()).toEqual(rules);
    const { wire: _wire, ...rest } = model;
    const recompiled = path.join(dir, 't5-recompiled.model');
    writeFileSync(recompiled, serializeModelProto({ ...rest, normalizerSpec: { ...model.normalizerSpec, precompiledCharsmap: blob } }));
    const lines = floresLines('dev').flatMap((f) => f.lines);
    expect(spmEncode(recompiled, lines, 'id')).toEqual(spmEncode(MODELS.t5, lines, 'id'));
  });
});
