// AlexaTM on the core: round trip under the released class's tensor names (position_ids rebuilt, three
// untied matrices or one shared), cached decoding against the teacher-forced pass on a padded batch,
// golden values from the independent PyTorch implementation (make_golden.py), [CLM] mode, and errors.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import type { AlexaTMParams } from '../../src/models/alexatm/model.js';
import { loadModel, saveModel } from '../../src/models/checkpoint.js';
import { alexatmConfig, type AlexaTMConfig } from '../../src/models/config/alexatm.js';
import { ConfigError } from '../../src/models/config/config-error.js';
import { initParams } from '../../src/models/init.js';
import { paramSpec } from '../../src/models/model-size.js';
import { checkpointNames } from '../../src/models/param-spec.js';
import { SafetensorsFile } from '../../src/models/weights/safetensors.js';
import { WeightFileError } from '../../src/models/weights/weight-reader.js';
import { DEFAULT_NORMALIZER_SPEC, DEFAULT_TRAINER_SPEC, serializeModelProto, type ModelPiece } from '../../src/tokenizer/model-proto.js';
import { brokenCopy, cacheVersusForward, FIXTURE_DIRS, goldenDiffs, loadSeq2Seq, roundTrip, storedNames, tempDir } from './seq2seq-checks.js';
import { compileModel, paddedBatch, randomParams, tinyConfig } from './seq2seq-helpers.js';

const CACHE_TOLERANCE = 1e-5; // measured ≤ 1.5e-6 (|logits| ≤ 4)
const GOLDEN_TOLERANCE = 1e-5; // float32 against float64 PyTorch: measured ≤ 1e-6

const tiny = () => tinyConfig('alexatm') as AlexaTMConfig;
const params = (config: AlexaTMConfig, seed: bigint) => randomParams(config, seed) as AlexaTMParams<NDArray>;
/** The Hugging Face defaults: one shared matrix for encoder input, decoder input and head. */
const shared = () => alexatmConfig({ ...tiny(), shareEmbeddings: true, tieWordEmbeddings: true });

describe('alexatm', () => {
  it('round trip: saved and reloaded, the logits are identical and the file holds paramSpec’s checkpoint names', async () => {
    const config = tiny();
    const { dir, before, after } = await roundTrip(config, params(config, 1n));
    expect(after.toNumbers()).toEqual(before.toNumbers());
    expect(storedNames(path.join(dir, 'model.safetensors')).sort()).toEqual(checkpointNames(paramSpec(config)).sort());
  });

  it(`decoding with the cache gives the teacher-forced logits at every step of a padded batch (|Δ| ≤ ${CACHE_TOLERANCE})`, async () => {
    expect(await cacheVersusForward(tiny(), params(tiny(), 2n))).toBeLessThanOrEqual(CACHE_TOLERANCE);
    expect(await cacheVersusForward(shared(), params(shared(), 2n))).toBeLessThanOrEqual(CACHE_TOLERANCE);
  });

  it(`matches the independent PyTorch implementation on ONNX Runtime and on the reference executor (|Δ| ≤ ${GOLDEN_TOLERANCE})`, async () => {
    for (const executor of ['ort', 'reference'] as const) {
      const d = await goldenDiffs('alexatm', executor);
      expect(Math.max(d.encoderStates, d.logits, d.loss.plain, d.loss.smoothed, d.loss.smoothedWeighted), executor).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
    }
  });

  it('bfloat16 weights are widened to float32 on load', async () => {
    const file = SafetensorsFile.open(path.join(FIXTURE_DIRS.alexatm, 'model.safetensors'));
    expect(file.info('lm_head.weight').dtype).toBe('BF16');
    const stored = file.read('lm_head.weight');
    file.close();
    const { params: loaded } = await loadModel(FIXTURE_DIRS.alexatm);
    const head = (loaded as AlexaTMParams<NDArray>).lm_head!.weight;
    expect(head.dtype).toBe('float32');
    expect(head.toNumbers()).toEqual(stored.toNumbers());
  });
});

describe('AlexaTM checkpoint layout', () => {
  const dims = { vocabSize: 24, dModel: 8, encoderLayers: 1, decoderLayers: 1, encoderAttentionHeads: 2, decoderAttentionHeads: 2, encoderFfnDim: 16, decoderFfnDim: 16, maxPositionEmbeddings: 12 };

  it('three untied matrices: exactly the released AlexaTMSeq2SeqForConditionalGeneration’s tensor names, position_ids as 0..n−1', () => {
    const config = alexatmConfig({ ...dims, shareEmbeddings: false, tieWordEmbeddings: false });
    const dir = path.join(tempDir('names'), 'alexatm');
    saveModel(dir, config, initParams(config, 1n));
    const norm = (p: string) => [`${p}.weight`, `${p}.bias`];
    const lin = norm;
    const attn = (p: string) => ['k_proj', 'v_proj', 'q_proj', 'out_proj'].flatMap((x) => lin(`${p}.${x}`));
    const enc = 'model.encoder.pre_ln_encoder.layer.0';
    const dec = 'model.decoder.layers.0';
    const expected = [
      'final_logits_bias',
      'model.shared.weight',
      'model.encoder.position_ids',
      'model.encoder.position_embeddings.weight',
      'model.encoder.token_type_embeddings.weight',
      ...lin(`${enc}.attention.self.query`),
      ...lin(`${enc}.attention.self.key`),
      ...lin(`${enc}.attention.self.value`),
      ...lin(`${enc}.attention.output.dense`),
      ...norm(`${enc}.intermediate.layer_norm`),
      ...lin(`${enc}.intermediate.dense`),
      ...lin(`${enc}.output.dense`),
      ...norm(`${enc}.layer_norm`),
      ...norm('model.encoder.pre_ln_encoder.layer_norm'),
      'model.decoder.embed_tokens.weight',
      'model.decoder.embed_positions.weight',
      ...attn(`${dec}.self_attn`),
      ...norm(`${dec}.self_attn_layer_norm`),
      ...attn(`${dec}.encoder_attn`),
      ...norm(`${dec}.encoder_attn_layer_norm`),
      ...lin(`${dec}.fc1`),
      ...lin(`${dec}.fc2`),
      ...norm(`${dec}.final_layer_norm`),
      ...norm('model.decoder.layernorm_output'),
      'lm_head.weight',
    ];
    expect(storedNames(path.join(dir, 'model.safetensors')).sort()).toEqual(expected.sort());
    const file = SafetensorsFile.open(path.join(dir, 'model.safetensors'));
    expect(file.info('model.encoder.position_ids')).toMatchObject({ dtype: 'I64', shape: [1, 12] });
    expect(file.read('model.encoder.position_ids').toNumbers()).toEqual([...Array(12).keys()]);
    expect(file.info('model.encoder.position_embeddings.weight').shape).toEqual([12, 8]); // from 0, no offset
    expect(file.info('model.decoder.embed_positions.weight').shape).toEqual([14, 8]); // offset 2
    file.close();
  });

  it('shared embeddings (the class defaults) store one matrix: no decoder embed_tokens, no lm_head', () => {
    const names = checkpointNames(paramSpec(alexatmConfig(dims)));
    expect(names.filter((n) => /embed_tokens|lm_head|shared/.test(n))).toEqual(['model.shared.weight']);
  });
});

/** A unigram model with AlexaTM's special tokens as user-defined pieces, as an AlexaTM tokenizer carries them. */
function alexatmTokenizer(): string {
  const piece = (text: string, score: number, type: ModelPiece['type'] = 'normal'): ModelPiece => ({ piece: text, score, type });
  const pieces: ModelPiece[] = [
    piece('<unk>', 0, 'unknown'),
    piece('<s>', 0, 'control'),
    piece('</s>', 0, 'control'),
    piece('[PAD]', 0, 'user_defined'),
    piece('[MASK]', 0, 'user_defined'),
    piece('[CLM]', 0, 'user_defined'),
    piece('[DOC]', 0, 'user_defined'),
    piece('▁', -2),
    ...['a', 'b', 'c', 'd', 'e'].map((c) => piece(c, -3)),
    piece('▁ab', -4),
  ];
  const file = path.join(tempDir('spm'), 'alexatm.model');
  fs.writeFileSync(
    file,
    serializeModelProto({
      pieces,
      trainerSpec: { ...DEFAULT_TRAINER_SPEC, modelType: 'unigram', vocabSize: pieces.length },
      normalizerSpec: { ...DEFAULT_NORMALIZER_SPEC, name: 'identity' },
      denormalizerSpec: null,
      selfTestData: [],
    }),
  );
  return file;
}

describe('initialisation', () => {
  it('initParams draws N(0, init_std) weights, the decoder positions\' padding row 0, and token_type_embeddings all 0 (a constant offset on every encoder position)', () => {
    const config = alexatmConfig({ vocabSize: 200, dModel: 32, encoderLayers: 1, decoderLayers: 1, encoderAttentionHeads: 2, decoderAttentionHeads: 2, encoderFfnDim: 64, decoderFfnDim: 64, maxPositionEmbeddings: 16 });
    const p = initParams(config, 3n);
    expect(p.model.encoder.token_type_embeddings.weight.toNumbers().every((v) => v === 0)).toBe(true);
    const shared = p.model.shared.weight.toNumbers();
    const D = config.dModel;
    const std = Math.sqrt(shared.reduce((s, v) => s + v * v, 0) / (shared.length - D)); // the padding row is 0
    expect(std).toBeGreaterThan(0.9 * config.initStd); // 6,368 draws: the standard error is 0.9%
    expect(std).toBeLessThan(1.1 * config.initStd);
    const positions = p.model.decoder.embed_positions.weight.toNumbers();
    expect(positions.slice(D, 2 * D).every((v) => v === 0)).toBe(true);
    expect(positions.slice(2 * D, 3 * D).some((v) => v !== 0)).toBe(true);
  });
});

describe('[CLM] mode', () => {
  it('a [CLM] prompt is one more token: the vocabulary gives its id, the model runs it, the logits change', async () => {
    const config = alexatmConfig({ ...tiny(), padTokenId: 3 });
    const dir = path.join(tempDir('clm'), 'alexatm');
    saveModel(dir, config, params(config, 3n), alexatmTokenizer());
    expect(fs.existsSync(path.join(dir, '20b_tokenizer.model'))).toBe(true);
    const { vocabulary, params: loaded } = await loadSeq2Seq(dir);
    expect(vocabulary?.kind).toBe('alexatm');
    const clm = vocabulary!.clmId;
    expect(clm).toBe(5);
    const prompt = vocabulary!.encode('[CLM] ab cd');
    expect(prompt[0]).toBe(clm);
    const rest = prompt.slice(1);
    const pad = vocabulary!.padId;
    const S = prompt.length;
    const ids = NDArray.from('int32', [2, S], [...prompt, ...rest, pad]); // with [CLM], and the same text without it (padded)
    const mask = NDArray.from('int32', [2, S], [...prompt.map(() => 1), ...rest.map(() => 1), 0]);
    const dec = NDArray.from('int32', [2, 2], [2, rest[0]!, 2, rest[0]!]);
    const m = compileModel(config);
    const out = await m.forward(loaded, { inputIds: ids, attentionMask: mask, decoderInputIds: dec, labels: dec, weights: NDArray.from('float32', [2, 2], [1, 1, 1, 1]) });
    const logits = out.logits.toNumbers();
    expect(logits.every(Number.isFinite)).toBe(true);
    const V = config.vocabSize;
    expect(logits.slice(0, 2 * V)).not.toEqual(logits.slice(2 * V));
  });
});

async function loadError(dir: string): Promise<Error> {
  try {
    await loadModel(dir);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`loading ${dir} did not fail`);
}

describe('broken AlexaTM checkpoints', () => {
  it('share_embeddings false without model.decoder.embed_tokens.weight is a ConfigError naming share_embeddings', async () => {
    const e = await loadError(brokenCopy('alexatm', (t) => t.delete('model.decoder.embed_tokens.weight')));
    expect((e as ConfigError).field).toBe('share_embeddings');
  });

  it('a missing encoder tensor is a WeightFileError naming it; an absent position_ids buffer is fine (rebuilt)', async () => {
    const e = await loadError(brokenCopy('alexatm', (t) => t.delete('model.encoder.pre_ln_encoder.layer.1.intermediate.layer_norm.bias')));
    expect(e).toBeInstanceOf(WeightFileError);
    expect(e.message).toMatch(/"model\.encoder\.pre_ln_encoder\.layer\.1\.intermediate\.layer_norm\.bias" \[8\] is missing/);
    await expect(loadModel(brokenCopy('alexatm', (t) => t.delete('model.encoder.position_ids')))).resolves.toMatchObject({ family: 'alexatm' });
  });

  it('position_ids other than 0..n−1 are refused, naming the tensor', async () => {
    const e = await loadError(brokenCopy('alexatm', (t) => t.set('model.encoder.position_ids', NDArray.from('int64', [1, 12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10]))));
    expect(e).toBeInstanceOf(WeightFileError);
    expect(e.message).toMatch(/"model\.encoder\.position_ids" holds 11 at element 10/);
  });

  it('a token-type table of another size names type_vocab_size', async () => {
    const e = await loadError(brokenCopy('alexatm', (t) => t.set('model.encoder.token_type_embeddings.weight', NDArray.zeros('float32', [3, 8]))));
    expect((e as ConfigError).field).toBe('type_vocab_size');
  });

  it('a batch the model was not compiled for fails at the call, naming the argument', async () => {
    const m = compileModel(tiny());
    const batch = paddedBatch();
    await expect(m.forward(params(tiny(), 1n), { ...batch, labels: NDArray.zeros('int32', [3, 4]) })).rejects.toThrow(/labels/);
  });
});
