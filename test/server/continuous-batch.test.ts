// The continuous batch against generate() on each request alone: greedy and seeded sampling jobs, one
// of them arriving while the others decode, give generate()'s ids (and scores within 1e-4) — through the masked
// step (AlexaTM: the late job joins the running batch) and through T5's own decodeStep (it waits until
// the batch is empty) — and a cancelled job ends at the next step while the others go on.

import { describe, expect, it } from 'vitest';
import { chooser, type GenerateOptions } from '../../src/generation/generate.js';
import type { Hypothesis } from '../../src/generation/hypothesis.js';
import { generateWithModel } from '../../src/generation/model-generate.js';
import { compileAnySeq2Seq, type AnyConfig } from '../../src/models/compiled.js';
import { alexatmConfig } from '../../src/models/config/alexatm.js';
import { t5Config } from '../../src/models/config/t5.js';
import { initParams } from '../../src/models/init.js';
import { ContinuousBatch, type BatchJob } from '../../src/server/continuous-batch.js';
import { decodeEngine } from '../../src/server/decode-engine.js';
import { DecodingRow } from '../../src/server/decoding-row.js';

const SOURCES = [[5, 9, 13, 2], [7, 8, 2], [20, 21, 22, 23, 24, 25, 2]];
const BASE = { startId: 0, eosId: 2, maxNewTokens: 8, minNewTokens: 8 };
const GREEDY: GenerateOptions = BASE;
const SAMPLING: GenerateOptions = { ...BASE, doSample: true, numReturnSequences: 2, temperature: 0.9, seed: 3n };
const PAD = 1;

/** A job of `rows` rows of one source; resolves with its hypotheses when it ends. */
function job(source: readonly number[], options: GenerateOptions, onStep: () => void = () => {}): { job: BatchJob; done: Promise<Hypothesis[]> } {
  const choose = chooser(options);
  const rows = Array.from({ length: options.numReturnSequences ?? 1 }, (_, j) => ({ source: 0, row: new DecodingRow(options, choose, j, () => '', null) }));
  let end!: (error?: Error) => void;
  const done = new Promise<Hypothesis[]>((resolve, reject) => {
    end = (error) => (error === undefined ? resolve(rows.map((r) => r.row.hypothesis())) : reject(error));
  });
  return { job: { sources: [source], rows, onStep, onEnd: (error) => end(error) }, done };
}

describe('continuous batch', () => {
  const configs: [string, AnyConfig, boolean][] = [
    ['alexatm (masked step: joins the running batch)', alexatmConfig({ vocabSize: 64, dModel: 16, encoderLayers: 1, decoderLayers: 1, encoderAttentionHeads: 2, decoderAttentionHeads: 2, encoderFfnDim: 32, decoderFfnDim: 32, maxPositionEmbeddings: 32, initStd: 0.5 }), true],
    ['t5 (its own decodeStep: waits for an empty batch)', t5Config({ vocabSize: 64, dModel: 16, dKv: 8, dFf: 32, numLayers: 1, numDecoderLayers: 1, numHeads: 2, padTokenId: PAD, eosTokenId: 2, decoderStartTokenId: 0, initializerFactor: 4 }), false],
  ];
  for (const [name, config, joins] of configs) {
    it(`${name}: every job gets generate()'s ids and scores; a cancelled job ends`, async () => {
      const params = initParams(config, 11n);
      const model = compileAnySeq2Seq(config);
      const engine = decodeEngine({ config, params, model, padId: PAD }, undefined);
      expect(engine.joinsRunningBatch).toBe(joins);
      const batch = new ContinuousBatch(engine);
      let steps = 0;
      const late = job(SOURCES[2]!, GREEDY);
      const cancelled = job(SOURCES[2]!, GREEDY);
      const first = job(SOURCES[0]!, GREEDY, () => {
        steps++;
        if (steps === 2) batch.cancel(cancelled.job);
        if (steps === 3) batch.add(late.job);
      });
      const sampled = job(SOURCES[1]!, SAMPLING);
      for (const j of [first, sampled, cancelled]) batch.add(j.job);
      const [a, b, c] = await Promise.all([first.done, sampled.done, late.done]);
      const stopped = await cancelled.done;
      expect(stopped[0]!.ids.length).toBe(2);
      expect(batch.rows).toBe(0);
      const alone = async (source: readonly number[], options: GenerateOptions) => (await generateWithModel(model, params, [source], { ...options, padId: PAD }))[0]!;
      const same = (actual: Hypothesis[], expected: Hypothesis[]) => {
        expect(actual.map((h) => [h.ids, h.eos])).toEqual(expected.map((h) => [h.ids, h.eos]));
        actual.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 4));
      };
      same(a, await alone(SOURCES[0]!, GREEDY));
      same(b, await alone(SOURCES[1]!, SAMPLING));
      same(c, await alone(SOURCES[2]!, GREEDY));
    });
  }
});
