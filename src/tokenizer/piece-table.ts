// The index of a model's pieces that SentencePiece's ModelInterface::InitializePieces builds and checks:
// a double-array trie of the matchable pieces (normal, user-defined, unused) → id, a map of the reserved
// ones (unknown, control, byte), piece types and float32 scores by id, the 256 byte pieces, the
// user-defined-symbol matcher, and the min/max normal scores the unigram model needs.

import { DoubleArray } from './double-array.js';
import type { ModelProto, PieceType } from './model-proto.js';
import { buildSymbolMatcher } from './normalizer.js';
import { encodeUtf8 } from './utf8.js';

/** Piece types as small integers, for the typed `types` array. */
export const NORMAL = 1;
export const UNKNOWN = 2;
export const CONTROL = 3;
export const USER_DEFINED = 4;
export const UNUSED = 5;
export const BYTE = 6;

const TYPE_CODES: Readonly<Record<PieceType, number>> = {
  normal: NORMAL,
  unknown: UNKNOWN,
  control: CONTROL,
  user_defined: USER_DEFINED,
  unused: UNUSED,
  byte: BYTE,
};

/** The byte piece text for byte b: `<0x41>` (two upper-case hex digits). */
export function bytePiece(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
}

/** The byte a byte piece stands for, or -1 when `piece` is not exactly `<0xNN>`. */
export function pieceToByte(piece: string): number {
  const m = /^<0x([0-9A-F]{2})>$/.exec(piece);
  return m === null ? -1 : parseInt(m[1]!, 16);
}

export class PieceTable {
  readonly pieces: readonly string[];
  /** Type code per id (NORMAL, UNKNOWN, …). */
  readonly types: Uint8Array;
  /** Score per id, as the float32 the model stores. */
  readonly scores: Float32Array;
  /** Normal, user-defined and unused pieces (UTF-8) → id. */
  readonly trie: DoubleArray;
  /** Unknown, control and byte pieces → id (checked before the trie, as PieceToId does). */
  readonly reserved: ReadonlyMap<string, number>;
  /** Same keys as `reserved`, as a trie, for lookups on bytes; null when there are none. */
  readonly reservedTrie: DoubleArray | null;
  readonly unkId: number;
  /** The id of each byte's piece <0xNN>; -1 without byte fallback. */
  readonly byteIds: Int32Array;
  readonly byteFallback: boolean;
  /** Longest-match trie of the user-defined pieces; null when there are none. */
  readonly userDefined: DoubleArray | null;
  /** Min and max score of the normal pieces (FLT_MAX and FLT_MIN when there are none, as the C++). */
  readonly minScore: number;
  readonly maxScore: number;

  constructor(model: ModelProto, source = 'the model') {
    const n = model.pieces.length;
    const types = new Uint8Array(n);
    const scores = new Float32Array(n);
    const matchable = new Map<string, number>();
    const reserved = new Map<string, number>();
    const userDefined: string[] = [];
    const byteIds = new Int32Array(256).fill(-1);
    const byteFallback = model.trainerSpec.byteFallback;
    let unkId = -1;
    let minScore = 3.4028234663852886e38; // FLT_MAX
    let maxScore = 1.1754943508222875e-38; // FLT_MIN (the smallest positive float, as the C++ starts)
    model.pieces.forEach((p, id) => {
      if (p.piece.length === 0) throw new RangeError(`${source}: piece ${id} is empty; every piece needs text`);
      const type = TYPE_CODES[p.type];
      types[id] = type;
      scores[id] = p.score;
      const matchableType = type === NORMAL || type === USER_DEFINED || type === UNUSED;
      const table = matchableType ? matchable : reserved;
      if (table.has(p.piece)) {
        throw new RangeError(`${source}: piece ${JSON.stringify(p.piece)} (id ${id}) is already defined as id ${table.get(p.piece)}`);
      }
      table.set(p.piece, id);
      if (type === USER_DEFINED) userDefined.push(p.piece);
      if (type === UNKNOWN) {
        if (unkId >= 0) throw new RangeError(`${source}: a second unknown piece ${JSON.stringify(p.piece)} (id ${id}); unk is id ${unkId}`);
        unkId = id;
      }
      if (type === BYTE) {
        if (!byteFallback) {
          throw new RangeError(`${source}: byte piece ${JSON.stringify(p.piece)} (id ${id}) is found although trainer_spec.byte_fallback is false`);
        }
        const b = pieceToByte(p.piece);
        if (b < 0) throw new RangeError(`${source}: byte piece ${JSON.stringify(p.piece)} (id ${id}) is not of the form <0xNN>`);
        byteIds[b] = id;
      }
      if (type === NORMAL) {
        minScore = Math.min(minScore, scores[id]!);
        maxScore = Math.max(maxScore, scores[id]!);
      }
    });
    if (unkId < 0) throw new RangeError(`${source}: no piece has type 'unknown'; a model needs an unk piece (e.g. <unk>)`);
    if (byteFallback) {
      const missing = byteIds.findIndex((id) => id < 0);
      if (missing >= 0) throw new RangeError(`${source}: byte_fallback is on but byte piece ${bytePiece(missing)} is missing (all 256 are needed)`);
    }
    if (matchable.size === 0) throw new RangeError(`${source}: no normal or user-defined pieces to segment with`);

    this.pieces = model.pieces.map((p) => p.piece);
    this.types = types;
    this.scores = scores;
    this.trie = DoubleArray.build(
      [...matchable.keys()].map((k) => encodeUtf8(k)),
      [...matchable.values()],
    );
    this.reserved = reserved;
    this.reservedTrie =
      reserved.size === 0
        ? null
        : DoubleArray.build(
            [...reserved.keys()].map((k) => encodeUtf8(k)),
            [...reserved.values()],
          );
    this.unkId = unkId;
    this.byteIds = byteIds;
    this.byteFallback = byteFallback;
    this.userDefined = buildSymbolMatcher(userDefined);
    this.minScore = minScore;
    this.maxScore = maxScore;
  }

  get size(): number {
    return this.pieces.length;
  }

  /** PieceToId: reserved pieces first, then the others; the unk id when `piece` is not in the model. */
  pieceToId(piece: string): number {
    const reserved = this.reserved.get(piece);
    if (reserved !== undefined) return reserved;
    const bytes = encodeUtf8(piece);
    const id = this.trie.exactMatch(bytes, 0, bytes.length);
    return id >= 0 ? id : this.unkId;
  }

  /** PieceToId on the UTF-8 bytes[start, end). */
  pieceToIdBytes(bytes: Uint8Array, start: number, end: number): number {
    if (this.reservedTrie !== null) {
      const id = this.reservedTrie.exactMatch(bytes, start, end);
      if (id >= 0) return id;
    }
    const id = this.trie.exactMatch(bytes, start, end);
    return id >= 0 ? id : this.unkId;
  }
}
