// UTF-8 as SentencePiece reads it (src/util.{h,cc}): a character's length from its lead byte alone
// (OneCharLen), strict decoding that rejects overlongs, surrogates and truncation one byte at a time
// (DecodeUTF8), and the reusable byte buffer the encoders work in. All lengths are in bytes.

/** Bytes of the character a lead byte starts, as OneCharLen: 1 for ASCII and stray continuation bytes. */
export function oneCharLen(lead: number): number {
  const hi = lead >>> 4;
  return hi < 12 ? 1 : hi < 14 ? 2 : hi === 14 ? 3 : 4;
}

/** U+FFFD in UTF-8: what a malformed byte becomes. */
export const REPLACEMENT_UTF8: Uint8Array = Uint8Array.of(0xef, 0xbf, 0xbd);

function isTrail(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

function isValidCodepoint(c: number): boolean {
  return c < 0xd800 || (c >= 0xe000 && c <= 0x10ffff);
}

/**
 * The length of the well-formed character at bytes[pos] (pos < end), or 0 when it is malformed: the
 * C++ IsValidDecodeUTF8, under which a malformed character is consumed one byte at a time.
 */
export function validCharLen(bytes: Uint8Array, pos: number, end: number): number {
  const b0 = bytes[pos]!;
  if (b0 < 0x80) return 1;
  const len = end - pos;
  if (len >= 2 && (b0 & 0xe0) === 0xc0) {
    const b1 = bytes[pos + 1]!;
    const cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
    return isTrail(b1) && cp >= 0x80 ? 2 : 0;
  }
  if (len >= 3 && (b0 & 0xf0) === 0xe0) {
    const b1 = bytes[pos + 1]!;
    const b2 = bytes[pos + 2]!;
    const cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    return isTrail(b1) && isTrail(b2) && cp >= 0x800 && isValidCodepoint(cp) ? 3 : 0;
  }
  if (len >= 4 && (b0 & 0xf8) === 0xf0) {
    const b1 = bytes[pos + 1]!;
    const b2 = bytes[pos + 2]!;
    const b3 = bytes[pos + 3]!;
    const cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    return isTrail(b1) && isTrail(b2) && isTrail(b3) && cp >= 0x10000 && isValidCodepoint(cp) ? 4 : 0;
  }
  return 0;
}

// ignoreBOM: a leading U+FEFF is text (TextDecoder would drop it by default).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes bytes[start, end) that are well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    // Short pieces: faster than a TextDecoder call.
    let s = '';
    let i = start;
    while (i < end) {
      const b0 = bytes[i]!;
      if (b0 < 0x80) {
        s += String.fromCharCode(b0);
        i++;
        continue;
      }
      const n = validCharLen(bytes, i, end);
      if (n === 0) return decoder.decode(bytes.subarray(start, end));
      let cp = n === 2 ? b0 & 0x1f : n === 3 ? b0 & 0x0f : b0 & 0x07;
      for (let k = 1; k < n; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
      s += String.fromCodePoint(cp);
      i += n;
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A growable byte buffer reused across calls, so encoding a line allocates nothing once warm. */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Replaces the contents with the UTF-8 of `text`. */
  setText(text: string): void {
    this.length = 0;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(text.length * 3);
    this.length = encoder.encodeInto(text, this.bytes).written;
  }

  /** Replaces the contents with a copy of `data`. */
  setBytes(data: Uint8Array): void {
    this.length = 0;
    this.reserve(data.length);
    this.bytes.set(data);
    this.length = data.length;
  }
}
