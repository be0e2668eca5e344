// What the fused lowering buys: the forward pass (logits) of the train-step workload with Softmax,
// LayerNormalization and Gelu emitted as fused ONNX operators, against the same graph lowered as
// primitives, in alternating rounds of the same run. (A training graph keeps the primitives either
// way: its backward pass reads the composites' intermediates, so no composite qualifies for fusion.)

import os from 'node:os';
import { compile } from '../src/backend/compile.js';
import { lowerGraph, onnxOpTypes } from '../src/backend/onnx/lower.js';
import { NDArray } from '../src/core/ndarray.js';
import type { Tensor } from '../src/core/tensor.js';
import { encoderLmLogits, initEncoderLm } from '../src/nn/encoder-lm.js';
import type { EncoderLmParams } from '../src/nn/encoder-lm.js';
import { uniformArray } from '../src/nn/init.js';
import { intOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';
import { bestOf } from './timing.js';
import { TRAIN_STEP_CONFIG as config } from './train-step.js';

export const description = 'encoder forward pass with fused Softmax/LayerNormalization/Gelu vs the same graph as primitives';

export async function run(args: BenchArgs): Promise<BenchResult> {
  const threads = intOption(args, 'threads', os.availableParallelism());
  const reps = intOption(args, 'reps', 10);
  const forward = (p: EncoderLmParams<Tensor>, tokens: Tensor) => encoderLmLogits(p, tokens, config);
  const fused = compile(forward, { intraOpThreads: threads, fuse: true });
  const plain = compile(forward, { intraOpThreads: threads, fuse: false });
  const params = initEncoderLm(config, 1n);
  const tokens = NDArray.from('int32', [8, 128], uniformArray(4n, [8, 128], 0, config.vocabSize, 'float64').toNumbers().map(Math.floor));
  const traced = fused.trace(params, { dtype: 'int32', shape: [8, 128] });
  const fusedOps = onnxOpTypes(lowerGraph(traced.graph, { fuse: true })).filter((op) => ['Softmax', 'LayerNormalization', 'Gelu'].includes(op)).length;
  const a = await fused(params, tokens);
  const b = await plain(params, tokens);
  let maxDiff = 0;
  for (let i = 0; i < a.size; i++) maxDiff = Math.max(maxDiff, Math.abs(a.get(i) - b.get(i)));
  let fusedMs = Infinity;
  let plainMs = Infinity;
  for (let round = 0; round < 2; round++) {
    fusedMs = Math.min(fusedMs, (await bestOf(reps, () => fused(params, tokens))).bestMs);
    plainMs = Math.min(plainMs, (await bestOf(reps, () => plain(params, tokens))).bestMs);
  }
  return {
    threads,
    fused_operators: fusedOps,
    fused_ms: Math.round(fusedMs * 100) / 100,
    primitives_ms: Math.round(plainMs * 100) / 100,
    speedup: Math.round((plainMs / fusedMs) * 1000) / 1000,
    max_abs_diff: maxDiff,
  };
}
