// Parameter specs: counts as transformers' num_parameters() gives them for the real checkpoints (tied
// weights once, buffers never), the same counts from closed-form formulas written independently here,
// memory at fp32/bf16/int8, and the exact Hugging Face tensor names of tiny T5, BART, M2M100 and AlexaTM.

import { describe, expect, it } from 'vitest';
import { alexatmConfig, type AlexaTMConfig } from '../../src/models/config/alexatm.js';
import { bartConfig, type BartConfig } from '../../src/models/config/bart.js';
import { t5Config, type T5Config } from '../../src/models/config/t5.js';
import { modelSize, paramSpec } from '../../src/models/model-size.js';
import { checkpointNames, countParameters, ParamSpecBuilder, stateDictNames } from '../../src/models/param-spec.js';
import { PRESET_NAMES, PRESETS } from '../../src/models/presets.js';

describe('parameter counts of real checkpoints (transformers num_parameters())', () => {
  const pinned: [keyof typeof PRESETS, number][] = [
    ['t5-small', 60_506_624],
    ['mt5-small', 300_176_768],
    ['mbart-large-cc25', 610_851_840],
    ['nllb-200-distilled-600M', 615_073_792],
  ];
  for (const [name, count] of pinned) {
    it(`${name}: ${count.toLocaleString('en-US')}`, () => {
      expect(modelSize(PRESETS[name]).parameters).toBe(count);
    });
  }

  it('alexatm-20b is within 0.5% of the published 19.75B (three untied 150000 × 4096 embeddings)', () => {
    const { parameters } = modelSize(PRESETS['alexatm-20b']);
    expect(parameters).toBe(19_707_518_976);
    expect(Math.abs(parameters / 19.75e9 - 1)).toBeLessThan(0.005); // −0.215%
  });

  it("polyseq's own presets: tiny has a few million parameters, small 20–40M", () => {
    expect(modelSize(PRESETS.tiny).parameters).toBe(4_129_792);
    expect(modelSize(PRESETS.small).parameters).toBe(39_334_656);
  });

  it('memory is parameters × 4, 2 and 1 bytes', () => {
    expect(modelSize(PRESETS['t5-small']).memoryBytes).toEqual({ fp32: 242_026_496, bf16: 121_013_248, int8: 60_506_624 });
    expect(modelSize(PRESETS['alexatm-20b']).memoryBytes).toEqual({ fp32: 78_830_075_904, bf16: 39_415_037_952, int8: 19_707_518_976 });
  });
});

// Closed forms, derived from the architectures rather than from the spec code.
function t5Formula(c: T5Config): number {
  const inner = c.numHeads * c.dKv;
  const attention = 4 * inner * c.dModel;
  const ffn = (c.feedForwardProj === 'gated-gelu' ? 3 : 2) * c.dModel * c.dFf;
  const bias = c.relativeAttentionNumBuckets * c.numHeads;
  const encoder = c.numLayers * (attention + ffn + 2 * c.dModel) + bias + c.dModel;
  const decoder = c.numDecoderLayers * (2 * attention + ffn + 3 * c.dModel) + bias + c.dModel;
  return c.vocabSize * c.dModel * (c.tieWordEmbeddings ? 1 : 2) + encoder + decoder;
}

function bartFormula(c: BartConfig): number {
  const d = c.dModel;
  const attention = 4 * (d * d + d);
  const norm = 2 * d;
  const ffn = (f: number): number => 2 * d * f + f + d;
  const positions = c.positionEmbedding === 'learned' ? 2 * (c.maxPositionEmbeddings + 2) * d : 0;
  const stackNorms = 2 * ((c.layernormEmbedding ? norm : 0) + (c.addFinalLayerNorm ? norm : 0));
  const encoder = c.encoderLayers * (attention + ffn(c.encoderFfnDim) + 2 * norm);
  const decoder = c.decoderLayers * (2 * attention + ffn(c.decoderFfnDim) + 3 * norm);
  return c.vocabSize * d * (c.tieWordEmbeddings ? 1 : 2) + positions + stackNorms + encoder + decoder;
}

function alexatmFormula(c: AlexaTMConfig): number {
  const d = c.dModel;
  const embeddings = c.vocabSize * d * (1 + (c.shareEmbeddings ? 0 : 1) + (c.tieWordEmbeddings ? 0 : 1));
  const positions = c.maxPositionEmbeddings * d + c.typeVocabSize * d + (c.maxPositionEmbeddings + 2) * d;
  const attention = 4 * (d * d + d);
  const ffn = (f: number): number => 2 * d * f + f + d;
  const encoder = c.encoderLayers * (attention + ffn(c.encoderFfnDim) + 4 * d) + 2 * d;
  const decoder = c.decoderLayers * (2 * attention + ffn(c.decoderFfnDim) + 6 * d) + 2 * d;
  return embeddings + positions + encoder + decoder;
}

describe('specs agree with closed-form counts', () => {
  it('for every preset', () => {
    for (const name of PRESET_NAMES) {
      const c = PRESETS[name];
      const formula = c.family === 't5' ? t5Formula(c) : c.family === 'bart' ? bartFormula(c) : alexatmFormula(c);
      expect([name, modelSize(c).parameters]).toEqual([name, formula]);
    }
  });

  it('for tied and untied variants', () => {
    const variants = [
      t5Config({ feedForwardProj: 'gated-gelu', tieWordEmbeddings: true, numDecoderLayers: 3 }),
      bartConfig({ modelType: 'bart', tieWordEmbeddings: false }),
      bartConfig({ modelType: 'm2m_100', tieWordEmbeddings: false, dModel: 64, encoderAttentionHeads: 4, decoderAttentionHeads: 4 }),
      alexatmConfig({ shareEmbeddings: false, tieWordEmbeddings: true }),
      alexatmConfig({ shareEmbeddings: true, tieWordEmbeddings: false }),
      alexatmConfig(),
    ];
    for (const c of variants) {
      const formula = c.family === 't5' ? t5Formula(c) : c.family === 'bart' ? bartFormula(c) : alexatmFormula(c);
      expect(modelSize(c).parameters).toBe(formula);
    }
  });
});

describe('Hugging Face tensor names', () => {
  it('tiny T5 (v1.1: gated, untied head; 2 encoder blocks, 1 decoder block)', () => {
    const config = t5Config({
      vocabSize: 100,
      dModel: 16,
      dKv: 4,
      dFf: 32,
      numLayers: 2,
      numDecoderLayers: 1,
      numHeads: 2,
      relativeAttentionNumBuckets: 8,
      feedForwardProj: 'gated-gelu',
      tieWordEmbeddings: false,
    });
    const specs = paramSpec(config);
    const names = stateDictNames(specs);
    expect(names).toHaveLength(40);
    expect(checkpointNames(specs)).toHaveLength(38); // encoder/decoder.embed_tokens are shared.weight
    expect(names.slice(0, 7)).toEqual([
      'shared.weight',
      'encoder.embed_tokens.weight',
      'encoder.block.0.layer.0.SelfAttention.q.weight',
      'encoder.block.0.layer.0.SelfAttention.k.weight',
      'encoder.block.0.layer.0.SelfAttention.v.weight',
      'encoder.block.0.layer.0.SelfAttention.o.weight',
      'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight',
    ]);
    expect(names).toContain('encoder.block.1.layer.1.DenseReluDense.wi_1.weight');
    expect(names).toContain('decoder.block.0.layer.1.EncDecAttention.k.weight');
    expect(names).toContain('decoder.block.0.layer.2.DenseReluDense.wo.weight');
    expect(names.slice(-2)).toEqual(['decoder.final_layer_norm.weight', 'lm_head.weight']);
    // The relative bias lives in block 0 only.
    expect(names.filter((n) => n.includes('relative_attention_bias'))).toEqual([
      'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight',
      'decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight',
    ]);
    const shapes = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
    expect(shapes['encoder.block.0.layer.0.SelfAttention.q.weight']).toEqual([8, 16]); // [heads·d_kv, d_model]
    expect(shapes['encoder.block.0.layer.0.SelfAttention.o.weight']).toEqual([16, 8]);
    expect(shapes['encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight']).toEqual([8, 2]);
    expect(shapes['decoder.block.0.layer.2.DenseReluDense.wo.weight']).toEqual([16, 32]);
  });

  it('T5 v1.0 uses wi, and ties lm_head to shared.weight', () => {
    const specs = paramSpec(t5Config({ numLayers: 1, vocabSize: 100 }));
    expect(stateDictNames(specs)).toContain('encoder.block.0.layer.1.DenseReluDense.wi.weight');
    expect(specs.find((s) => s.name === 'lm_head.weight')?.tiedTo).toBe('shared.weight');
    expect(checkpointNames(specs)).not.toContain('lm_head.weight');
  });

  it('tiny BART (post-LN, learned positions with 2 extra rows, final_logits_bias buffer)', () => {
    const config = bartConfig({
      vocabSize: 100,
      dModel: 16,
      encoderLayers: 1,
      decoderLayers: 1,
      encoderAttentionHeads: 2,
      decoderAttentionHeads: 2,
      encoderFfnDim: 32,
      decoderFfnDim: 32,
      maxPositionEmbeddings: 20,
    });
    const specs = paramSpec(config);
    const names = stateDictNames(specs);
    expect(names).toHaveLength(53);
    expect(checkpointNames(specs)).toHaveLength(50);
    expect(names.slice(0, 6)).toEqual([
      'final_logits_bias',
      'model.shared.weight',
      'model.encoder.embed_tokens.weight',
      'model.encoder.embed_positions.weight',
      'model.encoder.layers.0.self_attn.k_proj.weight',
      'model.encoder.layers.0.self_attn.k_proj.bias',
    ]);
    expect(names).toContain('model.decoder.layers.0.encoder_attn.out_proj.bias');
    expect(names).toContain('model.decoder.layers.0.encoder_attn_layer_norm.weight');
    expect(names).toContain('model.decoder.layernorm_embedding.bias');
    expect(names).not.toContain('model.encoder.layer_norm.weight'); // no final norms in BART
    expect(names.at(-1)).toBe('lm_head.weight');
    const shapes = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
    expect(shapes['final_logits_bias']).toEqual([1, 100]);
    expect(shapes['model.encoder.embed_positions.weight']).toEqual([22, 16]);
    expect(shapes['model.encoder.layers.0.fc1.weight']).toEqual([32, 16]);
    expect(shapes['model.encoder.layers.0.fc2.weight']).toEqual([16, 32]);
    // The bias buffer is in the state dict but is not a parameter.
    expect(countParameters(specs)).toBe(7936);
  });

  it('mBART adds final norms; M2M100 drops layernorm_embedding, final_logits_bias and learned positions', () => {
    const tiny = { vocabSize: 100, dModel: 16, encoderLayers: 1, decoderLayers: 1, encoderAttentionHeads: 2, decoderAttentionHeads: 2, encoderFfnDim: 32, decoderFfnDim: 32, maxPositionEmbeddings: 20 };
    const mbart = stateDictNames(paramSpec(bartConfig({ ...tiny, modelType: 'mbart' })));
    expect(mbart).toHaveLength(57);
    expect(mbart.slice(-5)).toEqual([
      'model.decoder.layernorm_embedding.weight',
      'model.decoder.layernorm_embedding.bias',
      'model.decoder.layer_norm.weight',
      'model.decoder.layer_norm.bias',
      'lm_head.weight',
    ]);
    const m2mSpecs = paramSpec(bartConfig({ ...tiny, modelType: 'm2m_100' }));
    const m2m = stateDictNames(m2mSpecs);
    expect(m2m).toHaveLength(50);
    expect(checkpointNames(m2mSpecs)).toHaveLength(47);
    expect(m2m[0]).toBe('model.shared.weight');
    expect(m2m.some((n) => n.includes('embed_positions') || n.includes('layernorm_embedding'))).toBe(false);
    // The sinusoidal tables exist as buffers the model computes at load.
    expect(m2mSpecs.filter((s) => s.kind === 'buffer').map((s) => [s.name, s.shape, s.persistent])).toEqual([
      ['model.encoder.embed_positions.weights', [22, 16], false],
      ['model.decoder.embed_positions.weights', [22, 16], false],
    ]);
  });

  it('tiny AlexaTM (BERT-style pre-LN encoder, BART-style decoder, three embedding matrices)', () => {
    const config = alexatmConfig({
      vocabSize: 100,
      dModel: 16,
      encoderLayers: 1,
      decoderLayers: 1,
      encoderAttentionHeads: 2,
      decoderAttentionHeads: 2,
      encoderFfnDim: 32,
      decoderFfnDim: 32,
      maxPositionEmbeddings: 20,
      shareEmbeddings: false,
      tieWordEmbeddings: false,
    });
    const specs = paramSpec(config);
    const names = stateDictNames(specs);
    expect(names).toHaveLength(55);
    expect(checkpointNames(specs)).toHaveLength(54); // only encoder.token_embeddings is model.shared
    expect(names.slice(0, 7)).toEqual([
      'final_logits_bias',
      'model.shared.weight',
      'model.encoder.position_ids',
      'model.encoder.token_embeddings.weight',
      'model.encoder.position_embeddings.weight',
      'model.encoder.token_type_embeddings.weight',
      'model.encoder.pre_ln_encoder.layer.0.attention.self.query.weight',
    ]);
    expect(names).toContain('model.encoder.pre_ln_encoder.layer.0.intermediate.layer_norm.weight');
    expect(names).toContain('model.encoder.pre_ln_encoder.layer_norm.bias');
    expect(names).toContain('model.decoder.layernorm_output.weight');
    const shapes = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
    expect(shapes['model.encoder.position_embeddings.weight']).toEqual([20, 16]); // encoder: no offset
    expect(shapes['model.decoder.embed_positions.weight']).toEqual([22, 16]); // decoder: offset 2
    expect(shapes['model.encoder.pre_ln_encoder.layer.0.intermediate.dense.weight']).toEqual([32, 16]);
    expect(specs.filter((s) => s.name.endsWith('embed_tokens.weight') || s.name === 'lm_head.weight').map((s) => s.tiedTo)).toEqual([undefined, undefined]);
    // Defaults of the released class: one embedding matrix for all three roles.
    const shared = paramSpec(alexatmConfig({ vocabSize: 100, dModel: 16, encoderAttentionHeads: 2, decoderAttentionHeads: 2 }));
    expect(shared.find((s) => s.name === 'lm_head.weight')?.tiedTo).toBe('model.shared.weight');
  });
});

describe('the spec builder refuses inconsistent specs', () => {
  it('duplicate names, ties to nothing, ties of another shape', () => {
    expect(() => new ParamSpecBuilder().param('a', [2]).param('a', [2])).toThrow('parameter spec: duplicate tensor name a');
    expect(() => new ParamSpecBuilder().tied('b', [2], 'a')).toThrow('parameter spec: b is tied to a, which is not declared before it');
    expect(() => new ParamSpecBuilder().param('a', [2, 3]).tied('b', [3, 2], 'a')).toThrow(
      'parameter spec: b [3, 2] is tied to a of another shape [2, 3]',
    );
  });
});
