// SentencePiece's ModelProto (the .model file): typed pieces, trainer spec, normalizer and denormalizer
// specs and self-test data, read and written with the protobuf wire reader/writer. Field numbers and
// defaults follow src/sentencepiece_model.proto of google/sentencepiece (0.1.97, plus fields 53 and 54
// of later versions). Parsed specs carry every field, defaults filled in; `wire` remembers which
// optional fields the file itself held, so serializing a parsed model reproduces its bytes.

import { ProtoDecodeError, ProtoReader } from '../protobuf/reader.js';
import { ProtoWriter } from '../protobuf/writer.js';

export type PieceType = 'normal' | 'unknown' | 'control' | 'user_defined' | 'byte' | 'unused';
export type ModelType = 'unigram' | 'bpe' | 'word' | 'char';

export interface ModelPiece {
  readonly piece: string;
  readonly score: number;
  readonly type: PieceType;
}

export interface TrainerSpec {
  readonly input: readonly string[];
  readonly inputFormat: string;
  readonly modelPrefix: string;
  readonly modelType: ModelType;
  readonly vocabSize: number;
  readonly acceptLanguage: readonly string[];
  readonly selfTestSampleSize: number;
  readonly enableDifferentialPrivacy: boolean;
  readonly differentialPrivacyNoiseLevel: number;
  readonly differentialPrivacyClippingThreshold: number;
  readonly characterCoverage: number;
  readonly inputSentenceSize: number;
  readonly shuffleInputSentence: boolean;
  /** Deprecated in SentencePiece; kept so old files round-trip. */
  readonly miningSentenceSize: number;
  /** Deprecated in SentencePiece; kept so old files round-trip. */
  readonly trainingSentenceSize: number;
  readonly seedSentencepieceSize: number;
  readonly shrinkingFactor: number;
  readonly maxSentenceLength: number;
  readonly numThreads: number;
  readonly numSubIterations: number;
  readonly maxSentencepieceLength: number;
  readonly splitByUnicodeScript: boolean;
  readonly splitByNumber: boolean;
  readonly splitByWhitespace: boolean;
  readonly treatWhitespaceAsSuffix: boolean;
  readonly allowWhitespaceOnlyPieces: boolean;
  readonly splitDigits: boolean;
  readonly pretokenizationDelimiter: string;
  readonly controlSymbols: readonly string[];
  readonly userDefinedSymbols: readonly string[];
  readonly requiredChars: string;
  readonly byteFallback: boolean;
  readonly vocabularyOutputPieceScore: boolean;
  readonly hardVocabLimit: boolean;
  readonly useAllVocab: boolean;
  readonly unkId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly unkPiece: string;
  readonly bosPiece: string;
  readonly eosPiece: string;
  readonly padPiece: string;
  readonly unkSurface: string;
  readonly trainExtremelyLargeCorpus: boolean;
  readonly seedSentencepiecesFile: string;
}

export interface NormalizerSpec {
  /** nmt_nfkc, nfkc, nmt_nfkc_cf, nfkc_cf, identity, user_defined (compiled from a TSV), …; informational. */
  readonly name: string;
  /** The compiled rules (see charsmap.ts); empty means no character normalization (identity). */
  readonly precompiledCharsmap: Uint8Array;
  readonly addDummyPrefix: boolean;
  readonly removeExtraWhitespaces: boolean;
  readonly escapeWhitespaces: boolean;
  /** The TSV rule file the charsmap was compiled from (a path; only the trainer reads it). */
  readonly normalizationRuleTsv: string;
}

export interface SelfTestSample {
  readonly input: string;
  readonly expected: string;
}

/** Which optional fields a parsed file held (field names as in the specs), so it can be rewritten exactly. */
export interface WirePresence {
  readonly trainerSpec: readonly string[] | null;
  readonly normalizerSpec: readonly string[] | null;
  readonly denormalizerSpec: readonly string[] | null;
  /** Per piece: bit 0 = score present, bit 1 = type present. */
  readonly pieces: Uint8Array;
  readonly selfTestData: boolean;
}

export interface ModelProto {
  readonly pieces: readonly ModelPiece[];
  readonly trainerSpec: TrainerSpec;
  readonly normalizerSpec: NormalizerSpec;
  /** Present only when the model has denormalization rules. */
  readonly denormalizerSpec: NormalizerSpec | null;
  readonly selfTestData: readonly SelfTestSample[];
  /** Set by parseModelProto; models built in code leave it out (then non-default fields are written). */
  readonly wire?: WirePresence;
}

export const DEFAULT_TRAINER_SPEC: TrainerSpec = Object.freeze({
  input: [],
  inputFormat: '',
  modelPrefix: '',
  modelType: 'unigram',
  vocabSize: 8000,
  acceptLanguage: [],
  selfTestSampleSize: 0,
  enableDifferentialPrivacy: false,
  differentialPrivacyNoiseLevel: 0,
  differentialPrivacyClippingThreshold: 0,
  characterCoverage: Math.fround(0.9995),
  inputSentenceSize: 0,
  shuffleInputSentence: true,
  miningSentenceSize: 0,
  trainingSentenceSize: 0,
  seedSentencepieceSize: 1_000_000,
  shrinkingFactor: 0.75,
  maxSentenceLength: 4192,
  numThreads: 16,
  numSubIterations: 2,
  maxSentencepieceLength: 16,
  splitByUnicodeScript: true,
  splitByNumber: true,
  splitByWhitespace: true,
  treatWhitespaceAsSuffix: false,
  allowWhitespaceOnlyPieces: false,
  splitDigits: false,
  pretokenizationDelimiter: '',
  controlSymbols: [],
  userDefinedSymbols: [],
  requiredChars: '',
  byteFallback: false,
  vocabularyOutputPieceScore: true,
  hardVocabLimit: true,
  useAllVocab: false,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  padId: -1,
  unkPiece: '<unk>',
  bosPiece: '<s>',
  eosPiece: '</s>',
  padPiece: '<pad>',
  unkSurface: ' \u2047 ',
  trainExtremelyLargeCorpus: false,
  seedSentencepiecesFile: '',
});

export const DEFAULT_NORMALIZER_SPEC: NormalizerSpec = Object.freeze({
  name: '',
  precompiledCharsmap: new Uint8Array(0),
  addDummyPrefix: true,
  removeExtraWhitespaces: true,
  escapeWhitespaces: true,
  normalizationRuleTsv: '',
});

type Kind = 'string' | 'strings' | 'bytes' | 'int32' | 'uint64' | 'float' | 'bool' | 'modelType';
interface FieldDef<S> {
  readonly key: keyof S & string;
  readonly field: number;
  readonly kind: Kind;
}

/** TrainerSpec's fields in field-number order (the order protobuf writes them). */
const TRAINER_FIELDS: readonly FieldDef<TrainerSpec>[] = (
  [
    ['input', 1, 'strings'],
    ['modelPrefix', 2, 'string'],
    ['modelType', 3, 'modelType'],
    ['vocabSize', 4, 'int32'],
    ['acceptLanguage', 5, 'strings'],
    ['selfTestSampleSize', 6, 'int32'],
    ['inputFormat', 7, 'string'],
    ['characterCoverage', 10, 'float'],
    ['inputSentenceSize', 11, 'uint64'],
    ['miningSentenceSize', 12, 'int32'],
    ['trainingSentenceSize', 13, 'int32'],
    ['seedSentencepieceSize', 14, 'int32'],
    ['shrinkingFactor', 15, 'float'],
    ['numThreads', 16, 'int32'],
    ['numSubIterations', 17, 'int32'],
    ['maxSentenceLength', 18, 'int32'],
    ['shuffleInputSentence', 19, 'bool'],
    ['maxSentencepieceLength', 20, 'int32'],
    ['splitByUnicodeScript', 21, 'bool'],
    ['splitByWhitespace', 22, 'bool'],
    ['splitByNumber', 23, 'bool'],
    ['treatWhitespaceAsSuffix', 24, 'bool'],
    ['splitDigits', 25, 'bool'],
    ['allowWhitespaceOnlyPieces', 26, 'bool'],
    ['controlSymbols', 30, 'strings'],
    ['userDefinedSymbols', 31, 'strings'],
    ['vocabularyOutputPieceScore', 32, 'bool'],
    ['hardVocabLimit', 33, 'bool'],
    ['useAllVocab', 34, 'bool'],
    ['byteFallback', 35, 'bool'],
    ['requiredChars', 36, 'string'],
    ['unkId', 40, 'int32'],
    ['bosId', 41, 'int32'],
    ['eosId', 42, 'int32'],
    ['padId', 43, 'int32'],
    ['unkSurface', 44, 'string'],
    ['unkPiece', 45, 'string'],
    ['bosPiece', 46, 'string'],
    ['eosPiece', 47, 'string'],
    ['padPiece', 48, 'string'],
    ['trainExtremelyLargeCorpus', 49, 'bool'],
    ['enableDifferentialPrivacy', 50, 'bool'],
    ['differentialPrivacyNoiseLevel', 51, 'float'],
    ['differentialPrivacyClippingThreshold', 52, 'uint64'],
    ['pretokenizationDelimiter', 53, 'string'],
    ['seedSentencepiecesFile', 54, 'string'],
  ] as const
).map(([key, field, kind]) => ({ key, field, kind }));

const NORMALIZER_FIELDS: readonly FieldDef<NormalizerSpec>[] = (
  [
    ['name', 1, 'string'],
    ['precompiledCharsmap', 2, 'bytes'],
    ['addDummyPrefix', 3, 'bool'],
    ['removeExtraWhitespaces', 4, 'bool'],
    ['escapeWhitespaces', 5, 'bool'],
    ['normalizationRuleTsv', 6, 'string'],
  ] as const
).map(([key, field, kind]) => ({ key, field, kind }));

const PIECE_TYPES: readonly (PieceType | undefined)[] = [
  undefined,
  'normal',
  'unknown',
  'control',
  'user_defined',
  'unused',
  'byte',
];
const MODEL_TYPES: readonly (ModelType | undefined)[] = [undefined, 'unigram', 'bpe', 'word', 'char'];

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

function expectedWireType(kind: Kind): number {
  switch (kind) {
    case 'string':
    case 'strings':
    case 'bytes':
      return WIRE_LENGTH_DELIMITED;
    case 'float':
      return WIRE_FIXED32;
    default:
      return WIRE_VARINT;
  }
}

/** A .model file that cannot be read; the message names the file and what was wrong. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

const HOW = 'expected a .model file written by spm_train or polyseq';

/** The first extension field number of every SentencePiece message; extensions are skipped. */
const FIRST_EXTENSION = 200;

/** Reads one spec message into `defaults`' shape; returns the values and the names of the fields present. */
function readSpec<S extends object>(
  reader: ProtoReader,
  fields: readonly FieldDef<S>[],
  defaults: S,
  where: string,
): { spec: S; present: string[] } {
  const values = { ...defaults } as Record<string, unknown>;
  const lists = new Map<string, string[]>();
  const present = new Set<string>();
  while (!reader.done) {
    const at = reader.pos;
    const { field, wireType } = reader.key();
    const def = fields.find((f) => f.field === field);
    if (def === undefined) {
      // Fields of later SentencePiece versions, and extensions: not kept.
      reader.skip(wireType, field);
      continue;
    }
    if (wireType !== expectedWireType(def.kind)) {
      throw new ProtoDecodeError(
        `${where} field ${field} (${def.key}) has wire type ${wireType} at byte ${at}, expected ${expectedWireType(def.kind)}`,
        at,
      );
    }
    present.add(def.key);
    switch (def.kind) {
      case 'string':
        values[def.key] = reader.string();
        break;
      case 'strings': {
        const list = lists.get(def.key) ?? [];
        list.push(reader.string());
        lists.set(def.key, list);
        values[def.key] = list;
        break;
      }
      case 'bytes':
        values[def.key] = reader.bytesCopy();
        break;
      case 'int32':
        values[def.key] = reader.int32();
        break;
      case 'uint64':
        values[def.key] = reader.uint64();
        break;
      case 'float':
        values[def.key] = reader.float();
        break;
      case 'bool':
        values[def.key] = reader.bool();
        break;
      case 'modelType': {
        const n = reader.int32();
        const type = MODEL_TYPES[n];
        if (type === undefined) throw new ProtoDecodeError(`${where} has an unknown model_type ${n} at byte ${at}`, at);
        values[def.key] = type;
        break;
      }
    }
  }
  // Present fields in field-number order; repeated fields are not "optional" and are always written.
  const order = fields.filter((f) => present.has(f.key) && f.kind !== 'strings').map((f) => f.key);
  return { spec: values as S, present: order };
}

function readPiece(reader: ProtoReader, index: number): { piece: ModelPiece; mask: number } {
  let piece = '';
  let score = 0;
  let type: PieceType = 'normal';
  let mask = 0;
  while (!reader.done) {
    const at = reader.pos;
    const { field, wireType } = reader.key();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) piece = reader.string();
    else if (field === 2 && wireType === WIRE_FIXED32) {
      score = reader.float();
      mask |= 1;
    } else if (field === 3 && wireType === WIRE_VARINT) {
      const n = reader.int32();
      const t = PIECE_TYPES[n];
      if (t === undefined) throw new ProtoDecodeError(`piece ${index} has an unknown type ${n} at byte ${at}`, at);
      type = t;
      mask |= 2;
    } else if (field >= FIRST_EXTENSION || field > 3) reader.skip(wireType, field);
    else throw new ProtoDecodeError(`piece ${index} field ${field} has wire type ${wireType} at byte ${at}`, at);
  }
  return { piece: { piece, score, type }, mask };
}

function readSelfTest(reader: ProtoReader): SelfTestSample[] {
  const samples: SelfTestSample[] = [];
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field !== 1 || wireType !== WIRE_LENGTH_DELIMITED) {
      reader.skip(wireType, field);
      continue;
    }
    const sub = reader.message();
    let input = '';
    let expected = '';
    while (!sub.done) {
      const k = sub.key();
      if (k.field === 1 && k.wireType === WIRE_LENGTH_DELIMITED) input = sub.string();
      else if (k.field === 2 && k.wireType === WIRE_LENGTH_DELIMITED) expected = sub.string();
      else sub.skip(k.wireType, k.field);
    }
    samples.push({ input, expected });
  }
  return samples;
}

/**
 * Parses a serialized ModelProto. `source` names the file in error messages. Throws ModelFormatError
 * for an empty, truncated or non-SentencePiece file, and for a model without pieces.
 */
export function parseModelProto(bytes: Uint8Array, source = 'the model'): ModelProto {
  if (bytes.length === 0) throw new ModelFormatError(`${source} is empty (0 bytes); ${HOW}`);
  const pieces: ModelPiece[] = [];
  const masks: number[] = [];
  let trainer: { spec: TrainerSpec; present: string[] } | null = null;
  let normalizer: { spec: NormalizerSpec; present: string[] } | null = null;
  let denormalizer: { spec: NormalizerSpec; present: string[] } | null = null;
  let selfTestData: SelfTestSample[] = [];
  let hasSelfTest = false;
  const reader = new ProtoReader(bytes);
  try {
    while (!reader.done) {
      const at = reader.pos;
      const { field, wireType } = reader.key();
      if (field >= 1 && field <= 5 && wireType !== WIRE_LENGTH_DELIMITED) {
        throw new ProtoDecodeError(`field ${field} at byte ${at} has wire type ${wireType}, expected an embedded message`, at);
      }
      switch (field) {
        case 1: {
          const { piece, mask } = readPiece(reader.message(), pieces.length);
          pieces.push(piece);
          masks.push(mask);
          break;
        }
        case 2:
          trainer = readSpec(reader.message(), TRAINER_FIELDS, DEFAULT_TRAINER_SPEC, 'trainer_spec');
          break;
        case 3:
          normalizer = readSpec(reader.message(), NORMALIZER_FIELDS, DEFAULT_NORMALIZER_SPEC, 'normalizer_spec');
          break;
        case 4:
          selfTestData = readSelfTest(reader.message());
          hasSelfTest = true;
          break;
        case 5:
          denormalizer = readSpec(reader.message(), NORMALIZER_FIELDS, DEFAULT_NORMALIZER_SPEC, 'denormalizer_spec');
          break;
        default:
          if (field < FIRST_EXTENSION) {
            throw new ProtoDecodeError(`field ${field} (wire type ${wireType}) at byte ${at} is not part of ModelProto`, at);
          }
          reader.skip(wireType, field);
      }
    }
  } catch (error) {
    if (!(error instanceof ProtoDecodeError)) throw error;
    const truncated = /truncated|runs past the end/.test(error.message);
    const what = truncated ? `is truncated (${bytes.length} bytes)` : 'is not a SentencePiece model';
    throw new ModelFormatError(`${source} ${what}: ${error.message}; ${HOW}`);
  }
  if (pieces.length === 0) throw new ModelFormatError(`${source} is not a SentencePiece model: it has no pieces (field 1); ${HOW}`);
  return {
    pieces,
    trainerSpec: trainer?.spec ?? DEFAULT_TRAINER_SPEC,
    normalizerSpec: normalizer?.spec ?? DEFAULT_NORMALIZER_SPEC,
    denormalizerSpec: denormalizer?.spec ?? null,
    selfTestData,
    wire: {
      trainerSpec: trainer?.present ?? null,
      normalizerSpec: normalizer?.present ?? null,
      denormalizerSpec: denormalizer?.present ?? null,
      pieces: Uint8Array.from(masks),
      selfTestData: hasSelfTest,
    },
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return Object.is(a, b);
}

/** Writes a spec; a singular field is written when listed in `present`, or (no list) when it is not the default. */
function writeSpec<S extends object>(fields: readonly FieldDef<S>[], spec: S, defaults: S, present: readonly string[] | null): ProtoWriter {
  const w = new ProtoWriter();
  const values = spec as Record<string, unknown>;
  const defaultValues = defaults as Record<string, unknown>;
  const listed = present === null ? null : new Set(present);
  for (const def of fields) {
    const value = values[def.key];
    if (def.kind === 'strings') {
      for (const s of value as readonly string[]) w.string(def.field, s);
      continue;
    }
    const write = listed === null ? !sameValue(value, defaultValues[def.key]) : listed.has(def.key);
    if (!write) continue;
    switch (def.kind) {
      case 'string':
        w.string(def.field, value as string);
        break;
      case 'bytes':
        w.bytes(def.field, value as Uint8Array);
        break;
      case 'int32':
      case 'uint64':
        w.int(def.field, value as number);
        break;
      case 'float':
        w.float(def.field, value as number);
        break;
      case 'bool':
        w.int(def.field, value === true ? 1 : 0);
        break;
      case 'modelType':
        w.int(def.field, MODEL_TYPES.indexOf(value as ModelType));
        break;
    }
  }
  return w;
}

/**
 * Serializes a ModelProto; the result loads in SentencePiece (spm_encode, the Python module). A model from
 * parseModelProto is written back byte for byte (known fields only; unknown fields are dropped).
 */
export function serializeModelProto(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  const wire = model.wire;
  const masks = wire !== undefined && wire.pieces.length === model.pieces.length ? wire.pieces : null;
  model.pieces.forEach((p, i) => {
    if (p.piece.length === 0) throw new RangeError(`piece ${i} is empty; SentencePiece requires every piece to be non-empty`);
    const sub = new ProtoWriter();
    sub.string(1, p.piece);
    // Built in code: a score unless it is an unscored special piece, a type unless it is 'normal'.
    const builtMask = (p.score !== 0 || p.type === 'normal' ? 1 : 0) | (p.type !== 'normal' ? 2 : 0);
    const mask = masks?.[i] ?? builtMask;
    if ((mask & 1) !== 0) sub.float(2, p.score);
    if ((mask & 2) !== 0) sub.int(3, PIECE_TYPES.indexOf(p.type));
    w.message(1, sub);
  });
  w.message(2, writeSpec(TRAINER_FIELDS, model.trainerSpec, DEFAULT_TRAINER_SPEC, wire?.trainerSpec ?? null));
  w.message(3, writeSpec(NORMALIZER_FIELDS, model.normalizerSpec, DEFAULT_NORMALIZER_SPEC, wire?.normalizerSpec ?? null));
  if (model.selfTestData.length > 0 || wire?.selfTestData === true) {
    const sub = new ProtoWriter();
    for (const s of model.selfTestData) {
      const sample = new ProtoWriter();
      sample.string(1, s.input);
      sample.string(2, s.expected);
      sub.message(1, sample);
    }
    w.message(4, sub);
  }
  if (model.denormalizerSpec !== null) {
    w.message(5, writeSpec(NORMALIZER_FIELDS, model.denormalizerSpec, DEFAULT_NORMALIZER_SPEC, wire?.denormalizerSpec ?? null));
  }
  return w.finish();
}
