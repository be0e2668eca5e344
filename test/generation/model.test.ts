// Decoding the compiled tiny AlexaTM model (random weights) through modelStep: a padded batch decodes
// like each source alone, ended rows leaving the batch change nothing, one beam is greedy, beam scores
// survive cache reordering (checked against full forward passes without the cache), and scoreTargets is
// the log-softmax of forward's logits.

import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import { beamSearch } from '../../src/generation/beam-search.js';
import { generate } from '../../src/generation/generate.js';
import { greedy } from '../../src/generation/greedy.js';
import { generateWithModel } from '../../src/generation/model-generate.js';
import { modelStep, type HostCache } from '../../src/generation/model-step.js';
import { scoreTargets } from '../../src/generation/score.js';
import type { Reorder, Step } from '../../src/generation/step.js';
import { compileAnySeq2Seq, type AnySeq2Seq } from '../../src/models/compiled.js';
import { initParams } from '../../src/models/init.js';
import { PRESETS } from '../../src/models/presets.js';

const config = PRESETS.tiny;
const PAD = config.padTokenId;
const EOS = config.eosTokenId;
const START = config.decoderStartTokenId ?? EOS;
const SOURCES = [
  [15, 260, 3001, 42, 7, 999, 18],
  [77, 5120, 64],
];

let model: AnySeq2Seq;
let params: object;

beforeAll(() => {
  model = compileAnySeq2Seq(config);
  params = initParams(config, 7n);
});

describe('generation with the compiled tiny model', () => {
  it('greedy on a padded batch of two equals each source alone', async () => {
    const options = { startId: START, eosId: EOS, maxNewTokens: 6, padId: PAD };
    const batch = await generateWithModel(model, params, SOURCES, options);
    const alone = await Promise.all(SOURCES.map((s) => generateWithModel(model, params, [s], options)));
    expect(batch.map((list) => list[0]!.ids)).toEqual(alone.map((r) => r[0]![0]!.ids));
    expect(batch[0]![0]!.ids).toHaveLength(6);
    expect(batch[0]![0]!.ids).not.toEqual(batch[1]![0]!.ids);
  });

  it('rows that end leave the batch (Select) with the ids and scores of the rectangular batch (|Δ| ≤ 1e-5)', async () => {
    const sources = [...SOURCES, [9, 10, 11, 12, 13]];
    const free = await modelStep(model, params, sources, PAD);
    const [first] = await greedy(free.step, free.cache, sources.length, { startId: START, eosId: EOS, maxNewTokens: 8 });
    const options = { startId: START, eosId: first![1]!, maxNewTokens: 8 }; // row 0 "ends" at its second token
    const rectangular = await modelStep(model, params, sources, PAD);
    const expected = await generate(rectangular.step, rectangular.cache, sources.length, options);
    const selecting = await modelStep(model, params, sources, PAD);
    const sizes: number[] = [];
    const counting: Step<HostCache> = (tokens, cache) => {
      sizes.push(tokens.length);
      return selecting.step(tokens, cache);
    };
    const results = await generate(counting, selecting.cache, sources.length, options, undefined, selecting.select);
    expect(results.map((list) => list[0]!.ids)).toEqual(expected.map((list) => list[0]!.ids));
    results.forEach((list, b) => expect(Math.abs(list[0]!.score - expected[b]![0]!.score)).toBeLessThanOrEqual(1e-5));
    expect(expected[0]![0]!.ids).toEqual([first![0]]);
    expect(sizes[0]).toBe(3);
    expect(sizes.at(-1)).toBeLessThan(3);
  });

  it('beam search with one beam equals greedy', async () => {
    const options = { startId: START, eosId: EOS, maxNewTokens: 6 };
    const plain = await modelStep(model, params, SOURCES, PAD);
    const expected = await greedy(plain.step, plain.cache, 2, options);
    const { step, cache, reorder } = await modelStep(model, params, SOURCES, PAD, 1);
    const beams = await beamSearch(step, cache, 2, { ...options, numBeams: 1 }, reorder);
    expect(beams.map((list) => list[0]!.ids)).toEqual(expected);
  });

  it('beam scores with the reordered cache equal full forward passes of each hypothesis (|Δ| ≤ 1e-4)', async () => {
    const numBeams = 3;
    const lengthPenalty = 1.5;
    const maxNewTokens = 5;
    const { step, cache, reorder } = await modelStep(model, params, SOURCES, PAD, numBeams);
    const moves: number[][] = [];
    const recording: Reorder<HostCache> = (c, indices) => {
      moves.push([...indices]);
      return reorder(c, indices);
    };
    const options = { startId: START, eosId: EOS, maxNewTokens, numBeams, numReturnSequences: numBeams, lengthPenalty };
    const results = await beamSearch(step, cache, SOURCES.length, options, recording);
    // The beams did change places.
    expect(moves.some((indices) => indices.some((source, row) => source !== row))).toBe(true);
    for (const [b, hypotheses] of results.entries()) {
      const targets = hypotheses.map((h) => (h.eos ? [...h.ids, EOS] : h.ids));
      const scores = await scoreTargets(model, params, targets.map(() => SOURCES[b]!), targets, { padId: PAD, decoderStartId: START });
      hypotheses.forEach((h, i) => expect(Math.abs(h.score - scores[i]!.sum / targets[i]!.length ** lengthPenalty)).toBeLessThanOrEqual(1e-4));
    }
  });

  it('scoreTargets is the sum (and mean) of log-softmax of forward’s logits at the targets', async () => {
    const targets = [[5, 6, 7], [900]];
    const scores = await scoreTargets(model, params, SOURCES, targets, { padId: PAD, decoderStartId: START });
    // By hand: one sequence at a time (no padding), log-softmax written out.
    for (const [b, target] of targets.entries()) {
      const source = SOURCES[b]!;
      const { logits } = await model.forward(params, {
        inputIds: NDArray.from('int32', [1, source.length], source),
        attentionMask: NDArray.from('int32', [1, source.length], source.map(() => 1)),
        decoderInputIds: NDArray.from('int32', [1, target.length], [START, ...target.slice(0, -1)]),
        labels: NDArray.from('int32', [1, target.length], target),
      });
      const V = logits.shape[2]!;
      let sum = 0;
      target.forEach((id, t) => {
        const row = Array.from((logits.data as Float32Array).subarray(t * V, (t + 1) * V));
        const max = Math.max(...row);
        const logZ = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
        sum += row[id]! - logZ;
      });
      expect(scores[b]!.sum).toBeCloseTo(sum, 4);
      expect(scores[b]!.mean).toBeCloseTo(sum / target.length, 4);
    }
    await expect(scoreTargets(model, params, SOURCES, [[5], []], { padId: PAD, decoderStartId: START })).rejects.toThrow(RangeError);
  });
});
