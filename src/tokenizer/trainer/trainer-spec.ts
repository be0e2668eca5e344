// The trainer's options — spm_train's flags in camelCase, plus per-language input and α — resolved into
// the TrainerSpec a model stores, checked where they enter as trainer_interface.cc's VerifySpec checks
// them, and the meta pieces (unk, bos, eos, pad, control and user-defined symbols, <0xNN> bytes) with
// the ids they take (InitMetaPieces).

import { DEFAULT_TRAINER_SPEC, type ModelType, type PieceType, type TrainerSpec } from '../model-proto.js';
import { bytePiece } from '../piece-table.js';

export interface TrainOptions {
  /** Text files, one sentence per line. */
  readonly input?: readonly string[];
  /** One corpus per language for language-balanced sampling: a directory of `<lang>.txt`, or language → file(s). */
  readonly inputPerLanguage?: string | Readonly<Record<string, string | readonly string[]>>;
  /** Exponent of language-balanced sampling, q_i ∝ p_i^α (default 0.5). */
  readonly alpha?: number;
  /** Sentences given in memory instead of files (each one line). */
  readonly sentences?: readonly string[];
  readonly modelType?: 'unigram' | 'bpe';
  readonly vocabSize?: number;
  readonly characterCoverage?: number;
  readonly inputSentenceSize?: number;
  readonly shuffleInputSentence?: boolean;
  readonly seedSentencepieceSize?: number;
  readonly shrinkingFactor?: number;
  readonly numSubIterations?: number;
  readonly maxSentencepieceLength?: number;
  readonly maxSentenceLength?: number;
  readonly splitByUnicodeScript?: boolean;
  readonly splitByNumber?: boolean;
  readonly splitByWhitespace?: boolean;
  readonly splitDigits?: boolean;
  readonly treatWhitespaceAsSuffix?: boolean;
  readonly allowWhitespaceOnlyPieces?: boolean;
  readonly controlSymbols?: readonly string[];
  readonly userDefinedSymbols?: readonly string[];
  /** Characters always kept in the vocabulary, whatever characterCoverage says. */
  readonly requiredChars?: string;
  readonly byteFallback?: boolean;
  readonly vocabularyOutputPieceScore?: boolean;
  readonly hardVocabLimit?: boolean;
  readonly useAllVocab?: boolean;
  readonly unkId?: number;
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  readonly unkPiece?: string;
  readonly bosPiece?: string;
  readonly eosPiece?: string;
  readonly padPiece?: string;
  readonly unkSurface?: string;
  /** nmt_nfkc (default), nfkc, nmt_nfkc_cf, nfkc_cf or identity. */
  readonly normalizationRuleName?: string;
  /** A rule TSV file (source code points, tab, target code points, in hex); overrides the name. */
  readonly normalizationRuleTsv?: string;
  readonly denormalizationRuleTsv?: string;
  readonly addDummyPrefix?: boolean;
  readonly removeExtraWhitespaces?: boolean;
  /** Seeds the sampling of input sentences (default 0). */
  readonly randomSeed?: number;
  /**
   * Unigram pruning loss: 'v0.1.97' (default) is SentencePiece 0.1.97's formula (it normalises by the
   * vocabulary size where later versions use the number of alternatives); 'corrected' is the later
   * versions'. Measured on a 200k-line, 12-language sample: 'v0.1.97' trains spm_train 0.1.97's piece
   * set (tokens/word within 0.07%), 'corrected' needs up to 2.4% more tokens per word.
   */
  readonly unigramPruningLoss?: 'v0.1.97' | 'corrected';
}

export interface MetaPiece {
  readonly piece: string;
  readonly type: PieceType;
}

function checkRange(name: string, value: number, min: number, max: number, hint: string): void {
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be in [${min}, ${max}] (got ${value}); ${hint}`);
}

function checkInteger(name: string, value: number): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer (got ${value})`);
}

/** The TrainerSpec of a training run: defaults filled in, values checked (VerifySpec). */
export function resolveTrainerSpec(options: TrainOptions): TrainerSpec {
  const modelType = (options.modelType ?? 'unigram') as ModelType;
  if (modelType !== 'unigram' && modelType !== 'bpe') {
    throw new RangeError(`model type ${JSON.stringify(modelType)} is not one polyseq trains; use 'unigram' or 'bpe'`);
  }
  const d = DEFAULT_TRAINER_SPEC;
  const spec: TrainerSpec = {
    ...d,
    input: [...(options.input ?? [])],
    modelType,
    vocabSize: options.vocabSize ?? d.vocabSize,
    characterCoverage: options.characterCoverage ?? d.characterCoverage,
    inputSentenceSize: options.inputSentenceSize ?? d.inputSentenceSize,
    shuffleInputSentence: options.shuffleInputSentence ?? d.shuffleInputSentence,
    seedSentencepieceSize: options.seedSentencepieceSize ?? d.seedSentencepieceSize,
    shrinkingFactor: options.shrinkingFactor ?? d.shrinkingFactor,
    numThreads: 1,
    numSubIterations: options.numSubIterations ?? d.numSubIterations,
    maxSentencepieceLength: options.maxSentencepieceLength ?? d.maxSentencepieceLength,
    maxSentenceLength: options.maxSentenceLength ?? d.maxSentenceLength,
    splitByUnicodeScript: options.splitByUnicodeScript ?? d.splitByUnicodeScript,
    splitByNumber: options.splitByNumber ?? d.splitByNumber,
    splitByWhitespace: options.splitByWhitespace ?? d.splitByWhitespace,
    splitDigits: options.splitDigits ?? d.splitDigits,
    treatWhitespaceAsSuffix: options.treatWhitespaceAsSuffix ?? d.treatWhitespaceAsSuffix,
    allowWhitespaceOnlyPieces: options.allowWhitespaceOnlyPieces ?? d.allowWhitespaceOnlyPieces,
    controlSymbols: [...(options.controlSymbols ?? [])],
    userDefinedSymbols: [...(options.userDefinedSymbols ?? [])],
    requiredChars: options.requiredChars ?? d.requiredChars,
    byteFallback: options.byteFallback ?? d.byteFallback,
    vocabularyOutputPieceScore: options.vocabularyOutputPieceScore ?? d.vocabularyOutputPieceScore,
    hardVocabLimit: options.hardVocabLimit ?? d.hardVocabLimit,
    useAllVocab: options.useAllVocab ?? d.useAllVocab,
    unkId: options.unkId ?? d.unkId,
    bosId: options.bosId ?? d.bosId,
    eosId: options.eosId ?? d.eosId,
    padId: options.padId ?? d.padId,
    unkPiece: options.unkPiece ?? d.unkPiece,
    bosPiece: options.bosPiece ?? d.bosPiece,
    eosPiece: options.eosPiece ?? d.eosPiece,
    padPiece: options.padPiece ?? d.padPiece,
    unkSurface: options.unkSurface ?? d.unkSurface,
  };
  for (const key of ['vocabSize', 'inputSentenceSize', 'seedSentencepieceSize', 'numSubIterations', 'maxSentencepieceLength', 'maxSentenceLength', 'unkId', 'bosId', 'eosId', 'padId'] as const) {
    checkInteger(key, spec[key]);
  }
  if (!(spec.vocabSize > 0)) throw new RangeError(`vocabSize must be > 0 (got ${spec.vocabSize})`);
  checkRange('characterCoverage', spec.characterCoverage, 0.98, 1, 'SentencePiece allows 0.98 to 1 (0.9995 for languages with large character sets, 1 for small ones)');
  checkRange('maxSentencepieceLength', spec.maxSentencepieceLength, 1, 512, 'the default is 16');
  checkRange('numSubIterations', spec.numSubIterations, 1, 10, 'the default is 2');
  checkRange('shrinkingFactor', spec.shrinkingFactor, 0.5, 0.95, 'the default is 0.75');
  checkRange('maxSentenceLength', spec.maxSentenceLength, 10, 1073741824, 'the default is 4192 bytes');
  checkRange('seedSentencepieceSize', spec.seedSentencepieceSize, 1, 2 ** 31 - 1, 'the default is 1000000');
  if (spec.inputSentenceSize !== 0 && !(spec.inputSentenceSize > 100)) {
    throw new RangeError(`inputSentenceSize must be 0 (all sentences) or > 100 (got ${spec.inputSentenceSize})`);
  }
  if (spec.useAllVocab) throw new RangeError('useAllVocab is only valid for word and char models; leave it off for unigram and bpe');
  for (const key of ['unkPiece', 'bosPiece', 'eosPiece', 'padPiece'] as const) {
    if (spec[key] === '') throw new RangeError(`${key} must not be empty`);
  }
  return spec;
}

/**
 * The meta pieces by id (InitMetaPieces): unk/bos/eos/pad at their ids (a negative id disables one; unk
 * is required), then control symbols, user-defined symbols and, with byte fallback, the 256 byte pieces
 * at the lowest free ids. A symbol equal to the bos/eos/pad piece takes that piece's id instead.
 */
export function metaPieces(spec: TrainerSpec): Map<number, MetaPiece> {
  const meta = new Map<number, MetaPiece>();
  const special: [string, number, string][] = [
    ['unkId', spec.unkId, spec.unkPiece],
    ['bosId', spec.bosId, spec.bosPiece],
    ['eosId', spec.eosId, spec.eosPiece],
    ['padId', spec.padId, spec.padPiece],
  ];
  for (const [name, id, piece] of special) {
    if (id < 0) continue;
    if (id >= spec.vocabSize) throw new RangeError(`${name} ${id} is outside the vocabulary (vocabSize ${spec.vocabSize}); use an id below it, or -1 to disable the piece`);
    const taken = meta.get(id);
    if (taken !== undefined) throw new RangeError(`${name} ${id} is already the id of ${JSON.stringify(taken.piece)}; give each special piece its own id`);
    if (name !== 'unkId' && piece === spec.unkPiece) throw new RangeError(`${name}'s piece ${JSON.stringify(piece)} is the unk piece; pieces must differ`);
    meta.set(id, { piece, type: name === 'unkId' ? 'unknown' : 'control' });
  }
  if (spec.unkId < 0) throw new RangeError(`unkId must be ≥ 0 (got ${spec.unkId}): every model needs an unknown piece`);
  const defined = new Set<string>();
  let nextId = 0;
  const add = (piece: string, type: PieceType, option: string): void => {
    if (piece === '') throw new RangeError(`${option} holds an empty symbol; remove it`);
    if (defined.has(piece)) throw new RangeError(`${option}: ${JSON.stringify(piece)} is defined twice; list each symbol once`);
    defined.add(piece);
    if (piece === spec.unkPiece) throw new RangeError(`${option}: ${JSON.stringify(piece)} is the unk piece, which is always defined; remove it`);
    const own = (
      [
        [spec.bosPiece, spec.bosId],
        [spec.eosPiece, spec.eosId],
        [spec.padPiece, spec.padId],
      ] as const
    ).find(([p, id]) => p === piece && id >= 0);
    if (own !== undefined) {
      meta.set(own[1], { piece, type });
      return;
    }
    while (meta.has(nextId)) nextId++;
    meta.set(nextId, { piece, type });
  };
  for (const s of spec.controlSymbols) add(s, 'control', 'controlSymbols');
  for (const s of spec.userDefinedSymbols) add(s, 'user_defined', 'userDefinedSymbols');
  if (spec.byteFallback) for (let b = 0; b < 256; b++) add(bytePiece(b), 'byte', 'byteFallback');
  const largest = Math.max(...meta.keys());
  if (largest >= spec.vocabSize) {
    throw new RangeError(
      `vocabSize ${spec.vocabSize} is too small for the ${meta.size} special pieces (unk/bos/eos/pad, control and user-defined symbols${spec.byteFallback ? ', 256 byte pieces' : ''}); raise vocabSize`,
    );
  }
  return meta;
}
