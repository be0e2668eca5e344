// Encoding throughput of polyseq's SentencePieceProcessor against the `sentencepiece-js` package (the C++
// library compiled to WebAssembly) with the same model on the same lines, in the same run: by default
// t5-spiece.model over every line of the 12-language FLORES-200 devtest text in ../shared/data. Both must
// give identical ids on every line first (mismatches are counted and the first one shown); then timed
// rounds alternate (polyseq, reference, polyseq, …), each round encoding every line once, and the best
// round of each is kept. Throughput is MB (10⁶ bytes) of UTF-8 input per second; `ratio` = polyseq ÷
// reference, required ≥ 1.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SentencePieceProcessor as WasmProcessor } from 'sentencepiece-js';
import { SentencePieceProcessor } from '../src/tokenizer/processor.js';
import { intOption, stringOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

export const description = 'SentencePiece encoding MB/s on FLORES devtest (12 languages): polyseq vs sentencepiece-js (wasm)';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_MODEL = '../shared/data/tokenizers/t5-spiece.model';
const DEFAULT_TEXT = '../shared/data/eval/flores200/devtest';
/** Untimed rounds of each before the timed ones (JIT warm-up for polyseq, wasm tier-up for the reference). */
const WARMUP = 2;

interface Corpus {
  readonly lines: readonly string[];
  /** Which file and line each entry of `lines` came from, for mismatch reports. */
  readonly origins: readonly string[];
  readonly bytes: number;
  readonly files: number;
}

function resolveInput(option: string, what: string, how: string): string {
  const resolved = path.resolve(PROJECT_ROOT, option);
  if (!existsSync(resolved)) throw new Error(`tokenize: ${what} ${resolved} does not exist; ${how}`);
  return resolved;
}

/** Every non-empty line of every `*.txt` in `dir`, files in name order. */
async function readCorpus(dir: string): Promise<Corpus> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  if (names.length === 0) throw new Error(`tokenize: no .txt files in ${dir}`);
  const lines: string[] = [];
  const origins: string[] = [];
  let bytes = 0;
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.length === 0) return;
      lines.push(line);
      origins.push(`${name}:${i + 1}`);
      bytes += Buffer.byteLength(line, 'utf8');
    });
  }
  return { lines, origins, bytes, files: names.length };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Encodes every line once; returns the number of ids (so no work can be optimised away) and the time. */
function encodeAll(encode: (text: string) => readonly number[], lines: readonly string[]): { ids: number; ms: number } {
  const start = process.hrtime.bigint();
  let ids = 0;
  for (const line of lines) ids += encode(line).length;
  return { ids, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const reps = intOption(args, 'reps', 7);
  if (reps < 5) throw new RangeError(`--reps must be at least 5 (got ${reps})`);
  const modelPath = resolveInput(stringOption(args, 'model', DEFAULT_MODEL), 'model', 'pass --model PATH.model');
  const textDir = resolveInput(stringOption(args, 'text', DEFAULT_TEXT), 'text folder', 'pass --text DIR (a folder of <lang>.txt files)');
  const corpus = await readCorpus(textDir);

  const polyseq = await SentencePieceProcessor.load(modelPath);
  const reference = new WasmProcessor();
  await reference.load(modelPath);
  const polyseqEncode = (text: string): readonly number[] => polyseq.encodeIds(text);
  const referenceEncode = (text: string): readonly number[] => reference.encodeIds(text);

  // Identical ids on every line before anything is timed.
  let mismatches = 0;
  let firstMismatch: string | null = null;
  corpus.lines.forEach((line, i) => {
    const ours = polyseqEncode(line);
    const theirs = referenceEncode(line);
    if (sameIds(ours, theirs)) return;
    mismatches++;
    firstMismatch ??= `${corpus.origins[i]}: polyseq [${ours.join(' ')}] vs sentencepiece-js [${theirs.join(' ')}]`;
  });

  for (let i = 0; i < WARMUP; i++) {
    encodeAll(polyseqEncode, corpus.lines);
    encodeAll(referenceEncode, corpus.lines);
  }
  const polyseqMs: number[] = [];
  const referenceMs: number[] = [];
  let tokens = 0;
  for (let r = 0; r < reps; r++) {
    const ours = encodeAll(polyseqEncode, corpus.lines);
    const theirs = encodeAll(referenceEncode, corpus.lines);
    polyseqMs.push(ours.ms);
    referenceMs.push(theirs.ms);
    tokens = ours.ids;
  }

  const mb = corpus.bytes / 1e6;
  const polyseqMbS = mb / (Math.min(...polyseqMs) / 1e3);
  const referenceMbS = mb / (Math.min(...referenceMs) / 1e3);
  return {
    polyseq_mb_s: round(polyseqMbS),
    reference_mb_s: round(referenceMbS),
    ratio: round(polyseqMbS / referenceMbS, 3),
    lines: corpus.lines.length,
    mb: round(mb, 3),
    mismatches,
    first_mismatch: firstMismatch,
    files: corpus.files,
    tokens,
    reps,
    polyseq_ms: round(Math.min(...polyseqMs)),
    reference_ms: round(Math.min(...referenceMs)),
    polyseq_median_ms: round(median(polyseqMs)),
    reference_median_ms: round(median(referenceMs)),
    model: path.basename(modelPath),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
