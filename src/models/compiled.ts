// A model family's four entry points compiled once each with symbolic dims ("batch", "src", "tgt",
// "past"), so one prepared graph serves every batch size, input length and decoding step:
//   forward(params, batch) → {logits, loss}    encode(params, ids, mask) → states
//   initCache(params, states) → cache          decodeStep(params, tokens, mask, cache) → {logits, cache}
// Search drives decodeStep through a step(tokens, cache) → logits callback and never sees the model.
// Lengths are checked on the host before running: with learned positions (BART, mBART, AlexaTM) an
// encoder input, a decoder input, or past + new tokens in decodeStep longer than max_position_embeddings
// is a RangeError naming the length, the limit and the field, not an ONNX Runtime gather failure.

import { compile, type CompileOptions, type Compiled, type Materialized } from '../backend/compile.js';
import type { Tensor } from '../core/tensor.js';
import * as alexatm from './alexatm/model.js';
import * as bart from './bart/model.js';
import type { AlexaTMConfig } from './config/alexatm.js';
import type { BartConfig } from './config/bart.js';
import { seq2seqSpecs, type DecoderCache, type ForwardResult, type Seq2SeqBatch, type SpecOptions } from './seq2seq.js';

export interface CompiledSeq2Seq<P> {
  forward: Compiled<[P, Seq2SeqBatch], ForwardResult>;
  encode: Compiled<[P, Tensor, Tensor], Tensor>;
  initCache: Compiled<[P, Tensor], DecoderCache>;
  decodeStep: Compiled<[P, Tensor, Tensor, DecoderCache], { logits: Tensor; cache: DecoderCache }>;
}

export interface CompileModelOptions extends Omit<CompileOptions, 'specs'>, SpecOptions {
  /** ε of label smoothing in forward's loss (default 0). */
  labelSmoothing?: number;
}

interface Family<P> {
  forward(p: P, b: Seq2SeqBatch, o: { labelSmoothing: number }): ForwardResult;
  encode(p: P, ids: Tensor, mask: Tensor): Tensor;
  initCache(p: P, states: Tensor): DecoderCache;
  decodeStep(p: P, tokens: Tensor, mask: Tensor, cache: DecoderCache): { logits: Tensor; cache: DecoderCache };
}

function bartFamily(config: BartConfig): Family<bart.BartParams> {
  return {
    forward: (p, b, o) => bart.forward(p, b, config, o),
    encode: (p, ids, mask) => bart.encode(p, ids, mask, config),
    initCache: (p, states) => bart.initCache(p, states, config),
    decodeStep: (p, tokens, mask, cache) => bart.decodeStep(p, tokens, mask, cache, config),
  };
}

function alexatmFamily(config: AlexaTMConfig): Family<alexatm.AlexaTMParams> {
  return {
    forward: (p, b, o) => alexatm.forward(p, b, config, o),
    encode: (p, ids, mask) => alexatm.encode(p, ids, mask, config),
    initCache: (p, states) => alexatm.initCache(p, states, config),
    decodeStep: (p, tokens, mask, cache) => alexatm.decodeStep(p, tokens, mask, cache, config),
  };
}

export function compileSeq2Seq(config: BartConfig, options?: CompileModelOptions): CompiledSeq2Seq<bart.BartParams>;
export function compileSeq2Seq(config: AlexaTMConfig, options?: CompileModelOptions): CompiledSeq2Seq<alexatm.AlexaTMParams>;
export function compileSeq2Seq(
  config: BartConfig | AlexaTMConfig,
  options?: CompileModelOptions,
): CompiledSeq2Seq<bart.BartParams> | CompiledSeq2Seq<alexatm.AlexaTMParams>;
export function compileSeq2Seq(
  config: BartConfig | AlexaTMConfig,
  options: CompileModelOptions = {},
): CompiledSeq2Seq<bart.BartParams> | CompiledSeq2Seq<alexatm.AlexaTMParams> {
  return config.family === 'bart' ? compileFamily(bartFamily(config), config, options) : compileFamily(alexatmFamily(config), config, options);
}

/** The longest sequence the config's learned position tables cover, or null when positions are computed (sinusoidal). */
export function maxPositions(config: BartConfig | AlexaTMConfig): number | null {
  if (config.family === 'bart' && config.positionEmbedding === 'sinusoidal') return null;
  return config.maxPositionEmbeddings;
}

/** Throws when `length` positions exceed the learned position table. */
export function checkPositions(config: BartConfig | AlexaTMConfig, length: number, what: string): void {
  const limit = maxPositions(config);
  if (limit !== null && length > limit) {
    throw new RangeError(
      `${what} is ${length} positions long but this ${config.modelType} model has learned positions for at most ${limit} (max_position_embeddings = ${limit}); truncate or split the input`,
    );
  }
}

/** `compiled` with `check` run on its arguments before each call. */
function checked<A extends readonly unknown[], R>(compiled: Compiled<A, R>, check: (...args: Materialized<A>) => void): Compiled<A, R> {
  const run = (...args: Materialized<A>): Promise<Materialized<R>> => {
    try {
      check(...args);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return compiled(...args);
  };
  return Object.defineProperty(Object.assign(run, { trace: compiled.trace.bind(compiled) }), 'cached', { get: () => compiled.cached }) as Compiled<A, R>;
}

function compileFamily<P>(f: Family<P>, config: BartConfig | AlexaTMConfig, options: CompileModelOptions): CompiledSeq2Seq<P> {
  const { ids, weights, stepTokens, labelSmoothing, ...compileOptions } = options;
  const specs = seq2seqSpecs(config, {
    ...(ids ? { ids } : {}),
    ...(weights !== undefined ? { weights } : {}),
    ...(stepTokens !== undefined ? { stepTokens } : {}),
  });
  const smoothing = { labelSmoothing: labelSmoothing ?? 0 };
  const length = (a: { readonly shape: readonly number[] }, axis: number) => a.shape[axis] ?? 0;
  return {
    forward: checked(compile((p: P, b: Seq2SeqBatch) => f.forward(p, b, smoothing), { ...compileOptions, specs: specs.forward }), (_p, b) => {
      checkPositions(config, length(b.inputIds, 1), 'forward: the encoder input (inputIds)');
      checkPositions(config, length(b.decoderInputIds, 1), 'forward: the decoder input (decoderInputIds)');
    }),
    encode: checked(compile((p: P, i: Tensor, m: Tensor) => f.encode(p, i, m), { ...compileOptions, specs: specs.encode }), (_p, ids) => {
      checkPositions(config, length(ids, 1), 'encode: the input');
    }),
    initCache: compile((p: P, s: Tensor) => f.initCache(p, s), { ...compileOptions, specs: specs.initCache }),
    decodeStep: checked(compile((p: P, t: Tensor, m: Tensor, c: DecoderCache) => f.decodeStep(p, t, m, c), { ...compileOptions, specs: specs.decodeStep }), (_p, tokens, _m, cache) => {
      const past = cache.self[0] === undefined ? 0 : length(cache.self[0].key, 2);
      const step = length(tokens, 1);
      checkPositions(config, past + step, `decodeStep: the decoder sequence (${past} cached + ${step} new tokens)`);
    }),
  };
}
