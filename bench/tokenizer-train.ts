// SentencePiece training, polyseq against Debian's spm_train in the same run: a 200k-line language-balanced
// sample (α = 0.5, seeded) of ../shared/data/corpus in a temporary file, unigram and BPE of 8000 pieces
// (byte fallback, coverage 0.9995), spm_train on polyseq's one thread. Reports both times, tokens per word
// (per character for ja) on each language's FLORES devtest under both models with their relative
// difference (required ≤ 3%), the pieces shared, and whether spm_encode encodes polyseq's model as polyseq.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseModelProto, serializeModelProto } from '../src/tokenizer/model-proto.js';
import { SentencePieceProcessor } from '../src/tokenizer/processor.js';
import { loadSentences } from '../src/tokenizer/trainer/sentences.js';
import { trainSentencePiece } from '../src/tokenizer/trainer/train.js';
import { intOption, stringOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

export const description = 'SentencePiece training (unigram and BPE, 8000 pieces, 200k lines): polyseq vs spm_train, time and tokens/word on FLORES';

const run$ = promisify(execFile);
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPM_TRAIN = '/usr/bin/spm_train';
const SPM_ENCODE = '/usr/bin/spm_encode';
const LANGUAGES = ['ar', 'de', 'en', 'es', 'fr', 'hi', 'it', 'ja', 'mr', 'pt', 'ta', 'te'];
/** Languages written without spaces, measured in tokens per character. */
const PER_CHARACTER = new Set(['ja']);

interface Devtest {
  readonly lines: ReadonlyMap<string, readonly string[]>;
  /** Words (characters for ja) per language. */
  readonly units: ReadonlyMap<string, number>;
}

async function readDevtest(dir: string): Promise<Devtest> {
  const lines = new Map<string, string[]>();
  const units = new Map<string, number>();
  for (const lang of LANGUAGES) {
    const text = (await readFile(path.join(dir, `${lang}.txt`), 'utf8')).split('\n').filter((l) => l !== '');
    lines.set(lang, text);
    units.set(lang, text.reduce((n, l) => n + (PER_CHARACTER.has(lang) ? [...l].length : l.split(/\s+/).filter((w) => w !== '').length), 0));
  }
  return { lines, units };
}

/** Tokens per word (per character for ja) of each language's devtest under a model. */
function tokensPerUnit(sp: SentencePieceProcessor, devtest: Devtest): Map<string, number> {
  const out = new Map<string, number>();
  for (const lang of LANGUAGES) {
    let tokens = 0;
    for (const line of devtest.lines.get(lang) ?? []) tokens += sp.encodeIds(line).length;
    out.set(lang, tokens / (devtest.units.get(lang) ?? 1));
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Whether spm_encode gives the ids polyseq's processor gives for every devtest line of every language. */
async function spmEncodeAgrees(model: string, sp: SentencePieceProcessor, devtest: Devtest): Promise<boolean> {
  const lines = LANGUAGES.flatMap((l) => devtest.lines.get(l) ?? []);
  const { stdout } = await run$(SPM_ENCODE, ['--model', model, '--output_format=id', path.join(path.dirname(model), 'devtest.txt')], { maxBuffer: 1 << 28 });
  const theirs = stdout.split('\n');
  return lines.every((line, i) => sp.encodeIds(line).join(' ') === theirs[i]);
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const corpusDir = path.resolve(PROJECT_ROOT, stringOption(args, 'corpus', '../shared/data/corpus'));
  const devtestDir = path.resolve(PROJECT_ROOT, stringOption(args, 'devtest', '../shared/data/eval/flores200/devtest'));
  for (const [what, dir] of [['corpus', corpusDir], ['FLORES devtest', devtestDir]] as const) {
    if (!existsSync(dir)) throw new Error(`tokenizer-train: the ${what} ${dir} does not exist (see ../shared/data/README.md)`);
  }
  const lines = intOption(args, 'lines', 200_000);
  const vocabSize = intOption(args, 'vocab-size', 8000);
  const types = stringOption(args, 'types', 'unigram,bpe').split(',') as ('unigram' | 'bpe')[];
  const haveSpm = existsSync(SPM_TRAIN) && existsSync(SPM_ENCODE);
  if (!haveSpm) console.error(`note: spm_train comparison skipped: ${SPM_TRAIN} is absent (apt-get install sentencepiece)`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'polyseq-bench-spm-'));
  try {
    // The sample both trainers read: a language-balanced draw, repeats written out as lines.
    const sample = await loadSentences({ inputPerLanguage: corpusDir, alpha: 0.5, inputSentenceSize: lines, randomSeed: 1 });
    const sampleFile = path.join(dir, 'sample.txt');
    await writeFile(sampleFile, sample.sentences.map(([text, freq]) => `${text}\n`.repeat(freq)).join(''));
    const devtest = await readDevtest(devtestDir);
    await writeFile(path.join(dir, 'devtest.txt'), LANGUAGES.map((l) => (devtest.lines.get(l) ?? []).join('\n') + '\n').join(''));
    const result: BenchResult = { sample_lines: lines, vocab_size: vocabSize, threads: 1 };
    console.error(`sample: ${lines} lines, ${sample.languages?.map((l) => `${l.language} ${l.selected}`).join(', ')}`);

    for (const type of types) {
      const started = performance.now();
      const model = await trainSentencePiece({ input: [sampleFile], modelType: type, vocabSize, byteFallback: true, characterCoverage: 0.9995 });
      const polyseqS = (performance.now() - started) / 1000;
      const ourFile = path.join(dir, `polyseq-${type}.model`);
      await writeFile(ourFile, serializeModelProto(model));
      const ours = SentencePieceProcessor.fromModel(model);
      const ourRates = tokensPerUnit(ours, devtest);
      result[`${type}_polyseq_s`] = round(polyseqS, 2);
      if (!haveSpm) {
        for (const lang of LANGUAGES) result[`${type}_tpw_${lang}`] = round(ourRates.get(lang) ?? NaN, 4);
        continue;
      }
      const prefix = path.join(dir, `spm-${type}`);
      const spmStarted = performance.now();
      await run$(SPM_TRAIN, [
        `--input=${sampleFile}`,
        `--model_prefix=${prefix}`,
        `--model_type=${type}`,
        `--vocab_size=${vocabSize}`,
        '--byte_fallback=true',
        '--character_coverage=0.9995',
        '--num_threads=1',
        '--minloglevel=2',
      ], { maxBuffer: 1 << 26 });
      const spmS = (performance.now() - spmStarted) / 1000;
      const reference = parseModelProto(await readFile(`${prefix}.model`));
      const theirRates = tokensPerUnit(SentencePieceProcessor.fromModel(reference), devtest);
      result[`${type}_spm_s`] = round(spmS, 2);
      result[`${type}_time_ratio`] = round(polyseqS / spmS, 3);
      let maxDiff = 0;
      const table: string[] = [`${type}: tokens per word (ja: per character), polyseq vs spm_train`];
      for (const lang of LANGUAGES) {
        const a = ourRates.get(lang) ?? NaN;
        const b = theirRates.get(lang) ?? NaN;
        const diff = (a - b) / b;
        maxDiff = Math.max(maxDiff, Math.abs(diff));
        result[`${type}_tpw_${lang}`] = round(a, 4);
        result[`${type}_tpw_${lang}_spm`] = round(b, 4);
        table.push(`  ${lang}  ${a.toFixed(4)}  ${b.toFixed(4)}  ${(100 * diff >= 0 ? '+' : '') + (100 * diff).toFixed(2)}%`);
      }
      console.error(table.join('\n'));
      result[`${type}_max_rel_diff`] = round(maxDiff, 5);
      const theirPieces = new Set(reference.pieces.map((p) => p.piece));
      result[`${type}_shared_pieces`] = round(model.pieces.filter((p) => theirPieces.has(p.piece)).length / model.pieces.length, 4);
      result[`${type}_spm_encode_agrees`] = await spmEncodeAgrees(ourFile, ours, devtest);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
