// Beam search on the toy decoder: the best sequence by exhaustive enumeration, n-best lists, one beam as
// greedy, and Hugging Face's three earlyStopping rules on tables where they part ways.

import { describe, expect, it } from 'vitest';
import { beamSearch, type BeamSearchOptions, type EarlyStopping } from '../../src/generation/beam-search.js';
import { generate } from '../../src/generation/generate.js';
import { greedy } from '../../src/generation/greedy.js';
import type { Hypothesis } from '../../src/generation/hypothesis.js';
import { seededRandom } from '../helpers/arrays.js';
import { A, B, C, EOS, START, VOCAB, logProbability, table, toy, type Table } from './toy.js';

/** Every sequence search can return within maxNewTokens: non-eos tokens then eos, or maxNewTokens non-eos tokens. */
function allSequences(maxNewTokens: number): Hypothesis[] {
  const tokens = [START, A, B, C];
  const out: Hypothesis[] = [];
  const extend = (prefix: number[]): void => {
    if (prefix.length < maxNewTokens) out.push({ ids: prefix, eos: true, score: 0 });
    else return void out.push({ ids: prefix, eos: false, score: 0 });
    for (const t of tokens) extend([...prefix, t]);
  };
  extend([]);
  return out;
}

/** The score beam search gives a sequence: Σ log p / length^α, the length counting the eos. */
function sequenceScore(probabilities: Table, h: Pick<Hypothesis, 'ids' | 'eos'>, lengthPenalty: number): number {
  const sequence = h.eos ? [...h.ids, EOS] : h.ids;
  return logProbability(probabilities, sequence) / sequence.length ** lengthPenalty;
}

function exhaustiveBest(probabilities: Table, maxNewTokens: number, lengthPenalty: number): Hypothesis {
  return allSequences(maxNewTokens)
    .map((h) => ({ ...h, score: sequenceScore(probabilities, h, lengthPenalty) }))
    .reduce((best, h) => (h.score > best.score ? h : best));
}

/** Deterministic random next-token probabilities per prefix (eos's weight scaled by `eosScale`). */
function randomTable(seed: number, eosScale = 1): Table {
  return (prefix) => {
    const rand = seededRandom(seed * 7919 + prefix.reduce((h, t) => h * 31 + t + 1, 17));
    const weights = Array.from({ length: VOCAB }, (_, token) => (0.05 + rand()) * (token === EOS ? eosScale : 1));
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / total);
  };
}

async function search(probabilities: Table, batch: number, options: Omit<BeamSearchOptions, 'startId' | 'eosId'>): Promise<Hypothesis[][]> {
  const model = toy(probabilities);
  return beamSearch(model.step, model.cache(batch * options.numBeams), batch, { startId: START, eosId: EOS, ...options }, model.reorder);
}

// Greedy takes a (0.5) and ends a-a-eos; b (0.4) is followed by eos with 0.9, so b-eos scores best.
const AHEAD = table(
  {
    '': [0.01, 0.05, 0.5, 0.4, 0.04],
    [`${A}`]: [0.01, 0.1, 0.35, 0.3, 0.24],
    [`${B}`]: [0.01, 0.9, 0.03, 0.03, 0.03],
  },
  [0.01, 0.6, 0.2, 0.1, 0.09],
);

describe('beam search', () => {
  it('finds the exhaustive best where greedy does not, for several numBeams', async () => {
    const best = exhaustiveBest(AHEAD, 3, 1);
    expect(best.ids).toEqual([B]);
    expect(best.eos).toBe(true);
    const model = toy(AHEAD);
    expect(await greedy(model.step, model.cache(1), 1, { startId: START, eosId: EOS, maxNewTokens: 3 })).toEqual([[A, A]]);
    for (const numBeams of [2, 3, 4]) {
      for (const earlyStopping of [false, true, 'never'] as const) {
        const [[top]] = (await search(AHEAD, 1, { numBeams, maxNewTokens: 3, earlyStopping })) as [[Hypothesis]];
        expect(top.ids).toEqual(best.ids);
        expect(top.score).toBeCloseTo(best.score, 5);
      }
    }
  });

  it('with beams wide enough to keep every prefix, equals exhaustive enumeration on random tables and length penalties', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const probabilities = randomTable(seed);
      for (const lengthPenalty of [0, 1, 2, -1]) {
        const best = exhaustiveBest(probabilities, 3, lengthPenalty);
        const [[top]] = (await search(probabilities, 1, { numBeams: 16, maxNewTokens: 3, lengthPenalty, earlyStopping: 'never' })) as [[Hypothesis]];
        expect({ ids: top.ids, eos: top.eos }).toEqual({ ids: best.ids, eos: best.eos });
        expect(top.score).toBeCloseTo(best.score, 5);
      }
    }
  });

  it('returns the n-best ordered by score, each scored Σ log p / length^α, independently per source of a batch', async () => {
    for (const lengthPenalty of [1, 0.5]) {
      const results = await search(AHEAD, 2, { numBeams: 3, numReturnSequences: 3, maxNewTokens: 4, lengthPenalty });
      expect(results).toHaveLength(2);
      expect(results[1]).toEqual(results[0]);
      const nBest = results[0]!;
      expect(nBest).toHaveLength(3);
      expect(nBest[0]!.ids).toEqual([B]);
      for (let i = 1; i < nBest.length; i++) expect(nBest[i]!.score).toBeLessThanOrEqual(nBest[i - 1]!.score);
      for (const h of nBest) expect(h.score).toBeCloseTo(sequenceScore(AHEAD, h, lengthPenalty), 5);
      expect(new Set(nBest.map((h) => `${h.ids.join(',')}${h.eos}`)).size).toBe(3);
    }
  });

  it('reads the raw logits when there are no processors and gives exactly the scores of the log-softmax path', async () => {
    const identity = (): void => {};
    for (const seed of [21, 22, 23]) {
      const options = { numBeams: 3, numReturnSequences: 3, maxNewTokens: 5, lengthPenalty: 0.7 };
      const raw = await search(randomTable(seed), 2, options);
      const processed = await search(randomTable(seed), 2, { ...options, processors: [identity] });
      expect(raw).toEqual(processed);
    }
  });

  it('with one beam equals greedy (the default earlyStopping)', async () => {
    for (const probabilities of [AHEAD, randomTable(11), randomTable(12), randomTable(13)]) {
      const model = toy(probabilities);
      const expected = await greedy(model.step, model.cache(1), 1, { startId: START, eosId: EOS, maxNewTokens: 6 });
      const [[top]] = (await search(probabilities, 1, { numBeams: 1, maxNewTokens: 6 })) as [[Hypothesis]];
      expect(top.ids).toEqual(expected[0]);
    }
  });

  it('an eos ranked below the numBeams best candidates finishes nothing, as in Hugging Face', async () => {
    // Step 2 ranks a-eos (0.25), a-c (0.225), b-eos (0.2025), b-c (0.18): b-eos is third of two beams, so
    // it is dropped; the second hypothesis is a-c-eos (0.0675 → −0.898), not b-eos (−0.798).
    const probabilities = table(
      {
        '': [0.01, 0.03, 0.5, 0.45, 0.01],
        [`${A}`]: [0.02, 0.5, 0.01, 0.02, 0.45],
        [`${B}`]: [0.05, 0.45, 0.05, 0.05, 0.4],
      },
      [0.175, 0.3, 0.175, 0.175, 0.175],
    );
    const [nBest] = await search(probabilities, 1, { numBeams: 2, numReturnSequences: 2, maxNewTokens: 3 });
    expect(nBest!.map((h) => h.ids)).toEqual([[A], [A, C]]);
    expect(nBest!.map((h) => h.score)).toEqual([Math.log(0.25) / 2, Math.log(0.5 * 0.45 * 0.3) / 3].map((x) => expect.closeTo(x, 5)));
  });

  it('reorders the cache: without it the beams read other prefixes’ distributions and the scores go wrong', async () => {
    const probabilities = randomTable(21, 0.1);
    const options = { startId: START, eosId: EOS, maxNewTokens: 4, numBeams: 3, numReturnSequences: 3 };
    const correct = await search(probabilities, 1, options);
    for (const h of correct[0]!) expect(h.score).toBeCloseTo(sequenceScore(probabilities, h, 1), 5);
    const model = toy(probabilities);
    const broken = await beamSearch(model.step, model.cache(3), 1, options, (cache) => cache);
    expect(broken[0]!.some((h) => Math.abs(h.score - sequenceScore(probabilities, h, 1)) > 1e-3)).toBe(true);
  });

  it('generate() routes numBeams > 1 to beam search and requires a Reorder for it', async () => {
    const model = toy(AHEAD);
    const options = { startId: START, eosId: EOS, maxNewTokens: 3, numBeams: 2 };
    const [[top]] = (await generate(model.step, model.cache(2), 1, options, model.reorder)) as [[Hypothesis]];
    expect(top.ids).toEqual([B]);
    await expect(generate(model.step, model.cache(2), 1, options)).rejects.toThrow(/Reorder/);
    await expect(generate(model.step, model.cache(2), 1, { ...options, numReturnSequences: 3 }, model.reorder)).rejects.toThrow(RangeError);
  });

  describe('earlyStopping', () => {
    const run = async (probabilities: Table, earlyStopping: EarlyStopping, maxNewTokens: number) => {
      const model = toy(probabilities);
      const [[top]] = (await beamSearch(model.step, model.cache(2), 1, { startId: START, eosId: EOS, maxNewTokens, numBeams: 2, earlyStopping }, model.reorder)) as [[Hypothesis]];
      return { ids: top.ids, eos: top.eos, score: top.score, steps: model.calls() };
    };

    it('true stops at numBeams finished hypotheses; false and "never" go on to a better one', async () => {
      // Step 1: eos (0.5) finishes [] (log 0.5 = −0.693); beams a (0.3), b (0.198).
      // Step 2: a-eos (0.27) finishes with −1.309/2 = −0.655: two hypotheses, so true stops with a-eos.
      //   false: the worst (−0.693) < the best candidate −1.309/2, so it goes on; beams b-c (0.178), …
      // Step 3: b-c-eos (0.160) finishes with −1.830/3 = −0.610, the best.
      const probabilities = table(
        {
          '': [0.001, 0.5, 0.3, 0.198, 0.001],
          [`${A}`]: [0.025, 0.9, 0.025, 0.025, 0.025],
          [`${B}`]: [0.025, 0.025, 0.025, 0.025, 0.9],
          [`${B},${C}`]: [0.025, 0.9, 0.025, 0.025, 0.025],
        },
        [0.125, 0.5, 0.125, 0.125, 0.125],
      );
      const stopped = await run(probabilities, true, 3);
      expect(stopped).toMatchObject({ ids: [A], eos: true, steps: 2 });
      expect(stopped.score).toBeCloseTo(Math.log(0.5 * 0.9 * 0.6) / 2, 5);
      for (const rule of [false, 'never'] as const) {
        const result = await run(probabilities, rule, 3);
        expect(result).toMatchObject({ ids: [B, C], eos: true, steps: 3 });
        expect(result.score).toBeCloseTo(Math.log(0.198 * 0.9 * 0.9) / 3, 5);
      }
    });

    it('false stops when the best candidate at the current length cannot beat the worst hypothesis; "never" bounds with maxNewTokens', async () => {
      // Step 1: eos (0.6) finishes [] with log 0.6 = −0.511; beams a (0.39), c.
      // Step 2: a-eos (0.195) is the best candidate and finishes with −1.635/2 = −0.817, the worst of two:
      //   false (and true) stop; "never" bounds future scores by −1.635/4 = −0.409 and goes on.
      // Steps 3–4: a-a (0.99) then eos (0.99): a-a-a-eos scores log(0.187)/4 = −0.419, the best.
      const probabilities = table(
        {
          '': [0.0033, 0.6, 0.39, 0.0033, 0.0034],
          [`${A}`]: [0.0025, 0.5, 0.49, 0.0025, 0.005],
          [`${A},${A}`]: [0.0025, 0.0025, 0.99, 0.0025, 0.0025],
          [`${A},${A},${A}`]: [0.0025, 0.99, 0.0025, 0.0025, 0.0025],
        },
        [0.125, 0.5, 0.125, 0.125, 0.125],
      );
      for (const rule of [false, true] as const) expect(await run(probabilities, rule, 4)).toMatchObject({ ids: [], eos: true, steps: 2 });
      const canonical = await run(probabilities, 'never', 4);
      expect(canonical).toMatchObject({ ids: [A, A, A], eos: true, steps: 4 });
      expect(canonical.score).toBeCloseTo(exhaustiveBest(probabilities, 4, 1).score, 5);
    });
  });
});
