// Multi-head attention with learned projections, for self-attention (optionally over a key/value
// cache that grows along the time axis) and cross-attention (keys and values projected once from
// the encoder output). Projections are nn.Linear layers (weight (D_out, D_in)); heads are split as
// (B, T, H·Dh) → (B, H, T, Dh). Masks are boolean, true where attention is allowed (nn/attention.ts).

import { concat } from '../../core/constructors.js';
import type { Tensor } from '../../core/tensor.js';
import { attention } from '../attention.js';
import { linear, type LinearParams } from './linear.js';

/** The four projections of an attention layer (BART: q_proj/k_proj/v_proj/out_proj; T5: q/k/v/o). */
export interface AttentionProjections<T = Tensor> {
  q: LinearParams<T>;
  k: LinearParams<T>;
  v: LinearParams<T>;
  o: LinearParams<T>;
}

/** Keys and values split into heads: (B, H, S, Dh) each. */
export type KeyValue<T = Tensor> = {
  key: T;
  value: T;
};

export interface MultiHeadOptions {
  heads: number;
  /** Boolean mask broadcastable to (B, H, Tq, Tk); true where attention is allowed. */
  mask?: Tensor;
  /** Forbid attending to later positions (queries are the last Tq of the Tk key positions). */
  causal?: boolean;
  /** Score scale; default 1/√Dh. */
  scale?: number;
  /** Additive score bias broadcastable to (B, H, Tq, Tk). */
  bias?: Tensor;
  /** Attention dropout on the probabilities (training). */
  dropout?: (probs: Tensor) => Tensor;
}

/** (B, T, H·Dh) → (B, H, T, Dh). */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [B, T, D] = x.shape;
  if (typeof D !== 'number' || D % heads !== 0) throw new RangeError(`splitHeads: width ${JSON.stringify(D)} is not a multiple of ${heads} heads`);
  return x.reshape([B!, T!, heads, D / heads]).transpose([0, 2, 1, 3]); // (B, H, T, Dh)
}

/** (B, H, T, Dh) → (B, T, H·Dh). */
export function mergeHeads(x: Tensor): Tensor {
  const [B, H, T, Dh] = x.shape;
  return x.transpose([0, 2, 1, 3]).reshape([B!, T!, (H as number) * (Dh as number)]); // (B, T, D)
}

/** Keys and values of `states` (B, S, D): (B, H, S, Dh) each. Cross-attention computes these once per input. */
export function projectKeyValue(states: Tensor, p: Pick<AttentionProjections, 'k' | 'v'>, heads: number): KeyValue {
  return { key: splitHeads(linear(states, p.k), heads), value: splitHeads(linear(states, p.v), heads) }; // (B, H, S, Dh)
}

function attendAndProject(x: Tensor, kv: KeyValue, p: AttentionProjections, o: MultiHeadOptions): Tensor {
  const q = splitHeads(linear(x, p.q), o.heads); // (B, H, Tq, Dh)
  const ctx = attention(q, kv.key, kv.value, {
    ...(o.mask ? { mask: o.mask } : {}),
    ...(o.causal ? { causal: true } : {}),
    ...(o.scale !== undefined ? { scale: o.scale } : {}),
    ...(o.bias ? { bias: o.bias } : {}),
    ...(o.dropout ? { dropout: o.dropout } : {}),
  }); // (B, H, Tq, Dh)
  return linear(mergeHeads(ctx), p.o); // (B, Tq, D)
}

/**
 * Self-attention of x (B, T, D). With `past` (keys and values of the P earlier positions, (B, H, P, Dh)),
 * this step's keys and values are appended to it; `present` is the grown cache (B, H, P + T, Dh).
 */
export function selfAttention(x: Tensor, p: AttentionProjections, options: MultiHeadOptions & { past?: KeyValue }): { output: Tensor; present: KeyValue } {
  let kv = projectKeyValue(x, p, options.heads); // (B, H, T, Dh)
  if (options.past) kv = { key: concat([options.past.key, kv.key], 2), value: concat([options.past.value, kv.value], 2) }; // (B, H, P+T, Dh)
  return { output: attendAndProject(x, kv, p, options), present: kv };
}

/** Attention of x (B, T, D) over keys and values already projected (projectKeyValue of the encoder output). */
export function crossAttention(x: Tensor, kv: KeyValue, p: AttentionProjections, options: MultiHeadOptions): Tensor {
  return attendAndProject(x, kv, p, options); // (B, T, D)
}
