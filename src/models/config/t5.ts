// The T5 family's configuration — T5 v1.0, T5 v1.1, mT5 and Flan-T5 are one architecture whose
// variants are options (`feedForwardProj` relu | gated-gelu, `tieWordEmbeddings`). Typed, frozen and
// validated; read from and written to config.json with the keys and defaults of transformers' T5Config
// (model_type "t5") and MT5Config ("mt5"). Key policy: hf-keys.ts.

import type { Activation } from './activation.js';
import {
  checkDropRate,
  checkOneOf,
  checkPositiveInt,
  checkPositiveNumber,
  checkBoolean,
  checkTokenId,
} from './field-checks.js';
import { HfConfigReader } from './hf-reader.js';
import { ConfigError } from './config-error.js';
import { deepFreeze, showValue, sortKeys, type JsonObject, type JsonValue } from './json.js';
import { withDefaults } from './options.js';

export const T5_MODEL_TYPES = ['t5', 'mt5'] as const;
export type T5ModelType = (typeof T5_MODEL_TYPES)[number];

/** `relu`: T5 v1.0 (wi, wo). `gated-gelu`: v1.1, mT5, Flan-T5 (wi_0, wi_1, wo; tanh-approximated GELU). */
export const T5_FEED_FORWARD_PROJS = ['relu', 'gated-gelu'] as const;
export type T5FeedForwardProj = (typeof T5_FEED_FORWARD_PROJS)[number];

export interface T5Config {
  readonly family: 't5';
  readonly modelType: T5ModelType;
  readonly vocabSize: number;
  readonly dModel: number;
  /** Width of one head's query/key/value; attention's inner width is numHeads · dKv (need not be dModel). */
  readonly dKv: number;
  readonly dFf: number;
  /** Encoder layers. */
  readonly numLayers: number;
  readonly numDecoderLayers: number;
  readonly numHeads: number;
  readonly relativeAttentionNumBuckets: number;
  readonly relativeAttentionMaxDistance: number;
  readonly dropoutRate: number;
  /** Epsilon of T5's RMS LayerNorm (no mean, no bias). */
  readonly layerNormEpsilon: number;
  readonly initializerFactor: number;
  readonly feedForwardProj: T5FeedForwardProj;
  /** LM head shares `shared.weight` (v1.0); when tied, decoder output is scaled by dModel^-0.5 first. */
  readonly tieWordEmbeddings: boolean;
  readonly padTokenId: number;
  readonly eosTokenId: number;
  readonly decoderStartTokenId: number;
  /** Kept config.json keys that change neither architecture nor weights (hf-keys.ts), written back verbatim. */
  readonly hfExtras: JsonObject;
}

export type T5Options = Partial<Omit<T5Config, 'family'>>;

type T5Defaults = Omit<T5Config, 'family' | 'modelType' | 'numDecoderLayers' | 'hfExtras'>;

/** transformers' T5Config defaults (t5-small's shape); `decoderStartTokenId` 0 = pad, as T5 checkpoints set it. */
const T5_DEFAULTS: T5Defaults = {
  vocabSize: 32128,
  dModel: 512,
  dKv: 64,
  dFf: 2048,
  numLayers: 6,
  numHeads: 8,
  relativeAttentionNumBuckets: 32,
  relativeAttentionMaxDistance: 128,
  dropoutRate: 0.1,
  layerNormEpsilon: 1e-6,
  initializerFactor: 1,
  feedForwardProj: 'relu',
  tieWordEmbeddings: true,
  padTokenId: 0,
  eosTokenId: 1,
  decoderStartTokenId: 0,
};

/** transformers' MT5Config defaults (mt5-small's shape). */
const MT5_DEFAULTS: T5Defaults = {
  ...T5_DEFAULTS,
  vocabSize: 250112,
  dFf: 1024,
  numLayers: 8,
  numHeads: 6,
  feedForwardProj: 'gated-gelu',
  tieWordEmbeddings: false,
};

const DEFAULTS: Readonly<Record<T5ModelType, T5Defaults>> = { t5: T5_DEFAULTS, mt5: MT5_DEFAULTS };
const HF_CLASS: Readonly<Record<T5ModelType, string>> = { t5: 'T5ForConditionalGeneration', mt5: 'MT5ForConditionalGeneration' };

/** Keys T5Config accepts that change neither the architecture nor the weights; kept verbatim. */
const T5_KEPT_KEYS: ReadonlySet<string> = new Set([
  'n_positions', // legacy: T5 has no absolute positions, transformers ignores it
]);

/** The activation inside the feed-forward: T5Config's derived `dense_act_fn`. */
export function t5DenseActivation(proj: T5FeedForwardProj): Activation {
  return proj === 'gated-gelu' ? 'gelu_new' : 'relu';
}

/** A validated, frozen T5 config: `options` over the defaults of its model type (t5 unless given). */
export function t5Config(options: T5Options = {}): T5Config {
  const config = mergeT5(options);
  validateT5(config);
  return deepFreeze({ ...config, hfExtras: structuredClone(config.hfExtras) });
}

function mergeT5(options: T5Options): T5Config {
  const modelType = options.modelType ?? 't5';
  checkOneOf('t5 config', 'model_type', modelType, T5_MODEL_TYPES, 'use fromHfConfig() for other families');
  const merged = withDefaults<Omit<T5Config, 'family'>>(
    { ...DEFAULTS[modelType], modelType, numDecoderLayers: NaN, hfExtras: { architectures: [HF_CLASS[modelType]] } },
    options,
  );
  // Like T5Config: the decoder is as deep as the encoder unless told otherwise.
  const numDecoderLayers = options.numDecoderLayers ?? merged.numLayers;
  return { family: 't5', ...merged, numDecoderLayers };
}

function validateT5(c: T5Config): void {
  const ctx = `${c.modelType} config`;
  checkPositiveInt(ctx, 'vocab_size', c.vocabSize);
  checkPositiveInt(ctx, 'd_model', c.dModel);
  checkPositiveInt(ctx, 'd_kv', c.dKv);
  checkPositiveInt(ctx, 'd_ff', c.dFf);
  checkPositiveInt(ctx, 'num_layers', c.numLayers);
  checkPositiveInt(ctx, 'num_decoder_layers', c.numDecoderLayers);
  checkPositiveInt(ctx, 'num_heads', c.numHeads);
  checkPositiveInt(ctx, 'relative_attention_num_buckets', c.relativeAttentionNumBuckets);
  checkPositiveInt(ctx, 'relative_attention_max_distance', c.relativeAttentionMaxDistance);
  checkDropRate(ctx, 'dropout_rate', c.dropoutRate);
  checkPositiveNumber(ctx, 'layer_norm_epsilon', c.layerNormEpsilon);
  checkPositiveNumber(ctx, 'initializer_factor', c.initializerFactor);
  checkOneOf(
    ctx,
    'feed_forward_proj',
    c.feedForwardProj,
    T5_FEED_FORWARD_PROJS,
    'polyseq implements T5 v1.0 (relu) and v1.1/mT5/Flan-T5 (gated-gelu) feed-forwards',
  );
  checkBoolean(ctx, 'tie_word_embeddings', c.tieWordEmbeddings);
  checkTokenId(ctx, 'pad_token_id', c.padTokenId, c.vocabSize);
  checkTokenId(ctx, 'eos_token_id', c.eosTokenId, c.vocabSize);
  checkTokenId(ctx, 'decoder_start_token_id', c.decoderStartTokenId, c.vocabSize);
}

/** Reads a T5/mT5 config.json (already parsed); absent keys take the defaults of its model_type. */
export function t5FromHfConfig(json: JsonObject): T5Config {
  const modelType = json['model_type'];
  if (modelType !== 't5' && modelType !== 'mt5') {
    throw wrongFamily(modelType);
  }
  const ctx = `${modelType} config`;
  const d = DEFAULTS[modelType];
  const r = new HfConfigReader(json, ctx);
  r.alias('hidden_size', 'd_model');
  r.alias('num_attention_heads', 'num_heads');
  r.alias('num_hidden_layers', 'num_layers');
  r.string('model_type', modelType);
  const numLayers = r.number('num_layers', d.numLayers);
  const feedForwardProj = r.string('feed_forward_proj', d.feedForwardProj) as T5FeedForwardProj;
  const options: T5Options = {
    modelType,
    vocabSize: r.number('vocab_size', d.vocabSize),
    dModel: r.number('d_model', d.dModel),
    dKv: r.number('d_kv', d.dKv),
    dFf: r.number('d_ff', d.dFf),
    numLayers,
    numDecoderLayers: r.numberOrNull('num_decoder_layers', null) ?? numLayers,
    numHeads: r.number('num_heads', d.numHeads),
    relativeAttentionNumBuckets: r.number('relative_attention_num_buckets', d.relativeAttentionNumBuckets),
    relativeAttentionMaxDistance: r.number('relative_attention_max_distance', d.relativeAttentionMaxDistance),
    dropoutRate: r.number('dropout_rate', d.dropoutRate),
    layerNormEpsilon: r.number('layer_norm_epsilon', d.layerNormEpsilon),
    initializerFactor: r.number('initializer_factor', d.initializerFactor),
    feedForwardProj,
    tieWordEmbeddings: r.bool('tie_word_embeddings', d.tieWordEmbeddings),
    padTokenId: r.number('pad_token_id', d.padTokenId),
    eosTokenId: r.number('eos_token_id', d.eosTokenId),
    decoderStartTokenId: r.number('decoder_start_token_id', d.decoderStartTokenId),
  };
  // Validate before the derived checks, so an unsupported feed_forward_proj is reported as itself.
  validateT5(mergeT5(options));
  r.derived('dense_act_fn', t5DenseActivation(feedForwardProj), `feed_forward_proj ${JSON.stringify(feedForwardProj)}`);
  r.derived('is_gated_act', feedForwardProj === 'gated-gelu', `feed_forward_proj ${JSON.stringify(feedForwardProj)}`);
  r.derived('is_encoder_decoder', true, 'the T5 architecture (an encoder-decoder)');
  return t5Config({ ...options, hfExtras: r.rest(T5_KEPT_KEYS) });
}

/** The config.json Hugging Face's T5Config/MT5Config would write for `config` (sorted keys). */
export function t5ToHfConfig(config: T5Config): JsonObject {
  const out: Record<string, JsonValue> = {
    ...config.hfExtras,
    model_type: config.modelType,
    vocab_size: config.vocabSize,
    d_model: config.dModel,
    d_kv: config.dKv,
    d_ff: config.dFf,
    num_layers: config.numLayers,
    num_decoder_layers: config.numDecoderLayers,
    num_heads: config.numHeads,
    relative_attention_num_buckets: config.relativeAttentionNumBuckets,
    relative_attention_max_distance: config.relativeAttentionMaxDistance,
    dropout_rate: config.dropoutRate,
    layer_norm_epsilon: config.layerNormEpsilon,
    initializer_factor: config.initializerFactor,
    feed_forward_proj: config.feedForwardProj,
    dense_act_fn: t5DenseActivation(config.feedForwardProj),
    is_gated_act: config.feedForwardProj === 'gated-gelu',
    tie_word_embeddings: config.tieWordEmbeddings,
    is_encoder_decoder: true,
    pad_token_id: config.padTokenId,
    eos_token_id: config.eosTokenId,
    decoder_start_token_id: config.decoderStartTokenId,
  };
  return sortKeys(out);
}

function wrongFamily(modelType: JsonValue | undefined): ConfigError {
  return new ConfigError(
    'model_type',
    `t5 config: model_type ${showValue(modelType ?? null)} is not a T5 family type ("t5", "mt5"); use fromHfConfig() to read any supported family`,
  );
}
