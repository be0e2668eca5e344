// trainSentencePiece: spm_train in TypeScript — reads and samples the input (per language with α
// balancing), builds the normalizer from the named rules or a TSV file, normalizes, picks the alphabet,
// trains a unigram or BPE model and assembles the ModelProto (pieces at their ids after the meta pieces,
// trainer and normalizer specs), which serializeModelProto writes as a .model file SentencePiece loads.

import { readFile } from 'node:fs/promises';
import { Charsmap, parseRuleTsv } from '../charsmap.js';
import { DEFAULT_NORMALIZER_SPEC, type ModelPiece, type ModelProto, type NormalizerSpec, type TrainerSpec } from '../model-proto.js';
import { Normalizer } from '../normalizer.js';
import { trainBpe } from './bpe-trainer.js';
import { prepareCorpus } from './corpus.js';
import { isNormalizationRuleName, namedCharsMap, NORMALIZATION_RULE_NAMES } from './normalization-rules.js';
import { loadSentences, type LoadedSentences, type Sentence } from './sentences.js';
import type { TrainProgress } from './train-progress.js';
import { metaPieces, resolveTrainerSpec, type TrainOptions } from './trainer-spec.js';
import { trainUnigram } from './unigram-trainer.js';

export type { TrainOptions } from './trainer-spec.js';
export type { TrainProgress } from './train-progress.js';

async function compileRuleFile(file: string, what: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rules = parseRuleTsv(text, file);
  if (rules.length === 0) throw new RangeError(`the ${what} ${file} holds no rules; write lines like "FF21<TAB>41"`);
  return Charsmap.compile(rules);
}

/** The normalizer spec of a training run: a named rule set, or a compiled TSV file. */
export async function buildNormalizerSpec(options: TrainOptions, onProgress?: (event: TrainProgress) => void): Promise<NormalizerSpec> {
  const base = {
    ...DEFAULT_NORMALIZER_SPEC,
    addDummyPrefix: options.addDummyPrefix ?? true,
    removeExtraWhitespaces: options.removeExtraWhitespaces ?? true,
    escapeWhitespaces: true,
  };
  if (options.normalizationRuleTsv !== undefined && options.normalizationRuleTsv !== '') {
    const charsmap = await compileRuleFile(options.normalizationRuleTsv, 'normalization rule TSV');
    return { ...base, name: 'user_defined', precompiledCharsmap: charsmap, normalizationRuleTsv: options.normalizationRuleTsv };
  }
  const name = options.normalizationRuleName ?? 'nmt_nfkc';
  if (!isNormalizationRuleName(name)) {
    throw new RangeError(`unknown normalization rule name ${JSON.stringify(name)}; use one of ${NORMALIZATION_RULE_NAMES.join(', ')}, or a rule TSV file`);
  }
  onProgress?.({ phase: 'charsmap', name });
  return { ...base, name, precompiledCharsmap: namedCharsMap(name) };
}

async function readInput(options: TrainOptions, spec: TrainerSpec, onProgress?: (event: TrainProgress) => void): Promise<LoadedSentences> {
  if (options.sentences !== undefined) {
    if ((options.input?.length ?? 0) > 0 || options.inputPerLanguage !== undefined) {
      throw new RangeError('give either in-memory sentences or input files, not both');
    }
    const encoder = new TextEncoder();
    const sentences: Sentence[] = [];
    let tooLong = 0;
    for (const text of options.sentences) {
      if (text === '' || text.includes('\u2585')) continue;
      if (encoder.encode(text).length > spec.maxSentenceLength) tooLong++;
      else sentences.push([text, 1]);
    }
    return { sentences, totalLines: sentences.length, tooLong, languages: null };
  }
  return loadSentences(
    {
      input: options.input,
      inputPerLanguage: options.inputPerLanguage,
      alpha: options.alpha,
      inputSentenceSize: spec.inputSentenceSize,
      shuffleInputSentence: spec.shuffleInputSentence,
      maxSentenceLength: spec.maxSentenceLength,
      randomSeed: options.randomSeed,
    },
    (file, lines) => onProgress?.({ phase: 'read', file, lines }),
  );
}

/** Places the meta pieces at their ids and the trained pieces in the ids between (Serialize). */
function assemblePieces(spec: TrainerSpec, meta: ReturnType<typeof metaPieces>, trained: readonly [string, number][]): ModelPiece[] {
  const pieces: ModelPiece[] = [];
  const defined = new Set<string>();
  let next = 0;
  for (let id = 0; id < spec.vocabSize; id++) {
    const m = meta.get(id);
    let piece: ModelPiece;
    if (m !== undefined) piece = { piece: m.piece, score: 0, type: m.type };
    else if (next < trained.length) {
      const [text, score] = trained[next++] as [string, number];
      piece = { piece: text, score, type: 'normal' };
    } else break;
    if (defined.has(piece.piece)) throw new Error(`the trained piece ${JSON.stringify(piece.piece)} is already defined as a special piece`);
    defined.add(piece.piece);
    pieces.push(piece);
  }
  // Meta pieces past the last trained piece (possible with a soft vocabulary limit) keep their ids only
  // when every id below them is filled.
  if (next < trained.length) throw new Error(`internal: ${trained.length - next} trained pieces did not fit`);
  const missingMeta = [...meta.keys()].filter((id) => id >= pieces.length);
  if (missingMeta.length > 0) {
    throw new RangeError(
      `the corpus yields only ${trained.length} pieces, too few to fill the ids below special piece id ${Math.max(...missingMeta)}; use more text or lower vocabSize`,
    );
  }
  return pieces;
}

/**
 * Trains a SentencePiece model. `onProgress` hears of each phase (and of each EM round or 100 BPE
 * merges), e.g. to print progress on stderr.
 */
export async function trainSentencePiece(options: TrainOptions, onProgress?: (event: TrainProgress) => void): Promise<ModelProto> {
  const started = performance.now();
  const spec = resolveTrainerSpec(options);
  const meta = metaPieces(spec);
  const normalizerSpec = await buildNormalizerSpec(options, onProgress);
  const denormalizerSpec =
    options.denormalizationRuleTsv !== undefined && options.denormalizationRuleTsv !== ''
      ? {
          ...DEFAULT_NORMALIZER_SPEC,
          name: 'user_defined',
          precompiledCharsmap: await compileRuleFile(options.denormalizationRuleTsv, 'denormalization rule TSV'),
          addDummyPrefix: false,
          removeExtraWhitespaces: false,
          escapeWhitespaces: false,
          normalizationRuleTsv: options.denormalizationRuleTsv,
        }
      : null;

  const loaded = await readInput(options, spec, onProgress);
  if (loaded.sentences.length === 0) {
    const why = loaded.tooLong > 0 ? ` (${loaded.tooLong} lines are longer than maxSentenceLength ${spec.maxSentenceLength} bytes)` : '';
    throw new RangeError(`the training input holds no usable sentences${why}; give non-empty text files`);
  }
  onProgress?.({ phase: 'normalize', sentences: loaded.sentences.length });
  const normalizer = new Normalizer(normalizerSpec, { treatWhitespaceAsSuffix: spec.treatWhitespaceAsSuffix });
  const corpus = prepareCorpus(loaded.sentences, (text) => normalizer.normalize(text), spec, meta);
  onProgress?.({ phase: 'alphabet', characters: corpus.requiredChars.length, coverage: corpus.coverage, sentences: corpus.sentences.length });

  const trained =
    spec.modelType === 'bpe'
      ? trainBpe(corpus, spec, meta.size, onProgress)
      : trainUnigram(corpus, spec, meta.size, onProgress, options.unigramPruningLoss ?? 'v0.1.97');
  const room = spec.vocabSize - meta.size;
  if (spec.hardVocabLimit && trained.length < room) {
    throw new RangeError(
      `vocabSize ${spec.vocabSize} is too high for this corpus: it yields ${trained.length + meta.size} pieces; set vocabSize ≤ ${trained.length + meta.size}, or turn hardVocabLimit off`,
    );
  }
  const pieces = assemblePieces(spec, meta, trained);
  const trainerSpec: TrainerSpec = { ...spec, vocabSize: spec.hardVocabLimit ? spec.vocabSize : pieces.length };
  onProgress?.({ phase: 'done', pieces: pieces.length, seconds: (performance.now() - started) / 1000 });
  return { pieces, trainerSpec, normalizerSpec, denormalizerSpec, selfTestData: [] };
}
