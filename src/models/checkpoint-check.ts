// Checks that a checkpoint's weights are what its config.json describes, before any tensor data is
// read: layer counts, tied or untied heads and embeddings, then every stored tensor's presence, dtype
// and shape. A contradiction between config.json and the weights is a ConfigError naming the field;
// a missing, unexpected or ill-typed tensor a WeightFileError naming the tensor.

import path from 'node:path';
import { ConfigError } from './config/config-error.js';
import type { AlexaTMConfig } from './config/alexatm.js';
import type { BartConfig } from './config/bart.js';
import { toHfConfig, type ModelConfig } from './config/model-config.js';
import { stateDictNames, type ParamSpec } from './param-spec.js';
import type { SafetensorsDType } from './weights/safetensors-dtype.js';
import { WeightFileError, type WeightReader } from './weights/weight-reader.js';

export const FLOAT_DTYPES: readonly SafetensorsDType[] = ['F32', 'F16', 'BF16', 'F64'];
const INT_DTYPES: readonly SafetensorsDType[] = ['I64', 'I32'];

/** The class name config.json's model_type selects, for messages. */
export function hfClassOf(config: ModelConfig): string {
  const architectures = toHfConfig(config)['architectures'];
  const first = Array.isArray(architectures) ? architectures[0] : undefined;
  return typeof first === 'string' ? first : `${config.modelType} model`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const show = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Where each family numbers its layers: [stack, name pattern, config.json field, count]. */
function layerStacks(config: BartConfig | AlexaTMConfig): [string, RegExp, string, number][] {
  const encoder = config.family === 'alexatm' ? /^model\.encoder\.pre_ln_encoder\.layer\.(\d+)\./ : /^model\.encoder\.layers\.(\d+)\./;
  return [
    ['encoder', encoder, 'encoder_layers', config.encoderLayers],
    ['decoder', /^model\.decoder\.layers\.(\d+)\./, 'decoder_layers', config.decoderLayers],
  ];
}

/** The config.json fields that set each axis of a tensor, by its role in the model. */
function axisFields(name: string, spec: ParamSpec): string[] {
  const ffn = name.startsWith('model.decoder.') ? 'decoder_ffn_dim' : 'encoder_ffn_dim';
  if (name === 'final_logits_bias') return ['1', 'vocab_size'];
  if (/(shared|embed_tokens|lm_head)\.weight$/.test(name)) return ['vocab_size', 'd_model'];
  if (/embed_positions\.weight$/.test(name)) return ['max_position_embeddings + 2', 'd_model'];
  if (/position_embeddings\.weight$/.test(name)) return ['max_position_embeddings', 'd_model'];
  if (/token_type_embeddings\.weight$/.test(name)) return ['type_vocab_size', 'd_model'];
  if (/(fc1|intermediate\.dense)\.(weight|bias)$/.test(name)) return [ffn, 'd_model'];
  if (/(fc2|[0-9]\.output\.dense)\.weight$/.test(name)) return ['d_model', ffn];
  return spec.shape.map(() => 'd_model');
}

/**
 * Throws unless `reader` holds exactly the tensors `specs` (the config's parameter spec) stores, each
 * with a float dtype (integer for index buffers) and its shape. Tied copies and buffers the class
 * computes may be present too (they are not read). final_logits_bias and index buffers may be absent,
 * as transformers allows (zeros and 0..n−1 are used).
 */
export function checkWeights(reader: WeightReader, config: BartConfig | AlexaTMConfig, specs: readonly ParamSpec[], where: string): void {
  const file = path.join(where, 'config.json');
  const contradiction = (field: string, message: string): never => {
    throw new ConfigError(field, `${file} contradicts the weights in ${where}: ${message}`);
  };
  const names = reader.names;

  for (const [stack, pattern, field, count] of layerStacks(config)) {
    let stored = 0;
    for (const n of names) {
      const m = pattern.exec(n);
      if (m) stored = Math.max(stored, Number(m[1]) + 1);
    }
    if (stored !== count) {
      contradiction(field, `${field} is ${count} but the weights have ${stored} ${stack} layers; set ${field} to ${stored}`);
    }
  }
  if (!config.tieWordEmbeddings && !reader.has('lm_head.weight')) {
    contradiction('tie_word_embeddings', 'tie_word_embeddings is false but the weights have no lm_head.weight; set tie_word_embeddings to true if the head shares the embeddings');
  }
  if (config.family === 'alexatm' && !config.shareEmbeddings && !reader.has('model.decoder.embed_tokens.weight')) {
    contradiction('share_embeddings', 'share_embeddings is false but the weights have no model.decoder.embed_tokens.weight; set share_embeddings to true if the decoder reads model.shared');
  }

  const allowed = new Set([...stateDictNames(specs), ...specs.filter((s) => s.kind === 'buffer').map((s) => s.name)]);
  const unexpected = names.filter((n) => !allowed.has(n));
  if (unexpected.length > 0) {
    const shown = unexpected.slice(0, 5).map((n) => `"${n}"`).join(', ');
    throw new WeightFileError(
      where,
      `holds ${unexpected.length} tensor${unexpected.length === 1 ? '' : 's'} that a ${hfClassOf(config)} of this config.json does not have (${shown}${unexpected.length > 5 ? ', …' : ''}); the weights are of another architecture or config.json does not describe them`,
    );
  }

  for (const s of specs) {
    if (!reader.has(s.name)) {
      const optional = s.tiedTo !== undefined || s.kind === 'buffer';
      if (optional) continue;
      throw new WeightFileError(where, `tensor "${s.name}" ${show(s.shape)} is missing; the checkpoint is incomplete or not a ${hfClassOf(config)}`);
    }
    const info = reader.info(s.name);
    const dtypes = s.dtype === 'int64' ? INT_DTYPES : FLOAT_DTYPES;
    if (!dtypes.includes(info.dtype)) {
      throw new WeightFileError(where, `tensor "${s.name}" is ${info.dtype}; it must be ${dtypes.join(', ')}`);
    }
    if (info.shape.length !== s.shape.length) {
      throw new WeightFileError(where, `tensor "${s.name}" is ${show(info.shape)}, of rank ${info.shape.length}; a ${hfClassOf(config)} stores it as ${show(s.shape)}`);
    }
    if (!sameShape(info.shape, s.shape)) {
      const fields = axisFields(s.name, s);
      const axis = Math.max(0, s.shape.findIndex((d, i) => info.shape[i] !== d));
      const field = (fields[Math.min(axis, fields.length - 1)] ?? 'd_model').replace(/ \+ 2$/, '');
      contradiction(
        field,
        `tensor "${s.name}" is ${show(info.shape)} in the weights, but config.json makes it ${show(s.shape)} ([${fields.join(', ')}]); check ${field}`,
      );
    }
  }
}
