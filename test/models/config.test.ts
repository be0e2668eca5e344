// Model configs: real Hugging Face config.json files read into typed configs equal to the presets,
// fromHfConfig(toHfConfig(x)) round trips, class defaults for absent keys, the key policy (kept,
// derived, rejected), and every config error message pinned.

import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dirs.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alexatmConfig } from '../../src/models/config/alexatm.js';
import { bartConfig } from '../../src/models/config/bart.js';
import { ConfigError } from '../../src/models/config/config-error.js';
import { readConfigFile, writeConfigFile } from '../../src/models/config/config-file.js';
import type { JsonObject } from '../../src/models/config/json.js';
import { fromHfConfig, hfConfigText, toHfConfig } from '../../src/models/config/model-config.js';
import { t5Config, t5FromHfConfig } from '../../src/models/config/t5.js';
import { PRESET_NAMES, PRESETS, presetConfig } from '../../src/models/presets.js';

// The config.json files of the Hugging Face hub checkpoints, as published.
const T5_SMALL_JSON: JsonObject = {
  architectures: ['T5ForConditionalGeneration'],
  d_ff: 2048,
  d_kv: 64,
  d_model: 512,
  decoder_start_token_id: 0,
  dropout_rate: 0.1,
  eos_token_id: 1,
  initializer_factor: 1.0,
  is_encoder_decoder: true,
  layer_norm_epsilon: 1e-6,
  model_type: 't5',
  n_positions: 512,
  num_heads: 8,
  num_layers: 6,
  output_past: true,
  pad_token_id: 0,
  relative_attention_num_buckets: 32,
  task_specific_params: {
    summarization: { early_stopping: true, length_penalty: 2.0, max_length: 200, min_length: 30, no_repeat_ngram_size: 3, num_beams: 4, prefix: 'summarize: ' },
    translation_en_to_de: { early_stopping: true, max_length: 300, num_beams: 4, prefix: 'translate English to German: ' },
  },
  vocab_size: 32128,
};

const MT5_SMALL_JSON: JsonObject = {
  _name_or_path: '/home/patrick/hugging_face/t5/mt5-small',
  architectures: ['MT5ForConditionalGeneration'],
  d_ff: 1024,
  d_kv: 64,
  d_model: 512,
  decoder_start_token_id: 0,
  dropout_rate: 0.1,
  eos_token_id: 1,
  feed_forward_proj: 'gated-gelu',
  initializer_factor: 1.0,
  is_encoder_decoder: true,
  layer_norm_epsilon: 1e-6,
  model_type: 'mt5',
  num_decoder_layers: 8,
  num_heads: 6,
  num_layers: 8,
  pad_token_id: 0,
  relative_attention_num_buckets: 32,
  tie_word_embeddings: false,
  tokenizer_class: 'T5Tokenizer',
  transformers_version: '4.10.0.dev0',
  use_cache: true,
  vocab_size: 250112,
};

const FLAN_T5_SMALL_JSON: JsonObject = {
  architectures: ['T5ForConditionalGeneration'],
  d_ff: 1024,
  d_kv: 64,
  d_model: 512,
  decoder_start_token_id: 0,
  dense_act_fn: 'gelu_new',
  dropout_rate: 0.1,
  eos_token_id: 1,
  feed_forward_proj: 'gated-gelu',
  initializer_factor: 1.0,
  is_encoder_decoder: true,
  is_gated_act: true,
  layer_norm_epsilon: 1e-6,
  model_type: 't5',
  n_positions: 512,
  num_decoder_layers: 8,
  num_heads: 6,
  num_layers: 8,
  output_past: true,
  pad_token_id: 0,
  relative_attention_max_distance: 128,
  relative_attention_num_buckets: 32,
  tie_word_embeddings: false,
  transformers_version: '4.23.1',
  use_cache: true,
  vocab_size: 32128,
};

const MBART_CC25_JSON: JsonObject = {
  activation_dropout: 0.0,
  activation_function: 'gelu',
  add_bias_logits: false,
  add_final_layer_norm: true,
  architectures: ['MBartForConditionalGeneration'],
  attention_dropout: 0.0,
  bos_token_id: 0,
  classif_dropout: 0.0,
  d_model: 1024,
  decoder_attention_heads: 16,
  decoder_ffn_dim: 4096,
  decoder_layerdrop: 0.0,
  decoder_layers: 12,
  dropout: 0.1,
  encoder_attention_heads: 16,
  encoder_ffn_dim: 4096,
  encoder_layerdrop: 0.0,
  encoder_layers: 12,
  eos_token_id: 2,
  id2label: { '0': 'LABEL_0', '1': 'LABEL_1', '2': 'LABEL_2' },
  init_std: 0.02,
  is_encoder_decoder: true,
  label2id: { LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 },
  max_length: 200,
  max_position_embeddings: 1024,
  model_type: 'mbart',
  normalize_before: true,
  normalize_embedding: true,
  num_beams: 5,
  num_hidden_layers: 12,
  output_past: true,
  pad_token_id: 1,
  scale_embedding: true,
  static_position_embeddings: false,
  task_specific_params: { translation_en_to_ro: { decoder_start_token_id: 250020 } },
  vocab_size: 250027,
};

const NLLB_600M_JSON: JsonObject = {
  _name_or_path: 'facebook/nllb-200-distilled-600M',
  activation_dropout: 0.0,
  activation_function: 'relu',
  architectures: ['M2M100ForConditionalGeneration'],
  attention_dropout: 0.1,
  bos_token_id: 0,
  d_model: 1024,
  decoder_attention_heads: 16,
  decoder_ffn_dim: 4096,
  decoder_layerdrop: 0,
  decoder_layers: 12,
  decoder_start_token_id: 2,
  dropout: 0.1,
  encoder_attention_heads: 16,
  encoder_ffn_dim: 4096,
  encoder_layerdrop: 0,
  encoder_layers: 12,
  eos_token_id: 2,
  init_std: 0.02,
  is_encoder_decoder: true,
  max_length: 200,
  max_position_embeddings: 1024,
  model_type: 'm2m_100',
  num_hidden_layers: 12,
  pad_token_id: 1,
  scale_embedding: true,
  tokenizer_class: 'NllbTokenizer',
  torch_dtype: 'float32',
  transformers_version: '4.21.0.dev0',
  use_cache: true,
  vocab_size: 256206,
};

/** Every field of `config` but the kept extras. */
function withoutExtras<T extends { hfExtras: JsonObject }>(config: T): Omit<T, 'hfExtras'> {
  const { hfExtras: _extras, ...rest } = config;
  return rest;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('real config.json files', () => {
  it('t5-small reads as the t5-small preset, keeping the keys that do not touch the architecture', () => {
    const config = fromHfConfig(T5_SMALL_JSON);
    expect(withoutExtras(config)).toEqual(withoutExtras(PRESETS['t5-small']));
    expect(config.hfExtras).toEqual({
      architectures: ['T5ForConditionalGeneration'],
      n_positions: 512,
      output_past: true,
      task_specific_params: T5_SMALL_JSON['task_specific_params'],
    });
  });

  it('mt5-small reads as the mt5-small preset', () => {
    const config = fromHfConfig(MT5_SMALL_JSON);
    expect(withoutExtras(config)).toEqual(withoutExtras(PRESETS['mt5-small']));
    expect(Object.keys(config.hfExtras)).toEqual(['_name_or_path', 'architectures', 'tokenizer_class', 'transformers_version', 'use_cache']);
  });

  it('flan-t5-small is T5 with gated-gelu and an untied head; its derived dense_act_fn and is_gated_act agree', () => {
    const config = fromHfConfig(FLAN_T5_SMALL_JSON);
    expect(config).toMatchObject({ family: 't5', modelType: 't5', feedForwardProj: 'gated-gelu', tieWordEmbeddings: false, numLayers: 8, dFf: 1024 });
    // Derived keys are regenerated, not kept.
    expect(config.hfExtras).not.toHaveProperty('dense_act_fn');
    expect(toHfConfig(config)).toMatchObject({ dense_act_fn: 'gelu_new', is_gated_act: true });
  });

  it('mbart-large-cc25 reads as the preset; its legacy architecture keys agree with MBart and are dropped', () => {
    const config = fromHfConfig(MBART_CC25_JSON);
    expect(withoutExtras(config)).toEqual(withoutExtras(PRESETS['mbart-large-cc25']));
    expect(config).toMatchObject({ normalizeBefore: true, addFinalLayerNorm: true, layernormEmbedding: true, positionEmbedding: 'learned' });
    expect(Object.keys(config.hfExtras)).toEqual([
      'architectures',
      'classif_dropout',
      'id2label',
      'label2id',
      'max_length',
      'num_beams',
      'output_past',
      'task_specific_params',
    ]);
  });

  it('nllb-200-distilled-600M reads as the preset (m2m_100: pre-LN, sinusoidal, no layernorm_embedding)', () => {
    const config = fromHfConfig(NLLB_600M_JSON);
    expect(withoutExtras(config)).toEqual(withoutExtras(PRESETS['nllb-200-distilled-600M']));
    expect(config).toMatchObject({ positionEmbedding: 'sinusoidal', layernormEmbedding: false, finalLogitsBias: false });
  });

  it('writes back what it read: every key of the file survives a read and a write', () => {
    for (const json of [T5_SMALL_JSON, MT5_SMALL_JSON, FLAN_T5_SMALL_JSON, NLLB_600M_JSON]) {
      const written = toHfConfig(fromHfConfig(json));
      for (const [key, value] of Object.entries(json)) expect([key, written[key]]).toEqual([key, value]);
    }
  });
});

describe('round trips', () => {
  it('fromHfConfig(toHfConfig(x)) equals x for every preset', () => {
    for (const name of PRESET_NAMES) expect(fromHfConfig(toHfConfig(PRESETS[name]))).toEqual(PRESETS[name]);
  });

  it('toHfConfig(fromHfConfig(json)) is a fixed point', () => {
    for (const json of [T5_SMALL_JSON, MBART_CC25_JSON, NLLB_600M_JSON]) {
      const once = toHfConfig(fromHfConfig(json));
      expect(toHfConfig(fromHfConfig(once))).toEqual(once);
    }
  });

  it('writes config.json as save_pretrained does (sorted keys, 2-space indent) and reads the folder back', () => {
    const dir = tempDir('config');
    writeConfigFile(dir, PRESETS.tiny);
    const text = readFileSync(path.join(dir, 'config.json'), 'utf8');
    expect(text).toBe(hfConfigText(PRESETS.tiny));
    expect(text.split('\n').slice(0, 4)).toEqual(['{', '  "activation_dropout": 0,', '  "architectures": [', '    "AlexaTMSeq2SeqForConditionalGeneration"']);
    expect(readConfigFile(dir)).toEqual(PRESETS.tiny);
  });

  it('t5-small writes exactly these keys', () => {
    expect(toHfConfig(PRESETS['t5-small'])).toEqual({
      architectures: ['T5ForConditionalGeneration'],
      d_ff: 2048,
      d_kv: 64,
      d_model: 512,
      decoder_start_token_id: 0,
      dense_act_fn: 'relu',
      dropout_rate: 0.1,
      eos_token_id: 1,
      feed_forward_proj: 'relu',
      initializer_factor: 1,
      is_encoder_decoder: true,
      is_gated_act: false,
      layer_norm_epsilon: 1e-6,
      model_type: 't5',
      num_decoder_layers: 6,
      num_heads: 8,
      num_layers: 6,
      pad_token_id: 0,
      relative_attention_max_distance: 128,
      relative_attention_num_buckets: 32,
      tie_word_embeddings: true,
      vocab_size: 32128,
    });
  });
});

describe('defaults and presets', () => {
  it('absent keys take the defaults of the class for the model_type', () => {
    expect(fromHfConfig({ model_type: 'mt5' })).toMatchObject({ vocabSize: 250112, numHeads: 6, dFf: 1024, feedForwardProj: 'gated-gelu', tieWordEmbeddings: false });
    expect(fromHfConfig({ model_type: 't5', num_layers: 4 })).toMatchObject({ numLayers: 4, numDecoderLayers: 4, tieWordEmbeddings: true });
    expect(fromHfConfig({ model_type: 'm2m_100' })).toMatchObject({ vocabSize: 128112, activationFunction: 'relu', scaleEmbedding: true, encoderLayerdrop: 0.05 });
    expect(fromHfConfig({ model_type: 'mbart' })).toMatchObject({ decoderStartTokenId: null, normalizeBefore: true });
    expect(fromHfConfig({ model_type: 'bart' })).toMatchObject({ decoderStartTokenId: 2, normalizeBefore: false, addFinalLayerNorm: false });
    // The released AlexaTM class shares one embedding and ties the head unless told otherwise.
    expect(fromHfConfig({ model_type: 'alexatm' })).toMatchObject({ shareEmbeddings: true, tieWordEmbeddings: true, layerNormEps: 1e-12, layerNormVariant: 'alexatm', typeVocabSize: 2 });
  });

  it('Hugging Face aliases stand for their targets', () => {
    expect(fromHfConfig({ model_type: 't5', hidden_size: 256, num_attention_heads: 4, num_hidden_layers: 3 })).toMatchObject({ dModel: 256, numHeads: 4, numLayers: 3 });
  });

  it('presets are frozen and AlexaTM presets untie all three embedding matrices', () => {
    const big = presetConfig('alexatm-20b');
    expect(Object.isFrozen(big)).toBe(true);
    expect(Object.isFrozen(big.hfExtras)).toBe(true);
    expect(big).toMatchObject({ encoderLayers: 46, decoderLayers: 32, dModel: 4096, encoderAttentionHeads: 32, encoderFfnDim: 16384, vocabSize: 150000, maxPositionEmbeddings: 1024, shareEmbeddings: false, tieWordEmbeddings: false });
    expect(presetConfig('tiny')).toMatchObject({ shareEmbeddings: false, tieWordEmbeddings: false, layerNormVariant: 'alexatm' });
  });

  it('builders apply options over the defaults; undefined means the default', () => {
    expect(t5Config({ dModel: undefined, numLayers: 2 })).toMatchObject({ dModel: 512, numLayers: 2, numDecoderLayers: 2 });
    expect(bartConfig({ modelType: 'mbart', vocabSize: 100 }).hfExtras).toEqual({ architectures: ['MBartForConditionalGeneration'] });
    expect(alexatmConfig({ dModel: 64, encoderAttentionHeads: 4, decoderAttentionHeads: 4 }).decoderPositionOffset).toBe(2);
  });

  it('an unknown preset names the known ones', () => {
    expect(() => presetConfig('t5-base')).toThrow(
      'unknown preset "t5-base"; known presets: tiny, small, t5-small, mt5-small, mbart-large-cc25, nllb-200-distilled-600M, alexatm-20b',
    );
  });
});

describe('config errors name the field, the value and the fix', () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      'd_model not divisible by the heads',
      () => fromHfConfig({ model_type: 'bart', d_model: 1000 }),
      'd_model',
      'bart config: d_model (1000) must be divisible by encoder_attention_heads (16): each head gets d_model / encoder_attention_heads dimensions; change one of them',
    ],
    [
      'decoder heads checked too',
      () => alexatmConfig({ dModel: 96, encoderAttentionHeads: 4, decoderAttentionHeads: 5 }),
      'd_model',
      'alexatm config: d_model (96) must be divisible by decoder_attention_heads (5): each head gets d_model / decoder_attention_heads dimensions; change one of them',
    ],
    [
      'a negative size',
      () => fromHfConfig({ model_type: 't5', d_ff: -2048 }),
      'd_ff',
      't5 config: d_ff must be a positive integer (got -2048); use a whole number ≥ 1',
    ],
    [
      'a fractional size',
      () => fromHfConfig({ model_type: 'mt5', num_heads: 6.5 }),
      'num_heads',
      'mt5 config: num_heads must be a positive integer (got 6.5); use a whole number ≥ 1',
    ],
    [
      'a wrong type',
      () => fromHfConfig({ model_type: 't5', d_model: '512' }),
      'd_model',
      't5 config: d_model must be a number (got "512")',
    ],
    [
      'a boolean given as a string',
      () => fromHfConfig({ model_type: 'mbart', scale_embedding: 'true' }),
      'scale_embedding',
      'mbart config: scale_embedding must be true or false (got "true")',
    ],
    [
      'a drop rate out of range',
      () => fromHfConfig({ model_type: 'm2m_100', dropout: 1.5 }),
      'dropout',
      'm2m_100 config: dropout must be a rate in [0, 1) (got 1.5); use 0 to turn it off',
    ],
    [
      'a token id outside the vocabulary',
      () => fromHfConfig({ model_type: 't5', vocab_size: 100, pad_token_id: 100 }),
      'pad_token_id',
      't5 config: pad_token_id must be a token id in [0, vocab_size) = [0, 100) (got 100); fix the id or vocab_size',
    ],
    [
      'an unsupported feed-forward',
      () => fromHfConfig({ model_type: 't5', feed_forward_proj: 'gated-silu' }),
      'feed_forward_proj',
      't5 config: feed_forward_proj must be one of "relu", "gated-gelu" (got "gated-silu"); polyseq implements T5 v1.0 (relu) and v1.1/mT5/Flan-T5 (gated-gelu) feed-forwards',
    ],
    [
      'an unsupported activation',
      () => fromHfConfig({ model_type: 'bart', activation_function: 'tanh' }),
      'activation_function',
      'bart config: activation_function must be one of "gelu", "gelu_new", "relu", "silu" (got "tanh")',
    ],
    [
      'a model_type of another family given to a family reader',
      () => t5Config({ modelType: 'bart' as 't5' }),
      'model_type',
      't5 config: model_type must be one of "t5", "mt5" (got "bart"); use fromHfConfig() for other families',
    ],
    [
      'a family reader given another family',
      () => t5FromHfConfig({ model_type: 'mbart' }),
      'model_type',
      't5 config: model_type "mbart" is not a T5 family type ("t5", "mt5"); use fromHfConfig() to read any supported family',
    ],
    [
      'an unsupported model_type',
      () => fromHfConfig({ model_type: 'gpt2' }),
      'model_type',
      'config.json: model_type "gpt2" is not supported; polyseq reads "t5", "mt5", "bart", "mbart", "m2m_100", "alexatm"',
    ],
    [
      'a known but unimplemented family',
      () => fromHfConfig({ model_type: 'nllb-moe' }),
      'model_type',
      'config.json: model_type "nllb-moe" is not supported (NLLB-MoE has mixture-of-experts layers; dense NLLB checkpoints (model_type "m2m_100") are supported); polyseq reads "t5", "mt5", "bart", "mbart", "m2m_100", "alexatm"',
    ],
    [
      'no model_type',
      () => fromHfConfig({ d_model: 512 }),
      'model_type',
      'config.json has no model_type; add one of "t5", "mt5", "bart", "mbart", "m2m_100", "alexatm"',
    ],
    [
      'not an object',
      () => fromHfConfig([1, 2]),
      'model_type',
      'config.json must hold a JSON object (got [1,2])',
    ],
    [
      'an unknown key',
      () => fromHfConfig({ model_type: 't5', rotary_dim: 64 }),
      'rotary_dim',
      't5 config: unknown key rotary_dim (value 64); polyseq cannot tell whether it changes the architecture — remove it if it does not',
    ],
    [
      'a generic switch away from its neutral value',
      () => fromHfConfig({ model_type: 'bart', add_cross_attention: true }),
      'add_cross_attention',
      'bart config: add_cross_attention is true, an architecture polyseq does not implement; only false is supported',
    ],
    [
      'pruned heads',
      () => fromHfConfig({ model_type: 't5', pruned_heads: { '0': [1] } }),
      'pruned_heads',
      't5 config: pruned_heads is {"0":[1]}, an architecture polyseq does not implement; only {} is supported',
    ],
    [
      'a quantized checkpoint',
      () => fromHfConfig({ model_type: 'm2m_100', quantization_config: { load_in_8bit: true } }),
      'quantization_config',
      'm2m_100 config: quantization_config is set ({"load_in_8bit":true}): quantized checkpoints are not supported; use an fp32, fp16 or bf16 checkpoint',
    ],
    [
      'a derived key that disagrees',
      () => fromHfConfig({ model_type: 'bart', encoder_layers: 6, num_hidden_layers: 12 }),
      'num_hidden_layers',
      'bart config: num_hidden_layers is 12, but encoder_layers (6) makes it 6; remove num_hidden_layers or make it 6',
    ],
    [
      'a legacy architecture key contradicting the class',
      () => fromHfConfig({ model_type: 'bart', normalize_before: true }),
      'normalize_before',
      'bart config: normalize_before is true, but model_type "bart" (BartForConditionalGeneration: post-LayerNorm, layernorm_embedding, learned positions) makes it false; remove normalize_before or make it false',
    ],
    [
      "T5's derived activation contradicting feed_forward_proj",
      () => fromHfConfig({ model_type: 't5', feed_forward_proj: 'relu', dense_act_fn: 'gelu_new' }),
      'dense_act_fn',
      't5 config: dense_act_fn is "gelu_new", but feed_forward_proj "relu" makes it "relu"; remove dense_act_fn or make it "relu"',
    ],
    [
      'an alias contradicting its target',
      () => fromHfConfig({ model_type: 'm2m_100', d_model: 1024, hidden_size: 512 }),
      'hidden_size',
      'm2m_100 config: hidden_size (512) disagrees with d_model (1024), which Hugging Face reads it as; remove hidden_size or make them equal',
    ],
    [
      "a decoder position offset the AlexaTM class can't have",
      () => fromHfConfig({ model_type: 'alexatm', extra_pos_embeddings: 3 }),
      'extra_pos_embeddings',
      'alexatm config: extra_pos_embeddings is 3, but AlexaTMSeq2SeqForConditionalGeneration (its decoder position table hard-codes an offset of 2) makes it 2; remove extra_pos_embeddings or make it 2',
    ],
    [
      'relative position embeddings in AlexaTM',
      () => fromHfConfig({ model_type: 'alexatm', position_embedding_type: 'relative_key' }),
      'position_embedding_type',
      'alexatm config: position_embedding_type is "relative_key", but AlexaTMSeq2SeqForConditionalGeneration (learned absolute positions only) makes it "absolute"; remove position_embedding_type or make it "absolute"',
    ],
    [
      'an unknown LayerNorm variant',
      () => fromHfConfig({ model_type: 'alexatm', layer_norm_variant: 'rms' }),
      'layer_norm_variant',
      'alexatm config: layer_norm_variant must be one of "alexatm", "standard" (got "rms")',
    ],
    [
      'a decoder-only config',
      () => fromHfConfig({ model_type: 'mbart', is_encoder_decoder: false }),
      'is_encoder_decoder',
      'mbart config: is_encoder_decoder is false, but model_type "mbart" (an encoder-decoder) makes it true; remove is_encoder_decoder or make it true',
    ],
  ];

  for (const [what, fn, field, message] of cases) {
    it(what, () => {
      const error = configError(fn);
      expect(error.field).toBe(field);
      expect(error.message).toBe(message);
    });
  }

  it('a config file error names the file first', () => {
    const dir = tempDir('config');
    writeConfigFile(dir, PRESETS['t5-small']);
    const file = path.join(dir, 'config.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    json['num_heads'] = 0;
    writeFileSync(file, JSON.stringify(json)); // the broken file a user might have
    expect(() => readConfigFile(dir)).toThrow(`${file}: t5 config: num_heads must be a positive integer (got 0); use a whole number ≥ 1`);
  });
});

