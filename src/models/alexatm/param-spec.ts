// AlexaTMSeq2SeqForConditionalGeneration's tensors, named as the released modeling_atm.py names them:
// the encoder is BERT-style (`pre_ln_encoder.layer.N.attention.self.query`, token-type and position
// tables from 0, a persistent `position_ids` buffer), the decoder BART-style (positions offset by 2,
// `layernorm_output`). Three embedding matrices unless share_embeddings / tie_word_embeddings join them.

import type { AlexaTMConfig } from '../config/alexatm.js';
import { ParamSpecBuilder, type ParamSpec } from '../param-spec.js';

export function alexatmParamSpec(config: AlexaTMConfig): readonly ParamSpec[] {
  const { vocabSize, dModel } = config;
  const b = new ParamSpecBuilder();

  b.buffer('final_logits_bias', [1, vocabSize], { persistent: true });
  b.param('model.shared.weight', [vocabSize, dModel]);

  // AlexaTMEncoderForSeq2Seq: its own buffer first, then its children in registration order.
  const enc = 'model.encoder';
  b.buffer(`${enc}.position_ids`, [1, config.maxPositionEmbeddings], { persistent: true, dtype: 'int64' });
  b.tied(`${enc}.token_embeddings.weight`, [vocabSize, dModel], 'model.shared.weight');
  b.param(`${enc}.position_embeddings.weight`, [config.maxPositionEmbeddings, dModel]);
  b.param(`${enc}.token_type_embeddings.weight`, [config.typeVocabSize, dModel]);
  for (let i = 0; i < config.encoderLayers; i++) {
    // AlexaTMLayer: attention (self.query/key/value, output.dense), intermediate (pre-FFN norm, dense),
    // output.dense, and `layer_norm`, the pre-attention norm.
    const layer = `${enc}.pre_ln_encoder.layer.${i}`;
    for (const proj of ['query', 'key', 'value']) b.linear(`${layer}.attention.self.${proj}`, dModel, dModel, true);
    b.linear(`${layer}.attention.output.dense`, dModel, dModel, true);
    b.norm(`${layer}.intermediate.layer_norm`, dModel, true);
    b.linear(`${layer}.intermediate.dense`, config.encoderFfnDim, dModel, true);
    b.linear(`${layer}.output.dense`, dModel, config.encoderFfnDim, true);
    b.norm(`${layer}.layer_norm`, dModel, true);
  }
  b.norm(`${enc}.pre_ln_encoder.layer_norm`, dModel, true);

  // AlexaTMSeq2SeqDecoder: a BART decoder layer with every norm before its sublayer.
  const dec = 'model.decoder';
  b.paramOrTied(`${dec}.embed_tokens.weight`, [vocabSize, dModel], config.shareEmbeddings ? 'model.shared.weight' : null);
  b.param(`${dec}.embed_positions.weight`, [config.maxPositionEmbeddings + config.decoderPositionOffset, dModel]);
  const attention = (prefix: string): void => {
    for (const proj of ['k_proj', 'v_proj', 'q_proj', 'out_proj']) b.linear(`${prefix}.${proj}`, dModel, dModel, true);
  };
  for (let i = 0; i < config.decoderLayers; i++) {
    const layer = `${dec}.layers.${i}`;
    attention(`${layer}.self_attn`);
    b.norm(`${layer}.self_attn_layer_norm`, dModel, true);
    attention(`${layer}.encoder_attn`);
    b.norm(`${layer}.encoder_attn_layer_norm`, dModel, true);
    b.linear(`${layer}.fc1`, config.decoderFfnDim, dModel, true);
    b.linear(`${layer}.fc2`, dModel, config.decoderFfnDim, true);
    b.norm(`${layer}.final_layer_norm`, dModel, true);
  }
  b.norm(`${dec}.layernorm_output`, dModel, true);

  // transformers ties the head to the model's input embeddings, which for this class are the decoder's.
  b.paramOrTied('lm_head.weight', [vocabSize, dModel], config.tieWordEmbeddings ? `${dec}.embed_tokens.weight` : null);
  return b.build();
}
