// Checkpoint folders in the Hugging Face layout — config.json, model.safetensors (or shards with an
// index) and a SentencePiece model — for every family: loadModel and saveModel are the one entry point
// (T5 dispatches to t5/checkpoint.ts, whose structure checks differ). Loading
// checks the weights against config.json (checkpoint-check.ts) before reading them, one tensor at a
// time, converted to float32; the params are the checkpoint's own names nested on the dots. Saving
// writes what save_pretrained writes (tied tensors once), all-or-nothing when the folder is new
// (checkpoint-folder.ts, shared with saveT5).

import fs from 'node:fs';
import path from 'node:path';
import { isFloat } from '../core/dtype.js';
import { NDArray } from '../core/ndarray.js';
import { SentencePieceProcessor } from '../tokenizer/processor.js';
import { Vocabulary } from '../tokenizer/vocabulary.js';
import type { AlexaTMParams } from './alexatm/model.js';
import type { BartParams } from './bart/model.js';
import { checkWeights, hfClassOf, sameShape } from './checkpoint-check.js';
import { writeCheckpointFolder } from './checkpoint-folder.js';
import type { AlexaTMConfig } from './config/alexatm.js';
import type { BartConfig } from './config/bart.js';
import type { T5Config } from './config/t5.js';
import { ConfigError } from './config/config-error.js';
import { readConfigFile } from './config/config-file.js';
import { isJsonObject } from './config/json.js';
import { hfConfigText } from './config/model-config.js';
import { paramSpec } from './model-size.js';
import { checkpointNames, type ParamSpec } from './param-spec.js';
import { flattenNamed, nestNamed, treeSpecs } from './param-tree.js';
import { loadT5, saveT5, type LoadedT5 } from './t5/checkpoint.js';
import type { T5Params } from './t5/params.js';
import { writeFileAtomic } from './weights/atomic-file.js';
import { openCheckpointWeights, writeCheckpointWeights } from './weights/sharded.js';
import { WeightFileError, type WeightReader } from './weights/weight-reader.js';

export type Seq2SeqConfig = BartConfig | AlexaTMConfig;

export interface LoadedBart {
  readonly family: 'bart';
  readonly config: BartConfig;
  readonly params: BartParams<NDArray>;
  /** The folder's SentencePiece model as the family's vocabulary, or null when there is none. */
  readonly vocabulary: Vocabulary | null;
}

export interface LoadedAlexaTM {
  readonly family: 'alexatm';
  readonly config: AlexaTMConfig;
  readonly params: AlexaTMParams<NDArray>;
  readonly vocabulary: Vocabulary | null;
}

export type LoadedModel = LoadedBart | LoadedAlexaTM | LoadedT5;

/** SentencePiece model file names, as the Hugging Face tokenizers of each family save them. */
export const TOKENIZER_FILES: Readonly<Record<Seq2SeqConfig['family'], string>> = {
  bart: 'sentencepiece.bpe.model', // MBartTokenizer, NllbTokenizer, M2M100Tokenizer
  alexatm: '20b_tokenizer.model', // AlexaTMTokenizerFast
};
const KNOWN_TOKENIZER_FILES = ['spiece.model', 'sentencepiece.bpe.model', '20b_tokenizer.model', 'tokenizer.model'];

// ---- loading --------------------------------------------------------------------------------------

/** Reads a checkpoint folder of any family (T5/mT5 through loadT5): config, checked weights, vocabulary. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const config = readConfigFile(dir);
  if (config.family === 't5') return loadT5(dir);
  const reader = openCheckpointWeights(dir);
  let params: BartParams<NDArray> | AlexaTMParams<NDArray>;
  try {
    params = readParams(reader, config, dir);
  } finally {
    reader.close();
  }
  const vocabulary = await loadVocabulary(dir, config);
  return config.family === 'bart'
    ? { family: 'bart', config, params: params as BartParams<NDArray>, vocabulary }
    : { family: 'alexatm', config, params: params as AlexaTMParams<NDArray>, vocabulary };
}

/** The params tree from an open checkpoint, after checking it holds exactly what `config` describes. */
export function readParams(reader: WeightReader, config: BartConfig, where: string): BartParams<NDArray>;
export function readParams(reader: WeightReader, config: AlexaTMConfig, where: string): AlexaTMParams<NDArray>;
export function readParams(reader: WeightReader, config: Seq2SeqConfig, where: string): BartParams<NDArray> | AlexaTMParams<NDArray>;
export function readParams(reader: WeightReader, config: Seq2SeqConfig, where: string): BartParams<NDArray> | AlexaTMParams<NDArray> {
  const specs = paramSpec(config);
  checkWeights(reader, config, specs, where);
  for (const s of specs) if (s.dtype === 'int64' && reader.has(s.name)) checkIndexBuffer(reader.read(s.name, { as: 'int64' }), s, where);
  const entries = treeSpecs(specs).map((s): [string, NDArray] => [
    s.name,
    reader.has(s.name) ? reader.read(s.name, { as: 'float32' }) : NDArray.zeros('float32', s.shape), // an absent final_logits_bias is zeros
  ]);
  return nestNamed(entries) as unknown as BartParams<NDArray> | AlexaTMParams<NDArray>;
}

/** 0, 1, …, n − 1 along the last axis: what an index buffer (AlexaTM's position_ids) must hold. */
function indexBuffer(s: ParamSpec): NDArray {
  const n = s.shape[s.shape.length - 1]!;
  return NDArray.from('int64', s.shape, Array.from({ length: s.shape.reduce((a, d) => a * d, 1) }, (_, i) => i % n));
}

function checkIndexBuffer(stored: NDArray, s: ParamSpec, where: string): void {
  const expected = indexBuffer(s).data as BigInt64Array;
  const at = (stored.data as BigInt64Array).findIndex((v, i) => v !== expected[i]);
  if (at >= 0) {
    throw new WeightFileError(where, `tensor "${s.name}" holds ${stored.get(at)} at element ${at} where 0, 1, 2, … was expected; polyseq numbers positions itself and cannot use other position ids`);
  }
}

async function loadVocabulary(dir: string, config: Seq2SeqConfig): Promise<Vocabulary | null> {
  const file = KNOWN_TOKENIZER_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (file === undefined) return null;
  const tokenizerClass = readTokenizerClass(dir);
  if (/^M2M100Tokenizer/.test(tokenizerClass ?? '')) return null; // its ids come from vocab.json, which polyseq does not read
  const processor = await SentencePieceProcessor.load(file);
  const vocabulary =
    config.family === 'alexatm'
      ? Vocabulary.alexatm(processor)
      : config.modelType === 'mbart'
        ? Vocabulary.mbart(processor)
        : config.modelType === 'm2m_100'
          ? Vocabulary.nllb(processor)
          : Vocabulary.sentencePiece(processor);
  if (vocabulary.size > config.vocabSize) {
    throw new ConfigError(
      'vocab_size',
      `${path.join(dir, 'config.json')}: vocab_size is ${config.vocabSize} but the tokenizer ${path.basename(file)} has ${vocabulary.size} ids; the model cannot embed them all — use the tokenizer the model was trained with`,
    );
  }
  return vocabulary;
}

function readTokenizerClass(dir: string): string | undefined {
  const file = path.join(dir, 'tokenizer_config.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const value = isJsonObject(json) ? json['tokenizer_class'] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined; // an unreadable tokenizer_config.json only loses the hint
  }
}

// ---- saving ---------------------------------------------------------------------------------------

/** The tensors save_pretrained writes for `params`, in state-dict order: tied copies once, index buffers rebuilt. */
export function checkpointTensors(config: Seq2SeqConfig, params: BartParams<NDArray> | AlexaTMParams<NDArray>): [string, NDArray][] {
  const specs = paramSpec(config);
  const stored = new Set(checkpointNames(specs));
  const byName = new Map(flattenNamed(params, (v): v is NDArray => v instanceof NDArray));
  const expected = new Set(treeSpecs(specs).map((s) => s.name));
  const extra = [...byName.keys()].filter((n) => !expected.has(n));
  if (extra.length > 0) {
    throw new RangeError(
      `saveModel: the params hold ${extra.slice(0, 5).map((n) => `"${n}"`).join(', ')}${extra.length > 5 ? ', …' : ''}, which a ${hfClassOf(config)} of this config does not have; build them with initParams or loadModel for this config`,
    );
  }
  return specs
    .filter((s) => stored.has(s.name))
    .map((s): [string, NDArray] => {
      if (s.dtype === 'int64') return [s.name, indexBuffer(s)];
      const array = byName.get(s.name);
      if (array === undefined) throw new RangeError(`saveModel: the params have no "${s.name}" [${s.shape.join(', ')}]; build them with initParams or loadModel for this config`);
      if (!isFloat(array.dtype) || !sameShape(array.shape, s.shape)) {
        throw new RangeError(`saveModel: "${s.name}" is ${array.dtype} [${array.shape.join(', ')}]; this config needs a float tensor of shape [${s.shape.join(', ')}]`);
      }
      return [s.name, array];
    });
}

/**
 * Writes `dir` as save_pretrained does: config.json, model.safetensors (tied tensors once), and the
 * SentencePiece model `tokenizerModelPath` under the family's file name. A new folder appears complete
 * or not at all (written beside it, then renamed); into an existing folder each file is replaced
 * atomically, weights first and config.json last.
 */
export function saveModel(dir: string, config: BartConfig, params: BartParams<NDArray>, tokenizerModelPath?: string): void;
export function saveModel(dir: string, config: AlexaTMConfig, params: AlexaTMParams<NDArray>, tokenizerModelPath?: string): void;
export function saveModel(dir: string, config: T5Config, params: T5Params<NDArray>, tokenizerModelPath?: string): void;
export function saveModel(
  dir: string,
  config: Seq2SeqConfig | T5Config,
  params: BartParams<NDArray> | AlexaTMParams<NDArray> | T5Params<NDArray>,
  tokenizerModelPath?: string,
): void;
export function saveModel(
  dir: string,
  config: Seq2SeqConfig | T5Config,
  params: BartParams<NDArray> | AlexaTMParams<NDArray> | T5Params<NDArray>,
  tokenizerModelPath?: string,
): void {
  if (config.family === 't5') {
    saveT5(dir, config, params as T5Params<NDArray>, tokenizerModelPath === undefined ? {} : { tokenizerModelPath });
    return;
  }
  saveSeq2Seq(dir, config, params as BartParams<NDArray> | AlexaTMParams<NDArray>, tokenizerModelPath);
}

function saveSeq2Seq(dir: string, config: Seq2SeqConfig, params: BartParams<NDArray> | AlexaTMParams<NDArray>, tokenizerModelPath: string | undefined): void {
  const tensors = checkpointTensors(config, params);
  const tokenizer = tokenizerModelPath === undefined ? undefined : readTokenizerModel(tokenizerModelPath);
  const write = (target: string) => {
    writeCheckpointWeights(target, tensors);
    if (tokenizer !== undefined) writeFileAtomic(path.join(target, TOKENIZER_FILES[config.family]), tokenizer);
    writeFileAtomic(path.join(target, 'config.json'), hfConfigText(config));
  };
  writeCheckpointFolder(dir, 'saveModel', write);
}

function readTokenizerModel(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`saveModel: cannot read the tokenizer model ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
