// Named model configurations: polyseq's own AlexaTM-architecture sizes (`tiny`, `small`), the released
// AlexaTM 20B, and real Hugging Face checkpoints' architectures with their config.json values
// (google-t5/t5-small, google/mt5-small, facebook/mbart-large-cc25, facebook/nllb-200-distilled-600M).

import { alexatmConfig, type AlexaTMOptions } from './config/alexatm.js';
import { bartConfig } from './config/bart.js';
import type { ModelConfig } from './config/model-config.js';
import { t5Config } from './config/t5.js';

/** The AlexaTM recipe (DESIGN.md): three untied embedding matrices — encoder input, decoder input, LM head. */
export const ALEXATM_RECIPE: Readonly<AlexaTMOptions> = {
  shareEmbeddings: false,
  tieWordEmbeddings: false,
  hiddenAct: 'gelu',
  layerNormVariant: 'alexatm',
  // The released class leaves decoder_start_token_id unset; BART's convention starts with </s> (id 2).
  decoderStartTokenId: 2,
};

export const PRESETS = {
  /** ~4.1M parameters: an AlexaTM-architecture model that trains in minutes on 2 CPU cores. */
  tiny: alexatmConfig({
    ...ALEXATM_RECIPE,
    vocabSize: 8000,
    dModel: 128,
    encoderLayers: 2,
    decoderLayers: 2,
    encoderAttentionHeads: 4,
    decoderAttentionHeads: 4,
    encoderFfnDim: 512,
    decoderFfnDim: 512,
    maxPositionEmbeddings: 512,
    layerNormEps: 1e-5,
  }),
  /** ~39.3M parameters: AlexaTM's shape (deeper encoder, FFN 4×d_model) at laptop scale. */
  small: alexatmConfig({
    ...ALEXATM_RECIPE,
    vocabSize: 16000,
    dModel: 384,
    encoderLayers: 6,
    decoderLayers: 4,
    encoderAttentionHeads: 6,
    decoderAttentionHeads: 6,
    encoderFfnDim: 1536,
    decoderFfnDim: 1536,
    maxPositionEmbeddings: 1024,
    layerNormEps: 1e-5,
  }),
  /** google-t5/t5-small: T5 v1.0 (ReLU feed-forward, tied head). */
  't5-small': t5Config({
    modelType: 't5',
    vocabSize: 32128,
    dModel: 512,
    dKv: 64,
    dFf: 2048,
    numLayers: 6,
    numDecoderLayers: 6,
    numHeads: 8,
    relativeAttentionNumBuckets: 32,
    relativeAttentionMaxDistance: 128,
    dropoutRate: 0.1,
    layerNormEpsilon: 1e-6,
    feedForwardProj: 'relu',
    tieWordEmbeddings: true,
    padTokenId: 0,
    eosTokenId: 1,
    decoderStartTokenId: 0,
  }),
  /** google/mt5-small: gated-GELU feed-forward, untied head, 250k SentencePiece vocabulary. */
  'mt5-small': t5Config({
    modelType: 'mt5',
    vocabSize: 250112,
    dModel: 512,
    dKv: 64,
    dFf: 1024,
    numLayers: 8,
    numDecoderLayers: 8,
    numHeads: 6,
    relativeAttentionNumBuckets: 32,
    relativeAttentionMaxDistance: 128,
    dropoutRate: 0.1,
    layerNormEpsilon: 1e-6,
    feedForwardProj: 'gated-gelu',
    tieWordEmbeddings: false,
    padTokenId: 0,
    eosTokenId: 1,
    decoderStartTokenId: 0,
  }),
  /** facebook/mbart-large-cc25: pre-LN, learned positions, scaled embeddings; a language code starts the decoder. */
  'mbart-large-cc25': bartConfig({
    modelType: 'mbart',
    vocabSize: 250027,
    dModel: 1024,
    encoderLayers: 12,
    decoderLayers: 12,
    encoderAttentionHeads: 16,
    decoderAttentionHeads: 16,
    encoderFfnDim: 4096,
    decoderFfnDim: 4096,
    activationFunction: 'gelu',
    maxPositionEmbeddings: 1024,
    scaleEmbedding: true,
    dropout: 0.1,
    attentionDropout: 0,
    activationDropout: 0,
    encoderLayerdrop: 0,
    decoderLayerdrop: 0,
    initStd: 0.02,
    padTokenId: 1,
    bosTokenId: 0,
    eosTokenId: 2,
    decoderStartTokenId: null,
  }),
  /** facebook/nllb-200-distilled-600M (model_type m2m_100): pre-LN, sinusoidal positions, ReLU. */
  'nllb-200-distilled-600M': bartConfig({
    modelType: 'm2m_100',
    vocabSize: 256206,
    dModel: 1024,
    encoderLayers: 12,
    decoderLayers: 12,
    encoderAttentionHeads: 16,
    decoderAttentionHeads: 16,
    encoderFfnDim: 4096,
    decoderFfnDim: 4096,
    activationFunction: 'relu',
    maxPositionEmbeddings: 1024,
    scaleEmbedding: true,
    dropout: 0.1,
    attentionDropout: 0.1,
    activationDropout: 0,
    encoderLayerdrop: 0,
    decoderLayerdrop: 0,
    initStd: 0.02,
    padTokenId: 1,
    bosTokenId: 0,
    eosTokenId: 2,
    decoderStartTokenId: 2,
  }),
  /**
   * AlexaTM 20B (Soltan et al. 2022): 46/32 layers, d_model 4096, 32 heads, FFN 16384, 1024 positions.
   * The released tokenizer's exact size is not public in what we could read; 150000 ("150k") is used.
   * Other values are the released class's defaults (layer_norm_eps 1e-12, type_vocab_size 2).
   */
  'alexatm-20b': alexatmConfig({
    ...ALEXATM_RECIPE,
    vocabSize: 150000,
    dModel: 4096,
    encoderLayers: 46,
    decoderLayers: 32,
    encoderAttentionHeads: 32,
    decoderAttentionHeads: 32,
    encoderFfnDim: 16384,
    decoderFfnDim: 16384,
    maxPositionEmbeddings: 1024,
  }),
} as const satisfies Readonly<Record<string, ModelConfig>>;

Object.freeze(PRESETS);

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES: readonly PresetName[] = Object.freeze(Object.keys(PRESETS) as PresetName[]);

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** The preset called `name`; an unknown name throws, listing the known ones. */
export function presetConfig(name: string): ModelConfig {
  if (!isPresetName(name)) {
    throw new RangeError(`unknown preset ${JSON.stringify(name)}; known presets: ${PRESET_NAMES.join(', ')}`);
  }
  return PRESETS[name];
}
