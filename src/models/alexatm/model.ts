// AlexaTM (Soltan et al. 2022) on the core, laid out as the released AlexaTMSeq2SeqForConditionalGeneration:
// a pre-LN BERT-style encoder (token + token-type row 0 + learned positions from 0, no embedding norm,
// a final norm), a pre-LN BART-style decoder (learned positions offset by 2, final `layernorm_output`),
// an LM head without bias plus `final_logits_bias`. Up to three embedding matrices (encoder input =
// model.shared, decoder input, head). Every norm is AlexaTM's variant unless layer_norm_variant says
// "standard". [CLM] mode is a token at the start of the encoder input: the model needs nothing for it.

import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';
import { paddingMask } from '../../nn/attention.js';
import { selfAttention, type AttentionProjections, type KeyValue } from '../../nn/layers/attention.js';
import type { Dropout } from '../../nn/layers/dropout-sites.js';
import { embed, learnedPositions, type EmbeddingParams } from '../../nn/layers/embedding.js';
import { feedForward } from '../../nn/layers/feed-forward.js';
import { linear, type LinearParams } from '../../nn/layers/linear.js';
import { norm, residual, type NormParams } from '../../nn/layers/norms.js';
import {
  bartStyleFamily,
  decoderLayers,
  type BartDecoderLayerParams,
  type LayerOptions,
} from '../bart/model.js';
import type { AlexaTMConfig } from '../config/alexatm.js';
import { entryPoints } from '../entry-points.js';

// ---- parameters, named as in the checkpoint ------------------------------------------------------

/** AlexaTMLayer: `layer_norm` before self-attention, `intermediate.layer_norm` before the feed-forward. */
export interface AlexaTMEncoderLayerParams<T = Tensor> {
  attention: {
    self: { query: LinearParams<T>; key: LinearParams<T>; value: LinearParams<T> };
    output: { dense: LinearParams<T> };
  };
  intermediate: { layer_norm: NormParams<T>; dense: LinearParams<T> };
  output: { dense: LinearParams<T> };
  layer_norm: NormParams<T>;
}

export interface AlexaTMParams<T = Tensor> {
  /** (1, V), added to the logits. */
  final_logits_bias: T;
  model: {
    /** (V, D): the encoder's token embeddings (and the decoder's with share_embeddings). */
    shared: EmbeddingParams<T>;
    encoder: {
      /** (max_position_embeddings, D), positions from 0. */
      position_embeddings: EmbeddingParams<T>;
      /** (type_vocab_size, D); the encoder adds row 0. */
      token_type_embeddings: EmbeddingParams<T>;
      pre_ln_encoder: { layer: AlexaTMEncoderLayerParams<T>[]; layer_norm: NormParams<T> };
    };
    decoder: {
      /** (V, D): the decoder's own input embeddings, only when share_embeddings is false. */
      embed_tokens?: EmbeddingParams<T>;
      /** (max_position_embeddings + 2, D). */
      embed_positions: EmbeddingParams<T>;
      layers: BartDecoderLayerParams<T>[];
      layernorm_output: NormParams<T>;
    };
  };
  /** (V, D), only when tie_word_embeddings is false. */
  lm_head?: LinearParams<T>;
}

// ---- the model --------------------------------------------------------------------------------------

function layerNormOf(config: AlexaTMConfig): (x: Tensor, p: NormParams) => Tensor {
  return norm(config.layerNormVariant === 'alexatm' ? 'alexatm' : 'layer', config.layerNormEps);
}

function encoderProjections(p: AlexaTMEncoderLayerParams): AttentionProjections {
  return { q: p.attention.self.query, k: p.attention.self.key, v: p.attention.self.value, o: p.attention.output.dense };
}

/** Pre-LN: x + attn(layer_norm(x)), then + ffn(intermediate.layer_norm(·)): (B, S, D) → (B, S, D). */
function encoderLayer(x: Tensor, p: AlexaTMEncoderLayerParams, mask: Tensor, config: AlexaTMConfig, drop: Dropout): Tensor {
  const ln = layerNormOf(config);
  const hiddenDrop = (h: Tensor) => drop(h, config.hiddenDropoutProb);
  const attnDrop = (probs: Tensor) => drop(probs, config.attentionProbsDropoutProb);
  const attend = (h: Tensor) => selfAttention(h, encoderProjections(p), { heads: config.encoderAttentionHeads, mask, dropout: attnDrop }).output; // (B, S, D)
  x = residual(x, attend, (h) => ln(h, p.layer_norm), true, hiddenDrop); // (B, S, D)
  const ffn = (h: Tensor) => feedForward(h, p.intermediate.dense, p.output.dense, config.hiddenAct); // (B, S, D)
  return residual(x, ffn, (h) => ln(h, p.intermediate.layer_norm), true, hiddenDrop); // (B, S, D)
}

function encodeWith(params: AlexaTMParams, inputIds: Tensor, attentionMask: Tensor, config: AlexaTMConfig, drop: Dropout): Tensor {
  const enc = params.model.encoder;
  const tokenType = enc.token_type_embeddings.weight.slice({ 0: { start: 0, end: 1 } }); // (1, D)
  let x = embed(params.model.shared, inputIds).add(tokenType); // (B, S, D)
  x = x.add(learnedPositions(enc.position_embeddings, inputIds, 0, 0)); // + (S, D)
  x = drop(x, config.hiddenDropoutProb);
  const mask = paddingMask(attentionMask); // (B, 1, 1, S)
  for (const layer of enc.pre_ln_encoder.layer) x = encoderLayer(x, layer, mask, config, drop); // (B, S, D)
  return layerNormOf(config)(x, enc.pre_ln_encoder.layer_norm); // (B, S, D)
}

function decoderOptions(config: AlexaTMConfig, drop: Dropout): LayerOptions {
  return {
    heads: config.decoderAttentionHeads,
    preNorm: true,
    norm: layerNormOf(config),
    activation: config.hiddenAct,
    dropout: config.dropout,
    attentionDropout: config.attentionDropout,
    activationDropout: config.activationDropout,
    drop,
  };
}

function decodeWith(
  params: AlexaTMParams,
  tokens: Tensor,
  cross: readonly KeyValue[],
  attentionMask: Tensor,
  past: readonly KeyValue[] | undefined,
  config: AlexaTMConfig,
  drop: Dropout,
): { logits: Tensor; presents: KeyValue[] } {
  const dec = params.model.decoder;
  const tokenTable = dec.embed_tokens ?? params.model.shared; // (V, D)
  const pastLength = past ? ops.dimSize(past[0]!.key, 2) : 0;
  let x = embed(tokenTable, tokens); // (B, T, D)
  x = x.add(learnedPositions(dec.embed_positions, tokens, pastLength, config.decoderPositionOffset)); // + (T, D)
  x = drop(x, config.dropout);
  const run = decoderLayers(x, dec.layers, cross, paddingMask(attentionMask), past, decoderOptions(config, drop));
  const h = layerNormOf(config)(run.hidden, dec.layernorm_output); // (B, T, D)
  const logits = linear(h, params.lm_head ?? tokenTable).add(params.final_logits_bias); // (B, T, V)
  return { logits, presents: run.presents };
}

export const { encode, forward, initCache, decodeStep } = entryPoints(bartStyleFamily<AlexaTMParams, AlexaTMConfig>(encodeWith, decodeWith));
