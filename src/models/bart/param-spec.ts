// The tensors of BartForConditionalGeneration, MBartForConditionalGeneration and
// M2M100ForConditionalGeneration (NLLB), named as transformers names them. Learned position tables
// have max_position_embeddings + 2 rows; M2M100's sinusoidal table is a buffer left out of the state
// dict; `final_logits_bias` (1, vocab) is a persistent buffer of BART and mBART, not a parameter.

import type { BartConfig } from '../config/bart.js';
import { ParamSpecBuilder, type ParamSpec } from '../param-spec.js';

export function bartParamSpec(config: BartConfig): readonly ParamSpec[] {
  const { vocabSize, dModel } = config;
  const positions = config.maxPositionEmbeddings + config.positionOffset;
  const b = new ParamSpecBuilder();

  // BartAttention registers k_proj, v_proj, q_proj, out_proj, each with a bias.
  const attention = (prefix: string): void => {
    for (const proj of ['k_proj', 'v_proj', 'q_proj', 'out_proj']) b.linear(`${prefix}.${proj}`, dModel, dModel, true);
  };

  if (config.finalLogitsBias) b.buffer('final_logits_bias', [1, vocabSize], { persistent: true });
  b.param('model.shared.weight', [vocabSize, dModel]);
  for (const stack of ['encoder', 'decoder'] as const) {
    const prefix = `model.${stack}`;
    const layers = stack === 'encoder' ? config.encoderLayers : config.decoderLayers;
    const ffn = stack === 'encoder' ? config.encoderFfnDim : config.decoderFfnDim;
    b.tied(`${prefix}.embed_tokens.weight`, [vocabSize, dModel], 'model.shared.weight');
    if (config.positionEmbedding === 'learned') b.param(`${prefix}.embed_positions.weight`, [positions, dModel]);
    else b.buffer(`${prefix}.embed_positions.weights`, [positions, dModel], { persistent: false });
    for (let i = 0; i < layers; i++) {
      const layer = `${prefix}.layers.${i}`;
      attention(`${layer}.self_attn`);
      b.norm(`${layer}.self_attn_layer_norm`, dModel, true);
      if (stack === 'decoder') {
        attention(`${layer}.encoder_attn`);
        b.norm(`${layer}.encoder_attn_layer_norm`, dModel, true);
      }
      b.linear(`${layer}.fc1`, ffn, dModel, true);
      b.linear(`${layer}.fc2`, dModel, ffn, true);
      b.norm(`${layer}.final_layer_norm`, dModel, true);
    }
    if (config.layernormEmbedding) b.norm(`${prefix}.layernorm_embedding`, dModel, true);
    if (config.addFinalLayerNorm) b.norm(`${prefix}.layer_norm`, dModel, true);
  }
  b.paramOrTied('lm_head.weight', [vocabSize, dModel], config.tieWordEmbeddings ? 'model.shared.weight' : null);
  return b.build();
}
