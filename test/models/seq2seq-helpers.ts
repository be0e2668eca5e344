// Shared by the BART-family and AlexaTM tests and by the golden-fixture generator: tiny configs of each
// variant, random parameters that exercise every tensor (biases and norm parameters too, unlike the
// zeros and ones of a fresh init), a padded batch of three sequences, and the compiled entry points.

import { NDArray } from '../../src/core/ndarray.js';
import { normalArray } from '../../src/nn/init.js';
import * as alexatm from '../../src/models/alexatm/model.js';
import * as bart from '../../src/models/bart/model.js';
import { alexatmConfig, type AlexaTMConfig } from '../../src/models/config/alexatm.js';
import { bartConfig, type BartConfig } from '../../src/models/config/bart.js';
import { tensorSeed } from '../../src/models/init.js';
import { paramSpec } from '../../src/models/model-size.js';
import { compileSeq2Seq, type CompileModelOptions, type CompiledSeq2Seq } from '../../src/models/compiled.js';
import { nestNamed, treeSpecs } from '../../src/models/param-tree.js';
import type { Seq2SeqBatch } from '../../src/models/seq2seq.js';

export type Variant = 'bart' | 'mbart' | 'm2m100' | 'alexatm';
export const VARIANTS: readonly Variant[] = ['bart', 'mbart', 'm2m100', 'alexatm'];

const DIMS = {
  vocabSize: 24,
  dModel: 8,
  encoderLayers: 2,
  decoderLayers: 2,
  encoderAttentionHeads: 2,
  decoderAttentionHeads: 2,
  encoderFfnDim: 16,
  decoderFfnDim: 16,
  maxPositionEmbeddings: 12,
  padTokenId: 1,
  bosTokenId: 0,
  eosTokenId: 2,
  decoderStartTokenId: 2,
} as const;

/** Tiny configs: BART (tied head), mBART (untied head), M2M100 (scale_embedding, sinusoidal), AlexaTM (three untied matrices, gelu_new). */
export function tinyConfig(variant: Variant): BartConfig | AlexaTMConfig {
  switch (variant) {
    case 'bart':
      return bartConfig({ ...DIMS, modelType: 'bart', activationFunction: 'gelu' });
    case 'mbart':
      return bartConfig({ ...DIMS, modelType: 'mbart', activationFunction: 'gelu', scaleEmbedding: true, tieWordEmbeddings: false });
    case 'm2m100':
      return bartConfig({ ...DIMS, modelType: 'm2m_100', activationFunction: 'relu', scaleEmbedding: true });
    case 'alexatm':
      return alexatmConfig({ ...DIMS, hiddenAct: 'gelu_new', layerNormEps: 1e-5, shareEmbeddings: false, tieWordEmbeddings: false });
  }
}

/** Every tensor ~ N(0, 0.4²); norm weights 1 + N(0, 0.2²), so biases, norms and offsets all matter. */
export function randomParams(config: BartConfig | AlexaTMConfig, seed: bigint): bart.BartParams<NDArray> | alexatm.AlexaTMParams<NDArray> {
  const entries = treeSpecs(paramSpec(config)).map((s): [string, NDArray] => {
    const values = normalArray(tensorSeed(seed, s.name), s.shape, s.shape.length === 1 && s.name.endsWith('.weight') ? 0.2 : 0.4);
    if (s.shape.length === 1 && s.name.endsWith('.weight')) (values.data as Float32Array).forEach((v, i, a) => (a[i] = v + 1));
    return [s.name, values];
  });
  return nestNamed(entries) as unknown as bart.BartParams<NDArray>;
}

/**
 * Three sequences: full length, right-padded, left-padded encoder input; decoder inputs right-padded
 * (labels -100 there), per-position weights in [0.5, 1.5).
 */
export function paddedBatch(): Seq2SeqBatch<NDArray> {
  const P = DIMS.padTokenId;
  const ids = [
    [5, 9, 13, 7, 21, 2],
    [6, 3, 17, 2, P, P],
    [P, P, 8, 11, 4, 2],
  ];
  const dec = [
    [2, 0, 10, 14, 19],
    [2, 0, 22, P, P],
    [2, 0, 12, 16, P],
  ];
  const labels = [
    [0, 10, 14, 19, 2],
    [0, 22, 2, -100, -100],
    [0, 12, 16, 2, -100],
  ];
  const weights = [
    [1, 0.5, 1.25, 0.75, 1.5],
    [0.5, 1, 1.5, 1, 1],
    [1.25, 1, 0.5, 0.75, 1],
  ];
  const int = (rows: number[][]) => NDArray.from('int32', [rows.length, rows[0]!.length], rows.flat());
  return {
    inputIds: int(ids),
    attentionMask: int(ids.map((r) => r.map((t) => (t === P ? 0 : 1)))),
    decoderInputIds: int(dec),
    labels: int(labels),
    weights: NDArray.from('float32', [3, 5], weights.flat()),
  };
}

/** The four entry points of a config's family, compiled once with symbolic dims (forward takes loss weights). */
export function compileModel(config: BartConfig | AlexaTMConfig, options: CompileModelOptions = {}): CompiledSeq2Seq<bart.BartParams | alexatm.AlexaTMParams> {
  // Either family's compiled functions, typed to take either family's params (the config decides which they get).
  return compileSeq2Seq(config, { weights: true, ...options }) as unknown as CompiledSeq2Seq<bart.BartParams | alexatm.AlexaTMParams>;
}

/** Column t of a (B, T) int array as (B, 1). */
export function column(a: NDArray, t: number): NDArray {
  const [B, T] = a.shape as [number, number];
  return NDArray.from(a.dtype, [B, 1], Array.from({ length: B }, (_, b) => a.get(b * T + t)));
}

/** Largest |a − b| over two equally sized arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
