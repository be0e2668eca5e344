// T5 (v1.0, v1.1/mT5/Flan-T5) on the core: relative position buckets pinned by hand and against torch,
// logits and losses of two tiny checkpoints against a second implementation written from the paper's
// equations (test/fixtures/models/make_t5_golden.py, plain PyTorch — transformers cannot be installed
// here), cached decoding against the full forward at every step on a padded batch, the save/load round
// trip with Hugging Face's names, and the load errors for a checkpoint that does not match its config.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, spec } from '../../src/backend/compile.js';
import { arange } from '../../src/core/constructors.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { flatten, unflatten, type Tree } from '../../src/core/tree.js';
import { valueAndGrad } from '../../src/core/autodiff.js';
import { ConfigError } from '../../src/models/config/config-error.js';
import { writeConfigFile } from '../../src/models/config/config-file.js';
import { t5Config, type T5Config } from '../../src/models/config/t5.js';
import { loadModel, saveModel } from '../../src/models/checkpoint.js';
import { compileSeq2Seq } from '../../src/models/compiled.js';
import { initParams } from '../../src/models/init.js';
import { checkpointNames } from '../../src/models/param-spec.js';
import { loadT5, saveT5, t5CheckpointTensors } from '../../src/models/t5/checkpoint.js';
import { decodeStep, encode, forward, initCache, t5Specs, type T5Batch } from '../../src/models/t5/model.js';
import type { DecoderCache } from '../../src/models/seq2seq.js';
import { t5ParamSpec } from '../../src/models/t5/param-spec.js';
import { initT5Params, type T5Params } from '../../src/models/t5/params.js';
import { logBucketThresholds, relativePositionBucket, relativePositionBuckets } from '../../src/models/t5/relative-position.js';
import { openCheckpointWeights, writeCheckpointWeights } from '../../src/models/weights/sharded.js';
import { WeightFileError } from '../../src/models/weights/weight-reader.js';
import { serializeModelProto } from '../../src/tokenizer/model-proto.js';
import { expectClose } from '../helpers/arrays.js';
import { toyUnigram } from '../tokenizer/toy-models.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/models/t5');
const EXECUTORS = ['ort', 'reference'] as const;

/** Our float32 against the reference's float64 math on the same weights (logits reach |14|; seen: ≤ 4.5e-6). */
const GOLDEN_TOL = { rtol: 1e-5, atol: 1e-5 };
/** Cached decoding against the full forward: the same float32 ops, summed in another order (seen: ≤ 5e-6). */
const CACHE_TOL = { rtol: 1e-5, atol: 1e-5 };

const tmp = mkdtempSync(path.join(os.tmpdir(), 'polyseq-t5-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ints = (rows: number[][]) => NDArray.from('int32', [rows.length, rows[0]!.length], rows.flat());
const floats = (rows: number[][]) => NDArray.from('float32', [rows.length, rows[0]!.length], rows.flat());

/** Columns [start, end) of a (B, T) int32 array. */
function columns(a: NDArray, start: number, end: number): NDArray {
  const [B, T] = a.shape as [number, number];
  const out: number[] = [];
  for (let b = 0; b < B; b++) for (let t = start; t < end; t++) out.push(a.get(b * T + t));
  return NDArray.from('int32', [B, end - start], out);
}

/** Positions [start, end) along axis 1 of a (B, T, V) array. */
function steps(a: NDArray, start: number, end: number): NDArray {
  const [B, T, V] = a.shape as [number, number, number];
  const out: number[] = [];
  for (let b = 0; b < B; b++) for (let t = start; t < end; t++) for (let v = 0; v < V; v++) out.push(a.get((b * T + t) * V + v));
  return NDArray.from(a.dtype, [B, end - start, V], out);
}

describe('relative position buckets (transformers _relative_position_bucket)', () => {
  // By hand, with n = num_buckets (halved when bidirectional), max_exact = n // 2:
  //   bucket = [bidirectional and rel > 0]·n + (d < max_exact ? d : min(max_exact + ⌊ln(d/max_exact) / ln(max_distance/max_exact)·(n − max_exact)⌋, n − 1))
  // where d = |rel| (bidirectional) or max(−rel, 0) (unidirectional).
  const pinned: [number, boolean, number, number, number, string][] = [
    [0, true, 32, 128, 0, 'd = 0'],
    [-3, true, 32, 128, 3, 'd = 3 < 8: exact'],
    [3, true, 32, 128, 19, 'keys after the query: 16 + 3'],
    [-8, true, 32, 128, 8, 'd = max_exact: 8 + ⌊ln 1⌋ = 8'],
    [-16, true, 32, 128, 10, '8 + ⌊ln 2 / ln 16 · 8⌋ = 8 + ⌊2⌋ (an exact boundary)'],
    [-20, true, 32, 128, 10, '8 + ⌊ln 2.5 / ln 16 · 8⌋ = 8 + ⌊2.644⌋'],
    [20, true, 32, 128, 26, '16 + 10'],
    [-127, true, 32, 128, 15, '8 + ⌊ln 15.875 / ln 16 · 8⌋ = 8 + ⌊7.977⌋'],
    [1000, true, 32, 128, 31, '16 + min(8 + 13, 15)'],
    [5, false, 32, 128, 0, 'unidirectional: future keys share bucket 0'],
    [-5, false, 32, 128, 5, 'd = 5 < 16: exact'],
    [-16, false, 32, 128, 16, 'd = max_exact'],
    [-40, false, 32, 128, 23, '16 + ⌊ln 2.5 / ln 8 · 16⌋ = 16 + ⌊7.050⌋'],
    [-100, false, 32, 128, 30, '16 + ⌊ln 6.25 / ln 8 · 16⌋ = 16 + ⌊14.10⌋'],
    [-128, false, 32, 128, 31, '16 + ⌊ln 8 / ln 8 · 16⌋ = 32, capped at 31'],
    [-5, true, 8, 20, 2, 'n = 4, max_exact 2: 2 + ⌊ln 2.5 / ln 10 · 2⌋ = 2 + ⌊0.796⌋'],
    [-7, true, 8, 20, 3, '2 + ⌊ln 3.5 / ln 10 · 2⌋ = 2 + ⌊1.088⌋'],
    [7, true, 8, 20, 7, '4 + 3'],
  ];
  it.each(pinned)('rel %i, bidirectional %s, %i buckets, max distance %i → %i (%s)', (rel, bidirectional, buckets, maxDistance, expected) => {
    expect(relativePositionBucket(rel, bidirectional, buckets, maxDistance)).toBe(expected);
  });

  interface BucketTable {
    positions: [number, number];
    cases: { bidirectional: boolean; num_buckets: number; max_distance: number; buckets: number[] }[];
  }
  const table = JSON.parse(readFileSync(path.join(FIXTURES, 'relative-buckets.json'), 'utf8')) as BucketTable;
  const [first, last] = table.positions;
  const positions = Array.from({ length: last - first + 1 }, (_, i) => first + i);

  it('the host twin equals torch on −300..300 for 8 settings', () => {
    for (const c of table.cases) {
      expect(positions.map((p) => relativePositionBucket(p, c.bidirectional, c.num_buckets, c.max_distance)), JSON.stringify(c)).toEqual(c.buckets);
    }
  });

  it('thresholds: the first distance of each logarithmic bucket', () => {
    // 32 bidirectional, 128: n = 16, max_exact = 8; bucket 8 + j starts at ⌈8·16^(j/8)⌉ (j = 1 … 7).
    expect(logBucketThresholds(true, 32, 128)).toEqual([12, 16, 23, 32, 46, 64, 91]);
    expect(() => logBucketThresholds(true, 2, 128)).toThrow(/relative_attention_num_buckets must be an integer ≥ 4 \(got 2\)/);
    expect(() => logBucketThresholds(false, 32, 16)).toThrow(/relative_attention_max_distance must be an integer above the 16 exact buckets \(got 16\)/);
  });

  describe.each(EXECUTORS)('in the graph on %s', (executor) => {
    it('equals torch on −300..300 for 8 settings', async () => {
      const rel = NDArray.from('int32', [positions.length], positions);
      for (const c of table.cases) {
        const f = compile((r: Tensor) => relativePositionBuckets(r, c.bidirectional, c.num_buckets, c.max_distance), { executor });
        expect((await f(rel)).toNumbers(), JSON.stringify(c)).toEqual(c.buckets);
      }
    });

    it('works on symbolic lengths with an offset (key − (offset + query))', async () => {
      const f = compile(
        (q: Tensor, k: Tensor, offset: Tensor) => {
          const rel = arange(k.shape[0]!, 'int32').unsqueeze(0).sub(arange(q.shape[0]!, 'int32').add(offset).unsqueeze(1)); // (Tq, Tk)
          return relativePositionBuckets(rel, false, 32, 128);
        },
        { executor, specs: [spec('float32', ['step']), spec('float32', ['keys']), spec('int32', [])] },
      );
      const out = await f(NDArray.zeros('float32', [2]), NDArray.zeros('float32', [60]), NDArray.scalar('int32', 57));
      const expected = [57, 58].flatMap((qp) => Array.from({ length: 60 }, (_, kp) => relativePositionBucket(kp - qp, false, 32, 128)));
      expect(out.toNumbers()).toEqual(expected);
    });
  });
});

interface Golden {
  input_ids: number[][];
  attention_mask: number[][];
  labels: number[][];
  loss_weights: number[][];
  label_smoothing: number;
  encoder_last_hidden_state: number[];
  logits: number[];
  logits_shape: number[];
  loss: number;
  loss_label_smoothed: number;
  loss_weighted: number;
}

const VARIANTS = [
  ['t5-v1_0-tiny', 'v1.0: relu, tied head, F16 weights'],
  ['t5-v1_1-tiny', 'v1.1: gated-gelu, untied head, heads·d_kv ≠ d_model, BF16 weights'],
] as const;

interface Fixture {
  config: T5Config;
  params: T5Params<NDArray>;
  golden: Golden;
}

/** The fixture checkpoints, loaded once (loadT5 is async, describe blocks are not). */
const fixtures = new Map<string, Fixture>();
for (const [name] of VARIANTS) {
  const dir = path.join(FIXTURES, name);
  const { config, params } = await loadT5(dir);
  fixtures.set(name, { config, params, golden: JSON.parse(readFileSync(path.join(dir, 'golden.json'), 'utf8')) as Golden });
}

function loadFixture(name: string): Fixture {
  return fixtures.get(name)!;
}

function goldenBatch(g: Golden): T5Batch<NDArray> {
  return { inputIds: ints(g.input_ids), attentionMask: ints(g.attention_mask), labels: ints(g.labels), weights: floats(g.loss_weights) };
}

describe.each(VARIANTS)('golden values: %s (%s) against make_t5_golden.py', (name) => {
  const { config, params, golden } = loadFixture(name);
  const batch = goldenBatch(golden);

  it.each(EXECUTORS)('logits, encoder states and losses on %s (symbolic batch and lengths)', async (executor) => {
    const run = compile(
      (p: T5Params<Tensor>, b: T5Batch<Tensor>) => {
        const weighted = forward(p, b, config);
        const plain = forward(p, { inputIds: b.inputIds, attentionMask: b.attentionMask, labels: b.labels }, config);
        const smoothed = forward(p, { inputIds: b.inputIds, attentionMask: b.attentionMask, labels: b.labels }, config, { labelSmoothing: golden.label_smoothing });
        return { logits: plain.logits, loss: plain.loss, smoothed: smoothed.loss, weighted: weighted.loss, encoded: encode(p, b.inputIds, b.attentionMask, config) };
      },
      {
        executor,
        specs: [
          t5Specs(config).params,
          { inputIds: spec('int32', ['batch', 'src']), attentionMask: spec('int32', ['batch', 'src']), labels: spec('int32', ['batch', 'tgt']), weights: spec('float32', ['batch', 'tgt']) },
        ],
      },
    );
    const out = await run(params, batch);
    expectClose(out.logits, NDArray.from('float32', golden.logits_shape, golden.logits), GOLDEN_TOL, 'logits');
    expectClose(out.encoded, NDArray.from('float32', out.encoded.shape, golden.encoder_last_hidden_state), GOLDEN_TOL, 'encoder states');
    expect(out.loss.get(0)).toBeCloseTo(golden.loss, 5);
    expect(out.smoothed.get(0)).toBeCloseTo(golden.loss_label_smoothed, 5);
    expect(out.weighted.get(0)).toBeCloseTo(golden.loss_weighted, 5);
  });

  it('decoderAttentionMask masks decoder keys: all ones changes nothing; masking key 2 changes only positions 2 and later', async () => {
    const run = compile((p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config).logits);
    const [B, T] = batch.labels.shape as [number, number];
    const mask = (off: number[]) => NDArray.from('int32', [B, T], Array.from({ length: B * T }, (_, i) => (off.includes(i) ? 0 : 1)));
    const plain = await run(params, { inputIds: batch.inputIds, attentionMask: batch.attentionMask, labels: batch.labels });
    const ones = await run(params, { inputIds: batch.inputIds, attentionMask: batch.attentionMask, labels: batch.labels, decoderAttentionMask: mask([]) });
    expect([...ones.data]).toEqual([...plain.data]);
    const masked = (await run(params, { inputIds: batch.inputIds, attentionMask: batch.attentionMask, labels: batch.labels, decoderAttentionMask: mask([2]) })).toNumbers();
    const V = config.vocabSize;
    const changed = (b: number, t: number) => plain.toNumbers().slice((b * T + t) * V, (b * T + t + 1) * V).some((v, i) => v !== masked[(b * T + t) * V + i]);
    expect(Array.from({ length: T }, (_, t) => changed(0, t))).toEqual(Array.from({ length: T }, (_, t) => t >= 2));
    expect(Array.from({ length: T }, (_, t) => changed(1, t))).toEqual(new Array(T).fill(false));
  });
});

describe.each(VARIANTS)('cached decoding equals the full forward at every step: %s (%s)', (name) => {
  const { config, params, golden } = loadFixture(name);
  const batch = goldenBatch(golden);
  // The decoder's input: the labels shifted right (start token, then -100 → pad), as forward builds it.
  const decoderInput = ints(golden.labels.map((row) => [config.decoderStartTokenId, ...row.slice(0, -1)].map((t) => (t === -100 ? config.padTokenId : t))));
  const T = decoderInput.shape[1]!;
  const B = decoderInput.shape[0]!;

  const specs = t5Specs(config, { stepTokens: 'tgt' });
  const step = compile(
    (p: T5Params<Tensor>, tokens: Tensor, mask: Tensor, cache: DecoderCache) => decodeStep(p, tokens, mask, cache, config),
    { specs: specs.decodeStep },
  );
  const start = compile((p: T5Params<Tensor>, ids: Tensor, mask: Tensor) => initCache(p, encode(p, ids, mask, config), config), { specs: specs.encode });
  const full = compile((p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config).logits);

  it.each([
    ['one token per step', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['a 3-token prefix, then 1, then 2 at a time', [3, 1, 2, 2, 2]],
  ])('%s', async (_, chunks) => {
    const expected = await full(params, { inputIds: batch.inputIds, attentionMask: batch.attentionMask, labels: batch.labels, decoderInputIds: decoderInput });
    let cache = await start(params, batch.inputIds, batch.attentionMask);
    expect(cache.self[0]!.key.shape).toEqual([B, config.numHeads, 0, config.dKv]);
    let at = 0;
    for (const n of chunks) {
      const out = await step(params, columns(decoderInput, at, at + n), batch.attentionMask, cache);
      expectClose(out.logits, steps(expected, at, at + n), CACHE_TOL, `logits of positions ${at}…${at + n - 1}`);
      cache = out.cache;
      at += n;
      expect(cache.self[0]!.key.shape).toEqual([B, config.numHeads, at, config.dKv]);
    }
    expect(at).toBe(T);
  });
});

describe('training through forward (t5-v1_1-tiny)', () => {
  const { config, params, golden } = loadFixture('t5-v1_1-tiny');
  const batch = goldenBatch(golden);
  const isArray = (v: unknown): v is NDArray => v instanceof NDArray;
  const leaves = (tree: T5Params<NDArray>) => flatten(tree as unknown as Tree<NDArray>, isArray, 'NDArray');

  it('the gradient matches central differences of the loss along it (ε‖g‖ = 1e-2, within 1%)', async () => {
    const lossOf = (p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config).loss;
    const [value, grads] = await compile(valueAndGrad(lossOf))(params, batch);
    const g = leaves(grads as T5Params<NDArray>).leaves;
    const norm = Math.sqrt(g.reduce((s, a) => s + a.toNumbers().reduce((t, v) => t + v * v, 0), 0));
    const eps = 1e-2 / norm;
    const flat = leaves(params);
    const moved = (sign: number) =>
      unflatten(flat.def, flat.leaves.map((a, i) => NDArray.from('float32', a.shape, a.toNumbers().map((v, j) => v + sign * eps * g[i]!.get(j))))) as unknown as T5Params<NDArray>;
    const loss = compile(lossOf);
    const slope = ((await loss(moved(1), batch)).get(0) - (await loss(moved(-1), batch)).get(0)) / (2 * eps);
    expect(value.get(0)).toBeCloseTo(golden.loss_weighted, 5);
    expect(slope / norm ** 2).toBeGreaterThan(0.99);
    expect(slope / norm ** 2).toBeLessThan(1.01);
  });

  it('dropout: on with a key (the same key, the same logits), off without one', async () => {
    const run = compile((p: T5Params<Tensor>, b: T5Batch<Tensor>, key: Tensor) => ({
      train: forward(p, b, config, { key }).logits,
      again: forward(p, b, config, { key }).logits,
      other: forward(p, b, config, { key: key.add(1) }).logits,
      evaluate: forward(p, b, config).logits,
    }));
    const out = await run(params, batch, NDArray.scalar('int64', 5n));
    expect([...out.again.data]).toEqual([...out.train.data]);
    expect([...out.other.data]).not.toEqual([...out.train.data]);
    expect([...out.train.data]).not.toEqual([...out.evaluate.data]);
    expectClose(out.evaluate, NDArray.from('float32', golden.logits_shape, golden.logits), GOLDEN_TOL, 'evaluation logits');
  });
});

/** A tiny random config of each variant (the mT5 one with model_type "mt5"). */
const tinyConfigs: [string, T5Config][] = [
  ['t5 v1.0', t5Config({ vocabSize: 32, dModel: 16, dKv: 4, numHeads: 4, dFf: 32, numLayers: 2, relativeAttentionNumBuckets: 8, relativeAttentionMaxDistance: 20 })],
  [
    'mt5',
    t5Config({ modelType: 'mt5', vocabSize: 32, dModel: 16, dKv: 8, numHeads: 2, dFf: 24, numLayers: 2, numDecoderLayers: 1, relativeAttentionNumBuckets: 8, relativeAttentionMaxDistance: 20 }),
  ],
];

describe.each(tinyConfigs)('save and load a random %s', (label, config) => {
  const params = initT5Params(config, 7n);
  const dir = path.join(tmp, label.replace(/\W+/g, '-'));

  it('gives the same tensors, the same logits, and Hugging Face names', async () => {
    saveT5(dir, config, params);
    const reader = openCheckpointWeights(dir);
    const stored = [...reader.names].sort();
    reader.close();
    expect(stored).toEqual(checkpointNames(t5ParamSpec(config)).sort());
    expect(stored).toContain('shared.weight');
    expect(stored.includes('lm_head.weight')).toBe(!config.tieWordEmbeddings);
    expect(stored.some((n) => n.includes('embed_tokens'))).toBe(false);

    const loaded = await loadT5(dir);
    expect(loaded.config).toEqual(config);
    const before = t5CheckpointTensors(config, params);
    const after = new Map(t5CheckpointTensors(loaded.config, loaded.params));
    for (const [n, a] of before) expect([...after.get(n)!.data], n).toEqual([...a.data]);

    const logits = compile((p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config).logits);
    const batch = { inputIds: ints([[3, 4, 5, 1], [6, 7, 1, 0]]), attentionMask: ints([[1, 1, 1, 1], [1, 1, 1, 0]]), labels: ints([[8, 9, 1], [10, 1, -100]]) };
    const x = await logits(params, batch);
    const y = await logits(loaded.params, batch);
    expect([...y.data]).toEqual([...x.data]);
  });

  it('config.json has the keys T5Config writes', () => {
    const json = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'architectures',
      'd_ff',
      'd_kv',
      'd_model',
      'decoder_start_token_id',
      'dense_act_fn',
      'dropout_rate',
      'eos_token_id',
      'feed_forward_proj',
      'initializer_factor',
      'is_encoder_decoder',
      'is_gated_act',
      'layer_norm_epsilon',
      'model_type',
      'num_decoder_layers',
      'num_heads',
      'num_layers',
      'pad_token_id',
      'relative_attention_max_distance',
      'relative_attention_num_buckets',
      'tie_word_embeddings',
      'vocab_size',
    ]);
    expect(json['model_type']).toBe(config.modelType);
  });
});

describe('the generic entry points: saveModel and loadModel dispatch to saveT5 and loadT5', () => {
  it.each(tinyConfigs)('a random %s saved with saveModel and loaded with loadModel gives identical logits', async (label, config) => {
    const params = initT5Params(config, 11n);
    const dir = path.join(tmp, `generic-${label.replace(/\W+/g, '-')}`);
    saveModel(dir, config, params);
    const loaded = await loadModel(dir);
    expect(loaded.family).toBe('t5');
    if (loaded.family !== 't5') return;
    expect(loaded.config).toEqual(config);
    const logits = compile((p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config).logits);
    const batch = { inputIds: ints([[3, 4, 5, 1], [6, 7, 1, 0]]), attentionMask: ints([[1, 1, 1, 1], [1, 1, 1, 0]]), labels: ints([[8, 9, 1], [10, 1, -100]]) };
    const x = await logits(params, batch);
    const y = await logits(loaded.params, batch);
    expect([...y.data]).toEqual([...x.data]);
  });
});

describe('checkpoint folders beyond one file', () => {
  it('a sharded save loads back the same tensors', async () => {
    const config = tinyConfigs[0]![1];
    const params = initT5Params(config, 9n);
    const dir = path.join(tmp, 'sharded');
    saveT5(dir, config, params, { maxShardSize: 16_000 });
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors', 'model.safetensors.index.json']);
    const loaded = await loadT5(dir);
    const after = new Map(t5CheckpointTensors(config, loaded.params));
    for (const [n, a] of t5CheckpointTensors(config, params)) expect([...after.get(n)!.data], n).toEqual([...a.data]);
    expect(loaded.vocabulary).toBeNull();
  });

  it('spiece.model is saved beside the weights and loaded as the T5 vocabulary (pieces, then 100 sentinels)', async () => {
    const model = path.join(tmp, 'toy.model');
    writeFileSync(model, serializeModelProto(toyUnigram()));
    const config = t5Config({ ...tinyConfigs[0]![1], vocabSize: 128 });
    const dir = path.join(tmp, 'with-tokenizer');
    saveT5(dir, config, initT5Params(config, 1n), { tokenizerModelPath: model });
    const { vocabulary } = await loadT5(dir);
    expect(vocabulary?.size).toBe(11 + 100);
    expect(vocabulary?.encode('ab', { addEos: true })).toEqual([8, 2]); // ▁ab, then </s>
    expect(vocabulary?.encode('<extra_id_0>')).toEqual([110]); // the first sentinel is the last id

    const small = path.join(tmp, 'tokenizer-too-big');
    saveT5(small, tinyConfigs[0]![1], initT5Params(tinyConfigs[0]![1], 1n), { tokenizerModelPath: model });
    await expect(loadT5(small)).rejects.toThrow(/vocab_size is 32 but spiece\.model with T5's 100 sentinels has 111 ids/);
  });
});

describe.each(tinyConfigs)('compileSeq2Seq serves T5 (%s): the same logits as t5/model.ts called directly', (_label, config) => {
  const params = initT5Params(config, 13n);
  const batch = { inputIds: ints([[3, 4, 5, 1], [6, 7, 1, 0]]), attentionMask: ints([[1, 1, 1, 1], [1, 1, 1, 0]]), labels: ints([[8, 9, 1], [10, 1, -100]]) };
  const decoderInputIds = ints([[config.decoderStartTokenId, 8, 9], [config.decoderStartTokenId, 10, 1]]);
  const model = compileSeq2Seq(config, { stepTokens: 'tgt', labelSmoothing: 0.1 });

  it('forward: logits and loss', async () => {
    const direct = await compile((p: T5Params<Tensor>, b: T5Batch<Tensor>) => forward(p, b, config, { labelSmoothing: 0.1 }))(params, { ...batch, decoderInputIds });
    const generic = await model.forward(params, { ...batch, decoderInputIds });
    expect([...generic.logits.data]).toEqual([...direct.logits.data]);
    expect(generic.loss.get(0)).toBe(direct.loss.get(0));
  });

  it('encode, initCache and decodeStep', async () => {
    const direct = await compile((p: T5Params<Tensor>, ids: Tensor, mask: Tensor, tokens: Tensor) => {
      const states = encode(p, ids, mask, config);
      return { states, logits: decodeStep(p, tokens, mask, initCache(p, states, config), config).logits };
    })(params, batch.inputIds, batch.attentionMask, decoderInputIds);
    const states = await model.encode(params, batch.inputIds, batch.attentionMask);
    expect([...states.data]).toEqual([...direct.states.data]);
    const cache = await model.initCache(params, states);
    expect(cache.self).toHaveLength(config.numDecoderLayers);
    const step = await model.decodeStep(params, decoderInputIds, batch.attentionMask, cache);
    expectClose(step.logits, direct.logits, CACHE_TOL, 'decodeStep logits');
  });
});

describe('saveT5 is all-or-nothing', () => {
  const config = tinyConfigs[1]![1]; // mT5: untied, so lm_head.weight is stored
  const snapshot = (dir: string) => new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
  const missingTensor = (): T5Params<NDArray> => {
    const broken = initT5Params(config, 5n);
    delete broken.lm_head;
    return broken;
  };

  it('a failed save (the params miss a tensor) leaves an existing folder untouched', () => {
    const dir = path.join(tmp, 'failed-over-existing');
    saveT5(dir, config, initT5Params(config, 2n));
    const before = snapshot(dir);
    expect(() => saveT5(dir, config, missingTensor())).toThrow(/the parameters have no "lm_head\.weight"/);
    expect(snapshot(dir)).toEqual(before);
    expect(() => saveModel(dir, config, missingTensor())).toThrow(/lm_head\.weight/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a failed save into a new folder leaves neither the folder nor a staging folder behind', () => {
    const parent = path.join(tmp, 'failed-new');
    const dir = path.join(parent, 'model');
    expect(() => saveT5(dir, config, missingTensor())).toThrow(/lm_head\.weight/);
    expect(() => saveT5(dir, config, initT5Params(config, 2n), { tokenizerModelPath: path.join(tmp, 'no-such.model') })).toThrow(/cannot read the tokenizer model/);
    expect(existsSync(dir)).toBe(false);
    if (existsSync(parent)) expect(readdirSync(parent)).toEqual([]);
  });

  it('a new folder is written beside its path and renamed: nothing else is left in the parent', () => {
    const parent = path.join(tmp, 'staged-new');
    saveT5(path.join(parent, 'model'), config, initT5Params(config, 2n));
    expect(readdirSync(parent)).toEqual(['model']);
  });
});

describe('initParams, the one entry point, draws a T5 config as initT5Params does', () => {
  it.each(tinyConfigs)('%s', (_label, config) => {
    const generic = new Map(t5CheckpointTensors(config, initParams(config, 3n)));
    const direct = t5CheckpointTensors(config, initT5Params(config, 3n));
    expect([...generic.keys()]).toEqual(direct.map(([n]) => n));
    for (const [n, a] of direct) expect([...generic.get(n)!.data], n).toEqual([...a.data]);
  });
});

describe('initT5Params', () => {
  const config = t5Config({ vocabSize: 64, dModel: 32, dKv: 8, numHeads: 4, dFf: 64, numLayers: 1, feedForwardProj: 'gated-gelu', tieWordEmbeddings: false });
  const tensors = new Map(t5CheckpointTensors(config, initT5Params(config, 3n)));
  const std = (a: NDArray) => Math.sqrt(a.toNumbers().reduce((s, v) => s + v * v, 0) / a.size);

  it("draws transformers' init stds by tensor role, norm scales 1, the same values for the same seed", () => {
    const cases: [string, number][] = [
      ['shared.weight', 1],
      ['lm_head.weight', 1],
      ['encoder.block.0.layer.0.SelfAttention.q.weight', (32 * 8) ** -0.5],
      ['encoder.block.0.layer.0.SelfAttention.k.weight', 32 ** -0.5],
      ['encoder.block.0.layer.0.SelfAttention.o.weight', 32 ** -0.5],
      ['encoder.block.0.layer.1.DenseReluDense.wi_0.weight', 32 ** -0.5],
      ['encoder.block.0.layer.1.DenseReluDense.wo.weight', 64 ** -0.5],
    ];
    for (const [n, expected] of cases) {
      const ratio = std(tensors.get(n)!) / expected;
      expect(ratio, n).toBeGreaterThan(0.9);
      expect(ratio, n).toBeLessThan(1.1);
    }
    expect(tensors.get('encoder.final_layer_norm.weight')!.toNumbers()).toEqual(new Array(32).fill(1));
    const again = new Map(t5CheckpointTensors(config, initT5Params(config, 3n)));
    expect([...again.get('shared.weight')!.data]).toEqual([...tensors.get('shared.weight')!.data]);
    const other = new Map(t5CheckpointTensors(config, initT5Params(config, 4n)));
    expect(other.get('shared.weight')!.get(0)).not.toBe(tensors.get('shared.weight')!.get(0));
  });
});

describe('loading a checkpoint that does not match its config', () => {
  const config = tinyConfigs[0]![1];
  const params = initT5Params(config, 11n);
  const good = t5CheckpointTensors(config, params);
  let n = 0;
  /** A checkpoint folder: the config of `options` over the good one, the good weights edited by `edit`. */
  function folder(edit: (tensors: [string, NDArray][]) => [string, NDArray][], options: Parameters<typeof t5Config>[0] = {}): string {
    const dir = path.join(tmp, `bad-${n++}`);
    writeCheckpointWeights(dir, edit([...good]));
    writeConfigFile(dir, t5Config({ ...config, ...options }));
    return dir;
  }

  it('a missing tensor is named', async () => {
    const dir = folder((ts) => ts.filter(([k]) => k !== 'decoder.block.1.layer.2.DenseReluDense.wo.weight'));
    await expect(loadT5(dir)).rejects.toThrow(WeightFileError);
    await expect(loadT5(dir)).rejects.toThrow(/tensor "decoder\.block\.1\.layer\.2\.DenseReluDense\.wo\.weight" \[16, 32\] is missing/);
  });

  it('a tensor of the wrong shape names the tensor and the config field', async () => {
    const dir = folder((ts) => ts.map(([k, v]) => [k, k === 'shared.weight' ? NDArray.zeros('float32', [33, 16]) : v]));
    await expect(loadT5(dir)).rejects.toThrow(ConfigError);
    await expect(loadT5(dir)).rejects.toThrow(/tensor "shared\.weight" is \[33, 16\] in the checkpoint, but config\.json makes it \[32, 16\] \(vocab_size × d_model\); check vocab_size/);
  });

  it('a tensor of an integer dtype is named', async () => {
    const dir = folder((ts) => ts.map(([k, v]) => [k, k === 'encoder.final_layer_norm.weight' ? NDArray.zeros('int32', [16]) : v]));
    await expect(loadT5(dir)).rejects.toThrow(/tensor "encoder\.final_layer_norm\.weight" is I32; T5 weights must be F32, F16, BF16 or F64/);
  });

  it('config fields that contradict the weights are named', async () => {
    const cases: [Parameters<typeof t5Config>[0], string, RegExp][] = [
      [{ numLayers: 3 }, 'num_layers', /num_layers is 3 but the checkpoint has 2 encoder blocks .*; set num_layers to 2/],
      [{ numDecoderLayers: 1 }, 'num_decoder_layers', /num_decoder_layers is 1 but the checkpoint has 2 decoder blocks/],
      [{ feedForwardProj: 'gated-gelu' }, 'feed_forward_proj', /feed_forward_proj is "gated-gelu" .* but the checkpoint has a relu feed-forward/],
      [{ tieWordEmbeddings: false }, 'tie_word_embeddings', /tie_word_embeddings is false but the checkpoint has no lm_head\.weight/],
      [{ numHeads: 2 }, 'num_heads', /tensor "encoder\.block\.0\.layer\.0\.SelfAttention\.q\.weight" is \[16, 16\] .* \[8, 16\] \(num_heads · d_kv × d_model\)/],
      [{ relativeAttentionNumBuckets: 16 }, 'relative_attention_num_buckets', /relative_attention_bias\.weight" is \[8, 4\] .* \[16, 4\]/],
    ];
    for (const [options, field, message] of cases) {
      const dir = folder((ts) => ts, options);
      const error: unknown = await loadT5(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, field).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('tensors the config has no place for are named', async () => {
    const dir = folder((ts) => [...ts, ['encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight', NDArray.zeros('float32', [8, 4])]]);
    await expect(loadT5(dir)).rejects.toThrow(/holds 1 tensor that a T5 of this config\.json does not have \("encoder\.block\.1\.layer\.0\.SelfAttention\.relative_attention_bias\.weight"\)/);
  });

  it('tied duplicates (embed_tokens, a tied lm_head) are accepted', async () => {
    const shared = good.find(([k]) => k === 'shared.weight')![1];
    const dir = folder((ts) => [...ts, ['encoder.embed_tokens.weight', shared], ['lm_head.weight', shared]]);
    expect((await loadT5(dir)).params.lm_head).toBeUndefined();
  });
});
