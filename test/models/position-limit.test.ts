// Inputs longer than the learned position table (max_position_embeddings) are refused on the host, before
// ONNX Runtime runs, with an error naming the length, the limit and the config field; sinusoidal positions
// (M2M100/NLLB) have no table and no limit.

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import type { DecoderCache } from '../../src/models/seq2seq.js';
import { compileModel, randomParams, tinyConfig, type Variant } from './seq2seq-helpers.js';

const ids = (B: number, T: number, value = 5) => NDArray.from('int32', [B, T], new Array<number>(B * T).fill(value));
const LIMIT = 12; // the tiny configs' max_position_embeddings

/** A cache of `past` self-attention positions (zeros) over an encoder output of length S. */
function cacheOf(variant: Variant, past: number, S: number): DecoderCache<NDArray> {
  const config = tinyConfig(variant);
  const H = config.decoderAttentionHeads;
  const Dh = config.dModel / H;
  const kv = (len: number) => ({ key: NDArray.zeros('float32', [1, H, len, Dh]), value: NDArray.zeros('float32', [1, H, len, Dh]) });
  return { self: Array.from({ length: config.decoderLayers }, () => kv(past)), cross: Array.from({ length: config.decoderLayers }, () => kv(S)) };
}

describe.each(['bart', 'alexatm'] as const)('learned positions: %s', (variant) => {
  const config = tinyConfig(variant);
  const params = randomParams(config, 1n);
  const m = compileModel(config);

  it('an encoder input one longer than max_position_embeddings is a RangeError naming length, limit and field', async () => {
    expect(config.maxPositionEmbeddings).toBe(LIMIT);
    await expect(m.encode(params, ids(1, LIMIT + 1), ids(1, LIMIT + 1, 1))).rejects.toThrow(RangeError);
    await expect(m.encode(params, ids(1, LIMIT + 1), ids(1, LIMIT + 1, 1))).rejects.toThrow(/encode: the input is 13 positions long .* at most 12 \(max_position_embeddings = 12\)/);
    const states = await m.encode(params, ids(1, LIMIT), ids(1, LIMIT, 1));
    expect(states.shape).toEqual([1, LIMIT, config.dModel]);
  });

  it('forward checks both the encoder and the decoder input', async () => {
    const batch = (S: number, T: number) => ({ inputIds: ids(1, S), attentionMask: ids(1, S, 1), decoderInputIds: ids(1, T), labels: ids(1, T), weights: NDArray.from('float32', [1, T], new Array<number>(T).fill(1)) });
    await expect(m.forward(params, batch(LIMIT + 2, 3))).rejects.toThrow(/forward: the encoder input \(inputIds\) is 14 positions long .*max_position_embeddings = 12/);
    await expect(m.forward(params, batch(3, LIMIT + 1))).rejects.toThrow(/forward: the decoder input \(decoderInputIds\) is 13 positions long .*max_position_embeddings = 12/);
    const out = await m.forward(params, batch(LIMIT, LIMIT));
    expect(out.logits.shape).toEqual([1, LIMIT, config.vocabSize]);
  });

  it('decodeStep counts the cached positions plus the new token', async () => {
    const ok = await m.decodeStep(params, ids(1, 1), ids(1, 4, 1), cacheOf(variant, LIMIT - 1, 4));
    expect(ok.logits.shape).toEqual([1, 1, config.vocabSize]);
    await expect(m.decodeStep(params, ids(1, 1), ids(1, 4, 1), cacheOf(variant, LIMIT, 4))).rejects.toThrow(
      /decodeStep: the decoder sequence \(12 cached \+ 1 new tokens\) is 13 positions long .*max_position_embeddings = 12/,
    );
  });
});

describe('sinusoidal positions (m2m100) have no table to overrun', () => {
  it('an encoder input past max_position_embeddings runs', async () => {
    const config = tinyConfig('m2m100');
    const m = compileModel(config);
    const states = await m.encode(randomParams(config, 1n), ids(1, LIMIT + 4), ids(1, LIMIT + 4, 1));
    expect(states.shape).toEqual([1, LIMIT + 4, config.dModel]);
  });
});
