// Builds a double-array trie in the unit layout of Darts-clone (third_party/darts_clone/darts.h in
// SentencePiece), the trie inside a precompiled charsmap: 32-bit units; a node's children sit at
// base ^ label, where base = position ^ offset(unit); a key's value is a leaf unit (MSB set) at base ^ 0.
// Like Darts-clone, the trie is first minimized into a DAWG (equal subtrees shared, so many units point to
// one base); the placement is our own, so the bytes differ from Darts-clone's while every traversal agrees.

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
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The offset field of a unit: the relative position from the unit to its children's base. */
function encodeOffset(offset: number): number {
  if (offset >= MAX_OFFSET) throw new RangeError(`double-array offset ${offset} is too large (limit 2^29)`);
  if (offset < 1 << 21) return offset << 10;
  if ((offset & 0xff) !== 0) throw new RangeError(`double-array offset ${offset} ≥ 2^21 must be a multiple of 256`);
  return ((offset << 2) | OFFSET_EXTENDED) >>> 0;
}

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
    const last = this.prev[this.head] as number;
    this.next[last] = p;
    this.prev[p] = last;
    this.next[p] = this.head;
    this.prev[this.head] = p;
  }

  private unlink(p: number): void {
    const n = this.next[p] as number;
    if (n === p) {
      this.head = -1;
      return;
    }
    const q = this.prev[p] as number;
    this.next[q] = n;
    this.prev[n] = q;
    if (this.head === p) this.head = n;
  }

  /** Takes a block's free units off the list: no new node goes there (they are filled at the end). */
  private closeBlock(block: number): void {
    for (let p = block * BLOCK; p < (block + 1) * BLOCK; p++) if (this.reserved[p] !== 1) this.unlink(p);
  }

  /**
   * A base for children with `labels` (ascending) of the node at `parent`: unused as a base, every
   * base ^ label free, and parent ^ base encodable as an offset.
   */
  findBase(parent: number, labels: readonly number[]): number {
    const first = labels[0] ?? 0;
    if (this.head >= 0) {
      let slot = this.head;
      do {
        const base = slot ^ first;
        const rel = parent ^ base;
        if (this.baseUsed[base] !== 1 && ((rel & 0xff) === 0 || rel < 1 << 21)) {
          let free = true;
          for (let i = 1; i < labels.length; i++) {
            if (this.reserved[base ^ (labels[i] ?? 0)] === 1) {
              free = false;
              break;
            }
          }
          if (free) return base;
        }
        slot = this.next[slot] as number;
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

/** A trie over the keys, minimized: equal subtrees (same labels, values and children) are one node. */
interface Dawg {
  /** Per node: its children as [label, node] pairs in ascending label order. */
  readonly children: readonly (readonly [number, number])[][];
  /** Per node: the value of the key ending there, or -1. */
  readonly values: Int32Array;
}

function buildDawg(entries: readonly DoubleArrayEntry[]): Dawg {
  // The plain trie: nodes are created parent before child, children in ascending label order.
  const children: [number, number][][] = [[]];
  const values: number[] = [-1];
  const path: number[] = [0];
  let previous: Uint8Array = new Uint8Array(0);
  for (const { key, value } of entries) {
    let common = 0;
    while (common < previous.length && common < key.length && previous[common] === key[common]) common++;
    path.length = common + 1;
    for (let depth = common; depth < key.length; depth++) {
      const node = children.length;
      children.push([]);
      values.push(-1);
      (children[path[depth] as number] as [number, number][]).push([key[depth] as number, node]);
      path.push(node);
    }
    values[path[key.length] as number] = value;
    previous = key;
  }
  // Bottom-up (children have larger ids), each node replaced by the first node with its signature.
  const canonical = new Int32Array(children.length);
  const bySignature = new Map<string, number>();
  for (let node = children.length - 1; node >= 0; node--) {
    const list = children[node] as [number, number][];
    for (const edge of list) edge[1] = canonical[edge[1]] as number;
    const signature = `${values[node]}|${list.map(([label, child]) => `${label}:${child}`).join(',')}`;
    const found = bySignature.get(signature);
    if (found === undefined) {
      bySignature.set(signature, node);
      canonical[node] = node;
    } else {
      canonical[node] = found;
    }
  }
  return { children, values: Int32Array.from(values) };
}

/**
 * The double array of `entries` (keys sorted ascending as bytes, distinct), as Darts-clone units.
 * Searching a key from unit 0 with Darts-clone's traversal finds exactly these keys and values.
 */
export function buildDoubleArray(entries: readonly DoubleArrayEntry[]): Uint32Array {
  if (entries.length === 0) throw new RangeError('a double array needs at least one key (got none)');
  for (let i = 0; i < entries.length; i++) {
    const { key, value } = entries[i] as DoubleArrayEntry;
    if (key.length === 0 || key.includes(0)) throw new RangeError(`double-array key ${i} is empty or contains a zero byte`);
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** 31) {
      throw new RangeError(`double-array value ${value} of key ${i} must be an integer in [0, 2^31)`);
    }
    if (i > 0 && compareBytes((entries[i - 1] as DoubleArrayEntry).key, key) >= 0) {
      throw new RangeError(`double-array keys must be sorted and distinct (key ${i} is not after key ${i - 1})`);
    }
  }
  const dawg = buildDawg(entries);
  const pool = new UnitPool();
  pool.grow(BLOCK);
  pool.reserve(0);
  pool.baseUsed[0] = 1; // base 0 would put a child at position 0, the root
  place(pool, dawg, 0, 0, new Map());
  fillUnusedUnits(pool);
  return pool.units.slice(0, pool.size);
}

/**
 * Points the unit at `unit` to the children of DAWG node `node`: to the base where they were already
 * placed when the offset to it can be encoded, otherwise to a new placement.
 */
function place(pool: UnitPool, dawg: Dawg, node: number, unit: number, bases: Map<number, number>): void {
  const edges = dawg.children[node] as readonly (readonly [number, number])[];
  const value = dawg.values[node] as number;
  const known = bases.get(node);
  if (known !== undefined) {
    const rel = unit ^ known;
    if (rel < 1 << 21 || ((rel & 0xff) === 0 && rel < MAX_OFFSET)) {
      pool.units[unit] = ((pool.units[unit] as number) | encodeOffset(rel) | (value >= 0 ? HAS_LEAF : 0)) >>> 0;
      return;
    }
  }
  const labels = edges.map(([label]) => label);
  if (value >= 0) labels.unshift(0);
  const base = pool.findBase(unit, labels);
  pool.baseUsed[base] = 1;
  bases.set(node, base);
  pool.units[unit] = ((pool.units[unit] as number) | encodeOffset(unit ^ base)) >>> 0;
  if (value >= 0) {
    pool.reserve(base);
    pool.units[unit] = ((pool.units[unit] as number) | HAS_LEAF) >>> 0;
    pool.units[base] = (value | LEAF_FLAG) >>> 0;
  }
  for (const [label] of edges) {
    pool.reserve(base ^ label);
    pool.units[base ^ label] = label;
  }
  for (const [label, child] of edges) place(pool, dawg, child, base ^ label, bases);
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
