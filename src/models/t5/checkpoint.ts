// T5 checkpoints in the Hugging Face layout: config.json, model.safetensors (or shards with an index) and
// spiece.model. Loading checks the stored tensors against the config's parameter spec before reading any
// data — a contradiction between config.json and the weights is a ConfigError naming the field; a missing,
// unexpected or ill-typed tensor a WeightFileError naming it — then reads each tensor once, as float32.
// (The BART family and AlexaTM load through models/checkpoint.ts; T5's structure checks differ.)

import fs from 'node:fs';
import path from 'node:path';
import { isFloat } from '../../core/dtype.js';
import { NDArray } from '../../core/ndarray.js';
import { flatten, type Tree } from '../../core/tree.js';
import { SentencePieceProcessor } from '../../tokenizer/processor.js';
import { Vocabulary } from '../../tokenizer/vocabulary.js';
import { FLOAT_DTYPES, sameShape } from '../checkpoint-check.js';
import { writeCheckpointFolder } from '../checkpoint-folder.js';
import { ConfigError } from '../config/config-error.js';
import { readConfigFile } from '../config/config-file.js';
import { hfConfigText } from '../config/model-config.js';
import type { T5Config } from '../config/t5.js';
import { checkpointNames, stateDictNames, type ParamSpec } from '../param-spec.js';
import { writeFileAtomic } from '../weights/atomic-file.js';
import { openCheckpointWeights, writeCheckpointWeights, type WriteCheckpointOptions } from '../weights/sharded.js';
import { WeightFileError, type WeightReader } from '../weights/weight-reader.js';
import { t5ParamSpec } from './param-spec.js';
import { buildT5Params, type T5Params } from './params.js';

/** T5Tokenizer's SentencePiece file name in a checkpoint folder. */
export const T5_TOKENIZER_FILE = 'spiece.model';

export interface LoadedT5 {
  readonly family: 't5';
  readonly config: T5Config;
  readonly params: T5Params<NDArray>;
  /** The folder's spiece.model as T5's vocabulary (100 sentinels after the pieces), or null when absent. */
  readonly vocabulary: Vocabulary | null;
}

/** Reads a T5/mT5 checkpoint folder: config.json, its weights (F32, F16, BF16 or F64; converted to float32), spiece.model. */
export async function loadT5(dir: string): Promise<LoadedT5> {
  const config = readConfigFile(dir);
  if (config.family !== 't5') {
    throw new ConfigError('model_type', `${path.join(dir, 'config.json')}: model_type "${config.modelType}" is not a T5 model ("t5", "mt5"); load it with loadModel (src/models/checkpoint.ts)`);
  }
  const reader = openCheckpointWeights(dir);
  let params: T5Params<NDArray>;
  try {
    params = readT5Params(reader, config, dir);
  } finally {
    reader.close();
  }
  return { family: 't5', config, params, vocabulary: await loadT5Vocabulary(dir, config) };
}

async function loadT5Vocabulary(dir: string, config: T5Config): Promise<Vocabulary | null> {
  const file = path.join(dir, T5_TOKENIZER_FILE);
  if (!fs.existsSync(file)) return null;
  const vocabulary = Vocabulary.t5(await SentencePieceProcessor.load(file));
  if (vocabulary.size > config.vocabSize) {
    throw new ConfigError(
      'vocab_size',
      `${path.join(dir, 'config.json')}: vocab_size is ${config.vocabSize} but ${T5_TOKENIZER_FILE} with T5's 100 sentinels has ${vocabulary.size} ids; the model cannot embed them all — use the tokenizer the model was trained with`,
    );
  }
  return vocabulary;
}

/** Builds the parameter tree from an open checkpoint, after checking it holds exactly what `config` describes. */
export function readT5Params(reader: WeightReader, config: T5Config, where: string): T5Params<NDArray> {
  const specs = t5ParamSpec(config);
  checkAgainstConfig(reader, config, specs, where);
  return buildT5Params(config, (s) => reader.read(s.name, { as: 'float32' }));
}

/** The tensors of `params` by checkpoint name, in the order save_pretrained's state dict has them. */
export function t5CheckpointTensors(config: T5Config, params: T5Params<NDArray>): [string, NDArray][] {
  const flat = flatten(params as unknown as Tree<NDArray>, (v): v is NDArray => v instanceof NDArray, 'NDArray');
  const byName = new Map(flat.paths.map((p, i) => [p, flat.leaves[i]!]));
  const specs = t5ParamSpec(config);
  const names = new Set(checkpointNames(specs));
  const unknown = flat.paths.filter((p) => !names.has(p));
  if (unknown.length > 0) {
    throw new RangeError(`saveT5: the parameters hold ${unknown.map((n) => `"${n}"`).join(', ')}, which this config's T5 does not have; build them with initT5Params or loadT5 for this config`);
  }
  return specs
    .filter((s) => names.has(s.name))
    .map((s): [string, NDArray] => {
      const array = byName.get(s.name);
      if (array === undefined) throw new RangeError(`saveT5: the parameters have no "${s.name}"; build them with initT5Params or loadT5 for this config`);
      if (!isFloat(array.dtype) || !sameShape(array.shape, s.shape)) {
        throw new RangeError(`saveT5: "${s.name}" is ${array.dtype} [${array.shape.join(', ')}]; the config needs a float tensor of shape [${s.shape.join(', ')}]`);
      }
      return [s.name, array];
    });
}

export interface SaveT5Options extends WriteCheckpointOptions {
  /** A SentencePiece model to store as spiece.model beside the weights. */
  readonly tokenizerModelPath?: string;
}

/**
 * Writes `dir` as transformers' save_pretrained does: model.safetensors (sharded with an index past
 * `maxShardSize`; tensors named as T5ForConditionalGeneration names them, tied ones once), spiece.model
 * when given, and config.json last. A new folder appears complete or not at all (written beside it, then
 * renamed; checkpoint-folder.ts, as saveModel); into an existing folder each file is replaced atomically.
 */
export function saveT5(dir: string, config: T5Config, params: T5Params<NDArray>, options: SaveT5Options = {}): void {
  const { tokenizerModelPath, ...weightOptions } = options;
  const tensors = t5CheckpointTensors(config, params);
  let tokenizer: Uint8Array | undefined;
  if (tokenizerModelPath !== undefined) {
    try {
      tokenizer = fs.readFileSync(tokenizerModelPath);
    } catch (e) {
      throw new Error(`saveT5: cannot read the tokenizer model ${tokenizerModelPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  writeCheckpointFolder(dir, 'saveT5', (target) => {
    writeCheckpointWeights(target, tensors, weightOptions);
    if (tokenizer !== undefined) writeFileAtomic(path.join(target, T5_TOKENIZER_FILE), tokenizer);
    writeFileAtomic(path.join(target, 'config.json'), hfConfigText(config));
  });
}

/** The config.json fields that set each axis of a T5 tensor, by the tensor's role (the name's last module). */
function axisFields(name: string): string[] {
  const role = name.split('.').slice(-2, -1)[0];
  switch (role) {
    case 'shared':
    case 'lm_head':
    case 'embed_tokens':
      return ['vocab_size', 'd_model'];
    case 'q':
    case 'k':
    case 'v':
      return ['num_heads', 'd_model'];
    case 'o':
      return ['d_model', 'num_heads'];
    case 'relative_attention_bias':
      return ['relative_attention_num_buckets', 'num_heads'];
    case 'wi':
    case 'wi_0':
    case 'wi_1':
      return ['d_ff', 'd_model'];
    case 'wo':
      return ['d_model', 'd_ff'];
    default:
      return ['d_model'];
  }
}

const AXIS_MEANING: Readonly<Record<string, string>> = {
  vocab_size: 'vocab_size',
  d_model: 'd_model',
  num_heads: 'num_heads · d_kv',
  relative_attention_num_buckets: 'relative_attention_num_buckets',
  d_ff: 'd_ff',
};

/** Highest block index + 1 of a stack among the checkpoint's names (0 if none). */
function blockCount(names: readonly string[], stack: string): number {
  const pattern = new RegExp(`^${stack}\\.block\\.(\\d+)\\.`);
  let count = 0;
  for (const n of names) {
    const m = pattern.exec(n);
    if (m) count = Math.max(count, Number(m[1]) + 1);
  }
  return count;
}

/**
 * Every stored tensor of the spec present with a float dtype and its shape; nothing else but tied
 * duplicates (encoder/decoder.embed_tokens.weight, a tied lm_head.weight). Structural contradictions
 * (layer counts, feed-forward kind, head tying, widths) are reported as the config field they contradict.
 */
function checkAgainstConfig(reader: WeightReader, config: T5Config, specs: readonly ParamSpec[], where: string): void {
  const file = path.join(where, 'config.json');
  const names = reader.names;
  const has = (n: string) => reader.has(n);
  const contradiction = (field: string, message: string): never => {
    throw new ConfigError(field, `${file} contradicts the weights in ${where}: ${message}`);
  };

  for (const [stack, field, count] of [
    ['encoder', 'num_layers', config.numLayers],
    ['decoder', 'num_decoder_layers', config.numDecoderLayers],
  ] as const) {
    const stored = blockCount(names, stack);
    if (stored !== count) contradiction(field, `${field} is ${count} but the checkpoint has ${stored} ${stack} blocks (${stack}.block.0 … ${stack}.block.${stored - 1}); set ${field} to ${stored}`);
  }
  const gated = config.feedForwardProj === 'gated-gelu';
  const relu = has('encoder.block.0.layer.1.DenseReluDense.wi.weight');
  const gatedStored = has('encoder.block.0.layer.1.DenseReluDense.wi_0.weight');
  if (gated && relu && !gatedStored) {
    contradiction('feed_forward_proj', 'feed_forward_proj is "gated-gelu" (wi_0, wi_1, wo) but the checkpoint has a relu feed-forward (DenseReluDense.wi); set feed_forward_proj to "relu"');
  }
  if (!gated && gatedStored && !relu) {
    contradiction('feed_forward_proj', 'feed_forward_proj is "relu" (wi, wo) but the checkpoint has a gated feed-forward (DenseReluDense.wi_0, wi_1); set feed_forward_proj to "gated-gelu"');
  }
  if (!config.tieWordEmbeddings && !has('lm_head.weight')) {
    contradiction('tie_word_embeddings', 'tie_word_embeddings is false but the checkpoint has no lm_head.weight; set tie_word_embeddings to true if the head shares shared.weight');
  }

  const allowed = new Set(stateDictNames(specs));
  const unexpected = names.filter((n) => !allowed.has(n));
  if (unexpected.length > 0) {
    const shown = unexpected.slice(0, 5).map((n) => `"${n}"`).join(', ');
    throw new WeightFileError(
      where,
      `holds ${unexpected.length} tensor${unexpected.length === 1 ? '' : 's'} that a T5 of this config.json does not have (${shown}${unexpected.length > 5 ? ', …' : ''}); the checkpoint is of another architecture or config.json does not describe it`,
      false,
    );
  }

  for (const s of specs) {
    const stored = s.tiedTo === undefined;
    if (!has(s.name)) {
      if (stored) throw new WeightFileError(where, `tensor "${s.name}" [${s.shape.join(', ')}] is missing; the checkpoint is incomplete or not a T5 checkpoint`);
      continue;
    }
    const info = reader.info(s.name);
    if (!FLOAT_DTYPES.includes(info.dtype)) {
      throw new WeightFileError(where, `tensor "${s.name}" is ${info.dtype}; T5 weights must be F32, F16, BF16 or F64`);
    }
    if (!sameShape(info.shape, s.shape)) {
      const fields = axisFields(s.name);
      const axis = s.shape.findIndex((d, i) => info.shape[i] !== d);
      const field = fields[Math.max(0, Math.min(axis, fields.length - 1))]!;
      contradiction(
        field,
        `tensor "${s.name}" is [${info.shape.join(', ')}] in the checkpoint, but config.json makes it [${s.shape.join(', ')}] (${fields.map((f) => AXIS_MEANING[f] ?? f).join(' × ')}); check ${field}`,
      );
    }
  }
}
