// A float32 matmul (default 1024×1024×1024) through polyseq's compile() against the same matmul in a
// raw ONNX Runtime session built by hand here (a one-node MatMul model written with encodeModel, opened
// with the session options createOrtSession uses), in the same run. Both are checked to agree before
// timing; then timed rounds alternate (polyseq, raw, polyseq, raw, …) so machine noise hits both alike,
// and the best round of each is kept. `ratio` = polyseq GFLOP/s ÷ raw GFLOP/s measures what polyseq's
// per-call path (tree flattening, cache lookup, NDArray ↔ ort.Tensor wrapping) costs on top of ORT.

import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { compile } from '../src/backend/compile.js';
import type { Tensor } from '../src/core/tensor.js';
import { encodeModel, ONNX_DTYPE } from '../src/backend/onnx/model.js';
import { DEFAULT_OPSET, irVersionFor } from '../src/backend/onnx/lower.js';
import { uniformArray } from '../src/nn/init.js';
import { intOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

export const description = 'a 1024³ float32 matmul through compile() vs a hand-built raw ONNX Runtime session';

/** Untimed calls of each before the timed rounds. */
const WARMUP = 3;

/** The serialized one-node model Y = MatMul(A, B) for n×n float32 operands. */
export function matmulModel(n: number): Uint8Array {
  const io = (name: string) => ({ name, elemType: ONNX_DTYPE.FLOAT, shape: [n, n] });
  return encodeModel({
    irVersion: irVersionFor(DEFAULT_OPSET),
    opsetImports: [{ domain: '', version: DEFAULT_OPSET }],
    producerName: 'polyseq-bench',
    graph: {
      name: 'matmul',
      nodes: [{ opType: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'], name: 'matmul' }],
      initializers: [],
      inputs: [io('A'), io('B')],
      outputs: [io('Y')],
    },
  });
}

/** The session options createOrtSession (src/backend/ort.ts) uses for the CPU provider. */
function rawSessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    intraOpNumThreads: threads,
  };
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) throw new Error(`matmul: results differ in length (${x.length} vs ${y.length})`);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

/** Largest |C[i,j] − Σ_k A[i,k]·B[k,j]| over a few sampled entries, the sum taken in float64. */
function spotCheck(a: Float32Array, b: Float32Array, c: Float32Array, n: number, samples = 32): number {
  let worst = 0;
  for (let s = 0; s < samples; s++) {
    const i = (s * 7919) % n;
    const j = (s * 104729 + 13) % n;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += a[i * n + k]! * b[k * n + j]!;
    worst = Math.max(worst, Math.abs(c[i * n + j]! - sum));
  }
  return worst;
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const threads = intOption(args, 'threads', os.availableParallelism());
  const reps = intOption(args, 'reps', 10);
  const n = intOption(args, 'size', 1024);
  if (reps < 5) throw new RangeError(`--reps must be at least 5 (got ${reps})`);

  const a = uniformArray(1n, [n, n], -1, 1, 'float32');
  const b = uniformArray(2n, [n, n], -1, 1, 'float32');
  const aData = a.data as Float32Array;
  const bData = b.data as Float32Array;

  const polyseq = compile((x: Tensor, y: Tensor) => x.matmul(y), { intraOpThreads: threads });
  const raw = await ort.InferenceSession.create(matmulModel(n), rawSessionOptions(threads));
  const rawCall = async (): Promise<Float32Array> => {
    const out = await raw.run({ A: new ort.Tensor('float32', aData, [n, n]), B: new ort.Tensor('float32', bData, [n, n]) });
    const y = out['Y'];
    if (y === undefined) throw new Error('matmul: the raw session returned no output "Y"');
    return y.data as Float32Array;
  };
  const polyseqCall = async (): Promise<Float32Array> => (await polyseq(a, b)).data as Float32Array;

  try {
    // Same answer from both (and from a float64 spot check) before anything is timed.
    const fromPolyseq = await polyseqCall();
    const fromRaw = await rawCall();
    const diff = maxAbsDiff(fromPolyseq, fromRaw);
    const spot = spotCheck(aData, bData, fromPolyseq, n);
    const tolerance = 1e-5 * n;
    if (!(diff <= tolerance) || !(spot <= tolerance)) {
      throw new Error(`matmul: results disagree (polyseq vs raw max |Δ| ${diff}, vs float64 spot check ${spot}; tolerance ${tolerance})`);
    }

    for (let i = 0; i < WARMUP; i++) {
      await polyseqCall();
      await rawCall();
    }
    const polyseqMs: number[] = [];
    const rawMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      let start = process.hrtime.bigint();
      await polyseqCall();
      polyseqMs.push(elapsedMs(start));
      start = process.hrtime.bigint();
      await rawCall();
      rawMs.push(elapsedMs(start));
    }

    const bestPolyseq = Math.min(...polyseqMs);
    const bestRaw = Math.min(...rawMs);
    const flops = 2 * n * n * n;
    const polyseqGflops = flops / (bestPolyseq * 1e6);
    const rawGflops = flops / (bestRaw * 1e6);
    return {
      polyseq_gflops: round(polyseqGflops),
      raw_ort_gflops: round(rawGflops),
      ratio: round(polyseqGflops / rawGflops, 4),
      threads,
      polyseq_ms: round(bestPolyseq, 3),
      raw_ort_ms: round(bestRaw, 3),
      size: n,
      reps,
      polyseq_median_ms: round(median(polyseqMs), 3),
      raw_ort_median_ms: round(median(rawMs), 3),
      max_abs_diff: diff,
    };
  } finally {
    await raw.release();
  }
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
