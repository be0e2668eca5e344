// `polyseq demo`: the quick start. Trains a one-block Transformer encoder (the core's compiled
// forward + backward + AdamW step) on a task made up from a seed — predict the previous token — and
// prints the loss falling, the accuracy reached and the time per step. Needs no data and no download.

import { NDArray } from '../core/ndarray.js';
import type { Tensor } from '../core/tensor.js';
import { encoderLmLogits, encoderLmLoss, initEncoderLm } from '../nn/encoder-lm.js';
import type { EncoderLmConfig, EncoderLmParams } from '../nn/encoder-lm.js';
import { uniformArray } from '../nn/init.js';
import { compile } from '../backend/compile.js';
import { adamwTrainStep, initAdamWState } from '../train/train-step.js';
import type { CliIo, RegisterCommand } from './io.js';

const CONFIG: EncoderLmConfig = { vocabSize: 32, dModel: 64, heads: 4, ffn: 128, layers: 1, causal: true, maxPositions: 16 };
const BATCH = 16;
const SEQ = 16;
const IGNORE = -100;

/** Random tokens, and as targets the token one position earlier (nothing to predict at position 0). */
function previousTokenBatch(seed: bigint): { tokens: NDArray; targets: NDArray } {
  const ids = uniformArray(seed, [BATCH, SEQ], 0, CONFIG.vocabSize, 'float64').toNumbers().map(Math.floor);
  const targets = ids.map((_, i) => (i % SEQ === 0 ? IGNORE : ids[i - 1]!));
  return { tokens: NDArray.from('int32', [BATCH, SEQ], ids), targets: NDArray.from('int32', [BATCH, SEQ], targets) };
}

export interface DemoOptions {
  steps: number;
  seed: bigint;
  threads?: number;
  providers?: string[];
  /** Called with each logged step. */
  log?: (entry: { step: number; loss: number }) => void;
}

export interface DemoResult {
  steps: number;
  firstLoss: number;
  finalLoss: number;
  accuracy: number;
  msPerStep: number;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const compileOptions = {
    ...(options.threads ? { intraOpThreads: options.threads } : {}),
    ...(options.providers ? { executionProviders: options.providers } : {}),
  };
  const loss = (p: EncoderLmParams<Tensor>, b: { tokens: Tensor; targets: Tensor }) => encoderLmLoss(p, b.tokens, b.targets, CONFIG);
  const step = adamwTrainStep(loss, { weightDecay: 0.01, clipNorm: 1, compile: compileOptions });
  let params = initEncoderLm(CONFIG, options.seed);
  let state = initAdamWState(params);
  const lr = NDArray.scalar('float32', 3e-3);
  let first = NaN;
  let last = NaN;
  const start = performance.now();
  for (let i = 0; i < options.steps; i++) {
    const out = await step(params, state, previousTokenBatch(options.seed * 100_000n + BigInt(i)), lr);
    params = out.params;
    state = out.state;
    last = out.loss.get(0);
    if (i === 0) first = last;
    if (i % 25 === 0 || i === options.steps - 1) options.log?.({ step: i + 1, loss: last });
  }
  const msPerStep = (performance.now() - start) / options.steps;
  // (B, T, V) bool: true at each position's highest-scoring token.
  const predict = compile((p: EncoderLmParams<Tensor>, tokens: Tensor) => {
    const logits = encoderLmLogits(p, tokens, CONFIG); // (B, T, V)
    return logits.max(-1, true).eq(logits);
  }, compileOptions);
  const held = previousTokenBatch(options.seed * 100_000n - 1n);
  const isMax = await predict(params, held.tokens);
  let right = 0;
  let total = 0;
  held.targets.toNumbers().forEach((target, i) => {
    if (target === IGNORE) return;
    total++;
    if (isMax.data[i * CONFIG.vocabSize + target] === 1) right++;
  });
  return { steps: options.steps, firstLoss: first, finalLoss: last, accuracy: right / total, msPerStep };
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer (got "${value}")`);
  return n;
}

export const registerDemo: RegisterCommand = (program, io: CliIo) => {
  program
    .command('demo')
    .description('quick start: train a small Transformer on a made-up task and watch the loss fall')
    .option('--steps <n>', 'training steps', '200')
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'intra-op threads (default: all cores)')
    .option('--device <provider>', 'ONNX Runtime execution provider: cpu, cuda, webgpu, ...', 'cpu')
    .option('--json', 'print the result as one line of JSON')
    .action(async (opts: { steps: string; seed: string; threads?: string; device: string; json?: boolean }) => {
      const result = await runDemo({
        steps: positiveInt('steps', opts.steps),
        seed: BigInt(positiveInt('seed', opts.seed)),
        ...(opts.threads ? { threads: positiveInt('threads', opts.threads) } : {}),
        providers: [opts.device],
        log: opts.json ? undefined : ({ step, loss }) => io.out(`step ${String(step).padStart(4)}  loss ${loss.toFixed(4)}\n`),
      });
      if (opts.json) io.out(`${JSON.stringify(result)}\n`);
      else {
        io.out(`previous-token accuracy on a held-out batch: ${(100 * result.accuracy).toFixed(1)}%\n`);
        io.out(`${result.msPerStep.toFixed(1)} ms per training step (forward, backward, AdamW: one ONNX Runtime graph)\n`);
      }
    });
};
