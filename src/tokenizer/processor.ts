// SentencePieceProcessor: a .model file's exact encode/decode, as the C++ SentencePieceProcessor (0.1.97):
// UTF-8 bytes → Normalizer → the model's segmentation (unigram, BPE, word, char) → ids, with runs of
// unknown pieces merged into one unk, or split into <0xNN> byte pieces under byte fallback
// (PopulateSentencePieceText). Plus n-best, sampling (subword regularization) and BPE-dropout.
// Encoding reuses typed buffers; a processor is not re-entrant (one encode at a time, as JS runs anyway).

import { readFile } from 'node:fs/promises';
import { BpeModel } from './bpe.js';
import { CharsmapError } from './charsmap.js';
import { Decoder } from './decoder.js';
import { ModelFormatError, parseModelProto } from './model-proto.js';
import type { ModelProto } from './model-proto.js';
import { Normalizer } from './normalizer.js';
import { BYTE, CONTROL, PieceTable, UNKNOWN, UNUSED, USER_DEFINED, bytePiece } from './piece-table.js';
import { Segments } from './segments.js';
import { UnigramModel } from './unigram.js';
import type { ScoredSegmentation } from './unigram.js';
import { ByteBuffer, decodeUtf8 } from './utf8.js';
import { CharModel, WordModel } from './word-char.js';

/** Options of sampleEncodeIds. */
export interface SampleOptions {
  /**
   * Unigram: the smoothing exponent (inverse temperature) of the sampled distribution; BPE: the
   * dropout probability of each merge.
   */
  readonly alpha: number;
  /** Unigram only: < 0 samples from the whole lattice, 0 or 1 is Viterbi, n > 1 samples from the n best. */
  readonly nbestSize?: number;
}

interface Encoder {
  encode(normalized: Uint8Array, length: number, out: Segments): void;
}

/** The C++ limit on nbest_size for sampling. */
const MAX_SAMPLE_NBEST = 512;

export class SentencePieceProcessor {
  private readonly table: PieceTable;
  private readonly normalizer: Normalizer;
  private readonly decoder: Decoder;
  private readonly encoder: Encoder;
  private readonly unigram: UnigramModel | null;
  private readonly bpe: BpeModel | null;
  private readonly input = new ByteBuffer();
  private readonly segments = new Segments();

  private constructor(
    private readonly proto: ModelProto,
    source: string,
  ) {
    this.table = new PieceTable(proto, source);
    const spec = proto.trainerSpec;
    try {
      this.normalizer = new Normalizer(proto.normalizerSpec, {
        treatWhitespaceAsSuffix: spec.treatWhitespaceAsSuffix,
        userDefinedSymbols: proto.pieces.filter((p) => p.type === 'user_defined').map((p) => p.piece),
      });
      const denorm = proto.denormalizerSpec;
      const denormalizer = denorm !== null && denorm.precompiledCharsmap.length > 0 ? new Normalizer(denorm) : null;
      this.decoder = new Decoder(this.table, proto.normalizerSpec, spec.unkSurface, denormalizer);
    } catch (error) {
      if (error instanceof CharsmapError) throw new ModelFormatError(`${source}: ${error.message}; the normalizer spec is damaged`);
      throw error;
    }
    this.unigram = spec.modelType === 'unigram' ? new UnigramModel(this.table) : null;
    this.bpe = spec.modelType === 'bpe' ? new BpeModel(this.table) : null;
    this.encoder = this.unigram ?? this.bpe ?? (spec.modelType === 'word' ? new WordModel(this.table) : new CharModel(this.table));
    this.selfTest(source);
  }

  /** A processor for a serialized ModelProto; `source` names it in error messages. */
  static fromBytes(bytes: Uint8Array, source = 'the model'): SentencePieceProcessor {
    return new SentencePieceProcessor(parseModelProto(bytes, source), source);
  }

  /** A processor for a ModelProto built in code (e.g. by the trainer). */
  static fromModel(model: ModelProto, source = 'the model'): SentencePieceProcessor {
    return new SentencePieceProcessor(model, source);
  }

  /** Loads a .model file. */
  static async load(path: string): Promise<SentencePieceProcessor> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot read SentencePiece model ${path}: ${reason}`);
    }
    return SentencePieceProcessor.fromBytes(bytes, path);
  }

  /** The parsed model. */
  get model(): ModelProto {
    return this.proto;
  }

  get vocabSize(): number {
    return this.table.size;
  }

  /** The text as the encoder sees it (normalized, whitespace escaped as '▁'). */
  normalize(text: string | Uint8Array): string {
    const n = this.normalizeInput(text);
    return decodeUtf8(this.normalizer.out.bytes, 0, n);
  }

  private normalizeInput(text: string | Uint8Array): number {
    if (typeof text === 'string') this.input.setText(text);
    else this.input.setBytes(text);
    return this.normalizer.normalizeBytes(this.input.bytes, this.input.length);
  }

  /** Ids of a text (a string, or UTF-8 bytes, which may be malformed as spm_encode's input may be). */
  encodeIds(text: string | Uint8Array): number[] {
    const n = this.normalizeInput(text);
    this.encoder.encode(this.normalizer.out.bytes, n, this.segments);
    return this.idsOf(this.segments.ids, this.segments.ends, this.segments.count);
  }

  /** Pieces of a text (unknown characters as themselves, or <0xNN> pieces under byte fallback). */
  encodePieces(text: string | Uint8Array): string[] {
    const n = this.normalizeInput(text);
    this.encoder.encode(this.normalizer.out.bytes, n, this.segments);
    return this.piecesOf(this.segments.ids, this.segments.ends, this.segments.count);
  }

  /** The n best segmentations' ids, best first (unigram models only; n is clamped to [1, 1024]). */
  nbestEncodeIds(text: string | Uint8Array, n: number): number[][] {
    return this.nbest(text, n).map((r) => this.idsOf(Int32Array.from(r.ids), Int32Array.from(r.ends), r.ids.length));
  }

  /** The n best segmentations' pieces, best first (unigram models only). */
  nbestEncodePieces(text: string | Uint8Array, n: number): string[][] {
    return this.nbest(text, n).map((r) => this.piecesOf(Int32Array.from(r.ids), Int32Array.from(r.ends), r.ids.length));
  }

  private nbest(text: string | Uint8Array, n: number): ScoredSegmentation[] {
    if (this.unigram === null) {
      throw new Error(`n-best encoding needs a unigram model; this one is ${this.proto.trainerSpec.modelType}`);
    }
    if (!Number.isFinite(n)) throw new RangeError(`n-best size must be a number (got ${n})`);
    const len = this.normalizeInput(text);
    return this.unigram.nbest(this.normalizer.out.bytes, len, n, this.segments);
  }

  /**
   * One sampled segmentation's ids: unigram subword regularization (Kudo, 2018) or BPE-dropout. `rand`
   * returns uniform numbers in [0, 1); the same sequence gives the same samples.
   */
  sampleEncodeIds(text: string | Uint8Array, options: SampleOptions, rand: () => number): number[] {
    this.sample(text, options, rand);
    return this.idsOf(this.segments.ids, this.segments.ends, this.segments.count);
  }

  /** One sampled segmentation's pieces (see sampleEncodeIds). */
  sampleEncodePieces(text: string | Uint8Array, options: SampleOptions, rand: () => number): string[] {
    this.sample(text, options, rand);
    return this.piecesOf(this.segments.ids, this.segments.ends, this.segments.count);
  }

  private sample(text: string | Uint8Array, options: SampleOptions, rand: () => number): void {
    const { alpha, nbestSize = -1 } = options;
    if (!Number.isFinite(alpha)) throw new RangeError(`sampling alpha must be a finite number (got ${alpha})`);
    if (!Number.isInteger(nbestSize) || nbestSize > MAX_SAMPLE_NBEST) {
      throw new RangeError(`nbestSize must be an integer ≤ ${MAX_SAMPLE_NBEST} (got ${nbestSize}); use -1 to sample from the whole lattice`);
    }
    const len = this.normalizeInput(text);
    const normalized = this.normalizer.out.bytes;
    if (this.unigram !== null) this.unigram.sample(normalized, len, alpha, nbestSize, rand, this.segments);
    else if (this.bpe !== null) this.bpe.encode(normalized, len, this.segments, alpha, rand);
    else throw new Error(`sampling needs a unigram or BPE model; this one is ${this.proto.trainerSpec.modelType}`);
  }

  /** Output ids of a segmentation: unknown runs merged into one unk id, or byte pieces with byte fallback. */
  private idsOf(segIds: Int32Array, ends: Int32Array, count: number): number[] {
    const table = this.table;
    const types = table.types;
    const out: number[] = [];
    if (!table.byteFallback) {
      let prevUnk = false;
      for (let i = 0; i < count; i++) {
        const id = segIds[i]!;
        const isUnk = types[id] === UNKNOWN;
        if (!(isUnk && prevUnk)) out.push(id);
        prevUnk = isUnk;
      }
      return out;
    }
    const normalized = this.normalizer.out.bytes;
    let begin = 0;
    for (let i = 0; i < count; i++) {
      const id = segIds[i]!;
      const type = types[id];
      if (type === UNKNOWN) for (let b = begin; b < ends[i]!; b++) out.push(table.byteIds[normalized[b]!]!);
      else out.push(id);
      if (type !== CONTROL) begin = ends[i]!;
    }
    return out;
  }

  private piecesOf(segIds: Int32Array, ends: Int32Array, count: number): string[] {
    const table = this.table;
    const types = table.types;
    const normalized = this.normalizer.out.bytes;
    const out: string[] = [];
    let prevUnk = false;
    let begin = 0;
    for (let i = 0; i < count; i++) {
      const id = segIds[i]!;
      const end = ends[i]!;
      const type = types[id];
      const isUnk = type === UNKNOWN;
      if (isUnk && table.byteFallback) {
        for (let b = begin; b < end; b++) out.push(bytePiece(normalized[b]!));
      } else if (isUnk) {
        const surface = decodeUtf8(normalized, begin, end);
        if (prevUnk) out[out.length - 1] += surface;
        else out.push(surface);
      } else out.push(table.pieces[id]!);
      if (type !== CONTROL) begin = end;
      prevUnk = isUnk;
    }
    return out;
  }

  /** Text of ids (as spm_decode); an id outside the vocabulary is a RangeError. */
  decodeIds(ids: readonly number[]): string {
    return this.decoder.decodeIds(ids);
  }

  /** Text of pieces; pieces not in the model decode as themselves. */
  decodePieces(pieces: readonly string[]): string {
    return this.decoder.decodePieces(pieces);
  }

  /** The id of a piece; the unk id when the model has no such piece. */
  pieceToId(piece: string): number {
    return this.table.pieceToId(piece);
  }

  idToPiece(id: number): string {
    return this.table.pieces[this.checkId(id)]!;
  }

  getScore(id: number): number {
    return this.table.scores[this.checkId(id)]!;
  }

  private checkId(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.table.size) {
      throw new RangeError(`id ${id} is not in the vocabulary of ${this.table.size} pieces; ids run from 0 to ${this.table.size - 1}`);
    }
    return id;
  }

  isUnknown(id: number): boolean {
    return this.table.types[this.checkId(id)] === UNKNOWN;
  }

  isControl(id: number): boolean {
    return this.table.types[this.checkId(id)] === CONTROL;
  }

  isUserDefined(id: number): boolean {
    return this.table.types[this.checkId(id)] === USER_DEFINED;
  }

  isUnused(id: number): boolean {
    return this.table.types[this.checkId(id)] === UNUSED;
  }

  isByte(id: number): boolean {
    return this.table.types[this.checkId(id)] === BYTE;
  }

  /** The trainer spec's special piece, if the model has it with the right type, else -1 (as the C++). */
  private special(piece: string, fallback: string, type: number): number {
    const id = this.table.pieceToId(piece.length > 0 ? piece : fallback);
    return this.table.types[id] === type ? id : -1;
  }

  get unkId(): number {
    return this.special(this.proto.trainerSpec.unkPiece, '<unk>', UNKNOWN);
  }

  get bosId(): number {
    return this.special(this.proto.trainerSpec.bosPiece, '<s>', CONTROL);
  }

  get eosId(): number {
    return this.special(this.proto.trainerSpec.eosPiece, '</s>', CONTROL);
  }

  get padId(): number {
    return this.special(this.proto.trainerSpec.padPiece, '<pad>', CONTROL);
  }

  /** The model's self-test samples must encode as recorded (the C++ refuses to load the model otherwise). */
  private selfTest(source: string): void {
    const failures: string[] = [];
    for (const sample of this.proto.selfTestData) {
      const actual = this.encodePieces(sample.input).join(' ');
      if (actual !== sample.expected && !this.sameUnigramScore(sample.expected, actual)) {
        failures.push(`${JSON.stringify(sample.input)}: expected ${JSON.stringify(sample.expected)}, got ${JSON.stringify(actual)}`);
      }
    }
    if (failures.length > 0) {
      throw new ModelFormatError(
        `${source} fails ${failures.length} of its ${this.proto.selfTestData.length} self-test samples (${failures.slice(0, 3).join('; ')}); the model file is inconsistent`,
      );
    }
  }

  /** Unigram VerifyOutputsEquivalent: two segmentations with the same total score are equivalent. */
  private sameUnigramScore(expected: string, actual: string): boolean {
    if (this.unigram === null) return false;
    const table = this.table;
    const unkScore = Math.fround(table.minScore - 10);
    const score = (pieces: string): number => {
      let total = 0;
      for (const p of pieces.split(' ')) {
        const id = table.pieceToId(p);
        const s =
          id === table.unkId ? unkScore : table.types[id] === USER_DEFINED ? Math.fround(new TextEncoder().encode(p).length * table.maxScore) - 0.1 : table.scores[id]!;
        total = Math.fround(total + s);
      }
      return total;
    };
    return Math.abs(score(expected) - score(actual)) <= 1e-7;
  }
}
