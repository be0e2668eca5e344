// A trie over sequences of character ids, for finding every piece that starts at each position of a
// text: walk `child` from the root (node 0) along the text; `value` tells which piece ends where.
// Children are found through one open-addressing hash table keyed by (node, character), so lookups
// cost the same at a root with thousands of children as deeper down.

const EMPTY = -1;
/** Slot layout in the table: parent node, character, child node, child's value. */
const STRIDE = 4;

export class PieceTrie {
  /** Root children by character (the root has the most children and is looked up the most). */
  private readonly rootChild: Int32Array;
  private readonly rootValue: Int32Array;
  private table: Int32Array;
  private mask: number;
  private nodeCount = 1;

  constructor(alphabetSize: number, expectedNodes = 1024) {
    this.rootChild = new Int32Array(alphabetSize).fill(-1);
    this.rootValue = new Int32Array(alphabetSize).fill(-1);
    let capacity = 1024;
    while (capacity < expectedNodes * 2) capacity *= 2;
    this.table = new Int32Array(capacity * STRIDE).fill(EMPTY);
    this.mask = capacity - 1;
  }

  private static hash(node: number, char: number): number {
    return Math.imul(node, 0x9e3779b1) ^ Math.imul(char + 1, 0x85ebca77);
  }

  /** The value of the piece ending at the node the last successful `step` reached (−1: none). */
  value = -1;

  /** Walks from `node` (0: the root) on `char`: returns the child (setting `value`), or −1 when there is none. */
  step(node: number, char: number): number {
    if (node === 0) {
      this.value = this.rootValue[char] as number;
      return this.rootChild[char] as number;
    }
    const table = this.table;
    const mask = this.mask;
    for (let s = PieceTrie.hash(node, char) & mask; ; s = (s + 1) & mask) {
      const at = s * STRIDE;
      const parent = table[at] as number;
      if (parent === node && table[at + 1] === char) {
        this.value = table[at + 3] as number;
        return table[at + 2] as number;
      }
      if (parent === EMPTY) return -1;
    }
  }

  private addChild(node: number, char: number, value: number): number {
    const created = this.nodeCount++;
    if (node === 0) {
      this.rootChild[char] = created;
      this.rootValue[char] = value;
      return created;
    }
    if (this.nodeCount * 2 > this.table.length / STRIDE) this.rehash();
    this.place(node, char, created, value);
    return created;
  }

  private place(node: number, char: number, child: number, value: number): void {
    const table = this.table;
    let s = PieceTrie.hash(node, char) & this.mask;
    while (table[s * STRIDE] !== EMPTY) s = (s + 1) & this.mask;
    const at = s * STRIDE;
    table[at] = node;
    table[at + 1] = char;
    table[at + 2] = child;
    table[at + 3] = value;
  }

  private setValue(node: number, char: number, value: number): void {
    if (node === 0) {
      this.rootValue[char] = value;
      return;
    }
    const table = this.table;
    for (let s = PieceTrie.hash(node, char) & this.mask; ; s = (s + 1) & this.mask) {
      if (table[s * STRIDE] === node && table[s * STRIDE + 1] === char) {
        table[s * STRIDE + 3] = value;
        return;
      }
    }
  }

  private rehash(): void {
    const old = this.table;
    const capacity = (old.length / STRIDE) * 2;
    this.table = new Int32Array(capacity * STRIDE).fill(EMPTY);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at] === EMPTY) continue;
      this.place(old[at] as number, old[at + 1] as number, old[at + 2] as number, old[at + 3] as number);
    }
  }

  /** Adds the piece ids[begin, end) (non-empty) with `value` (≥ 0). */
  insert(ids: ArrayLike<number>, begin: number, end: number, value: number): void {
    let node = 0;
    for (let i = begin; i < end; i++) {
      const c = ids[i] as number;
      const last = i === end - 1;
      const next = this.step(node, c);
      if (next < 0) node = this.addChild(node, c, last ? value : -1);
      else {
        if (last) this.setValue(node, c, value);
        node = next;
      }
    }
  }
}
