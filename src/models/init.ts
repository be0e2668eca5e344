// Random initial parameters for a config, drawn as transformers' _init_weights draws them: nn.Linear and
// nn.Embedding weights ~ N(0, std²) (BART/M2M100: init_std; AlexaTM: init_std, which its seq2seq
// class applies to every module), biases and final_logits_bias 0, norm weights 1, the padding row of
// token embeddings 0 — with one departure: AlexaTM's token_type_embeddings start at 0. The encoder adds
// row 0 to every position, so a random row is a constant offset as large as the token embeddings; it
// stalled learning to copy (tiny preset, random 20–39-token sequences over 500 symbols: stuck at
// ln 500 after 1,500 updates with it, copying by ~300 without it; an independent PyTorch model agrees).
// Every tensor has its own stream keyed by (seed, name): adding a layer or changing one shape leaves the
// other tensors' values unchanged. initParams is the one entry point for every family: a T5 config is
// drawn by initT5Params (t5/params.ts), as T5PreTrainedModel draws it.

import { NDArray } from '../core/ndarray.js';
import { filledArray, normalArray } from '../nn/init.js';
import type { AlexaTMParams } from './alexatm/model.js';
import type { BartParams } from './bart/model.js';
import type { AlexaTMConfig } from './config/alexatm.js';
import type { BartConfig } from './config/bart.js';
import { paramSpec } from './model-size.js';
import type { T5Config } from './config/t5.js';
import { nestNamed, treeSpecs } from './param-tree.js';
import type { ParamSpec } from './param-spec.js';
import { initT5Params, type T5Params } from './t5/params.js';
import { tensorSeed } from '../core/tensor-seed.js';

export { tensorSeed } from '../core/tensor-seed.js';

/** Rows of embedding tables that transformers zeroes at init (nn.Embedding padding_idx). */
function paddingRow(config: BartConfig | AlexaTMConfig, name: string): number | undefined {
  if (name === 'model.shared.weight' || name.endsWith('.embed_tokens.weight')) return config.padTokenId;
  if (config.family === 'alexatm' && name === 'model.decoder.embed_positions.weight') return 1; // its padding_idx is hard-coded
  return undefined;
}

/** Added to every encoder position (row 0), so it starts at 0: see the header. */
const ALEXATM_TOKEN_TYPES = 'model.encoder.token_type_embeddings.weight';

function initTensor(config: BartConfig | AlexaTMConfig, s: ParamSpec, seed: bigint): NDArray {
  const isNorm = s.shape.length === 1 && s.name.endsWith('.weight'); // every Linear and Embedding weight is 2-D
  if (s.name === 'final_logits_bias' || s.name.endsWith('.bias') || s.name === ALEXATM_TOKEN_TYPES) return filledArray(s.shape, 0);
  if (isNorm) return filledArray(s.shape, 1);
  const values = normalArray(tensorSeed(seed, s.name), s.shape, config.initStd);
  const pad = paddingRow(config, s.name);
  const width = s.shape[1]!;
  if (pad !== undefined && pad < s.shape[0]!) (values.data as Float32Array).fill(0, pad * width, (pad + 1) * width);
  return values;
}

export function initParams(config: BartConfig, seed: bigint): BartParams<NDArray>;
export function initParams(config: AlexaTMConfig, seed: bigint): AlexaTMParams<NDArray>;
export function initParams(config: T5Config, seed: bigint): T5Params<NDArray>;
export function initParams(config: BartConfig | AlexaTMConfig, seed: bigint): BartParams<NDArray> | AlexaTMParams<NDArray>;
export function initParams(config: BartConfig | AlexaTMConfig | T5Config, seed: bigint): BartParams<NDArray> | AlexaTMParams<NDArray> | T5Params<NDArray>;
export function initParams(config: BartConfig | AlexaTMConfig | T5Config, seed: bigint): BartParams<NDArray> | AlexaTMParams<NDArray> | T5Params<NDArray> {
  if (config.family === 't5') return initT5Params(config, seed);
  const tree = nestNamed(treeSpecs(paramSpec(config)).map((s): [string, NDArray] => [s.name, initTensor(config, s, seed)]));
  return tree as unknown as BartParams<NDArray> | AlexaTMParams<NDArray>;
}
