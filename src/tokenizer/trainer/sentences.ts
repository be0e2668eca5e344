// The training sentences: text files read line by line as a stream (trainer_interface.cc, LoadSentences:
// empty lines, lines longer than max_sentence_length bytes and lines holding U+2585 are skipped), at most
// input_sentence_size of them by seeded reservoir sampling (or the first ones, without shuffling), or —
// given one corpus per language — a language-balanced sample where language i gets a share q_i ∝ p_i^α
// of the sentences, p_i being its share of the corpus (AlexaTM 20B §2: α = 0.5).

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { keyWords, randomBits } from '../../core/random.js';

/** A training sentence and how many times it counts. */
export type Sentence = readonly [text: string, freq: number];

/** U+2585 in UTF-8: the trainer's stand-in for rare characters, so input lines holding it are skipped. */
const UNK_BYTES = [0xe2, 0x96, 0x85] as const;

export interface SentenceOptions {
  /** Text files, one sentence per line. */
  readonly input?: readonly string[];
  /** Corpora per language: a directory of `<lang>.txt` files, or language → file(s). */
  readonly inputPerLanguage?: string | Readonly<Record<string, string | readonly string[]>>;
  /** The exponent of language-balanced sampling (default 0.5; 1 keeps the corpus proportions, 0 is uniform). */
  readonly alpha?: number;
  /** At most this many sentences (0: all; with per-language input, the total of the balanced sample). */
  readonly inputSentenceSize?: number;
  /** Sample the sentences at random (default) rather than taking the first input_sentence_size. */
  readonly shuffleInputSentence?: boolean;
  /** Longer lines (in UTF-8 bytes) are skipped (default 4192). */
  readonly maxSentenceLength?: number;
  readonly randomSeed?: number;
}

export interface LanguageShare {
  readonly language: string;
  /** Usable lines in the language's corpus. */
  readonly available: number;
  /** p_i: its share of all usable lines. */
  readonly corpusShare: number;
  /** q_i ∝ p_i^α. */
  readonly sampleShare: number;
  /** Sentences drawn (repeats counted) — more than `available` where the language is upsampled. */
  readonly selected: number;
}

export interface LoadedSentences {
  readonly sentences: Sentence[];
  /** Usable lines read (before sampling). */
  readonly totalLines: number;
  /** Lines skipped for being longer than maxSentenceLength. */
  readonly tooLong: number;
  /** Per-language sampling, when the input was given per language. */
  readonly languages: readonly LanguageShare[] | null;
}

export type ReadProgress = (file: string, lines: number) => void;

/** 53-bit uniform integers from the counter-based generator of core/random, one stream per seed. */
class SeededIntegers {
  private readonly a: number;
  private readonly b: number;
  private counter = 0;

  constructor(seed: number) {
    [this.a, this.b] = keyWords(BigInt(seed));
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    const hi = randomBits(this.a, this.b, this.counter++ % 2 ** 32) >>> 11; // 21 bits
    const lo = randomBits(this.a, this.b, this.counter++ % 2 ** 32); // 32 bits
    return Math.floor(((hi * 2 ** 32 + lo) / 2 ** 53) * n);
  }
}

/**
 * Calls `onLine` with each line of a file (without its '\n') as UTF-8 bytes, until it returns false;
 * `onLine` must copy what it keeps. Reads in chunks, so files of any size stream through.
 */
export async function forEachLine(file: string, onLine: (bytes: Uint8Array) => boolean | void): Promise<void> {
  let carry: Uint8Array = new Uint8Array(0);
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data: Uint8Array = carry.length > 0 ? concat(carry, chunk) : chunk;
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        if (onLine(data.subarray(start, nl)) === false) return;
        start = nl + 1;
      }
      carry = data.slice(start);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read training input ${file}: ${reason}`);
  }
  if (carry.length > 0) onLine(carry);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function holdsUnkChar(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(UNK_BYTES[0]); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(UNK_BYTES[0], i + 1)) {
    if (bytes[i + 1] === UNK_BYTES[1] && bytes[i + 2] === UNK_BYTES[2]) return true;
  }
  return false;
}

/** Whether a line is used for training: non-empty, short enough, without U+2585. */
type LineVerdict = 'use' | 'skip' | 'too-long';

function judge(bytes: Uint8Array, maxLength: number): LineVerdict {
  if (bytes.length === 0) return 'skip';
  if (bytes.length > maxLength) return 'too-long';
  return holdsUnkChar(bytes) ? 'skip' : 'use';
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The files of per-language input, by language (sorted by language). */
export async function languageFiles(
  spec: string | Readonly<Record<string, string | readonly string[]>>,
): Promise<[string, string[]][]> {
  if (typeof spec !== 'string') {
    const entries = Object.entries(spec).map(([lang, files]): [string, string[]] => [lang, typeof files === 'string' ? [files] : [...files]]);
    if (entries.length === 0) throw new RangeError('inputPerLanguage names no language; give language → file(s), or a directory of <lang>.txt files');
    return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  let names: string[];
  try {
    if (!(await stat(spec)).isDirectory()) throw new Error('not a directory');
    names = await readdir(spec);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`--input-per-language ${spec} must be a directory of <lang>.txt files (${reason})`);
  }
  const txt = names.filter((n) => n.endsWith('.txt')).sort();
  if (txt.length === 0) throw new RangeError(`--input-per-language ${spec} holds no <lang>.txt files; put one file per language there, e.g. en.txt, de.txt`);
  return txt.map((n) => [n.slice(0, -'.txt'.length), [path.join(spec, n)]]);
}

/**
 * How many sentences each language gets: shares q_i = p_i^α / Σ_j p_j^α of `total`, rounded by largest
 * remainder so that they add up to `total` exactly.
 */
export function balancedCounts(available: readonly number[], alpha: number, total: number): { shares: number[]; counts: number[] } {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0 (got ${alpha}); 0.5 is the AlexaTM setting`);
  const all = available.reduce((s, n) => s + n, 0);
  const weights = available.map((n) => (n === 0 ? 0 : (n / all) ** alpha));
  const sum = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => (sum === 0 ? 0 : w / sum));
  const exact = shares.map((q) => q * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    if (shares[i] === 0) continue;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return { shares, counts };
}

/** Reads and samples the training sentences. */
export async function loadSentences(options: SentenceOptions, onProgress?: ReadProgress): Promise<LoadedSentences> {
  const maxLength = options.maxSentenceLength ?? 4192;
  const size = options.inputSentenceSize ?? 0;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`inputSentenceSize must be an integer ≥ 0 (got ${size}); 0 reads every sentence`);
  const rng = new SeededIntegers(options.randomSeed ?? 0);
  if (options.inputPerLanguage !== undefined) {
    if (options.input !== undefined && options.input.length > 0) {
      throw new RangeError('give either input files or inputPerLanguage, not both (per-language input is what α-sampling balances)');
    }
    return loadBalanced(await languageFiles(options.inputPerLanguage), options.alpha ?? 0.5, size, maxLength, rng, onProgress);
  }
  const files = options.input ?? [];
  if (files.length === 0) throw new RangeError('no training input: give input files (--input FILE...) or a directory per language (--input-per-language DIR)');
  const shuffle = options.shuffleInputSentence ?? true;
  const sentences: Sentence[] = [];
  let totalLines = 0;
  let tooLong = 0;
  for (const file of files) {
    let lines = 0;
    await forEachLine(file, (bytes) => {
      const verdict = judge(bytes, maxLength);
      if (verdict === 'too-long') tooLong++;
      if (verdict !== 'use') return;
      totalLines++;
      if (++lines % 100_000 === 0) onProgress?.(file, lines);
      if (size === 0 || sentences.length < size) {
        sentences.push([utf8.decode(bytes), 1]);
      } else if (shuffle) {
        // Reservoir sampling: the n-th line replaces a random one with probability size / n.
        const j = rng.below(totalLines);
        if (j < size) sentences[j] = [utf8.decode(bytes), 1];
      } else {
        return false; // the first `size` lines are taken
      }
      return true;
    });
    onProgress?.(file, lines);
    if (!shuffle && size > 0 && sentences.length >= size) break;
  }
  return { sentences, totalLines, tooLong, languages: null };
}

async function loadBalanced(
  languages: readonly [string, string[]][],
  alpha: number,
  size: number,
  maxLength: number,
  rng: SeededIntegers,
  onProgress?: ReadProgress,
): Promise<LoadedSentences> {
  // Pass 1: how many usable lines each language has.
  const available: number[] = [];
  let tooLong = 0;
  for (const [, files] of languages) {
    let n = 0;
    for (const file of files) {
      await forEachLine(file, (bytes) => {
        const verdict = judge(bytes, maxLength);
        if (verdict === 'use') n++;
        else if (verdict === 'too-long') tooLong++;
      });
    }
    available.push(n);
  }
  const totalLines = available.reduce((s, n) => s + n, 0);
  if (totalLines === 0) throw new RangeError(`the per-language input (${languages.map(([l]) => l).join(', ')}) holds no usable lines`);
  const total = size === 0 ? totalLines : size;
  const { shares, counts } = balancedCounts(available, alpha, total);
  // Pass 2: each line of language i counts floor(c_i / n_i) times, and a random (c_i mod n_i) of them
  // once more (selection sampling: a line is picked with probability needed / remaining).
  const sentences: Sentence[] = [];
  const report: LanguageShare[] = [];
  for (let li = 0; li < languages.length; li++) {
    const [language, files] = languages[li] as [string, string[]];
    const n = available[li] as number;
    const count = counts[li] as number;
    const repeat = n === 0 ? 0 : Math.floor(count / n);
    let needed = n === 0 ? 0 : count - repeat * n;
    let remaining = n;
    for (const file of files) {
      let lines = 0;
      await forEachLine(file, (bytes) => {
        if (judge(bytes, maxLength) !== 'use') return;
        if (++lines % 100_000 === 0) onProgress?.(file, lines);
        let freq = repeat;
        if (needed > 0 && rng.below(remaining) < needed) {
          freq++;
          needed--;
        }
        remaining--;
        if (freq > 0) sentences.push([utf8.decode(bytes), freq]);
      });
      onProgress?.(file, lines);
    }
    report.push({ language, available: n, corpusShare: n / totalLines, sampleShare: shares[li] as number, selected: count });
  }
  return { sentences, totalLines, tooLong, languages: report };
}
