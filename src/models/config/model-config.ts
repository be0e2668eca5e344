// Any supported model's configuration, and the two doors to Hugging Face's config.json: fromHfConfig
// dispatches on model_type to the family readers (t5.ts, bart.ts, alexatm.ts), toHfConfig on the
// config's family. Key policy for everything a config.json may hold: hf-keys.ts.

import { alexatmFromHfConfig, alexatmToHfConfig, type AlexaTMConfig } from './alexatm.js';
import { BART_MODEL_TYPES, bartFromHfConfig, bartToHfConfig, type BartConfig } from './bart.js';
import { ConfigError } from './config-error.js';
import { isJsonObject, showValue, type JsonObject } from './json.js';
import { T5_MODEL_TYPES, t5FromHfConfig, t5ToHfConfig, type T5Config } from './t5.js';

export type ModelConfig = T5Config | BartConfig | AlexaTMConfig;
export type ModelFamily = ModelConfig['family'];

/** Every model_type polyseq reads, by family. */
export const MODEL_TYPES: readonly string[] = [...T5_MODEL_TYPES, ...BART_MODEL_TYPES, 'alexatm'];

/** Model types of encoder-decoder families transformers has that polyseq does not implement, with the nearest one it does. */
const UNSUPPORTED_HINTS: Readonly<Record<string, string>> = {
  umt5: 'UMT5 has a relative attention bias in every layer; T5 checkpoints (t5, mt5) are supported',
  longt5: 'LongT5 uses local/transient-global attention; T5 checkpoints (t5, mt5) are supported',
  'nllb-moe': 'NLLB-MoE has mixture-of-experts layers; dense NLLB checkpoints (model_type "m2m_100") are supported',
  marian: 'Marian is not implemented; BART-family checkpoints (bart, mbart, m2m_100) are supported',
  mt5_encoder: 'encoder-only checkpoints are not supported',
};

/** Reads a parsed config.json into a typed, validated, frozen config of its family. */
export function fromHfConfig(json: unknown): ModelConfig {
  if (!isJsonObject(json)) {
    throw new ConfigError('model_type', `config.json must hold a JSON object (got ${showValue(json)})`);
  }
  const modelType = json['model_type'];
  if (modelType === undefined) {
    throw new ConfigError('model_type', `config.json has no model_type; add one of ${MODEL_TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  if (typeof modelType === 'string') {
    if ((T5_MODEL_TYPES as readonly string[]).includes(modelType)) return t5FromHfConfig(json);
    if ((BART_MODEL_TYPES as readonly string[]).includes(modelType)) return bartFromHfConfig(json);
    if (modelType === 'alexatm') return alexatmFromHfConfig(json);
  }
  const hint = typeof modelType === 'string' ? UNSUPPORTED_HINTS[modelType] : undefined;
  throw new ConfigError(
    'model_type',
    `config.json: model_type ${showValue(modelType)} is not supported${hint ? ` (${hint})` : ''}; polyseq reads ${MODEL_TYPES.map((t) => `"${t}"`).join(', ')}`,
  );
}

/** The config.json (sorted keys) that Hugging Face's class for this config would read back as the same model. */
export function toHfConfig(config: ModelConfig): JsonObject {
  switch (config.family) {
    case 't5':
      return t5ToHfConfig(config);
    case 'bart':
      return bartToHfConfig(config);
    case 'alexatm':
      return alexatmToHfConfig(config);
  }
}

/** The JSON text of toHfConfig, as transformers' save_pretrained writes it (2-space indent, trailing newline). */
export function hfConfigText(config: ModelConfig): string {
  return `${JSON.stringify(toHfConfig(config), null, 2)}\n`;
}
