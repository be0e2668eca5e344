// Decoding throughput of the `small` preset (AlexaTM architecture, ~39M parameters, random weights from
// initParams(config, 1n)) through generateWithModel — what `polyseq generate` runs: greedy and 4-beam
// search at batch 1 and batch 16.
//  - Every source is 64 random token ids (ids 4 … vocab − 1, no padding; batch 16 has 16 different ones).
//  - Every sequence gets exactly --new-tokens new tokens (default 32): minNewTokens = maxNewTokens bans
//    eos until the end, so no sequence stops early (checked: each returned sequence holds that many ids).
//  - What is timed: one whole generateWithModel call — encoding the sources, initCache, the decodeStep
//    calls and the search on the host (log-softmax, processors, beam bookkeeping and cache reordering).
//  - What is counted: the tokens of the sequences returned, batch × new tokens — one sequence per source,
//    also for beam search (its 4 beams decode 4× the rows but only the best sequence counts).
//    X_tokens_s = batch · new_tokens / (best call time); X_ms is that best call time.
// The yardstick, measured in the same rounds: the model calls alone for the same rows — encode,
// initCache and new_tokens decodeStep calls through modelStep, fed a fixed token, with no search on the
// host. X_model_share = that best time / the search's best time: the share of decoding spent in ONNX
// Runtime and the host copies of the step; 1 − share is what the TypeScript search adds.
// Each configuration is warmed up once (session preparation), then the four run in alternating rounds,
// --reps rounds (default 3), each keeping its best.

import os from 'node:os';
import { generateWithModel } from '../src/generation/model-generate.js';
import { modelStep } from '../src/generation/model-step.js';
import { compileAnySeq2Seq } from '../src/models/compiled.js';
import { initParams } from '../src/models/init.js';
import { PRESETS } from '../src/models/presets.js';
import { uniformArray } from '../src/nn/init.js';
import { intOption, type BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

export const description = 'small preset: greedy and 4-beam decoding tokens/s at batch 1 and 16 (64-token sources, fixed new tokens)';

const SOURCE_TOKENS = 64;

interface Case {
  readonly name: string;
  readonly batch: number;
  readonly numBeams: number;
}

const CASES: readonly Case[] = [
  { name: 'greedy_b1', batch: 1, numBeams: 1 },
  { name: 'greedy_b16', batch: 16, numBeams: 1 },
  { name: 'beam4_b1', batch: 1, numBeams: 4 },
  { name: 'beam4_b16', batch: 16, numBeams: 4 },
];

function randomSources(seed: bigint, rows: number, vocab: number): number[][] {
  const ids = uniformArray(seed, [rows, SOURCE_TOKENS], 4, vocab, 'float64').toNumbers().map(Math.floor);
  return Array.from({ length: rows }, (_, r) => ids.slice(r * SOURCE_TOKENS, (r + 1) * SOURCE_TOKENS));
}

export async function run(args: BenchArgs): Promise<BenchResult> {
  const threads = intOption(args, 'threads', os.availableParallelism());
  const reps = intOption(args, 'reps', 3);
  const newTokens = intOption(args, 'new-tokens', 32);
  const config = PRESETS.small;
  const model = compileAnySeq2Seq(config, { intraOpThreads: threads });
  const params = initParams(config, 1n);
  const sources = randomSources(5n, 16, config.vocabSize);
  const eosId = config.eosTokenId;
  const options = (c: Case) => ({
    startId: config.decoderStartTokenId ?? eosId,
    eosId,
    padId: config.padTokenId,
    maxNewTokens: newTokens,
    minNewTokens: newTokens,
    numBeams: c.numBeams,
  });

  const once = async (c: Case): Promise<number> => {
    const start = process.hrtime.bigint();
    const outputs = await generateWithModel(model, params, sources.slice(0, c.batch), options(c));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const lengths = outputs.flatMap((list) => list.map((h) => h.ids.length));
    if (lengths.length !== c.batch || lengths.some((n) => n !== newTokens)) {
      throw new Error(`${c.name}: expected ${c.batch} sequences of ${newTokens} tokens, got lengths ${lengths.join(', ')}`);
    }
    return ms;
  };

  /** The same rows through the model alone: no processors, log-softmax or beam bookkeeping. */
  const modelOnly = async (c: Case): Promise<number> => {
    const start = process.hrtime.bigint();
    const { step, cache } = await modelStep(model, params, sources.slice(0, c.batch), config.padTokenId, c.numBeams);
    const tokens = new Array<number>(c.batch * c.numBeams).fill(options(c).startId);
    let state = cache;
    for (let t = 0; t < newTokens; t++) state = (await step(tokens, state)).cache;
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  const best = new Map<string, number>();
  const keep = (name: string, ms: number) => best.set(name, Math.min(best.get(name) ?? Infinity, ms));
  for (const c of CASES) await once(c); // warm-up
  for (let r = 0; r < reps; r++) {
    for (const c of CASES) {
      keep(c.name, await once(c));
      keep(`${c.name}_model`, await modelOnly(c));
    }
  }

  const result: BenchResult = { preset: 'small', threads, source_tokens: SOURCE_TOKENS, new_tokens: newTokens, reps };
  for (const c of CASES) {
    const ms = best.get(c.name)!;
    result[`${c.name}_tokens_s`] = round((c.batch * newTokens) / (ms / 1000), 1);
    result[`${c.name}_ms`] = round(ms, 1);
    result[`${c.name}_model_share`] = round(best.get(`${c.name}_model`)! / ms, 3);
  }
  return result;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
