// The Darts-clone-format double-array trie: exact, longest-prefix and common-prefix lookups on a hand
// example, thousands of seeded random keys (every key found, no non-key found), the unit encoding, and
// the builder's errors.

import { describe, expect, it } from 'vitest';
import { DoubleArray, unitHasLeaf, unitLabel, unitOffset, unitValue } from '../../src/tokenizer/double-array.js';
import { seededRandom } from '../helpers/arrays.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('DoubleArray', () => {
  const words = ['a', 'ab', 'abc', 'b', 'bcd', '▁', '▁a', 'ä'];
  const trie = DoubleArray.build(
    words.map(enc),
    words.map((_, i) => 100 + i),
  );

  it('finds exact keys and only them', () => {
    words.forEach((w, i) => expect(trie.exactMatch(enc(w), 0, enc(w).length)).toBe(100 + i));
    for (const w of ['', 'abcd', 'bc', 'c', '▁b', 'a\0']) expect(trie.exactMatch(enc(w), 0, enc(w).length)).toBe(-1);
    // A byte range inside a longer buffer.
    expect(trie.exactMatch(enc('xxbcdxx'), 2, 5)).toBe(104);
  });

  it('finds the longest key that is a prefix, and its value', () => {
    const text = enc('abcz');
    expect(trie.longestPrefix(text, 0, text.length)).toBe(3);
    expect(trie.value).toBe(102);
    expect(trie.longestPrefix(text, 1, text.length)).toBe(1); // 'b'
    expect(trie.value).toBe(103);
    expect(trie.longestPrefix(text, 3, text.length)).toBe(0);
    expect(trie.longestPrefix(text, 0, 2)).toBe(2); // the end bounds the match
  });

  it('lists every key that is a prefix, shortest first', () => {
    const lengths = new Int32Array(8);
    const values = new Int32Array(8);
    const text = enc('abcd');
    expect(trie.commonPrefixes(text, 0, text.length, lengths, values)).toBe(3);
    expect([...lengths.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect([...values.subarray(0, 3)]).toEqual([100, 101, 102]);
    // More matches than room: counted, not stored.
    expect(trie.commonPrefixes(text, 0, text.length, new Int32Array(1), new Int32Array(1))).toBe(3);
  });

  it('enumerates its entries in byte order', () => {
    const sorted = words.map((w, i) => [w, 100 + i] as const).sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    expect(trie.entries().map(([k, v]) => [new TextDecoder().decode(k), v])).toEqual(sorted);
  });

  it('never matches a NUL byte in the input', () => {
    const text = enc('a\0b');
    expect(trie.longestPrefix(text, 0, 3)).toBe(1);
    expect(trie.longestPrefix(text, 1, 3)).toBe(0);
  });

  it('holds 20000 seeded random keys exactly', () => {
    const rand = seededRandom(3);
    const alphabet = [...'abcdefghijäöüéあいうえお日本語中한국ابتदनम▁'];
    const keys = new Set<string>();
    while (keys.size < 20_000) {
      let s = '';
      const n = 1 + Math.floor(rand() * 7);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      keys.add(s);
    }
    const list = [...keys];
    const big = DoubleArray.build(list.map(enc), list.map((_, i) => i));
    list.forEach((k, i) => {
      const b = enc(k);
      if (big.exactMatch(b, 0, b.length) !== i) throw new Error(`key ${k} not found`);
    });
    let falsePositives = 0;
    for (let t = 0; t < 20_000; t++) {
      const s = `${alphabet[Math.floor(rand() * alphabet.length)]}${list[t]!}`;
      if (!keys.has(s) && big.exactMatch(enc(s), 0, enc(s).length) >= 0) falsePositives++;
    }
    expect(falsePositives).toBe(0);
  });

  it('decodes Darts-clone units', () => {
    // label 0x61, has_leaf, offset 5 (plain) / 5 << 8 (extended, bit 9)
    expect(unitLabel(0x61 | 0x100 | (5 << 10))).toBe(0x61);
    expect(unitHasLeaf(0x61 | 0x100 | (5 << 10))).toBe(true);
    expect(unitOffset(0x61 | (5 << 10))).toBe(5);
    expect(unitOffset(0x61 | 0x200 | (5 << 10))).toBe(5 << 8);
    // A leaf unit: bit 31 and a 31-bit value; its label never equals a byte.
    expect(unitValue((0x80000000 | 1234) >>> 0)).toBe(1234);
    expect(unitLabel(0x80000000 | 0x61)).not.toBe(0x61);
  });

  it('rejects keys it cannot store, naming them', () => {
    expect(() => DoubleArray.build([enc('a'), enc('a')], [1, 2])).toThrow('double-array: duplicate key [97]');
    expect(() => DoubleArray.build([enc('')], [1])).toThrow('double-array: key 0 is empty; an empty key cannot be stored');
    expect(() => DoubleArray.build([enc('a\0')], [1])).toThrow('double-array: key 0 contains a NUL byte');
    expect(() => DoubleArray.build([enc('a')], [-1])).toThrow('double-array: value -1 is not in [0, 2^31)');
    expect(() => DoubleArray.build([enc('a')], [])).toThrow('double-array: 1 keys but 0 values');
  });
});
