// A byte-keyed double-array trie in Darts-clone's format (third_party/darts_clone/darts.h of
// SentencePiece): 32-bit units holding a label (bits 0-7), a has-leaf flag (bit 8), an offset to the
// children (bits 10-31, shifted by 8 when bit 9 is set); a leaf unit has bit 31 set and a 31-bit value.
// The child of unit i on byte c is at i ^ offset(i) ^ c. Reading works on tries built by the C++ library
// (the precompiled charsmap) and on those of double-array-builder.ts, which `build` uses.

import { buildDoubleArray, sortEntries } from './double-array-builder.js';

/** The offset from a unit to its children. */
export function unitOffset(unit: number): number {
  return (unit >>> 10) << ((unit & 0x200) >>> 6);
}

/** The unit's label; a leaf unit's label has bit 31 set, so it never equals a byte. */
export function unitLabel(unit: number): number {
  return unit & 0x800000ff;
}

export function unitHasLeaf(unit: number): boolean {
  return (unit & 0x100) !== 0;
}

export function unitValue(unit: number): number {
  return unit & 0x7fffffff;
}

export class DoubleArray {
  /** The value of the last successful `longestPrefix` match. */
  value = -1;
  /** The units, read as int32 (leaf units are negative), which keeps V8's loads in small integers. */
  readonly units: Int32Array;

  constructor(units: Uint32Array | Int32Array) {
    if (units.length === 0) throw new RangeError('a double-array needs at least its root unit (got 0 units)');
    this.units = new Int32Array(units.buffer, units.byteOffset, units.length);
  }

  /** The value of the key bytes[start, end), or -1 when it is not a key. */
  exactMatch(bytes: Uint8Array, start: number, end: number): number {
    const units = this.units;
    let node = 0;
    let unit = units[0]!;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      node ^= unitOffset(unit) ^ c;
      unit = units[node]!;
      if (unitLabel(unit) !== c) return -1;
    }
    if (!unitHasLeaf(unit)) return -1;
    return unitValue(units[node ^ unitOffset(unit)]!);
  }

  /**
   * The length of the longest key that is a prefix of bytes[start, end), 0 when none is; its value
   * is left in `this.value`.
   */
  longestPrefix(bytes: Uint8Array, start: number, end: number): number {
    const units = this.units;
    let node = unitOffset(units[0]!);
    let best = 0;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      node ^= c;
      const unit = units[node]!;
      if (unitLabel(unit) !== c) break;
      node ^= unitOffset(unit);
      if (unitHasLeaf(unit)) {
        best = i + 1 - start;
        this.value = unitValue(units[node]!);
      }
    }
    return best;
  }

  /**
   * Every key that is a prefix of bytes[start, end), shortest first: their lengths and values go to
   * `lengths` and `values` (as many as fit); returns how many keys matched.
   */
  commonPrefixes(bytes: Uint8Array, start: number, end: number, lengths: Int32Array, values: Int32Array): number {
    const units = this.units;
    let node = unitOffset(units[0]!);
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      node ^= c;
      const unit = units[node]!;
      if (unitLabel(unit) !== c) break;
      node ^= unitOffset(unit);
      if (unitHasLeaf(unit)) {
        if (n < lengths.length) {
          lengths[n] = i + 1 - start;
          values[n] = unitValue(units[node]!);
        }
        n++;
      }
    }
    return n;
  }

  /** Every (key, value) in the trie, keys in byte order (for inspection and tests). */
  entries(): [Uint8Array, number][] {
    const out: [Uint8Array, number][] = [];
    const units = this.units;
    const path: number[] = [];
    const walk = (node: number): void => {
      const unit = units[node]!;
      const base = node ^ unitOffset(unit);
      if (unitHasLeaf(unit)) out.push([Uint8Array.from(path), unitValue(units[base]!)]);
      for (let c = 1; c < 256; c++) {
        const child = base ^ c;
        if (child < units.length && unitLabel(units[child]!) === c) {
          path.push(c);
          walk(child);
          path.pop();
        }
      }
    };
    walk(0);
    return out;
  }

  /**
   * Builds a trie of `keys` (at least one; each non-empty, without NUL bytes, in any order) with values in
   * [0, 2^31), minimized as Darts-clone's (double-array-builder.ts).
   */
  static build(keys: readonly Uint8Array[], values: readonly number[]): DoubleArray {
    return new DoubleArray(buildDoubleArray(sortEntries(keys, values)));
  }
}
