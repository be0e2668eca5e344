// SentencePiece's two lookup models (word_model.cc, char_model.cc): 'word' splits the normalized text
// before every '▁' (SplitIntoWords) and 'char' into characters (user-defined symbols whole); each piece
// is then looked up (PieceToId: unknown text gets the unk id).

import type { PieceTable } from './piece-table.js';
import type { Segments } from './segments.js';
import { oneCharLen } from './utf8.js';

function isSpaceSymbol(bytes: Uint8Array, pos: number, n: number): boolean {
  return n === 3 && bytes[pos] === 0xe2 && bytes[pos + 1] === 0x96 && bytes[pos + 2] === 0x81;
}

export class WordModel {
  constructor(readonly table: PieceTable) {}

  encode(normalized: Uint8Array, length: number, out: Segments): void {
    out.clear();
    let wordStart = 0;
    for (let pos = 0; pos < length; ) {
      const n = Math.min(oneCharLen(normalized[pos]!), length - pos);
      if (pos > 0 && isSpaceSymbol(normalized, pos, n)) {
        out.push(this.table.pieceToIdBytes(normalized, wordStart, pos), pos);
        wordStart = pos;
      }
      pos += n;
    }
    if (length > 0) out.push(this.table.pieceToIdBytes(normalized, wordStart, length), length);
  }
}

export class CharModel {
  constructor(readonly table: PieceTable) {}

  encode(normalized: Uint8Array, length: number, out: Segments): void {
    out.clear();
    const matcher = this.table.userDefined;
    for (let pos = 0; pos < length; ) {
      const symbol = matcher === null ? 0 : matcher.longestPrefix(normalized, pos, length);
      const n = symbol > 0 ? symbol : Math.min(oneCharLen(normalized[pos]!), length - pos);
      out.push(this.table.pieceToIdBytes(normalized, pos, pos + n), pos + n);
      pos += n;
    }
  }
}
