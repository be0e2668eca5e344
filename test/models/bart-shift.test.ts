// Decoder inputs built from the labels as transformers builds them (bart/shift.ts): BART's and M2M100's
// shift_tokens_right puts decoder_start_token_id first; mBART's rotates each row's last non-pad token
// (the language code) to the front. Ids pinned by hand from modeling_bart.py / modeling_mbart.py.

import { describe, expect, it } from 'vitest';
import { compile } from '../../src/backend/compile.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import * as bart from '../../src/models/bart/model.js';
import { decoderInputsFromLabels, mbartShiftTokensRight, shiftTokensRight } from '../../src/models/bart/shift.js';
import type { BartConfig } from '../../src/models/config/bart.js';
import { initParams } from '../../src/models/init.js';
import { tinyConfig } from './seq2seq-helpers.js';

const ints = (rows: number[][]) => NDArray.from('int32', [rows.length, rows[0]!.length], rows.flat());
const rows = (a: NDArray) => {
  const [B, T] = a.shape as [number, number];
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => a.get(b * T + t)));
};

describe('mBART shift_tokens_right (pad 1): the last non-pad token first, then labels[:, :-1], -100 → pad', () => {
  const shift = compile((labels: Tensor) => mbartShiftTokensRight(labels, 1));

  it('pins the ids of a padded batch (padding as -100 and as pad)', async () => {
    const labels = ints([
      [47, 48, 2, 250004, 1], // X </s> en_XX, padded with pad
      [49, 2, 250020, -100, -100], // padded with -100
      [3, 4, 5, 2, 250001], // no padding
    ]);
    expect(rows(await shift(labels))).toEqual([
      [250004, 47, 48, 2, 250004],
      [250020, 49, 2, 250020, 1],
      [250001, 3, 4, 5, 2],
    ]);
  });

  it('int64 labels too', async () => {
    const labels = NDArray.from('int64', [1, 3], [7n, 2n, 250004n]);
    expect((await shift(labels)).toNumbers()).toEqual([250004, 7, 2]);
  });
});

describe('BART / M2M100 shift_tokens_right: decoder_start_token_id first, -100 → pad', () => {
  it('pins the ids', async () => {
    const shift = compile((labels: Tensor) => shiftTokensRight(labels, 1, 2));
    expect(rows(await shift(ints([[5, 6, 2, -100], [7, 2, -100, -100]])))).toEqual([
      [2, 5, 6, 2],
      [2, 7, 2, 1],
    ]);
  });
});

describe.each([
  ['mbart', [[5, 6, 2, 20], [7, 2, 21, -100]], [[20, 5, 6, 2], [21, 7, 2, 21]]],
  ['bart', [[5, 6, 2, 20], [7, 2, 21, -100]], [[2, 5, 6, 2], [2, 7, 2, 21]]],
] as const)('%s forward without decoderInputIds', (variant, labelRows, expected) => {
  const config = tinyConfig(variant) as BartConfig;
  const labels = ints(labelRows.map((r) => [...r]));

  it('builds them from the labels as transformers does', async () => {
    expect(config.padTokenId).toBe(1);
    const built = await compile((l: Tensor) => decoderInputsFromLabels(l, config))(labels);
    expect(rows(built)).toEqual(expected.map((r) => [...r]));
  });

  it('gives the logits of forward with those decoderInputIds', async () => {
    const params = initParams(config, 3n);
    const batch = { inputIds: ints([[3, 4, 5, 2], [6, 7, 2, 1]]), attentionMask: ints([[1, 1, 1, 1], [1, 1, 1, 0]]), labels };
    const run = compile((p: bart.BartParams, b: bart.BartBatch) => bart.forward(p, b, config).logits);
    const implicit = await run(params, batch);
    const explicit = await run(params, { ...batch, decoderInputIds: ints(expected.map((r) => [...r])) });
    expect([...implicit.data]).toEqual([...explicit.data]);
  });
});
