// SentencePiece's Normalizer (normalizer.cc), byte for byte: at each position a user-defined symbol
// (longest match) passes through untouched, else the charsmap's longest rule applies, else the character
// is copied (a malformed byte becomes U+FFFD); then remove_extra_whitespaces, add_dummy_prefix (or a
// suffix with treat_whitespace_as_suffix) and escape_whitespaces (' ' → U+2581 '▁') as the C++ does.
// The same class, built from a denormalizer spec, is the decoder's denormalizer.

import { Charsmap } from './charsmap.js';
import { DoubleArray, unitHasLeaf, unitLabel, unitOffset } from './double-array.js';
import type { NormalizerSpec } from './model-proto.js';
import { ByteBuffer, REPLACEMENT_UTF8, decodeUtf8, encodeUtf8, validCharLen } from './utf8.js';

const SPACE = 0x20;
/** U+2581 LOWER ONE EIGHTH BLOCK, the escaped space, in UTF-8. */
const WS0 = 0xe2;
const WS1 = 0x96;
const WS2 = 0x81;

export interface NormalizerOptions {
  /** TrainerSpec.treat_whitespace_as_suffix: the dummy whitespace goes at the end. */
  readonly treatWhitespaceAsSuffix?: boolean;
  /** User-defined symbols, matched before normalization and never normalized (the model's PrefixMatcher). */
  readonly userDefinedSymbols?: readonly string[];
}

/** A trie of user-defined symbols for longest-prefix matching, or null when there are none. */
export function buildSymbolMatcher(symbols: readonly string[]): DoubleArray | null {
  const unique = [...new Set(symbols.filter((s) => s.length > 0))];
  if (unique.length === 0) return null;
  return DoubleArray.build(
    unique.map((s) => encodeUtf8(s)),
    unique.map(() => 0),
  );
}

/** Whether a key of the trie is a prefix of, or starts with, the UTF-8 bytes[0, n). */
function touchesKey(trie: DoubleArray, bytes: Uint8Array, n: number): boolean {
  const units = trie.units;
  let node = 0;
  for (let i = 0; i < n; i++) {
    const child = node ^ unitOffset(units[node]!) ^ bytes[i]!;
    if (child >= units.length || unitLabel(units[child]!) !== bytes[i]) return false;
    node = child;
    if (unitHasLeaf(units[node]!)) return true;
  }
  return true; // the whole character is a path in the trie: some key continues it
}

/** The fast-path table: 1 for each BMP code point that touches no key of the tries. */
function plainCharacters(tries: readonly (DoubleArray | null)[]): Uint8Array {
  const plain = new Uint8Array(0x10000);
  const bytes = new Uint8Array(3);
  for (let cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue; // surrogates are malformed in UTF-8
    let n: number;
    if (cp < 0x80) {
      bytes[0] = cp;
      n = 1;
    } else if (cp < 0x800) {
      bytes[0] = 0xc0 | (cp >> 6);
      bytes[1] = 0x80 | (cp & 0x3f);
      n = 2;
    } else {
      bytes[0] = 0xe0 | (cp >> 12);
      bytes[1] = 0x80 | ((cp >> 6) & 0x3f);
      bytes[2] = 0x80 | (cp & 0x3f);
      n = 3;
    }
    plain[cp] = tries.some((t) => t !== null && touchesKey(t, bytes, n)) ? 0 : 1;
  }
  return plain;
}

export class Normalizer {
  readonly charsmap: Charsmap | null;
  private readonly matcher: DoubleArray | null;
  private readonly addDummyPrefix: boolean;
  private readonly removeExtraWhitespaces: boolean;
  private readonly escapeWhitespaces: boolean;
  private readonly treatWhitespaceAsSuffix: boolean;
  /** 1 for each BMP code point that starts no charsmap rule and no user-defined symbol: it is its own piece. */
  private readonly plain: Uint8Array;
  /** The normalized bytes of the last `normalizeBytes` call. */
  readonly out = new ByteBuffer();
  private readonly input = new ByteBuffer();
  // The current piece of normalized text (set by prefix()): bytes[start, end) of `pieceBytes`.
  private pieceBytes: Uint8Array = REPLACEMENT_UTF8;
  private pieceStart = 0;
  private pieceEnd = 0;

  constructor(spec: NormalizerSpec, options: NormalizerOptions = {}) {
    this.charsmap = spec.precompiledCharsmap.length > 0 ? Charsmap.parse(spec.precompiledCharsmap) : null;
    this.matcher = buildSymbolMatcher(options.userDefinedSymbols ?? []);
    this.addDummyPrefix = spec.addDummyPrefix;
    this.removeExtraWhitespaces = spec.removeExtraWhitespaces;
    this.escapeWhitespaces = spec.escapeWhitespaces;
    this.treatWhitespaceAsSuffix = options.treatWhitespaceAsSuffix ?? false;
    this.plain = plainCharacters([this.charsmap?.trie ?? null, this.matcher]);
  }

  /** Normalizes a string (the C++ Normalize(input)). */
  normalize(text: string): string {
    this.input.setText(text);
    const n = this.normalizeBytes(this.input.bytes, this.input.length);
    return decodeUtf8(this.out.bytes, 0, n);
  }

  /**
   * Normalizes input[0, length) (UTF-8, possibly malformed) into `this.out`; returns the normalized
   * length. The result is overwritten by the next call.
   */
  normalizeBytes(input: Uint8Array, length: number): number {
    const out = this.out;
    out.length = 0;
    if (length === 0) return 0;
    let pos = 0;
    // Leading whitespace: pieces that normalize to exactly " ".
    if (this.removeExtraWhitespaces) {
      while (pos < length) {
        const consumed = this.prefix(input, pos, length);
        if (this.pieceEnd - this.pieceStart !== 1 || this.pieceBytes[this.pieceStart] !== SPACE) break;
        pos += consumed;
      }
      if (pos === length) return 0;
    }
    out.reserve((length - pos) * 3 + 3);
    if (!this.treatWhitespaceAsSuffix && this.addDummyPrefix) this.appendSpace();

    let isPrevSpace = this.removeExtraWhitespaces;
    const escape = this.escapeWhitespaces;
    const plain = this.plain;
    while (pos < length) {
      // Fast paths: a character no rule or symbol starts with is its own piece.
      const c = input[pos]!;
      if (c < 0x80) {
        if (plain[c] === 1) {
          if (out.length + 3 > out.bytes.length) out.reserve(3);
          if (c !== SPACE) {
            out.bytes[out.length++] = c;
            isPrevSpace = false;
          } else if (!isPrevSpace) {
            this.appendSpace();
            isPrevSpace = this.removeExtraWhitespaces;
          }
          pos++;
          continue;
        }
      } else if (c < 0xf0) {
        const n = validCharLen(input, pos, length);
        if (n > 0) {
          const cp = n === 2 ? ((c & 0x1f) << 6) | (input[pos + 1]! & 0x3f) : ((c & 0x0f) << 12) | ((input[pos + 1]! & 0x3f) << 6) | (input[pos + 2]! & 0x3f);
          if (plain[cp] === 1) {
            if (out.length + n > out.bytes.length) out.reserve(n);
            for (let k = 0; k < n; k++) out.bytes[out.length++] = input[pos + k]!;
            isPrevSpace = false;
            pos += n;
            continue;
          }
        }
      }
      pos += this.prefix(input, pos, length);
      const bytes = this.pieceBytes;
      let start = this.pieceStart;
      const end = this.pieceEnd;
      if (isPrevSpace) while (start < end && bytes[start] === SPACE) start++;
      if (start < end) {
        out.reserve((end - start) * 3);
        const buf = out.bytes;
        let o = out.length;
        for (let i = start; i < end; i++) {
          const b = bytes[i]!;
          if (b === SPACE && escape) {
            buf[o++] = WS0;
            buf[o++] = WS1;
            buf[o++] = WS2;
          } else buf[o++] = b;
        }
        out.length = o;
        isPrevSpace = bytes[end - 1] === SPACE;
      }
      if (!this.removeExtraWhitespaces) isPrevSpace = false;
    }

    // Trailing whitespace.
    if (this.removeExtraWhitespaces) {
      const buf = out.bytes;
      if (escape) {
        while (out.length >= 3 && buf[out.length - 3] === WS0 && buf[out.length - 2] === WS1 && buf[out.length - 1] === WS2) {
          out.length -= 3;
        }
      } else {
        while (out.length >= 1 && buf[out.length - 1] === SPACE) out.length--;
      }
    }
    if (this.treatWhitespaceAsSuffix && this.addDummyPrefix) this.appendSpace();
    return out.length;
  }

  private appendSpace(): void {
    const out = this.out;
    out.reserve(3);
    if (this.escapeWhitespaces) {
      out.bytes[out.length++] = WS0;
      out.bytes[out.length++] = WS1;
      out.bytes[out.length++] = WS2;
    } else out.bytes[out.length++] = SPACE;
  }

  /**
   * NormalizePrefix: normalizes the next piece of input[pos, end); sets the piece's normalized bytes
   * (pieceBytes[pieceStart, pieceEnd)) and returns how many input bytes it consumed.
   */
  private prefix(input: Uint8Array, pos: number, end: number): number {
    if (this.matcher !== null) {
      const n = this.matcher.longestPrefix(input, pos, end);
      if (n > 0) {
        this.setPiece(input, pos, pos + n);
        return n;
      }
    }
    const charsmap = this.charsmap;
    if (charsmap !== null) {
      const n = charsmap.longestMatch(input, pos, end);
      if (n > 0) {
        const offset = charsmap.trie.value;
        this.setPiece(charsmap.normalized, offset, charsmap.replacementEnd(offset));
        return n;
      }
    }
    const n = validCharLen(input, pos, end);
    if (n === 0) {
      this.setPiece(REPLACEMENT_UTF8, 0, 3);
      return 1;
    }
    this.setPiece(input, pos, pos + n);
    return n;
  }

  private setPiece(bytes: Uint8Array, start: number, end: number): void {
    this.pieceBytes = bytes;
    this.pieceStart = start;
    this.pieceEnd = end;
  }
}
