// What the encoder-decoder families share at their boundary: the teacher-forced batch, the options of
// a forward pass, the decoder's key/value cache (self-attention keys/values growing along a symbolic
// "past" axis, cross-attention keys/values projected once from the encoder output), and the compile
// specs of the four entry points — forward, encode, initCache, decodeStep — with symbolic dims.

import { spec, type TensorSpec } from '../backend/compile.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import type { KeyValue } from '../nn/layers/attention.js';
import type { AlexaTMConfig } from './config/alexatm.js';
import type { BartConfig } from './config/bart.js';
import { paramSpec } from './model-size.js';
import { paramTreeSpecs, type ParamTree } from './param-tree.js';

/** A teacher-forced batch (a type, not an interface, so it is a compile() argument tree). Padding is marked by attentionMask (1 real, 0 pad) and by labels of -100. */
export type Seq2SeqBatch<T = Tensor> = {
  /** (B, S) int32/int64. */
  inputIds: T;
  /** (B, S): 1 (or true) for real tokens, 0 for padding. */
  attentionMask: T;
  /** (B, T) int: the decoder's inputs (labels shifted right behind the start token). */
  decoderInputIds: T;
  /** (B, T) int: the targets; -100 is ignored. */
  labels: T;
  /** (B, T) float32: per-position loss weights (the loss is Σ w·nll / Σ w over non-ignored positions). */
  weights?: T;
};

export interface ForwardOptions {
  /** ε of label smoothing (default 0). */
  labelSmoothing?: number;
  /** An int64 scalar key: dropout at the config's rates (training). Without it the pass is deterministic. */
  key?: Tensor;
}

export interface ForwardResult {
  /** (B, T, V). */
  logits: Tensor;
  /** Scalar: mean (weighted) cross-entropy over the non-ignored labels. */
  loss: Tensor;
}

/** The decoder's state between steps (a compile() argument and result tree). */
export type DecoderCache<T = Tensor> = {
  /** Per decoder layer: self-attention keys/values of the positions decoded so far, (B, H, past, Dh) each. */
  self: KeyValue<T>[];
  /** Per decoder layer: cross-attention keys/values of the encoder output, (B, H, S, Dh) each. */
  cross: KeyValue<T>[];
};

/** compile() argument specs of the four entry points, for parameters specified as P. */
export interface EntryPointSpecs<P> {
  readonly params: P;
  readonly forward: readonly [P, Seq2SeqBatch<TensorSpec>];
  readonly encode: readonly [P, TensorSpec, TensorSpec];
  readonly initCache: readonly [P, TensorSpec];
  readonly decodeStep: readonly [P, TensorSpec, TensorSpec, DecoderCache<TensorSpec>];
}

export type Seq2SeqSpecs = EntryPointSpecs<ParamTree<TensorSpec>>;

/** The decoder dimensions the cache specs need. */
export interface DecoderShape {
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
  readonly dModel: number;
}

export interface SpecOptions {
  /** dtype of token ids and masks (default int32). */
  readonly ids?: DType;
  /** Per-position loss weights in the forward batch (default false). */
  readonly weights?: boolean;
  /** Tokens per decodeStep call: 1 (default) or the symbolic "tgt" (prefill several tokens at once). */
  readonly stepTokens?: 1 | 'tgt';
}

/**
 * Specs for compile(): dims "batch", "src" (encoder length), "tgt" (decoder length) and "past" (cached
 * decoder positions), so one prepared graph serves every batch and every decoding step.
 */
export function seq2seqSpecs(config: BartConfig | AlexaTMConfig, options: SpecOptions = {}): Seq2SeqSpecs {
  const H = config.decoderAttentionHeads;
  const shape = { layers: config.decoderLayers, heads: H, headDim: config.dModel / H, dModel: config.dModel };
  return entryPointSpecs(paramTreeSpecs(paramSpec(config)), shape, options);
}

/** The specs of forward, encode, initCache and decodeStep for any family, given its parameter specs. */
export function entryPointSpecs<P>(params: P, decoder: DecoderShape, options: SpecOptions = {}): EntryPointSpecs<P> {
  const ids = options.ids ?? 'int32';
  const kv = (len: string): KeyValue<TensorSpec> => ({
    key: spec('float32', ['batch', decoder.heads, len, decoder.headDim]),
    value: spec('float32', ['batch', decoder.heads, len, decoder.headDim]),
  });
  const layers = (len: string) => Array.from({ length: decoder.layers }, () => kv(len));
  const batch: Seq2SeqBatch<TensorSpec> = {
    inputIds: spec(ids, ['batch', 'src']),
    attentionMask: spec(ids, ['batch', 'src']),
    decoderInputIds: spec(ids, ['batch', 'tgt']),
    labels: spec(ids, ['batch', 'tgt']),
    ...(options.weights ? { weights: spec('float32', ['batch', 'tgt']) } : {}),
  };
  return {
    params,
    forward: [params, batch],
    encode: [params, spec(ids, ['batch', 'src']), spec(ids, ['batch', 'src'])],
    initCache: [params, spec('float32', ['batch', 'src', decoder.dModel])],
    decodeStep: [params, spec(ids, ['batch', options.stepTokens ?? 1]), spec(ids, ['batch', 'src']), { self: layers('past'), cross: layers('src') }],
  };
}
