// One full training step (forward, backward, AdamW at lr 1e-3) of the reference workload: token
// embedding 8000×256 → 2 pre-LN encoder blocks (4 heads, FFN 1024, erf-GELU, no dropout) → final
// LayerNorm → linear 256→8000 → cross-entropy, batch 8×128, as one compiled graph. Reports ms per step,
// GFLOP/s from analytically counted matmul FLOPs (backward = 2× forward), the ratio to this machine's
// FMA peak, and PyTorch's time for the same step in the same run where python3-torch is installed.

import os from 'node:os';
import { NDArray } from '../src/core/ndarray.js';
import type { Tensor } from '../src/core/tensor.js';
import { encoderLmForwardFlops, encoderLmLoss, initEncoderLm } from '../src/nn/encoder-lm.js';
import type { EncoderLmConfig, EncoderLmParams } from '../src/nn/encoder-lm.js';
import { uniformArray } from '../src/nn/init.js';
import { adamwTrainStep, initAdamWState } from '../src/train/train-step.js';
import { intOption } from './args.js';
import type { BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';
import { measureFmaPeak } from './fma-peak.js';
import { runPytorchTrainStep } from './pytorch.js';
import { bestOf } from './timing.js';

export const description = 'one AdamW training step of a 2-block encoder LM (8000 vocab, d 256, batch 8×128) vs PyTorch';

export const TRAIN_STEP_CONFIG: EncoderLmConfig = { vocabSize: 8000, dModel: 256, heads: 4, ffn: 1024, layers: 2, gelu: 'none' };
const BATCH = 8;
const SEQ = 128;

function randomTokens(seed: bigint): NDArray {
  const u = uniformArray(seed, [BATCH, SEQ], 0, TRAIN_STEP_CONFIG.vocabSize, 'float64');
  return NDArray.from('int32', [BATCH, SEQ], u.toNumbers().map(Math.floor));
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const threads = intOption(args, 'threads', os.availableParallelism());
  const reps = intOption(args, 'reps', 10);
  const config = TRAIN_STEP_CONFIG;
  const step = adamwTrainStep(
    (params: EncoderLmParams<Tensor>, batch: { tokens: Tensor; targets: Tensor }) => encoderLmLoss(params, batch.tokens, batch.targets, config),
    { weightDecay: 0.01, compile: { intraOpThreads: threads } },
  );
  let params = initEncoderLm(config, 1n);
  let state = initAdamWState(params);
  const batch = { tokens: randomTokens(2n), targets: randomTokens(3n) };
  const lr = NDArray.scalar('float32', 1e-3);
  let loss = NaN;
  const oneStep = async () => {
    const out = await step(params, state, batch, lr);
    params = out.params;
    state = out.state;
    loss = out.loss.get(0);
  };
  // Alternate rounds with PyTorch so both see the same machine conditions; keep the best of each.
  const first = await bestOf(reps, oneStep, { warmup: 3 });
  const pytorchMs = await runPytorchTrainStep(threads);
  const second = await bestOf(reps, oneStep, { warmup: 1 });
  const msPerStep = Math.min(first.bestMs, second.bestMs);
  const flops = 3 * encoderLmForwardFlops(config, BATCH, SEQ);
  const gflops = flops / (msPerStep * 1e6);
  const peak = await measureFmaPeak(threads);
  const result: BenchResult = {
    threads,
    ms_per_step: round(msPerStep),
    gflops: round(gflops),
    peak_gflops: round(peak),
    mfu: round(gflops / peak, 4),
    loss_after_steps: round(loss, 4),
  };
  if (pytorchMs !== null) {
    result['pytorch_ms_per_step'] = round(pytorchMs);
    result['speedup_vs_pytorch'] = round(pytorchMs / msPerStep, 3);
  }
  return result;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
