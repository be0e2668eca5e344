// T5 — v1.0, v1.1, mT5 and Flan-T5 as one implementation; the variants are config options (Raffel et al.
// 2020, "Exploring the Limits of Transfer Learning…"; transformers' modeling_t5.py). Pre-norm blocks with
// T5's RMS LayerNorm (no mean, no bias, variance in float32), bias-free linears ([out, in]), attention
// without 1/√d scaling plus a relative position bias that block 0 of each stack owns and every block
// reuses, a relu (v1.0) or gated tanh-GELU (v1.1+) feed-forward; a tied head scales the decoder output by
// d_model^-0.5 first. Entry points as seq2seq.ts: forward (teacher-forced), encode, initCache, decodeStep.

import type { TensorSpec } from '../../backend/compile.js';
import { zeros } from '../../core/constructors.js';
import { dimAdd } from '../../core/dim.js';
import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';
import type { Tree } from '../../core/tree.js';
import {
  crossAttention,
  dropoutSites,
  feedForward,
  gatedFeedForward,
  linear,
  projectKeyValue,
  selfAttention,
  type KeyValue,
} from '../../nn/layers/index.js';
import { crossEntropy } from '../../nn/losses.js';
import type { T5Config } from '../config/t5.js';
import { entryPointSpecs } from '../seq2seq.js';
import type { DecoderCache, EntryPointSpecs, ForwardOptions, ForwardResult, Seq2SeqBatch, SpecOptions } from '../seq2seq.js';
import { t5ParamSpecs, type T5AttentionParams, type T5DenseParams, type T5Params, type Weight } from './params.js';
import { shiftTokensRight } from '../bart/shift.js';
import { relativePositionBias } from './relative-position.js';

/**
 * A teacher-forced batch (seq2seq.ts's, padded): decoderInputIds may be left out — then they are the
 * labels shifted right behind decoder_start_token_id, -100 → pad, as transformers' T5 builds them — and
 * decoderAttentionMask (B, T) masks padded decoder keys (default none: causal only, as transformers).
 */
export type T5Batch<T = Tensor> = Omit<Seq2SeqBatch<T>, 'decoderInputIds'> & { decoderInputIds?: T; decoderAttentionMask?: T };

type Drop = (x: Tensor) => Tensor;

/** Dropout at config.dropoutRate, one derived key per call site; the identity without a key (evaluation). */
function dropper(config: T5Config, key: Tensor | undefined): Drop {
  const sites = dropoutSites(key);
  return (x) => sites(x, config.dropoutRate);
}

/** T5LayerNorm: x / sqrt(mean(x²) + eps) · weight — no mean subtraction, no bias; statistics in float32. */
function layerNorm(x: Tensor, p: Weight<Tensor>, config: T5Config): Tensor {
  const h = x.cast('float32'); // (B, T, D)
  const variance = h.square().mean(-1, true); // (B, T, 1)
  return h.mul(variance.add(config.layerNormEpsilon).rsqrt()).cast(p.weight.dtype).mul(p.weight); // (B, T, D)
}

/** A (B, T) padding mask (nonzero or true = real token) → (B, 1, 1, T) bool. */
function keyPaddingMask(mask: Tensor): Tensor {
  const valid = mask.dtype === 'bool' ? mask : mask.ne(0); // (B, T)
  return valid.unsqueeze(1).unsqueeze(1); // (B, 1, 1, T)
}

/** The feed-forward: wo(relu(wi·x)) for v1.0, wo(gelu_new(wi_0·x) ⊙ wi_1·x) for gated-gelu. */
function denseReluDense(x: Tensor, p: T5DenseParams<Tensor>, drop: Drop): Tensor {
  if ('wi' in p) return feedForward(x, p.wi, p.wo, 'relu', drop); // (B, T, D)
  return gatedFeedForward(x, p.wi_0, p.wi_1, p.wo, 'gelu_new', drop); // (B, T, D)
}

/** Block 0's relative_attention_bias table (num_buckets, H) of a stack. */
function biasTable(attention: T5AttentionParams<Tensor> | undefined, stack: string): Tensor {
  const table = attention?.relative_attention_bias?.weight;
  if (!table) throw new TypeError(`T5 ${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight is missing; block 0 owns the relative position bias`);
  return table;
}

/** The encoder: (B, S) tokens and padding mask → (B, S, D) states after the final norm. */
export function encode(params: T5Params<Tensor>, inputIds: Tensor, attentionMask: Tensor, config: T5Config): Tensor {
  return runEncoder(params, inputIds, attentionMask, config, (x) => x);
}

function runEncoder(params: T5Params<Tensor>, inputIds: Tensor, attentionMask: Tensor, config: T5Config, drop: Drop): Tensor {
  const S = inputIds.shape[1]!;
  const bias = relativePositionBias(biasTable(params.encoder.block[0]?.layer[0].SelfAttention, 'encoder'), S, S, {
    bidirectional: true,
    numBuckets: config.relativeAttentionNumBuckets,
    maxDistance: config.relativeAttentionMaxDistance,
  }); // (1, H, S, S)
  const attend = { heads: config.numHeads, scale: 1, bias, mask: keyPaddingMask(attentionMask), dropout: drop }; // mask (B, 1, 1, S)
  let x = drop(params.shared.weight.gather(inputIds, 0)); // (B, S, D)
  for (const { layer } of params.encoder.block) {
    const [self, ff] = layer;
    x = x.add(drop(selfAttention(layerNorm(x, self.layer_norm, config), self.SelfAttention, attend).output)); // (B, S, D)
    x = x.add(drop(denseReluDense(layerNorm(x, ff.layer_norm, config), ff.DenseReluDense, drop))); // (B, S, D)
  }
  return drop(layerNorm(x, params.encoder.final_layer_norm, config)); // (B, S, D)
}

/** Each decoder block's cross-attention keys and values of the encoder output (B, S, D): computed once per source. */
function crossKeyValues(params: T5Params<Tensor>, encoderStates: Tensor, config: T5Config): KeyValue[] {
  return params.decoder.block.map(({ layer }) => projectKeyValue(encoderStates, layer[1].EncDecAttention, config.numHeads)); // (B, H, S, d_kv) each
}

/**
 * The decoder over tokens (B, T) at positions past + [0, T): causal self-attention (over the cache and
 * these tokens), cross-attention to the source, feed-forward. Returns the final-norm states and each
 * block's self-attention keys/values including these tokens.
 */
function runDecoder(
  params: T5Params<Tensor>,
  tokens: Tensor,
  cross: KeyValue[],
  sourceMask: Tensor,
  config: T5Config,
  drop: Drop,
  past?: KeyValue[],
  targetMask?: Tensor,
): { hidden: Tensor; present: KeyValue[] } {
  const T = tokens.shape[1]!;
  const pastKey = past?.[0]?.key; // (B, H, past, d_kv)
  const bias = relativePositionBias(biasTable(params.decoder.block[0]?.layer[0].SelfAttention, 'decoder'), T, dimAdd(pastKey?.shape[2] ?? 0, T), {
    bidirectional: false,
    numBuckets: config.relativeAttentionNumBuckets,
    maxDistance: config.relativeAttentionMaxDistance,
    ...(pastKey ? { offset: ops.dimSize(pastKey, 2, 'int32') } : {}),
  }); // (1, H, T, past + T)
  const selfOptions = { heads: config.numHeads, scale: 1, bias, causal: true, dropout: drop, ...(targetMask ? { mask: keyPaddingMask(targetMask) } : {}) };
  const crossOptions = { heads: config.numHeads, scale: 1, mask: keyPaddingMask(sourceMask), dropout: drop }; // mask (B, 1, 1, S)
  const present: KeyValue[] = [];
  let x = drop(params.shared.weight.gather(tokens, 0)); // (B, T, D)
  for (const [i, { layer }] of params.decoder.block.entries()) {
    const [self, encDec, ff] = layer;
    const attended = selfAttention(layerNorm(x, self.layer_norm, config), self.SelfAttention, { ...selfOptions, ...(past ? { past: past[i]! } : {}) });
    present.push(attended.present); // (B, H, past + T, d_kv) each
    x = x.add(drop(attended.output)); // (B, T, D)
    x = x.add(drop(crossAttention(layerNorm(x, encDec.layer_norm, config), cross[i]!, encDec.EncDecAttention, crossOptions))); // (B, T, D)
    x = x.add(drop(denseReluDense(layerNorm(x, ff.layer_norm, config), ff.DenseReluDense, drop))); // (B, T, D)
  }
  return { hidden: drop(layerNorm(x, params.decoder.final_layer_norm, config)), present }; // (B, T, D)
}

/** The LM head: shared.weight with the input scaled by d_model^-0.5 when tied (v1.0), else lm_head.weight. */
function lmHead(params: T5Params<Tensor>, hidden: Tensor, config: T5Config): Tensor {
  if (config.tieWordEmbeddings) return linear(hidden.mul(config.dModel ** -0.5), params.shared); // (B, T, V)
  if (!params.lm_head) throw new TypeError('T5 lm_head.weight is missing; tie_word_embeddings is false, so the head has its own weight');
  return linear(hidden, params.lm_head); // (B, T, V)
}

/** labels (B, T) → decoder inputs (B, T): [decoder_start_token_id, labels[:, :-1]] with -100 replaced by pad. */
export function shiftRight(labels: Tensor, config: T5Config): Tensor {
  return shiftTokensRight(labels, config.padTokenId, config.decoderStartTokenId); // (B, T)
}

/** Teacher-forced logits (B, T, V) and the (label-smoothed, weighted) cross-entropy of the labels, -100 ignored. */
export function forward(params: T5Params<Tensor>, batch: T5Batch, config: T5Config, options: ForwardOptions = {}): ForwardResult {
  const drop = dropper(config, options.key);
  const encoderStates = runEncoder(params, batch.inputIds, batch.attentionMask, config, drop); // (B, S, D)
  const decoderInputIds = batch.decoderInputIds ?? shiftRight(batch.labels, config); // (B, T)
  const cross = crossKeyValues(params, encoderStates, config); // (B, H, S, d_kv) per block
  const { hidden } = runDecoder(params, decoderInputIds, cross, batch.attentionMask, config, drop, undefined, batch.decoderAttentionMask); // (B, T, D)
  const logits = lmHead(params, hidden, config); // (B, T, V)
  const loss = crossEntropy(logits.cast('float32'), batch.labels, {
    ignoreIndex: -100,
    labelSmoothing: options.labelSmoothing ?? 0,
    ...(batch.weights ? { weights: batch.weights } : {}),
  }); // ()
  return { logits, loss };
}

/** The cache before the first step: each block's cross-attention keys/values of encoderStates (B, S, D), no past. */
export function initCache(params: T5Params<Tensor>, encoderStates: Tensor, config: T5Config): DecoderCache {
  const empty = () => zeros([encoderStates.shape[0]!, config.numHeads, 0, config.dKv]); // (B, H, 0, d_kv)
  return {
    self: params.decoder.block.map(() => ({ key: empty(), value: empty() })),
    cross: crossKeyValues(params, encoderStates, config), // (B, H, S, d_kv) each
  };
}

/**
 * The next logits for tokens (B, 1) — or (B, T) to feed several at once — at positions past + [0, T):
 * logits (B, T, V) and the cache grown by T positions (cross-attention keys/values passed through).
 * `attentionMask` (B, S) is the source padding.
 */
export function decodeStep(params: T5Params<Tensor>, tokens: Tensor, attentionMask: Tensor, cache: DecoderCache, config: T5Config): { logits: Tensor; cache: DecoderCache } {
  if (cache.self.length !== config.numDecoderLayers || cache.cross.length !== config.numDecoderLayers) {
    throw new RangeError(
      `T5 decodeStep: the cache has ${cache.self.length} self-attention and ${cache.cross.length} cross-attention entries; the decoder has ${config.numDecoderLayers} blocks — start from initCache`,
    );
  }
  const { hidden, present } = runDecoder(params, tokens, cache.cross, attentionMask, config, (x) => x, cache.self); // (B, T, D)
  return { logits: lmHead(params, hidden, config), cache: { self: present, cross: cache.cross } }; // (B, T, V)
}

/** compile() argument specs of the four entry points, over dims "batch", "src", "tgt" and "past" (seq2seq.ts). */
export type T5Specs = EntryPointSpecs<Tree<TensorSpec>>;

export function t5Specs(config: T5Config, options: SpecOptions = {}): T5Specs {
  const params = t5ParamSpecs(config) as unknown as Tree<TensorSpec>;
  const decoder = { layers: config.numDecoderLayers, heads: config.numHeads, headDim: config.dKv, dModel: config.dModel };
  return entryPointSpecs(params, decoder, options);
}
