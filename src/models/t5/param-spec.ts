// T5ForConditionalGeneration's tensors (T5 v1.0/v1.1, mT5, Flan-T5), named as transformers'
// modeling_t5.py names them: bias-free linears, RMS norms with a weight only, the relative position
// bias only in block 0 of each stack, token embeddings tied to `shared.weight`, head tied when configured.

import type { T5Config } from '../config/t5.js';
import { ParamSpecBuilder, type ParamSpec } from '../param-spec.js';

export function t5ParamSpec(config: T5Config): readonly ParamSpec[] {
  const { vocabSize, dModel, dKv, numHeads, dFf } = config;
  const inner = numHeads * dKv;
  const b = new ParamSpecBuilder();

  // T5Attention: q, k, v (d_model → heads·d_kv), o (back), and in block 0 the bias table (buckets, heads).
  const attention = (prefix: string, relativeBias: boolean): void => {
    b.linear(`${prefix}.q`, inner, dModel, false);
    b.linear(`${prefix}.k`, inner, dModel, false);
    b.linear(`${prefix}.v`, inner, dModel, false);
    b.linear(`${prefix}.o`, dModel, inner, false);
    if (relativeBias) b.param(`${prefix}.relative_attention_bias.weight`, [config.relativeAttentionNumBuckets, numHeads]);
  };
  // T5DenseActDense (wi, wo) or T5DenseGatedActDense (wi_0 gated by wi_1, then wo).
  const feedForward = (prefix: string): void => {
    if (config.feedForwardProj === 'gated-gelu') {
      b.linear(`${prefix}.DenseReluDense.wi_0`, dFf, dModel, false);
      b.linear(`${prefix}.DenseReluDense.wi_1`, dFf, dModel, false);
    } else {
      b.linear(`${prefix}.DenseReluDense.wi`, dFf, dModel, false);
    }
    b.linear(`${prefix}.DenseReluDense.wo`, dModel, dFf, false);
    b.norm(`${prefix}.layer_norm`, dModel, false);
  };

  b.param('shared.weight', [vocabSize, dModel]);
  for (const stack of ['encoder', 'decoder'] as const) {
    const layers = stack === 'encoder' ? config.numLayers : config.numDecoderLayers;
    b.tied(`${stack}.embed_tokens.weight`, [vocabSize, dModel], 'shared.weight');
    for (let i = 0; i < layers; i++) {
      const block = `${stack}.block.${i}.layer`;
      attention(`${block}.0.SelfAttention`, i === 0);
      b.norm(`${block}.0.layer_norm`, dModel, false);
      if (stack === 'decoder') {
        attention(`${block}.1.EncDecAttention`, false);
        b.norm(`${block}.1.layer_norm`, dModel, false);
      }
      feedForward(`${block}.${stack === 'decoder' ? 2 : 1}`);
    }
    b.norm(`${stack}.final_layer_norm`, dModel, false);
  }
  b.paramOrTied('lm_head.weight', [vocabSize, dModel], config.tieWordEmbeddings ? 'shared.weight' : null);
  return b.build();
}
