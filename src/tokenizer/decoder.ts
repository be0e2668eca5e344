// Pieces back to text as SentencePiece's Decode (sentencepiece_processor.cc): control pieces vanish, the
// unk piece becomes unk_surface (" ⁇ "), '▁' becomes ' ', the first piece's leading '▁' is dropped when the
// normalizer added a dummy prefix or removed extra whitespace, runs of byte pieces are reassembled into
// UTF-8 (each malformed byte → U+FFFD), and the denormalizer, if any, runs last.

import type { NormalizerSpec } from './model-proto.js';
import type { Normalizer } from './normalizer.js';
import { BYTE, CONTROL, PieceTable, UNKNOWN, pieceToByte } from './piece-table.js';
import { decodeUtf8, validCharLen } from './utf8.js';

const SPACE_SYMBOL = '\u2581';

export class Decoder {
  private readonly stripLeadingSpace: boolean;
  private readonly removeExtraWhitespaces: boolean;

  constructor(
    readonly table: PieceTable,
    normalizerSpec: NormalizerSpec,
    private readonly unkSurface: string,
    private readonly denormalizer: Normalizer | null,
  ) {
    this.stripLeadingSpace = normalizerSpec.addDummyPrefix || normalizerSpec.removeExtraWhitespaces;
    this.removeExtraWhitespaces = normalizerSpec.removeExtraWhitespaces;
  }

  /** Text of ids; an id outside the vocabulary is a RangeError naming it. */
  decodeIds(ids: readonly number[]): string {
    const size = this.table.size;
    const pieces = ids.map((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= size) {
        throw new RangeError(`id ${id} (position ${i}) is not in the vocabulary of ${size} pieces; ids run from 0 to ${size - 1}`);
      }
      return this.table.pieces[id]!;
    });
    return this.decode(pieces, ids);
  }

  /** Text of pieces; a piece not in the model decodes as itself. */
  decodePieces(pieces: readonly string[]): string {
    return this.decode(
      pieces,
      pieces.map((p) => this.table.pieceToId(p)),
    );
  }

  private decode(pieces: readonly string[], ids: readonly number[]): string {
    const types = this.table.types;
    let text = '';
    let byteStart = 0;
    let isBosWs = true;
    let bosWsSeen = false;
    for (let i = 0; i < pieces.length; i++) {
      if (types[ids[i]!] === BYTE) continue;
      text += this.decodeBytes(pieces, byteStart, i);
      if (bosWsSeen || text.length > 0) isBosWs = false;
      byteStart = i + 1;
      const piece = pieces[i]!;
      const id = ids[i]!;
      const type = types[id];
      if (type === CONTROL) {
        bosWsSeen = false;
      } else if (type === UNKNOWN) {
        text += this.table.pieces[id] === piece ? this.unkSurface : piece;
        bosWsSeen = false;
      } else {
        let body = piece;
        bosWsSeen = false;
        if (isBosWs && this.stripLeadingSpace && body.startsWith(SPACE_SYMBOL)) {
          body = body.slice(1);
          bosWsSeen = !this.removeExtraWhitespaces;
        }
        text += body.replaceAll(SPACE_SYMBOL, ' ');
      }
    }
    text += this.decodeBytes(pieces, byteStart, pieces.length);
    return this.denormalizer === null ? text : this.denormalizer.normalize(text);
  }

  /** The text of the byte pieces pieces[from, to): UTF-8 characters, each malformed byte as U+FFFD. */
  private decodeBytes(pieces: readonly string[], from: number, to: number): string {
    if (from >= to) return '';
    const bytes = Uint8Array.from(pieces.slice(from, to), (p) => pieceToByte(p));
    let text = '';
    for (let offset = 0; offset < bytes.length; ) {
      const n = validCharLen(bytes, offset, bytes.length);
      if (n === 0) {
        text += '\ufffd';
        offset++;
      } else {
        text += decodeUtf8(bytes, offset, offset + n);
        offset += n;
      }
    }
    return text;
  }
}
