// Token and learned absolute position embeddings. Positions are numbered from the start of the
// sequence, continuing after `past` cached positions when decoding step by step, and shifted by an
// `offset` into the table (BART/mBART/AlexaTM decoders: 2, fairseq's padding_idx + 1; BERT-style: 0).

import { arange } from '../../core/constructors.js';
import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';

/** nn.Embedding's table, (rows, D). */
export interface EmbeddingParams<T = Tensor> {
  weight: T;
}

/** ids (...) int → (..., D): rows of the table. */
export function embed(p: EmbeddingParams, ids: Tensor): Tensor {
  return p.weight.gather(ids, 0); // (..., D)
}

/**
 * Table rows past + offset, …, past + offset + T − 1 for a sequence of T tokens (axis `axis` of
 * `tokens`); `past` is the number of cached positions (a number, or an int64 scalar such as
 * `ops.dimSize(cache, 2)`). Returns (T,) int64.
 */
export function positionIds(tokens: Tensor, past: Tensor | number = 0, offset = 0, axis = 1): Tensor {
  const T = tokens.shape[ops.normalizeAxis('positionIds', axis, tokens.rank)]!;
  const start = typeof past === 'number' ? past + offset : past.cast('int64').add(offset);
  return arange(T, 'int64').add(start); // (T)
}

/** Learned absolute positions for tokens (B, T): (T, D), to add to the token embeddings. */
export function learnedPositions(p: EmbeddingParams, tokens: Tensor, past: Tensor | number = 0, offset = 0): Tensor {
  return embed(p, positionIds(tokens, past, offset)); // (T, D)
}
