// BART, mBART and M2M100/NLLB on the core — one implementation, the variants fixed by model_type
// (config/bart.ts): BART is post-LN with layernorm_embedding; mBART pre-LN with layernorm_embedding and
// final norms; M2M100/NLLB pre-LN with sinusoidal positions and final norms, no final_logits_bias.
// The params are the checkpoint's own tree (transformers' names, tied copies left out): loading the
// weights builds the model. References: Lewis et al. 2019 (BART), Liu et al. 2020 (mBART), Fan et al.
// 2020 (M2M-100), NLLB Team 2022; transformers' modeling_bart/mbart/m2m_100.py for the exact layout.

import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';
import { paddingMask } from '../../nn/attention.js';
import { crossAttention, projectKeyValue, selfAttention, type AttentionProjections, type KeyValue } from '../../nn/layers/attention.js';
import type { Dropout } from '../../nn/layers/dropout-sites.js';
import { embed, learnedPositions, type EmbeddingParams } from '../../nn/layers/embedding.js';
import { feedForward, type ActivationName } from '../../nn/layers/feed-forward.js';
import { linear, type LinearParams } from '../../nn/layers/linear.js';
import { layerNorm, residual, type NormParams } from '../../nn/layers/norms.js';
import { paddedPositionIds, sinusoidalPositions } from '../../nn/layers/sinusoidal.js';
import type { BartConfig } from '../config/bart.js';
import { entryPoints, type DecoderFamily, type LabelledBatch } from '../entry-points.js';
import { decoderInputsFromLabels } from './shift.js';

/**
 * A teacher-forced batch (seq2seq.ts's): decoderInputIds may be left out — then they are built from the
 * labels as transformers builds them (shift.ts: behind decoder_start_token_id for BART and M2M100/NLLB,
 * mBART's rotation of the language code to the front).
 */
export type BartBatch<T = Tensor> = LabelledBatch<T>;

// ---- parameters, named as in the checkpoint ------------------------------------------------------

export interface BartAttentionParams<T = Tensor> {
  q_proj: LinearParams<T>;
  k_proj: LinearParams<T>;
  v_proj: LinearParams<T>;
  out_proj: LinearParams<T>;
}

export interface BartEncoderLayerParams<T = Tensor> {
  self_attn: BartAttentionParams<T>;
  self_attn_layer_norm: NormParams<T>;
  fc1: LinearParams<T>;
  fc2: LinearParams<T>;
  final_layer_norm: NormParams<T>;
}

export interface BartDecoderLayerParams<T = Tensor> extends BartEncoderLayerParams<T> {
  encoder_attn: BartAttentionParams<T>;
  encoder_attn_layer_norm: NormParams<T>;
}

export interface BartStackParams<L, T = Tensor> {
  /** Learned positions, (max_position_embeddings + 2, D): BART, mBART. M2M100's sinusoidal ones are computed. */
  embed_positions?: EmbeddingParams<T>;
  layers: L[];
  /** BART, mBART. */
  layernorm_embedding?: NormParams<T>;
  /** The final norm of a pre-LN stack: mBART, M2M100. */
  layer_norm?: NormParams<T>;
}

export interface BartParams<T = Tensor> {
  /** (1, V), added to the logits: BART, mBART. */
  final_logits_bias?: T;
  model: {
    /** (V, D): the token embeddings of the encoder and the decoder (and of the head when tied). */
    shared: EmbeddingParams<T>;
    encoder: BartStackParams<BartEncoderLayerParams<T>, T>;
    decoder: BartStackParams<BartDecoderLayerParams<T>, T>;
  };
  /** (V, D), only when tie_word_embeddings is false. */
  lm_head?: LinearParams<T>;
}

// ---- layers, shared with AlexaTM's BART-style decoder ----------------------------------------------

/** How a stack's layers run: the parts of the config they need and the dropout sites. */
export interface LayerOptions {
  heads: number;
  preNorm: boolean;
  norm: (x: Tensor, p: NormParams) => Tensor;
  activation: ActivationName;
  dropout: number;
  attentionDropout: number;
  activationDropout: number;
  drop: Dropout;
}

/** BART's projection names → the layer's q/k/v/o. */
export function projections(p: BartAttentionParams): AttentionProjections {
  return { q: p.q_proj, k: p.k_proj, v: p.v_proj, o: p.out_proj };
}

/** Self-attention, then the feed-forward block, each a residual sublayer: x (B, S, D) → (B, S, D). */
export function encoderLayer(x: Tensor, p: BartEncoderLayerParams, mask: Tensor, o: LayerOptions): Tensor {
  const drop = (h: Tensor) => o.drop(h, o.dropout);
  const attnDrop = (probs: Tensor) => o.drop(probs, o.attentionDropout);
  const attend = (h: Tensor) => selfAttention(h, projections(p.self_attn), { heads: o.heads, mask, dropout: attnDrop }).output; // (B, S, D)
  x = residual(x, attend, (h) => o.norm(h, p.self_attn_layer_norm), o.preNorm, drop); // (B, S, D)
  const ffn = (h: Tensor) => feedForward(h, p.fc1, p.fc2, o.activation, (a) => o.drop(a, o.activationDropout)); // (B, S, D)
  return residual(x, ffn, (h) => o.norm(h, p.final_layer_norm), o.preNorm, drop); // (B, S, D)
}

/**
 * Causal self-attention (after the `past` cached positions), cross-attention over the encoder's
 * keys/values `cross`, then the feed-forward block: x (B, T, D) → hidden (B, T, D) and the grown cache.
 */
export function decoderLayer(
  x: Tensor,
  p: BartDecoderLayerParams,
  cross: KeyValue,
  crossMask: Tensor,
  past: KeyValue | undefined,
  o: LayerOptions,
): { hidden: Tensor; present: KeyValue } {
  const drop = (h: Tensor) => o.drop(h, o.dropout);
  const attnDrop = (probs: Tensor) => o.drop(probs, o.attentionDropout);
  let present: KeyValue | undefined;
  const attendSelf = (h: Tensor) => {
    const r = selfAttention(h, projections(p.self_attn), { heads: o.heads, causal: true, dropout: attnDrop, ...(past ? { past } : {}) });
    present = r.present; // (B, H, past + T, Dh)
    return r.output; // (B, T, D)
  };
  x = residual(x, attendSelf, (h) => o.norm(h, p.self_attn_layer_norm), o.preNorm, drop); // (B, T, D)
  const attendEncoder = (h: Tensor) => crossAttention(h, cross, projections(p.encoder_attn), { heads: o.heads, mask: crossMask, dropout: attnDrop }); // (B, T, D)
  x = residual(x, attendEncoder, (h) => o.norm(h, p.encoder_attn_layer_norm), o.preNorm, drop); // (B, T, D)
  const ffn = (h: Tensor) => feedForward(h, p.fc1, p.fc2, o.activation, (a) => o.drop(a, o.activationDropout)); // (B, T, D)
  return { hidden: residual(x, ffn, (h) => o.norm(h, p.final_layer_norm), o.preNorm, drop), present: present! };
}

/** Every decoder layer in turn; `past` holds each layer's cache (absent in a teacher-forced pass). */
export function decoderLayers(
  x: Tensor,
  layers: readonly BartDecoderLayerParams[],
  cross: readonly KeyValue[],
  crossMask: Tensor,
  past: readonly KeyValue[] | undefined,
  o: LayerOptions,
): { hidden: Tensor; presents: KeyValue[] } {
  const presents: KeyValue[] = [];
  layers.forEach((layer, i) => {
    const r = decoderLayer(x, layer, cross[i]!, crossMask, past?.[i], o);
    x = r.hidden; // (B, T, D)
    presents.push(r.present);
  });
  return { hidden: x, presents };
}

/** Each decoder layer's cross-attention keys/values of the encoder output (B, S, D): (B, H, S, Dh) each. */
export function crossKeyValues(layers: readonly BartDecoderLayerParams[], encoderStates: Tensor, heads: number): KeyValue[] {
  return layers.map((layer) => projectKeyValue(encoderStates, projections(layer.encoder_attn), heads));
}

// ---- the model --------------------------------------------------------------------------------------

function layerOptions(config: BartConfig, heads: number, drop: Dropout): LayerOptions {
  return {
    heads,
    preNorm: config.normalizeBefore,
    norm: (x, p) => layerNorm(x, p, 1e-5),
    activation: config.activationFunction,
    dropout: config.dropout,
    attentionDropout: config.attentionDropout,
    activationDropout: config.activationDropout,
    drop,
  };
}

/** Token embeddings (scaled by √D with scale_embedding) plus positions, then layernorm_embedding: (B, T, D). */
function embedInputs(
  params: BartParams,
  stack: BartStackParams<unknown>,
  ids: Tensor,
  past: Tensor | number,
  config: BartConfig,
  drop: Dropout,
): Tensor {
  let x = embed(params.model.shared, ids); // (B, T, D)
  if (config.scaleEmbedding) x = x.mul(Math.sqrt(config.dModel)); // (B, T, D)
  if (config.positionEmbedding === 'learned') {
    if (!stack.embed_positions) throw new TypeError(`${config.modelType} params: embed_positions is missing from the encoder or decoder`);
    x = x.add(learnedPositions(stack.embed_positions, ids, past, config.positionOffset)); // + (T, D)
  } else {
    x = x.add(sinusoidalPositions(paddedPositionIds(ids, config.padTokenId, past), config.dModel, config.padTokenId)); // + (B, T, D)
  }
  if (stack.layernorm_embedding) x = layerNorm(x, stack.layernorm_embedding); // (B, T, D)
  return drop(x, config.dropout);
}

function finalNorm(x: Tensor, stack: BartStackParams<unknown>): Tensor {
  return stack.layer_norm ? layerNorm(x, stack.layer_norm) : x; // (B, T, D)
}

function encodeWith(params: BartParams, inputIds: Tensor, attentionMask: Tensor, config: BartConfig, drop: Dropout): Tensor {
  const stack = params.model.encoder;
  const o = layerOptions(config, config.encoderAttentionHeads, drop);
  const mask = paddingMask(attentionMask); // (B, 1, 1, S)
  let x = embedInputs(params, stack, inputIds, 0, config, drop); // (B, S, D)
  for (const layer of stack.layers) x = encoderLayer(x, layer, mask, o); // (B, S, D)
  return finalNorm(x, stack); // (B, S, D)
}

function decodeWith(
  params: BartParams,
  tokens: Tensor,
  cross: readonly KeyValue[],
  attentionMask: Tensor,
  past: readonly KeyValue[] | undefined,
  config: BartConfig,
  drop: Dropout,
): { logits: Tensor; presents: KeyValue[] } {
  const stack = params.model.decoder;
  const pastLength = past ? ops.dimSize(past[0]!.key, 2) : 0;
  const x = embedInputs(params, stack, tokens, pastLength, config, drop); // (B, T, D)
  const run = decoderLayers(x, stack.layers, cross, paddingMask(attentionMask), past, layerOptions(config, config.decoderAttentionHeads, drop));
  const h = finalNorm(run.hidden, stack); // (B, T, D)
  let logits = linear(h, params.lm_head ?? params.model.shared); // (B, T, V)
  if (params.final_logits_bias) logits = logits.add(params.final_logits_bias); // + (1, V)
  return { logits, presents: run.presents };
}

/** The parts of a params tree and a config that the BART decoder's cache and shifting need. */
interface BartStyleParams {
  model: { decoder: { layers: readonly BartDecoderLayerParams[] } };
}
type BartStyleConfig = Pick<BartConfig, 'decoderLayers' | 'decoderAttentionHeads' | 'dModel'> & Parameters<typeof decoderInputsFromLabels>[1];

/** A DecoderFamily for a model with BART's decoder layers, given its own encoder and decoder passes. */
export function bartStyleFamily<P extends BartStyleParams, C extends BartStyleConfig>(
  encodeWith: DecoderFamily<P, C>['encodeWith'],
  decodeWith: DecoderFamily<P, C>['decodeWith'],
): DecoderFamily<P, C> {
  return {
    encodeWith,
    decodeWith,
    crossKeyValues: (params, states, config) => crossKeyValues(params.model.decoder.layers, states, config.decoderAttentionHeads),
    decoderInputsFromLabels,
    cacheShape: (config) => ({ layers: config.decoderLayers, heads: config.decoderAttentionHeads, headDim: config.dModel / config.decoderAttentionHeads }),
  };
}

export const { encode, forward, initCache, decodeStep } = entryPoints(bartStyleFamily<BartParams, BartConfig>(encodeWith, decodeWith));
