// "Users never dispose anything by hand": a long loop of compiled AdamW training steps (a 1-block encoder
// LM, vocabulary 2000, d 128, 2 heads, FFN 512, batch 4×64), each step's params and state fed back in as
// the next step's inputs, must not grow resident memory. Every --every steps a second compiled function
// (the model's loss on a held-out batch) is called with the next of 3 sequence lengths while its session
// cache holds only 2, so each such call evicts and releases one ONNX Runtime session and creates
// another. RSS is sampled every --sample-seconds (after a full garbage collection where V8 allows one);
// the figures are taken over the second half of the run: rss_start_mb and rss_end_mb are the medians of
// its first and last 5 samples, rss_slope_mb_per_min the least-squares slope over it. The first half is
// warm-up because glibc's malloc arenas under ONNX Runtime's threads settle over the first minutes on a
// loaded machine (measured: anonymous RSS rises ~10 MB in 2–4 minutes, then stays flat for the rest).
// The run counts as `bounded` when that slope is below 1 MB/min and RSS grew by less than 5%.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { compile } from '../src/backend/compile.js';
import { NDArray } from '../src/core/ndarray.js';
import type { Tensor } from '../src/core/tensor.js';
import { encoderLmLoss, initEncoderLm } from '../src/nn/encoder-lm.js';
import type { EncoderLmConfig, EncoderLmParams } from '../src/nn/encoder-lm.js';
import { uniformArray } from '../src/nn/init.js';
import { adamwTrainStep, initAdamWState } from '../src/train/train-step.js';
import { intOption, stringOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

export const description = 'RSS over a long loop of compiled AdamW steps with session-cache churn (default 10 minutes)';

export const MEMORY_CONFIG: EncoderLmConfig = { vocabSize: 2000, dModel: 128, heads: 2, ffn: 512, layers: 1 };
const BATCH = 4;
const SEQ = 64;
/** Sequence lengths the evaluation function cycles through; one more than its cache holds. */
const EVAL_SEQS = [16, 32, 48] as const;
const EVAL_CACHE_SIZE = 2;

/** Bounded: RSS slope after warm-up below this … */
export const MAX_SLOPE_MB_PER_MIN = 1;
/** … and RSS growth after warm-up below this fraction of the RSS at the end of warm-up. */
export const MAX_GROWTH_FRACTION = 0.05;
const WARMUP_FRACTION = 0.5;
/** rss_start_mb and rss_end_mb are medians of this many samples at either end of the measured span. */
const EDGE_SAMPLES = 5;

interface Sample {
  /** Minutes since the loop started. */
  readonly minutes: number;
  readonly rssMb: number;
  /** Anonymous (heap, arena) and file-backed (mapped code) parts of RSS, where Linux reports them. */
  readonly anonMb: number | null;
  readonly fileMb: number | null;
}

const MB = 1024 * 1024;

/** RssAnon and RssFile of this process in MB from /proc/self/status (Linux), else nulls. */
function rssParts(): { anonMb: number | null; fileMb: number | null } {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return { anonMb: null, fileMb: null };
  }
  const field = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : null;
  };
  return { anonMb: field('RssAnon'), fileMb: field('RssFile') };
}

function positiveNumberOption(args: BenchArgs, key: string, fallback: number): number {
  const text = stringOption(args, key, String(fallback));
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${key} must be a positive number (got ${JSON.stringify(text)})`);
  return value;
}

function tokens(seed: bigint, seq: number): NDArray {
  const u = uniformArray(seed, [BATCH, seq], 0, MEMORY_CONFIG.vocabSize, 'float64');
  return NDArray.from('int32', [BATCH, seq], u.toNumbers().map(Math.floor));
}

/**
 * global.gc where node runs with --expose-gc; otherwise V8's gc function fetched through the flag at run
 * time (the usual trick), or null where even that is refused. Sampling after a full collection makes RSS
 * reflect what is still live rather than when the collector last ran.
 */
function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fetched: unknown = vm.runInNewContext('gc');
    return typeof fetched === 'function' ? (fetched as () => void) : null;
  } catch {
    return null;
  }
}

/** The least-squares slope of y over x (0 with fewer than two distinct x). */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const minutes = positiveNumberOption(args, 'minutes', 10);
  const threads = intOption(args, 'threads', os.availableParallelism());
  const every = intOption(args, 'every', 20);
  const sampleSeconds = positiveNumberOption(args, 'sample-seconds', 2);
  const verbose = args.options['verbose'] === true;
  const config = MEMORY_CONFIG;

  const loss = (params: EncoderLmParams<Tensor>, batch: { tokens: Tensor; targets: Tensor }) => encoderLmLoss(params, batch.tokens, batch.targets, config);
  const step = adamwTrainStep(loss, { weightDecay: 0.01, compile: { intraOpThreads: threads } });
  const evaluate = compile(loss, { intraOpThreads: threads, cacheSize: EVAL_CACHE_SIZE });
  const evalBatches = EVAL_SEQS.map((seq, i) => ({ tokens: tokens(1000n + BigInt(i), seq), targets: tokens(2000n + BigInt(i), seq) }));

  let params = initEncoderLm(config, 1n);
  let state = initAdamWState(params);
  const lr = NDArray.scalar('float32', 1e-3);

  const durationMs = minutes * 60_000;
  const warmupMs = WARMUP_FRACTION * durationMs;
  const samples: Sample[] = [];
  const gc = findGc();
  let steps = 0;
  let evalCalls = 0;
  let maxCached = 0;
  let lastLoss = NaN;
  let lastEvalLoss = NaN;

  const start = performance.now();
  let nextSample = start;
  const sample = () => {
    gc?.();
    const now = performance.now();
    const rssMb = process.memoryUsage().rss / MB;
    const parts = rssParts();
    samples.push({ minutes: (now - start) / 60_000, rssMb, ...parts });
    if (verbose) {
      const split = parts.anonMb === null ? '' : ` (anon ${parts.anonMb.toFixed(1)}, file ${parts.fileMb?.toFixed(1)})`;
      console.error(`${((now - start) / 1000).toFixed(1)} s  steps ${steps}  rss ${rssMb.toFixed(1)} MB${split}  heap ${(process.memoryUsage().heapUsed / MB).toFixed(1)} MB`);
    }
  };

  while (performance.now() - start < durationMs) {
    const seed = BigInt(steps) * 2n;
    const out = await step(params, state, { tokens: tokens(10_000n + seed, SEQ), targets: tokens(10_001n + seed, SEQ) }, lr);
    params = out.params;
    state = out.state;
    lastLoss = out.loss.get(0);
    steps++;
    if (steps % every === 0) {
      const batch = evalBatches[evalCalls % evalBatches.length]!;
      lastEvalLoss = (await evaluate(params, batch)).get(0);
      evalCalls++;
      maxCached = Math.max(maxCached, evaluate.cached);
    }
    if (performance.now() >= nextSample) {
      sample();
      nextSample = performance.now() + sampleSeconds * 1000;
    }
  }
  sample();

  if (!Number.isFinite(lastLoss) || !Number.isFinite(lastEvalLoss)) {
    throw new Error(`memory: the losses are not finite (train ${lastLoss}, eval ${lastEvalLoss})`);
  }
  if (maxCached > EVAL_CACHE_SIZE) throw new Error(`memory: the session cache held ${maxCached} sessions, more than its ${EVAL_CACHE_SIZE}`);

  const warmupMinutes = warmupMs / 60_000;
  const after = samples.filter((s) => s.minutes >= warmupMinutes);
  const measured = after.length >= 2 ? after : samples.slice(-2);
  // One sample can catch a transient (a session being created): start and end are medians of a few.
  const rssStart = median(measured.slice(0, EDGE_SAMPLES).map((s) => s.rssMb));
  const rssEnd = median(measured.slice(-EDGE_SAMPLES).map((s) => s.rssMb));
  const slope = leastSquaresSlope(
    measured.map((s) => s.minutes),
    measured.map((s) => s.rssMb),
  );
  const growth = rssEnd - rssStart;
  // The anonymous part of RSS is where a leak of tensors, sessions or arrays would show.
  const anon = measured.filter((s) => s.anonMb !== null);
  const anonStart = anon.length > 0 ? median(anon.slice(0, EDGE_SAMPLES).map((s) => s.anonMb!)) : null;
  const anonEnd = anon.length > 0 ? median(anon.slice(-EDGE_SAMPLES).map((s) => s.anonMb!)) : null;
  const fileEnd = anon.length > 0 ? median(anon.slice(-EDGE_SAMPLES).map((s) => s.fileMb ?? 0)) : null;
  const memory = process.memoryUsage();
  return {
    minutes: round((performance.now() - start) / 60_000, 3),
    steps,
    rss_start_mb: round(rssStart),
    rss_end_mb: round(rssEnd),
    rss_max_mb: round(Math.max(...samples.map((s) => s.rssMb))),
    rss_growth_mb: round(growth),
    rss_slope_mb_per_min: round(slope, 3),
    heap_used_end_mb: round(memory.heapUsed / MB),
    rss_anon_start_mb: anonStart === null ? null : round(anonStart),
    rss_anon_end_mb: anonEnd === null ? null : round(anonEnd),
    rss_file_end_mb: fileEnd === null ? null : round(fileEnd),
    bounded: slope < MAX_SLOPE_MB_PER_MIN && growth < MAX_GROWTH_FRACTION * rssStart,
    threshold: `slope < ${MAX_SLOPE_MB_PER_MIN} MB/min and growth < ${MAX_GROWTH_FRACTION * 100}% of start`,
    warmup_s: round(warmupMs / 1000, 1),
    samples: samples.length,
    eval_calls: evalCalls,
    eval_sessions_cached: evaluate.cached,
    array_buffers_end_mb: round(memory.arrayBuffers / MB),
    gc_before_samples: gc !== null,
    threads,
    final_loss: round(lastLoss, 4),
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
