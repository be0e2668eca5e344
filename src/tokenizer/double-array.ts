// A byte-keyed double-array trie in Darts-clone's format (third_party/darts_clone/darts.h of
// SentencePiece): 32-bit units holding a label (bits 0-7), a has-leaf flag (bit 8), an offset to the
// children (bits 10-31, shifted by 8 when bit 9 is set); a leaf unit has bit 31 set and a 31-bit value.
// The child of unit i on byte c is at i ^ offset(i) ^ c. Reading works on tries built by the C++ library
// (the precompiled charsmap); the builder here makes tries it reads the same way.

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

  /** Builds a trie of `keys` (each non-empty, without NUL bytes) with values in [0, 2^31). */
  static build(keys: readonly Uint8Array[], values: readonly number[]): DoubleArray {
    return new DoubleArray(buildUnits(keys, values));
  }
}

const BLOCK = 256;
/** Only the last few blocks are searched for free units (as Darts-clone), which keeps building linear. */
const OPEN_BLOCKS = 16;
const MAX_OFFSET = 1 << 29;

function encodableOffset(offset: number): boolean {
  return offset < 1 << 21 || ((offset & 0xff) === 0 && offset < MAX_OFFSET);
}

function encodeOffset(offset: number): number {
  return offset < 1 << 21 ? offset << 10 : ((offset >>> 8) << 10) | 0x200;
}

/** The units of a trie of `keys` (sorted here) → `values`. */
function buildUnits(keysIn: readonly Uint8Array[], valuesIn: readonly number[]): Uint32Array {
  if (keysIn.length !== valuesIn.length) {
    throw new RangeError(`double-array: ${keysIn.length} keys but ${valuesIn.length} values`);
  }
  keysIn.forEach((key, i) => {
    if (key.length === 0) throw new RangeError(`double-array: key ${i} is empty; an empty key cannot be stored`);
    if (key.includes(0)) throw new RangeError(`double-array: key ${i} contains a NUL byte, which Darts-clone keys cannot`);
  });
  // Byte order, fast: each key as a one-char-per-byte string tagged "\0index" (NUL sorts below every key
  // byte), sorted by the native string comparison, which then is exactly byte order.
  const tagged = keysIn.map((k, i) => `${String.fromCharCode(...k)}\0${i}`);
  tagged.sort();
  const order = tagged.map((t) => Number(t.slice(t.lastIndexOf('\0') + 1)));
  const keys = order.map((i) => keysIn[i]!);
  const values = order.map((i) => valuesIn[i]!);
  keys.forEach((key, i) => {
    const prev = i > 0 ? keys[i - 1]! : null;
    if (prev !== null && prev.length === key.length && prev.every((b, j) => b === key[j])) {
      throw new RangeError(`double-array: duplicate key [${Array.from(key).join(' ')}]`);
    }
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`double-array: value ${v} is not in [0, 2^31)`);
  });

  let units = new Uint32Array(BLOCK);
  let used = new Uint8Array(BLOCK);
  let isBase = new Uint8Array(BLOCK);
  let size = 0; // units in allocated blocks
  // Doubly linked list of free units in the open blocks.
  let next = new Int32Array(BLOCK);
  let prev = new Int32Array(BLOCK);
  let head = -1;
  let tail = -1;

  const grow = (need: number): void => {
    if (need <= units.length) return;
    let cap = units.length * 2;
    while (cap < need) cap *= 2;
    const u = new Uint32Array(cap);
    u.set(units);
    units = u;
    const us = new Uint8Array(cap);
    us.set(used);
    used = us;
    const b = new Uint8Array(cap);
    b.set(isBase);
    isBase = b;
    const n = new Int32Array(cap);
    n.set(next);
    next = n;
    const p = new Int32Array(cap);
    p.set(prev);
    prev = p;
  };
  const unlink = (i: number): void => {
    const n = next[i]!;
    const p = prev[i]!;
    if (p >= 0) next[p] = n;
    else head = n;
    if (n >= 0) prev[n] = p;
    else tail = p;
    next[i] = -1;
    prev[i] = -1;
  };
  const addBlock = (): number => {
    const start = size;
    grow(start + BLOCK);
    size += BLOCK;
    // Append the new block's units to the free list (kept in position order).
    for (let i = start; i < start + BLOCK; i++) {
      prev[i] = tail;
      next[i] = -1;
      if (tail >= 0) next[tail] = i;
      else head = i;
      tail = i;
    }
    // Close the oldest open block: its free units are no longer offered.
    // (Invariant: every unused unit of an open block is on the list.)
    const closing = size / BLOCK - OPEN_BLOCKS - 1;
    if (closing >= 0) {
      for (let i = closing * BLOCK; i < (closing + 1) * BLOCK; i++) if (!used[i]) unlink(i);
    }
    return start;
  };
  const use = (i: number): void => {
    used[i] = 1;
    unlink(i);
  };

  addBlock();
  use(0); // the root
  isBase[0] = 1; // reserved: no node's children start at the root's unit

  const findBase = (node: number, labels: Int32Array, count: number): number => {
    const first = labels[0]!;
    search: for (let p = head; p >= 0; p = next[p]!) {
      const base = p ^ first;
      if (isBase[base] || !encodableOffset(node ^ base)) continue;
      for (let k = 1; k < count; k++) if (used[base ^ labels[k]!]) continue search;
      return base;
    }
    const start = addBlock();
    const base = start | (node & 0xff); // offset's low byte 0: always encodable
    if ((node ^ base) >= MAX_OFFSET) throw new RangeError('double-array: too many keys (offset exceeds 2^29)');
    return base;
  };

  // Per depth, the labels of a node's children and where each child's keys start (reused).
  const labelsAt: Int32Array[] = [];
  const boundsAt: Int32Array[] = [];
  // Depth-first, as Darts-clone: place a node's children together, then descend into each.
  const arrange = (node: number, lo: number, hi: number, depth: number): void => {
    if (labelsAt.length <= depth) {
      labelsAt.push(new Int32Array(256));
      boundsAt.push(new Int32Array(257));
    }
    const labels = labelsAt[depth]!;
    const bounds = boundsAt[depth]!;
    let count = 0;
    for (let i = lo; i < hi; i++) {
      const key = keys[i]!;
      const label = depth < key.length ? key[depth]! : 0;
      if (count === 0 || labels[count - 1] !== label) {
        labels[count] = label;
        bounds[count] = i;
        count++;
      }
    }
    bounds[count] = hi;
    const base = findBase(node, labels, count);
    isBase[base] = 1;
    units[node] = (units[node]! & 0xff) | encodeOffset(node ^ base) | (labels[0] === 0 ? 0x100 : 0);
    for (let k = 0; k < count; k++) {
      const pos = base ^ labels[k]!;
      use(pos);
      units[pos] = labels[k] === 0 ? (0x80000000 | values[bounds[k]!]!) >>> 0 : labels[k]!;
    }
    for (let k = 0; k < count; k++) {
      if (labels[k] !== 0) arrange(base ^ labels[k]!, bounds[k]!, bounds[k + 1]!, depth + 1);
    }
  };
  if (keys.length > 0) arrange(0, 0, keys.length, 0);

  // Free units get a label no parent can ask for at their position: u ^ position, for a u of the block
  // that is no node's base (one exists whenever the block has a free unit).
  for (let block = 0; block < size / BLOCK; block++) {
    const start = block * BLOCK;
    let u = -1;
    for (let i = start; i < start + BLOCK; i++) {
      if (!isBase[i]) {
        u = i;
        break;
      }
    }
    for (let i = start; i < start + BLOCK; i++) {
      if (used[i] || u < 0) continue;
      units[i] = (units[i]! & ~0xff) | ((u ^ i) & 0xff);
    }
  }
  return units.slice(0, size);
}
