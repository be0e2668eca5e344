// A small pre-LN Transformer encoder with a token-prediction head, written directly on the core: token
// embedding → N blocks (LayerNorm → multi-head self-attention → residual; LayerNorm → GELU FFN →
// residual) → final LayerNorm → vocabulary projection → cross-entropy. It is the workload of the
// quick-start demo, of `npm run bench -- train-step` and of the training tests; the model families
// of polyseq are built from the same compositions.

import { NDArray } from '../core/ndarray.js';
import type { Tensor } from '../core/tensor.js';
import { foldIn } from '../core/distributions.js';
import { iota } from '../core/ops.js';
import { attention } from './attention.js';
import { dropout } from './dropout.js';
import { gelu } from './activations.js';
import { filledArray, normalArray } from './init.js';
import { crossEntropy } from './losses.js';
import { layerNorm } from './normalization.js';
import type { GeluApproximation } from './activations.js';

export interface EncoderLmConfig {
  vocabSize: number;
  dModel: number;
  heads: number;
  ffn: number;
  layers: number;
  gelu?: GeluApproximation;
  causal?: boolean;
  /** Dropout rate on the embeddings and on each residual branch while training (needs a key). Default 0. */
  dropout?: number;
  /** Learned absolute position embeddings for up to this many positions (default: none). */
  maxPositions?: number;
}

export interface Block<T> {
  ln1: { weight: T; bias: T };
  q: { weight: T; bias: T };
  k: { weight: T; bias: T };
  v: { weight: T; bias: T };
  o: { weight: T; bias: T };
  ln2: { weight: T; bias: T };
  fc1: { weight: T; bias: T };
  fc2: { weight: T; bias: T };
}

export interface EncoderLmParams<T> {
  embed: T;
  positions?: T;
  blocks: Block<T>[];
  lnFinal: { weight: T; bias: T };
  head: { weight: T; bias: T };
}

/** Weights (in, out) ~ N(0, 0.02²), biases 0, norm scales 1; every tensor from its own key of `seed`. */
export function initEncoderLm(config: EncoderLmConfig, seed: bigint): EncoderLmParams<NDArray> {
  const { vocabSize: V, dModel: D, ffn: F } = config;
  let next = seed * 1000n;
  const weight = (rows: number, cols: number) => normalArray(next++, [rows, cols], 0.02);
  const linear = (rows: number, cols: number) => ({ weight: weight(rows, cols), bias: filledArray([cols], 0) });
  const norm = () => ({ weight: filledArray([D], 1), bias: filledArray([D], 0) });
  return {
    embed: weight(V, D),
    ...(config.maxPositions ? { positions: weight(config.maxPositions, D) } : {}),
    blocks: Array.from({ length: config.layers }, () => ({
      ln1: norm(),
      q: linear(D, D),
      k: linear(D, D),
      v: linear(D, D),
      o: linear(D, D),
      ln2: norm(),
      fc1: linear(D, F),
      fc2: linear(F, D),
    })),
    lnFinal: norm(),
    head: linear(D, V),
  };
}

function linear(x: Tensor, p: { weight: Tensor; bias: Tensor }): Tensor {
  return x.matmul(p.weight).add(p.bias);
}

function selfAttention(x: Tensor, block: Block<Tensor>, config: EncoderLmConfig): Tensor {
  const [B, T, D] = x.shape; // x: (B, T, D)
  const H = config.heads;
  const Dh = config.dModel / H;
  const heads = (t: Tensor) => t.reshape([B!, T!, H, Dh]).transpose([0, 2, 1, 3]); // (B, H, T, Dh)
  const q = heads(linear(x, block.q));
  const k = heads(linear(x, block.k));
  const v = heads(linear(x, block.v));
  const ctx = attention(q, k, v, { causal: config.causal ?? false }); // (B, H, T, Dh)
  const merged = ctx.transpose([0, 2, 1, 3]).reshape([B!, T!, D!]); // (B, T, D)
  return linear(merged, block.o);
}

/** Logits (B, T, V) for tokens (B, T); `key` (int64 scalar) draws the dropout masks when training. */
export function encoderLmLogits(params: EncoderLmParams<Tensor>, tokens: Tensor, config: EncoderLmConfig, key?: Tensor): Tensor {
  const rate = key ? (config.dropout ?? 0) : 0;
  let site = 0;
  const drop = (t: Tensor) => (rate > 0 ? dropout(t, rate, foldIn(key!, site++)) : t);
  let x = params.embed.gather(tokens, 0); // (B, T, D)
  if (params.positions) x = x.add(params.positions.gather(iota(tokens.builder, tokens.shape[1]!, 'int32'))); // + (T, D)
  x = drop(x);
  for (const block of params.blocks) {
    x = x.add(drop(selfAttention(layerNorm(x, block.ln1.weight, block.ln1.bias), block, config))); // (B, T, D)
    const h = layerNorm(x, block.ln2.weight, block.ln2.bias);
    x = x.add(drop(linear(gelu(linear(h, block.fc1), config.gelu ?? 'none'), block.fc2))); // (B, T, D)
  }
  return linear(layerNorm(x, params.lnFinal.weight, params.lnFinal.bias), params.head); // (B, T, V)
}

/** Mean cross-entropy of predicting `targets` (B, T) from `tokens` (B, T). */
export function encoderLmLoss(params: EncoderLmParams<Tensor>, tokens: Tensor, targets: Tensor, config: EncoderLmConfig, key?: Tensor): Tensor {
  return crossEntropy(encoderLmLogits(params, tokens, config, key), targets);
}

/** Matmul FLOPs of one forward pass over a (B, T) batch (multiply-adds count 2). */
export function encoderLmForwardFlops(config: EncoderLmConfig, batch: number, seq: number): number {
  const { dModel: D, ffn: F, vocabSize: V, layers: L } = config;
  const tokens = batch * seq;
  const perBlock = 2 * tokens * (4 * D * D + 2 * D * F) + 2 * 2 * batch * seq * seq * D;
  return L * perBlock + 2 * tokens * D * V;
}
