// The characters of a training corpus as small integer ids, in code-point order (so that sorting ids
// sorts strings as SentencePiece does, by UTF-8 bytes). Id 0 is reserved for a boundary marker (code
// point 0), which sorts before every character, as the suffix array of the unigram seeds needs.

export class Alphabet {
  /** codePoints[id]; codePoints[0] = 0, the boundary. */
  readonly codePoints: Int32Array;
  private readonly ids: Map<number, number>;
  /** Ids of the BMP code points (−1: not in the alphabet), the fast path of encoding. */
  private readonly bmp = new Int32Array(0x10000).fill(-1);

  constructor(codePoints: Iterable<number>) {
    const sorted = [...new Set(codePoints)].filter((cp) => cp !== 0).sort((a, b) => a - b);
    this.codePoints = Int32Array.from([0, ...sorted]);
    this.ids = new Map(sorted.map((cp, i) => [cp, i + 1]));
    sorted.forEach((cp, i) => {
      if (cp < 0x10000) this.bmp[cp] = i + 1;
    });
  }

  /** Number of ids, the boundary included. */
  get size(): number {
    return this.codePoints.length;
  }

  has(cp: number): boolean {
    return this.ids.has(cp);
  }

  /** The id of a code point of the alphabet; throws for one outside it. */
  idOf(cp: number): number {
    const id = this.ids.get(cp);
    if (id === undefined) throw new RangeError(`U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not in the training alphabet`);
    return id;
  }

  /** The ids of a string's characters, appended to `out` from `at`; returns the new end. */
  encodeInto(text: string, out: Int32Array, at: number): number {
    let o = at;
    const bmp = this.bmp;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const id = bmp[unit] as number;
      if (id >= 0) {
        out[o++] = id;
        continue;
      }
      let cp = unit;
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < text.length) {
        cp = text.codePointAt(i) as number;
        i++;
      }
      out[o++] = this.idOf(cp);
    }
    return o;
  }

  /** The ids of a string's characters. */
  encode(text: string): Int32Array {
    const out = new Int32Array(text.length);
    return out.slice(0, this.encodeInto(text, out, 0));
  }

  /** The string of ids[begin, end). */
  decode(ids: ArrayLike<number>, begin = 0, end = ids.length): string {
    let out = '';
    for (let i = begin; i < end; i++) out += String.fromCodePoint(this.codePoints[ids[i] as number] as number);
    return out;
  }
}
