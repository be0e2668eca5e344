// `polyseq tokenizer train --input FILE... --vocab-size N --model-type unigram|bpe [options] --output M.model`:
// trains a SentencePiece model as spm_train does (same option names, dashed), or, with
// --input-per-language DIR, on a language-balanced sample (q ∝ p^α) of DIR/<lang>.txt; progress goes to
// stderr, one summary line to stdout. The .model file loads in SentencePiece itself.

import { writeFile } from 'node:fs/promises';
import { serializeModelProto } from '../tokenizer/model-proto.js';
import { trainSentencePiece, type TrainOptions } from '../tokenizer/trainer/train.js';
import { formatProgress } from '../tokenizer/trainer/train-progress.js';
import type { CliIo, RegisterCommand } from './io.js';

interface TrainCliOptions {
  input?: string[];
  inputPerLanguage?: string;
  alpha?: string;
  output: string;
  vocabSize: string;
  modelType: string;
  characterCoverage?: string;
  byteFallback?: boolean;
  userSymbols?: string;
  controlSymbols?: string;
  requiredChars?: string;
  inputSentenceSize?: string;
  maxSentenceLength?: string;
  maxSentencepieceLength?: string;
  splitDigits?: boolean;
  normalizationRuleName?: string;
  normalizationRuleTsv?: string;
  seed?: string;
  quiet?: boolean;
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(text)})`);
  return value;
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new RangeError(`--${name} must be a number (got ${JSON.stringify(text)})`);
  return value;
}

function symbols(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').filter((s) => s !== '');
}

/** The trainer options of a command line. */
export function trainOptionsFromCli(opts: TrainCliOptions): TrainOptions {
  if (opts.modelType !== 'unigram' && opts.modelType !== 'bpe') {
    throw new RangeError(`--model-type must be unigram or bpe (got ${JSON.stringify(opts.modelType)})`);
  }
  const input = opts.input ?? [];
  if (input.length === 0 && opts.inputPerLanguage === undefined) {
    throw new RangeError('no training input: give --input FILE... or --input-per-language DIR');
  }
  if (opts.alpha !== undefined && opts.inputPerLanguage === undefined) {
    throw new RangeError('--alpha sets the language balance of --input-per-language; give that directory too');
  }
  return {
    ...(input.length > 0 ? { input } : {}),
    ...(opts.inputPerLanguage !== undefined ? { inputPerLanguage: opts.inputPerLanguage } : {}),
    ...(opts.alpha !== undefined ? { alpha: number('alpha', opts.alpha) } : {}),
    modelType: opts.modelType,
    vocabSize: integer('vocab-size', opts.vocabSize, 1),
    ...(opts.characterCoverage !== undefined ? { characterCoverage: number('character-coverage', opts.characterCoverage) } : {}),
    byteFallback: opts.byteFallback === true,
    ...(opts.userSymbols !== undefined ? { userDefinedSymbols: symbols(opts.userSymbols) } : {}),
    ...(opts.controlSymbols !== undefined ? { controlSymbols: symbols(opts.controlSymbols) } : {}),
    ...(opts.requiredChars !== undefined ? { requiredChars: opts.requiredChars } : {}),
    ...(opts.inputSentenceSize !== undefined ? { inputSentenceSize: integer('input-sentence-size', opts.inputSentenceSize, 0) } : {}),
    ...(opts.maxSentenceLength !== undefined ? { maxSentenceLength: integer('max-sentence-length', opts.maxSentenceLength, 1) } : {}),
    ...(opts.maxSentencepieceLength !== undefined
      ? { maxSentencepieceLength: integer('max-sentencepiece-length', opts.maxSentencepieceLength, 1) }
      : {}),
    splitDigits: opts.splitDigits === true,
    ...(opts.normalizationRuleName !== undefined ? { normalizationRuleName: opts.normalizationRuleName } : {}),
    ...(opts.normalizationRuleTsv !== undefined ? { normalizationRuleTsv: opts.normalizationRuleTsv } : {}),
    ...(opts.seed !== undefined ? { randomSeed: integer('seed', opts.seed, 0) } : {}),
  };
}

export const registerTokenizerTrain: RegisterCommand = (program, io: CliIo) => {
  const tokenizer = program.commands.find((c) => c.name() === 'tokenizer') ?? program.command('tokenizer').description('SentencePiece vocabularies');
  tokenizer
    .command('train')
    .description('train a SentencePiece model (unigram or BPE) as spm_train does; writes a .model file SentencePiece loads')
    .option('--input <files...>', 'text files, one sentence per line')
    .option('--input-per-language <dir>', 'a directory of <lang>.txt files, sampled language-balanced (q ∝ p^α)')
    .option('--alpha <a>', 'exponent of language-balanced sampling, with --input-per-language (default 0.5)')
    .requiredOption('--output <path>', 'the .model file to write')
    .option('--vocab-size <n>', 'vocabulary size, special pieces included', '8000')
    .option('--model-type <type>', 'unigram or bpe', 'unigram')
    .option('--character-coverage <c>', 'share of characters the alphabet covers (0.98 to 1)', '0.9995')
    .option('--byte-fallback', 'add the 256 byte pieces <0x00>..<0xFF> for unknown characters')
    .option('--user-symbols <a,b>', 'user-defined symbols, always kept whole (comma-separated)')
    .option('--control-symbols <a,b>', 'control symbols (comma-separated)')
    .option('--required-chars <chars>', 'characters kept in the alphabet whatever the coverage')
    .option('--input-sentence-size <n>', 'train on at most n sentences, sampled (0: all)')
    .option('--max-sentence-length <n>', 'skip lines longer than n bytes', '4192')
    .option('--max-sentencepiece-length <n>', 'longest piece in characters', '16')
    .option('--split-digits', 'split numbers into single digits')
    .option('--normalization-rule-name <name>', 'nmt_nfkc, nfkc, nmt_nfkc_cf, nfkc_cf or identity', 'nmt_nfkc')
    .option('--normalization-rule-tsv <file>', 'custom normalization rules (source<TAB>target code points in hex)')
    .option('--seed <n>', 'seed of the sentence sampling', '0')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: TrainCliOptions) => {
      const options = trainOptionsFromCli(opts);
      const model = await trainSentencePiece(options, opts.quiet === true ? undefined : (event) => io.err(`${formatProgress(event)}\n`));
      await writeFile(opts.output, serializeModelProto(model));
      io.out(`wrote ${opts.output}: ${model.pieces.length} pieces (${model.trainerSpec.modelType}, normalization ${model.normalizerSpec.name})\n`);
    });
};
