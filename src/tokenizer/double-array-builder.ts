// Builds double-array tries in Darts-clone's unit layout (third_party/darts_clone/darts.h in SentencePiece),
// which DoubleArray (double-array.ts) reads: 32-bit units; a node's children sit at base ^ label, where
// base = position ^ offset(unit); a key's value is a leaf unit (bit 31 set) at base ^ 0. As Darts-clone, the
// trie is first minimized into a DAWG (equal subtrees share one base), then placed depth first with 16
// open blocks: t5-spiece.model's rules recompile to its own 237,539-byte charsmap byte for byte (a plain
// trie would take 2 MB). Only traversals are promised to agree with Darts-clone's, not the bytes.

/** Unit bits: label in 0..7, has-leaf flag 8, offset-extension flag 9, offset 10..31; a leaf is value | MSB. */
const HAS_LEAF = 1 << 8;
const OFFSET_EXTENDED = 1 << 9;
const LEAF_FLAG = 0x80000000;
const BLOCK = 256;
/** Blocks still open for new nodes; older ones are closed, as Darts-clone does, to bound the search. */
const OPEN_BLOCKS = 16;
const MAX_OFFSET = 1 << 29;

export interface DoubleArrayEntry {
  /** The key's bytes: non-empty, no zero byte. */
  readonly key: Uint8Array;
  /** 0 ≤ value < 2^31. */
  readonly value: number;
}

/** Whether `a` sorts before `b` as byte strings (negative), equal (0) or after (positive). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkEntry(key: Uint8Array, value: number, i: number): void {
  if (key.length === 0) throw new RangeError(`double-array: key ${i} is empty; an empty key cannot be stored`);
  if (key.includes(0)) throw new RangeError(`double-array: key ${i} contains a NUL byte; Darts-clone keys end at a zero byte`);
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new RangeError(`double-array: value ${value} is not in [0, 2^31) (key ${i})`);
  }
}

/** keys[i] → values[i], in any order, as entries sorted by key bytes; a key given twice is an error. */
export function sortEntries(keys: readonly Uint8Array[], values: readonly number[]): DoubleArrayEntry[] {
  if (keys.length !== values.length) throw new RangeError(`double-array: ${keys.length} keys but ${values.length} values`);
  keys.forEach((key, i) => checkEntry(key, values[i]!, i));
  // Byte order, fast: each key as a one-char-per-byte string tagged "\0index" (NUL sorts below every key
  // byte), sorted by the native string comparison, which then is exactly byte order.
  const tagged = keys.map((key, i) => {
    let s = '';
    for (let j = 0; j < key.length; j++) s += String.fromCharCode(key[j]!);
    return `${s}\0${i}`;
  });
  tagged.sort();
  const entries = tagged.map((t): DoubleArrayEntry => {
    const i = Number(t.slice(t.lastIndexOf('\0') + 1));
    return { key: keys[i]!, value: values[i]! };
  });
  for (let i = 1; i < entries.length; i++) {
    const key = entries[i]!.key;
    if (compareBytes(entries[i - 1]!.key, key) === 0) throw new RangeError(`double-array: duplicate key [${key.join(' ')}]`);
  }
  return entries;
}

/**
 * The double array of `entries` (keys sorted ascending as bytes, distinct), as Darts-clone units.
 * Searching a key from unit 0 with Darts-clone's traversal finds exactly these keys and values.
 */
export function buildDoubleArray(entries: readonly DoubleArrayEntry[]): Uint32Array {
  if (entries.length === 0) throw new RangeError('double-array: a double array needs at least one key (got none)');
  entries.forEach(({ key, value }, i) => {
    checkEntry(key, value, i);
    if (i > 0 && compareBytes(entries[i - 1]!.key, key) >= 0) {
      throw new RangeError(`double-array: keys must be sorted and distinct (key ${i} is not after key ${i - 1})`);
    }
  });
  const dawg = buildDawg(entries);
  const pool = new UnitPool();
  pool.grow(BLOCK);
  pool.reserve(0);
  pool.baseUsed[0] = 1; // base 0 would put a child at position 0, the root
  new Placement(pool, dawg).place(0, 0, 0);
  fillUnusedUnits(pool);
  return pool.units.slice(0, pool.size);
}

/**
 * A trie over the keys, minimized: equal subtrees (same labels, values and children) are one node. Nodes
 * are numbered parent before child; a node's children form a list (first, then sibling) in ascending
 * label order, and each child stands for the subtree of its representative `canonical[child]`.
 */
interface Dawg {
  readonly label: Uint8Array;
  readonly firstChild: Int32Array;
  readonly sibling: Int32Array;
  /** The value of the key ending at the node, or -1. */
  readonly value: Int32Array;
  readonly canonical: Int32Array;
}

function buildDawg(entries: readonly DoubleArrayEntry[]): Dawg {
  let capacity = 1;
  let maxLength = 0;
  for (const { key } of entries) {
    capacity += key.length;
    maxLength = Math.max(maxLength, key.length);
  }
  const label = new Uint8Array(capacity);
  const firstChild = new Int32Array(capacity).fill(-1);
  const lastChild = new Int32Array(capacity);
  const sibling = new Int32Array(capacity).fill(-1);
  const value = new Int32Array(capacity).fill(-1);
  // The plain trie: the keys are sorted, so children are appended in ascending label order.
  const path = new Int32Array(maxLength + 1); // path[d]: the node of the current key's first d bytes
  let count = 1;
  let previous: Uint8Array = new Uint8Array(0);
  for (const entry of entries) {
    const key = entry.key;
    let common = 0;
    while (common < previous.length && common < key.length && previous[common] === key[common]) common++;
    for (let depth = common; depth < key.length; depth++) {
      const node = count++;
      const parent = path[depth]!;
      label[node] = key[depth]!;
      if (firstChild[parent] < 0) firstChild[parent] = node;
      else sibling[lastChild[parent]!] = node;
      lastChild[parent] = node;
      path[depth + 1] = node;
    }
    value[path[key.length]!] = entry.value;
    previous = key;
  }
  // Bottom-up (children have larger numbers), each node represented by the first node found equal to it:
  // the same value and, child by child, the same labels and representatives (hashed, then compared).
  const canonical = new Int32Array(count);
  const hashOf = new Int32Array(count);
  let tableSize = 1;
  while (tableSize < 2 * count) tableSize *= 2;
  const table = new Int32Array(tableSize).fill(-1);
  const equal = (a: number, b: number): boolean => {
    if (value[a] !== value[b]) return false;
    let x = firstChild[a]!;
    let y = firstChild[b]!;
    while (x >= 0 && y >= 0) {
      if (label[x] !== label[y] || canonical[x] !== canonical[y]) return false;
      x = sibling[x]!;
      y = sibling[y]!;
    }
    return x === y;
  };
  for (let node = count - 1; node >= 0; node--) {
    let h = Math.imul(value[node]! + 1, 0x9e3779b1);
    for (let c = firstChild[node]!; c >= 0; c = sibling[c]!) {
      h = Math.imul(h ^ label[c]!, 0x85ebca6b) + hashOf[c]!; // equal nodes hash alike
      h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
    }
    h ^= h >>> 16;
    hashOf[node] = h;
    let slot = h & (tableSize - 1);
    let found = -1;
    for (; table[slot]! >= 0; slot = (slot + 1) & (tableSize - 1)) {
      const other = table[slot]!;
      if (hashOf[other] === h && equal(other, node)) {
        found = other;
        break;
      }
    }
    if (found < 0) table[slot] = node;
    canonical[node] = found < 0 ? node : found;
  }
  return { label, firstChild, sibling, value, canonical };
}

/** The units and the bookkeeping of free positions while nodes are placed. */
class UnitPool {
  units = new Uint32Array(BLOCK);
  /** 1 where a unit holds a node or a leaf. */
  reserved = new Uint8Array(BLOCK);
  /** 1 where a position is already some node's base (bases must be unique). */
  baseUsed = new Uint8Array(BLOCK);
  /** A circular doubly linked list of the free units of the open blocks; -1 when empty. */
  next = new Int32Array(BLOCK);
  prev = new Int32Array(BLOCK);
  head = -1;
  size = 0;
  /** The first block that is still open for new nodes. */
  openFrom = 0;

  /** Adds blocks until `minSize` units exist; their units join the free list. */
  grow(minSize: number): void {
    while (this.size < minSize) {
      const start = this.size;
      const next = start + BLOCK;
      if (next > this.units.length) {
        const cap = Math.max(next, this.units.length * 2);
        this.units = copyInto(new Uint32Array(cap), this.units);
        this.reserved = copyInto(new Uint8Array(cap), this.reserved);
        this.baseUsed = copyInto(new Uint8Array(cap), this.baseUsed);
        this.next = copyInto(new Int32Array(cap), this.next);
        this.prev = copyInto(new Int32Array(cap), this.prev);
      }
      this.size = next;
      for (let p = start; p < next; p++) this.link(p);
      const blocks = next / BLOCK;
      if (blocks - this.openFrom > OPEN_BLOCKS) this.closeBlock(this.openFrom++);
    }
  }

  reserve(p: number): void {
    if (this.reserved[p] === 1) return;
    this.reserved[p] = 1;
    if (p >= this.openFrom * BLOCK) this.unlink(p);
  }

  private link(p: number): void {
    if (this.head < 0) {
      this.head = p;
      this.next[p] = p;
      this.prev[p] = p;
      return;
    }
    const last = this.prev[this.head]!;
    this.next[last] = p;
    this.prev[p] = last;
    this.next[p] = this.head;
    this.prev[this.head] = p;
  }

  private unlink(p: number): void {
    const n = this.next[p]!;
    if (n === p) {
      this.head = -1;
      return;
    }
    const q = this.prev[p]!;
    this.next[q] = n;
    this.prev[n] = q;
    if (this.head === p) this.head = n;
  }

  /** Takes a block's free units off the list: no new node goes there (they are filled at the end). */
  private closeBlock(block: number): void {
    for (let p = block * BLOCK; p < (block + 1) * BLOCK; p++) if (this.reserved[p] !== 1) this.unlink(p);
  }

  /**
   * A base for children with labels[0, count) (ascending) of the node at `parent`: unused as a base,
   * every base ^ label free, and parent ^ base encodable as an offset.
   */
  findBase(parent: number, labels: Int32Array, count: number): number {
    const first = count > 0 ? labels[0]! : 0;
    if (this.head >= 0) {
      let slot = this.head;
      do {
        const base = slot ^ first;
        const rel = parent ^ base;
        if (this.baseUsed[base] !== 1 && ((rel & 0xff) === 0 || rel < 1 << 21)) {
          let free = true;
          for (let i = 1; i < count; i++) {
            if (this.reserved[base ^ labels[i]!] === 1) {
              free = false;
              break;
            }
          }
          if (free) return base;
        }
        slot = this.next[slot]!;
      } while (slot !== this.head);
    }
    // A fresh block, its base sharing the parent's low byte so that the offset is a multiple of 256.
    const base = this.size | (parent & 0xff);
    this.grow(this.size + BLOCK);
    return base;
  }
}

function copyInto<T extends { set(source: ArrayLike<number>): void }>(target: T, source: ArrayLike<number>): T {
  target.set(source);
  return target;
}

/** The offset field of a unit: the relative position from the unit to its children's base. */
function encodeOffset(offset: number): number {
  if (offset >= MAX_OFFSET) throw new RangeError(`double-array: offset ${offset} is too large (limit 2^29); too many keys`);
  if (offset < 1 << 21) return offset << 10;
  if ((offset & 0xff) !== 0) throw new RangeError(`double-array: offset ${offset} ≥ 2^21 must be a multiple of 256`);
  return ((offset << 2) | OFFSET_EXTENDED) >>> 0;
}

/** Places the DAWG's nodes into the pool, depth first as Darts-clone: a node's children together, then each. */
class Placement {
  /** Per DAWG node, where its children were last placed, or -1. */
  private readonly bases: Int32Array;
  /** Per depth, the labels of the children being placed (a leaf's label 0 first). */
  private readonly labelsAt: Int32Array[] = [];

  constructor(
    private readonly pool: UnitPool,
    private readonly dawg: Dawg,
  ) {
    this.bases = new Int32Array(dawg.value.length).fill(-1);
  }

  /**
   * Points the unit at `unit` to the children of DAWG node `node`: to the base where they were already
   * placed when the offset to it can be encoded, otherwise to a new placement.
   */
  place(node: number, unit: number, depth: number): void {
    const { pool, dawg } = this;
    const { label, firstChild, sibling, canonical } = dawg;
    const value = dawg.value[node]!;
    const known = this.bases[node]!;
    if (known >= 0) {
      const rel = unit ^ known;
      if (rel < 1 << 21 || ((rel & 0xff) === 0 && rel < MAX_OFFSET)) {
        pool.units[unit] = (pool.units[unit]! | encodeOffset(rel) | (value >= 0 ? HAS_LEAF : 0)) >>> 0;
        return;
      }
    }
    if (this.labelsAt.length <= depth) this.labelsAt.push(new Int32Array(257));
    const labels = this.labelsAt[depth]!;
    let count = 0;
    if (value >= 0) labels[count++] = 0;
    for (let c = firstChild[node]!; c >= 0; c = sibling[c]!) labels[count++] = label[c]!;
    const base = pool.findBase(unit, labels, count);
    pool.baseUsed[base] = 1;
    this.bases[node] = base;
    pool.units[unit] = (pool.units[unit]! | encodeOffset(unit ^ base)) >>> 0;
    if (value >= 0) {
      pool.reserve(base);
      pool.units[unit] = (pool.units[unit]! | HAS_LEAF) >>> 0;
      pool.units[base] = (value | LEAF_FLAG) >>> 0;
    }
    for (let c = firstChild[node]!; c >= 0; c = sibling[c]!) {
      pool.reserve(base ^ label[c]!);
      pool.units[base ^ label[c]!] = label[c]!;
    }
    for (let c = firstChild[node]!; c >= 0; c = sibling[c]!) this.place(canonical[c]!, base ^ label[c]!, depth + 1);
  }
}

/**
 * Gives every free unit a label no traversal can match: a traversal reaching position p in a block
 * came from some base b of that block with label p ^ b, so a label p ^ u, with u a position of the
 * block that is nobody's base, never matches.
 */
function fillUnusedUnits(pool: UnitPool): void {
  for (let block = 0; block < pool.size; block += BLOCK) {
    let unusedBase = -1;
    for (let p = block; p < block + BLOCK; p++) {
      if (pool.baseUsed[p] !== 1) {
        unusedBase = p;
        break;
      }
    }
    for (let p = block; p < block + BLOCK; p++) {
      if (pool.reserved[p] === 1) continue;
      // Every position of the block is a base only when every unit is reserved, so unusedBase ≥ 0 here.
      pool.units[p] = (p ^ unusedBase) & 0xff;
    }
  }
}
