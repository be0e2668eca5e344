// The `small` preset (AlexaTM architecture, ~39M parameters, random weights from initParams(config, 1n)):
//  (a) training: one full compiled AdamW step (forward + backward + update; adamwTrainStep on
//      alexatm.forward's loss, no dropout key so dropout is off) on 8 × 128 source and 8 × 128 target
//      tokens; train_tokens_s counts the target tokens (8 · 128 = 1024 per step), best of --reps after warm-up;
//  (b) greedy decoding at batch 1 with the cache: a 64-token source encoded once (initCache included, not
//      timed in decode_tokens_s), then --steps decodeStep calls of one token each, the argmax fed back
//      (compiled with the symbolic "past", so one session serves every step); decode_tokens_s = steps / time;
//  (c) bandwidth_ratio = (weight bytes read per generated token / time per token) / stream_gb_s, where
//      stream_gb_s is bench/native/stream_read.c (a 256 MB multi-threaded read, best of 5) in the same run.
//      Weight bytes per token (float32): every decoder layer tensor except the cross-attention k/v
//      projections (applied once to the encoder output by initCache), the decoder's final norm, lm_head
//      and final_logits_bias. Token and position embedding rows are gathered, not streamed: not counted;
//      nor is the KV cache (a few hundred KB at these lengths).
// Rounds alternate between training and decoding; each keeps its best.

import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { NDArray } from '../src/core/ndarray.js';
import type { Tensor } from '../src/core/tensor.js';
import * as alexatm from '../src/models/alexatm/model.js';
import { compileSeq2Seq } from '../src/models/compiled.js';
import type { AlexaTMConfig } from '../src/models/config/alexatm.js';
import { initParams } from '../src/models/init.js';
import { paramSpec } from '../src/models/model-size.js';
import { PRESETS } from '../src/models/presets.js';
import type { Seq2SeqBatch } from '../src/models/seq2seq.js';
import { uniformArray } from '../src/nn/init.js';
import { adamwTrainStep, initAdamWState } from '../src/train/train-step.js';
import { intOption, type BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';
import { nativeBinary } from './fma-peak.js';
import { bestOf } from './timing.js';

export const description = 'small preset: AdamW train-step tokens/s (8×128), greedy cached decoding tokens/s (batch 1), decode bandwidth vs a STREAM read';

const run$ = promisify(execFile);
const BATCH = 8;
const SEQ = 128;
const DECODE_SOURCE = 64;

/** float32 bytes of the weights one decodeStep reads (see the header). */
export function decodeWeightBytes(config: AlexaTMConfig): number {
  let elements = 0;
  for (const s of paramSpec(config)) {
    if (s.tiedTo !== undefined || s.dtype === 'int64') continue;
    const layer = s.name.startsWith('model.decoder.layers.') && !/\.encoder_attn\.(k|v)_proj\./.test(s.name);
    const head = s.name === 'lm_head.weight' || s.name === 'final_logits_bias' || s.name.startsWith('model.decoder.layernorm_output.');
    if (layer || head) elements += s.shape.reduce((a, d) => a * d, 1);
  }
  return elements * 4;
}

function randomIds(seed: bigint, rows: number, cols: number, vocab: number, from = 4): NDArray {
  const u = uniformArray(seed, [rows, cols], from, vocab, 'float64');
  return NDArray.from('int32', [rows, cols], u.toNumbers().map(Math.floor));
}

async function streamGbPerSecond(threads: number): Promise<number> {
  const exe = await nativeBinary('stream_read');
  const { stdout } = await run$(exe, [String(threads), '256', '5']);
  const parsed: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  if (typeof parsed === 'object' && parsed !== null && 'gb_s' in parsed && typeof parsed.gb_s === 'number') return parsed.gb_s;
  throw new Error(`unexpected output from stream_read: ${stdout}`);
}

function argmaxLast(logits: NDArray): number {
  const V = logits.shape[logits.shape.length - 1]!;
  const data = logits.data as Float32Array;
  const base = data.length - V;
  let best = 0;
  for (let v = 1; v < V; v++) if (data[base + v]! > data[base + best]!) best = v;
  return best;
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const threads = intOption(args, 'threads', os.availableParallelism());
  const reps = intOption(args, 'reps', 5);
  const steps = intOption(args, 'steps', 64);
  const config = PRESETS.small;
  const compileOptions = { intraOpThreads: threads };

  // (a) training
  const trainStep = adamwTrainStep((p: alexatm.AlexaTMParams<Tensor>, b: Seq2SeqBatch<Tensor>) => alexatm.forward(p, b, config).loss, {
    weightDecay: 0.01,
    compile: compileOptions,
  });
  let params = initParams(config, 1n);
  const decodeParams = params; // decoding keeps the initial weights
  let state = initAdamWState(params);
  const labels = randomIds(3n, BATCH, SEQ, config.vocabSize);
  const decoderInputIds = NDArray.from('int32', [BATCH, SEQ], labels.toNumbers().map((v, i) => (i % SEQ === 0 ? config.decoderStartTokenId! : labels.get(i - 1) ?? v)));
  const batch: Seq2SeqBatch<NDArray> = {
    inputIds: randomIds(2n, BATCH, SEQ, config.vocabSize),
    attentionMask: NDArray.from('int32', [BATCH, SEQ], new Array<number>(BATCH * SEQ).fill(1)),
    decoderInputIds,
    labels,
  };
  const lr = NDArray.scalar('float32', 1e-4);
  let loss = NaN;
  const oneTrainStep = async () => {
    const out = await trainStep(params, state, batch, lr);
    params = out.params;
    state = out.state;
    loss = out.loss.get(0);
  };

  // (b) decoding
  const model = compileSeq2Seq(config, compileOptions);
  const source = randomIds(5n, 1, DECODE_SOURCE, config.vocabSize);
  const sourceMask = NDArray.from('int32', [1, DECODE_SOURCE], new Array<number>(DECODE_SOURCE).fill(1));
  let encodeMs = Infinity;
  let lastTokens: number[] = [];
  const decode = async () => {
    const t0 = process.hrtime.bigint();
    const states = await model.encode(decodeParams, source, sourceMask);
    let cache = await model.initCache(decodeParams, states);
    const t1 = process.hrtime.bigint();
    encodeMs = Math.min(encodeMs, Number(t1 - t0) / 1e6);
    let token = config.decoderStartTokenId!;
    const tokens: number[] = [];
    const start = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) {
      const out = await model.decodeStep(decodeParams, NDArray.from('int32', [1, 1], [token]), sourceMask, cache);
      cache = out.cache;
      token = argmaxLast(out.logits);
      tokens.push(token);
    }
    lastTokens = tokens;
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  let decodeMs = Infinity;
  const decodeRound = async (n: number) => {
    for (let i = 0; i < n; i++) decodeMs = Math.min(decodeMs, await decode());
  };

  await decodeRound(1); // warm-up (session preparation)
  const first = await bestOf(reps, oneTrainStep, { warmup: 2 });
  await decodeRound(reps);
  const second = await bestOf(reps, oneTrainStep, { warmup: 0 });
  await decodeRound(reps);
  const streamGbS = await streamGbPerSecond(threads);

  const msPerTrainStep = Math.min(first.bestMs, second.bestMs);
  const msPerToken = decodeMs / steps;
  const weightBytes = decodeWeightBytes(config);
  const decodeGbS = weightBytes / (msPerToken * 1e6);
  return {
    preset: 'small',
    threads,
    train_batch: `${BATCH}x${SEQ} source + ${BATCH}x${SEQ} target`,
    train_ms_per_step: round(msPerTrainStep),
    train_tokens_s: round((BATCH * SEQ) / (msPerTrainStep / 1000), 1),
    train_loss: round(loss, 4),
    decode_steps: steps,
    decode_source_tokens: DECODE_SOURCE,
    encode_ms: round(encodeMs),
    decode_ms_per_token: round(msPerToken, 3),
    decode_tokens_s: round(steps / (decodeMs / 1000), 1),
    distinct_decoded_tokens: new Set(lastTokens).size,
    weight_bytes_per_token: weightBytes,
    decode_weight_gb_s: round(decodeGbS, 3),
    stream_gb_s: round(streamGbS, 3),
    bandwidth_ratio: round(decodeGbS / streamGbS, 4),
  };
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
