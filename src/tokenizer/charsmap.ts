// The precompiled charsmap of a NormalizerSpec: `<uint32 LE trie size><Darts-clone double-array><NUL-
// terminated replacement strings>`; the trie maps a UTF-8 source sequence to the offset of its
// replacement (normalizer.cc, Encode/DecodePrecompiledCharsMap). Also compiles rules (the
// normalization_rule_tsv format: `src code points<TAB>target code points`, hex) into such a blob as
// builder.cc's CompileCharsMap does: the one compiler, for rule files and the trainer's named rules.

import { DoubleArray } from './double-array.js';
import { compareBytes } from './double-array-builder.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** The normalizer's limit on shared prefixes among the rules (Normalizer::kMaxTrieResultsSize). */
const MAX_SHARED_PREFIXES = 32;

export class CharsmapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CharsmapError';
  }
}

export class Charsmap {
  private constructor(
    readonly trie: DoubleArray,
    /** The replacement strings, each NUL-terminated; trie values are offsets into it. */
    readonly normalized: Uint8Array,
  ) {}

  /** Reads a precompiled charsmap blob, rejecting it as the C++ library does when it is broken. */
  static parse(blob: Uint8Array): Charsmap {
    if (blob.length <= 4) throw new CharsmapError(`precompiled charsmap is broken: ${blob.length} bytes, too short for its header`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (4 + trieSize > blob.length) {
      throw new CharsmapError(`precompiled charsmap is broken: its trie claims ${trieSize} bytes but only ${blob.length - 4} follow`);
    }
    if (trieSize < 4 || trieSize % 4 !== 0) throw new CharsmapError(`precompiled charsmap is broken: trie size ${trieSize} is not a positive multiple of 4`);
    // Copied so the units are aligned for the typed array.
    const units = new Int32Array(trieSize / 4);
    new Uint8Array(units.buffer).set(blob.subarray(4, 4 + trieSize));
    return new Charsmap(new DoubleArray(units), blob.slice(4 + trieSize));
  }

  /** The end (exclusive) of the replacement string starting at `offset`. */
  replacementEnd(offset: number): number {
    const normalized = this.normalized;
    let end = offset;
    while (end < normalized.length && normalized[end] !== 0) end++;
    return end;
  }

  /**
   * The longest rule matching a prefix of bytes[start, end): returns its source length in bytes (0 when no
   * rule matches) and leaves the offset of its replacement in `this.trie.value`.
   */
  longestMatch(bytes: Uint8Array, start: number, end: number): number {
    return this.trie.longestPrefix(bytes, start, end);
  }

  /** Every rule as (source, replacement) strings, sources in byte order. */
  rules(): [string, string][] {
    return this.trie.entries().map(([key, offset]) => [
      decodeUtf8(key, 0, key.length),
      decodeUtf8(this.normalized, offset, this.replacementEnd(offset)),
    ]);
  }

  /**
   * Compiles rules (source → replacement; a later rule for the same source wins) into a precompiled
   * charsmap blob that SentencePiece reads, as Builder::CompileCharsMap: each replacement stored once, in
   * byte (= code point) order; the trie minimized as Darts-clone's; at most 31 rules may share a prefix.
   */
  static compile(rules: Iterable<readonly [string, string]>): Uint8Array {
    const map = new Map<string, string>();
    for (const [src, trg] of rules) {
      if (src.length === 0) throw new CharsmapError('a normalization rule needs a non-empty source');
      if (src.includes('\0')) throw new CharsmapError(`rule source ${JSON.stringify(src)} contains NUL, which a charsmap cannot store`);
      if (trg.includes('\0')) throw new CharsmapError(`rule target ${JSON.stringify(trg)} contains NUL, which a charsmap cannot store`);
      map.set(src, trg);
    }
    if (map.size === 0) throw new CharsmapError('no normalization rules to compile; use an empty charsmap (identity) instead');
    // Replacements in byte order, each once, NUL-terminated.
    const targets = [...new Set(map.values())].map((t) => ({ text: t, bytes: encodeUtf8(t) }));
    targets.sort((a, b) => compareBytes(a.bytes, b.bytes));
    const offsets = new Map<string, number>();
    let total = 0;
    for (const t of targets) {
      offsets.set(t.text, total);
      total += t.bytes.length + 1;
    }
    const normalized = new Uint8Array(total);
    for (const t of targets) normalized.set(t.bytes, offsets.get(t.text)!);
    const keys: Uint8Array[] = [];
    const values: number[] = [];
    for (const [src, trg] of map) {
      keys.push(encodeUtf8(src));
      values.push(offsets.get(trg)!);
    }
    const trie = DoubleArray.build(keys, values);
    const lengths = new Int32Array(MAX_SHARED_PREFIXES * 2);
    const found = new Int32Array(MAX_SHARED_PREFIXES * 2);
    for (const key of keys) {
      const n = trie.commonPrefixes(key, 0, key.length, lengths, found);
      if (n >= MAX_SHARED_PREFIXES) {
        throw new CharsmapError(
          `${n} rules share a prefix with ${JSON.stringify(decodeUtf8(key, 0, key.length))}; SentencePiece allows fewer than ${MAX_SHARED_PREFIXES}`,
        );
      }
    }
    const units = trie.units;
    const blob = new Uint8Array(4 + units.byteLength + normalized.length);
    new DataView(blob.buffer).setUint32(0, units.byteLength, true);
    blob.set(new Uint8Array(units.buffer, units.byteOffset, units.byteLength), 4);
    blob.set(normalized, 4 + units.byteLength);
    return blob;
  }
}

/**
 * Parses normalization rules in SentencePiece's TSV format (Builder::LoadCharsMap): per line, source code
 * points, a tab, target code points, each a space-separated list of hex numbers with an optional `U+`;
 * a line without a tab deletes its source. Later lines override earlier ones. Comment lines (`#`) and
 * blank lines are skipped.
 */
export function parseRuleTsv(text: string, source = 'the rule file'): [string, string][] {
  const rules = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0 || line.startsWith('#')) return;
    const [srcField = '', trgField = ''] = line.split('\t');
    const toString = (field: string, what: string): string => {
      const cps = field
        .split(' ')
        .filter((s) => s.length > 0)
        .map((s) => {
          const hex = s.startsWith('U+') ? s.slice(2) : s;
          const cp = /^[0-9A-Fa-f]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
          if (!(cp >= 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp < 0xe000)) {
            throw new CharsmapError(`${source} line ${index + 1}: ${what} ${JSON.stringify(s)} is not a hex code point (e.g. 41 or U+FF21)`);
          }
          return cp;
        });
      return String.fromCodePoint(...cps);
    };
    const src = toString(srcField, 'source');
    if (src.length === 0) throw new CharsmapError(`${source} line ${index + 1} has no source code points: ${JSON.stringify(line)}`);
    rules.set(src, toString(trgField, 'target'));
  });
  return [...rules];
}
