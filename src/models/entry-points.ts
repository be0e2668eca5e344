// The four entry points (encode, forward, initCache, decodeStep) of an encoder-decoder family whose
// decoder runs on (tokens, cross-attention keys/values, encoder padding mask, self-attention cache):
// the BART family and AlexaTM. A family supplies its encoder and decoder passes; the rest is shared.

import { zeros } from '../core/constructors.js';
import type { Tensor } from '../core/tensor.js';
import type { KeyValue } from '../nn/layers/attention.js';
import { dropoutSites, type Dropout } from '../nn/layers/dropout-sites.js';
import { crossEntropy } from '../nn/losses.js';
import type { DecoderCache, ForwardOptions, ForwardResult, Seq2SeqBatch } from './seq2seq.js';

/** A batch whose decoder inputs may be left out: they are then shifted from the labels. */
export type LabelledBatch<T = Tensor> = Omit<Seq2SeqBatch<T>, 'decoderInputIds'> & { decoderInputIds?: T };

export interface DecoderFamily<P, C> {
  /** Encoder output (B, S, D) for inputIds (B, S) and attentionMask (B, S). */
  encodeWith(params: P, inputIds: Tensor, attentionMask: Tensor, config: C, drop: Dropout): Tensor;
  /** Logits (B, T, V) for tokens (B, T) after `past` (none: a full teacher-forced pass), and the grown cache. */
  decodeWith(
    params: P,
    tokens: Tensor,
    cross: readonly KeyValue[],
    attentionMask: Tensor,
    past: readonly KeyValue[] | undefined,
    config: C,
    drop: Dropout,
  ): { logits: Tensor; presents: KeyValue[] };
  /** Each decoder layer's cross-attention keys/values of the encoder output (B, S, D): (B, H, S, Dh). */
  crossKeyValues(params: P, encoderStates: Tensor, config: C): KeyValue[];
  /** Decoder inputs (B, T) built from labels (B, T) when a batch has none. */
  decoderInputsFromLabels(labels: Tensor, config: C): Tensor;
  /** Decoder layers, heads and head size, for the empty self-attention cache. */
  cacheShape(config: C): { layers: number; heads: number; headDim: number };
}

export interface EntryPoints<P, C> {
  /** The encoder's output (B, S, D) for inputIds (B, S) with attentionMask (B, S). */
  encode(params: P, inputIds: Tensor, attentionMask: Tensor, config: C): Tensor;
  /** Teacher-forced logits (B, T, V) and the (label-smoothed, weighted) cross-entropy of the labels. */
  forward(params: P, batch: LabelledBatch, config: C, options?: ForwardOptions): ForwardResult;
  /** The cache before the first step: cross-attention keys/values of encoderStates (B, S, D), no past. */
  initCache(params: P, encoderStates: Tensor, config: C): DecoderCache;
  /**
   * The next logits for tokens (B, 1) — or (B, T) to feed several at once — after the cached positions:
   * logits (B, T, V) and the cache grown by T positions (cross-attention keys/values passed through).
   */
  decodeStep(params: P, tokens: Tensor, attentionMask: Tensor, cache: DecoderCache, config: C): { logits: Tensor; cache: DecoderCache };
}

export function entryPoints<P, C>(family: DecoderFamily<P, C>): EntryPoints<P, C> {
  const noDropout = () => dropoutSites(undefined);
  return {
    encode: (params, inputIds, attentionMask, config) => family.encodeWith(params, inputIds, attentionMask, config, noDropout()),
    forward: (params, batch, config, options = {}) => {
      const drop = dropoutSites(options.key);
      const states = family.encodeWith(params, batch.inputIds, batch.attentionMask, config, drop); // (B, S, D)
      const cross = family.crossKeyValues(params, states, config);
      const decoderInputIds = batch.decoderInputIds ?? family.decoderInputsFromLabels(batch.labels, config); // (B, T)
      const { logits } = family.decodeWith(params, decoderInputIds, cross, batch.attentionMask, undefined, config, drop); // (B, T, V)
      const loss = crossEntropy(logits, batch.labels, {
        labelSmoothing: options.labelSmoothing ?? 0,
        ...(batch.weights ? { weights: batch.weights } : {}),
      });
      return { logits, loss };
    },
    initCache: (params, encoderStates, config) => {
      const { layers, heads, headDim } = family.cacheShape(config);
      const B = encoderStates.shape[0]!;
      const empty = () => ({ key: zeros([B, heads, 0, headDim]), value: zeros([B, heads, 0, headDim]) }); // (B, H, 0, Dh)
      return { self: Array.from({ length: layers }, empty), cross: family.crossKeyValues(params, encoderStates, config) };
    },
    decodeStep: (params, tokens, attentionMask, cache, config) => {
      const { logits, presents } = family.decodeWith(params, tokens, cache.cross, attentionMask, cache.self, config, noDropout());
      return { logits, cache: { self: presents, cross: cache.cross } };
    },
  };
}
