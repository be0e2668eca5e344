// generate() wires the options to the processors for every search, on the toy decoder.

import { describe, expect, it } from 'vitest';
import { generate, rowsPerSource, type GenerateOptions } from '../../src/generation/generate.js';
import { argmax } from '../../src/generation/greedy.js';
import { completed, tokenSearch, type ChooseToken } from '../../src/generation/token-search.js';
import { A, B, C, EOS, START, table, toy, type Table } from './toy.js';

// Greedy: a, a, eos. Every prefix but the empty one and a prefers eos.
const PROBABILITIES = table(
  {
    '': [0.01, 0.05, 0.5, 0.4, 0.04],
    [`${A}`]: [0.01, 0.1, 0.35, 0.3, 0.24],
  },
  [0.01, 0.6, 0.2, 0.1, 0.09],
);

async function firstIds(options: Omit<GenerateOptions, 'startId' | 'eosId' | 'maxNewTokens'>): Promise<number[]> {
  const model = toy(PROBABILITIES);
  const results = await generate(model.step, model.cache(rowsPerSource(options)), 1, { startId: START, eosId: EOS, maxNewTokens: 6, ...options }, model.reorder);
  return results[0]![0]!.ids;
}

describe('generate options', () => {
  it('greedy by default; a banned sequence bans its last token only after the rest of it', async () => {
    expect(await firstIds({})).toEqual([A, A]);
    expect(await firstIds({ bannedIds: [[A, A]] })).toEqual([A, B]);
  });

  for (const search of [{}, { numBeams: 3 }] as const) {
    const name = 'numBeams' in search ? 'beam search' : 'greedy';
    it(`${name}: forcedFirstToken, minNewTokens, bannedIds, repetitionPenalty and noRepeatNgramSize take effect`, async () => {
      expect((await firstIds({ ...search, forcedFirstToken: C }))[0]).toBe(C);
      expect((await firstIds({ ...search, minNewTokens: 4 })).length).toBeGreaterThanOrEqual(4);
      expect(await firstIds({ ...search, bannedIds: [[A]] })).not.toContain(A);
      const withoutAA = await firstIds({ ...search, bannedIds: [[A, A]] });
      expect(withoutAA.some((id, t) => id === A && withoutAA[t + 1] === A)).toBe(false);
      const penalised = await firstIds({ ...search, repetitionPenalty: 10, minNewTokens: 3 });
      expect(new Set(penalised).size).toBe(penalised.length);
      const noRepeat = await firstIds({ ...search, noRepeatNgramSize: 1, minNewTokens: 3 });
      expect(new Set(noRepeat).size).toBe(noRepeat.length);
    });
  }

  it('rows per source: numBeams for beams, numReturnSequences for samples, else one', () => {
    expect(rowsPerSource({})).toBe(1);
    expect(rowsPerSource({ numBeams: 4, numReturnSequences: 2 })).toBe(4);
    expect(rowsPerSource({ doSample: true, numReturnSequences: 3 })).toBe(3);
    expect(() => rowsPerSource({ numBeams: 0 })).toThrow(RangeError);
  });

  it('the sequences of a batch end independently, each as it would alone', async () => {
    // Row 0 prefers eos after one token; row 1 decodes a, a, eos.
    const endsEarly = table({ '': [0.01, 0.05, 0.2, 0.7, 0.04] }, [0.01, 0.9, 0.03, 0.03, 0.03]);
    const rows: Table = (prefix, row) => (row === 0 ? endsEarly : PROBABILITIES)(prefix, row);
    const options = { startId: START, eosId: EOS, maxNewTokens: 6 };
    const model = toy(rows);
    const results = await generate(model.step, model.cache(2), 2, options);
    expect(results.map((list) => list[0]!.ids)).toEqual([[B], [A, A]]);
    for (const [row, probabilities] of [endsEarly, PROBABILITIES].entries()) {
      const alone = toy(probabilities);
      expect(await generate(alone.step, alone.cache(1), 1, options)).toEqual([results[row]]);
    }
    expect(model.batchSizes()).toEqual([2, 2, 2]); // without a Select the batch stays rectangular
  });

  it('with a Select, ended rows leave the batch and every row gets the same tokens and scores', async () => {
    // Row 0 ends after one token, row 1 after two (a, a, eos), row 2 after three.
    const endsAfter = (n: number) => (prefix: readonly number[]) => (prefix.length < n ? [0.01, 0.01, 0.9, 0.04, 0.04] : [0.01, 0.9, 0.03, 0.03, 0.03]);
    const rows: Table = (prefix, row) => (row === 1 ? PROBABILITIES(prefix, row) : endsAfter(row === 0 ? 1 : 3)(prefix));
    const options = { startId: START, eosId: EOS, maxNewTokens: 6 };
    const rectangular = toy(rows);
    const expected = await generate(rectangular.step, rectangular.cache(3), 3, options);
    const selecting = toy(rows);
    expect(await generate(selecting.step, selecting.cache(3), 3, options, undefined, selecting.select)).toEqual(expected);
    expect(expected.map((list) => list[0]!.ids)).toEqual([[A], [A, A], [A, A, A]]);
    expect(rectangular.batchSizes()).toEqual([3, 3, 3, 3]);
    expect(selecting.batchSizes()).toEqual([3, 3, 2, 1]); // row 0 takes eos at the second step
    const sampled = { ...options, doSample: true, seed: 4n };
    const a = toy(rows);
    const b = toy(rows);
    expect(await generate(a.step, a.cache(3), 3, sampled, undefined, a.select)).toEqual(await generate(b.step, b.cache(3), 3, sampled));
    // The token chooser (a sampler's stream) is told the sequence, not its place in the shrunken batch.
    const seen: number[] = [];
    const recording: ChooseToken = (logProbs, row) => {
      seen.push(row);
      return argmax(logProbs);
    };
    const c = toy(rows);
    await completed(tokenSearch(c.step, c.cache(3), 3, options, recording, c.select));
    expect(seen).toEqual([0, 1, 2, 0, 1, 2, 1, 2, 2]);
  });
});
