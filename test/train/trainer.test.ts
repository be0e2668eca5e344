// The Trainer and its compiled steps on a tiny AlexaTM (vocab 64, d_model 32, one layer each side):
//   - gradient accumulation: an update over two micro-batches applies the mean of their gradients (the
//     first AdamW update worked out on the host: m = (1 − β1)·ḡ, v = (1 − β2)·ḡ², and
//     p ← p·(1 − lr·λ) − lr·ḡ/(|ḡ| + ε)), and equals the fused one-batch update when both are the same;
//   - the decay mask: with zero gradients only decayed tensors move, by exactly p·(1 − lr·λ); between
//     λ = 0.5 and λ = 0 a step differs by −lr·λ·p on weights and not at all on biases and norms;
//   - dropout keys: the same state, step and seed give bit-identical updates, another seed or step another loss;
//   - the schedule: Trainer.step applies lr(step) of the TrainState's update number.

import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import { flatten, unflatten, type Tree } from '../../src/core/tree.js';
import * as alexatm from '../../src/models/alexatm/model.js';
import { alexatmConfig } from '../../src/models/config/alexatm.js';
import { initParams } from '../../src/models/init.js';
import { ALEXATM_RECIPE } from '../../src/models/presets.js';
import type { Seq2SeqBatch } from '../../src/models/seq2seq.js';
import { decaysWeight } from '../../src/train/decay-mask.js';
import { learningRate, type ScheduleOptions } from '../../src/train/schedule.js';
import { adamwApplyStep, gradientStep, initAdamWState } from '../../src/train/train-step.js';
import { initTrainState, Trainer, type Params, type StepResult, type TrainState } from '../../src/train/trainer.js';
import { seededRandom } from '../helpers/arrays.js';
import { randomParams } from '../models/seq2seq-helpers.js';

const CONFIG = alexatmConfig({
  ...ALEXATM_RECIPE,
  vocabSize: 64,
  dModel: 32,
  encoderLayers: 1,
  decoderLayers: 1,
  encoderAttentionHeads: 2,
  decoderAttentionHeads: 2,
  encoderFfnDim: 64,
  decoderFfnDim: 64,
  maxPositionEmbeddings: 32,
  layerNormEps: 1e-5,
  // dropout rates stay at the class defaults (0.1); the Trainer's `dropout` option turns them on or off
});

const PAD = CONFIG.padTokenId;
const WEIGHT_DECAY = 0.5;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
/** Large enough never to clip here, so the update is plain AdamW and gradNorm is still reported. */
const CLIP = 1000;
/** Warmup 4 to 1e-2, then linear to 1e-3 at update 20: step 0 → 2.5e-3, 3 → 1e-2, 11 → 5.5e-3, ≥ 19 → 1e-3. */
const SCHEDULE: ScheduleOptions = { kind: 'linear', lr: 1e-2, minLr: 1e-3, warmupSteps: 4, totalSteps: 20 };
const COMPILE = { intraOpThreads: 1 };

/** A teacher-forced batch of two: the second encoder row right-padded, the second target row shorter. */
function makeBatch(seed: number): Seq2SeqBatch<NDArray> {
  const rand = seededRandom(seed);
  const token = () => 3 + Math.floor(rand() * (CONFIG.vocabSize - 3));
  const ids = [Array.from({ length: 6 }, token), [...Array.from({ length: 4 }, token), PAD, PAD]];
  const targets = [Array.from({ length: 5 }, token), [...Array.from({ length: 3 }, token), -100, -100]];
  const decoderInputs = targets.map((row) => [2, ...row.slice(0, -1).map((t) => (t === -100 ? PAD : t))]);
  const int = (rows: number[][]) => NDArray.from('int32', [rows.length, rows[0]!.length], rows.flat());
  return {
    inputIds: int(ids),
    attentionMask: int(ids.map((r) => r.map((t) => (t === PAD ? 0 : 1)))),
    decoderInputIds: int(decoderInputs),
    labels: int(targets),
  };
}

const isArray = (v: unknown): v is NDArray => v instanceof NDArray;

/** (checkpoint name, values) of every tensor of a params-shaped tree, in flattening order. */
function named(tree: object): [string, Float64Array][] {
  const flat = flatten(tree as Tree<NDArray>, isArray, 'array');
  return flat.leaves.map((a, i) => [flat.paths[i]!, Float64Array.from(a.toNumbers())]);
}

/** Asserts two params-shaped trees have the same names and values within atol + rtol·|expected|. */
function expectTreesClose(actual: object, expected: object, atol: number, rtol: number, what: string): void {
  const a = named(actual);
  const e = named(expected);
  expect(a.map(([n]) => n), `${what}: names`).toEqual(e.map(([n]) => n));
  a.forEach(([name, av], k) => {
    const ev = e[k]![1];
    expect(av.length, `${what}: ${name} size`).toBe(ev.length);
    for (let i = 0; i < av.length; i++) {
      if (!(Math.abs(av[i]! - ev[i]!) <= atol + rtol * Math.abs(ev[i]!))) expect.fail(`${what}: ${name}[${i}] is ${av[i]}, expected ${ev[i]}`);
    }
  });
}

/** A tree like `like` with each tensor's values computed on the host (float64 in, float32 out). */
function mapTree(like: object, fn: (name: string, values: Float64Array, shape: readonly number[]) => ArrayLike<number>): Params {
  const flat = flatten(like as Tree<NDArray>, isArray, 'array');
  const leaves = flat.leaves.map((a, i) => NDArray.from('float32', a.shape, Array.from(fn(flat.paths[i]!, Float64Array.from(a.toNumbers()), a.shape))));
  return unflatten(flat.def, leaves) as Params;
}

/** The mean of gradient trees, on the host. */
function meanGrads(trees: readonly object[]): Params {
  const all = trees.map(named);
  return mapTree(trees[0]!, (name, _values) => {
    const k = all[0]!.findIndex(([n]) => n === name);
    const out = new Float64Array(all[0]![k]![1].length);
    for (const t of all) t[k]![1].forEach((v, i) => (out[i]! += v / trees.length));
    return out;
  });
}

/** The first AdamW update from zero moments: p·(1 − lr·λ [decayed tensors only]) − lr·g/(|g| + ε). */
function firstAdamWUpdate(params: object, grads: object, lr: number, weightDecay: number): Params {
  const g = new Map(named(grads));
  return mapTree(params, (name, p) => {
    const gv = g.get(name)!;
    const keep = weightDecay !== 0 && decaysWeight(name) ? 1 - lr * weightDecay : 1;
    return p.map((v, i) => v * keep - (lr * gv[i]!) / (Math.abs(gv[i]!) + EPS));
  });
}

function globalNorm(grads: object): number {
  let sum = 0;
  for (const [, v] of named(grads)) for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}

const loss = (p: alexatm.AlexaTMParams, b: Seq2SeqBatch) => alexatm.forward(p, b, CONFIG, { labelSmoothing: 0 }).loss;

function trainer(options: { accumulation?: number; weightDecay?: number; dropout?: boolean; seed?: bigint } = {}): Trainer {
  return new Trainer({
    config: CONFIG,
    optimizer: { weightDecay: options.weightDecay ?? WEIGHT_DECAY, beta1: BETA1, beta2: BETA2, eps: EPS, clipNorm: CLIP },
    schedule: SCHEDULE,
    accumulation: options.accumulation ?? 1,
    dropout: options.dropout ?? false,
    seed: options.seed ?? 7n,
    compile: COMPILE,
  });
}

const b1 = makeBatch(1);
const b2 = makeBatch(2);
const start: TrainState = initTrainState(initParams(CONFIG, 1n));
const gradients = gradientStep(loss, COMPILE);

/** One micro-batch's loss and gradients from the stand-alone gradient graph. */
async function grad(state: TrainState, batch: Seq2SeqBatch<NDArray>): Promise<{ loss: number; grads: Params }> {
  const out = await gradients(state.params as unknown as alexatm.AlexaTMParams<NDArray>, batch);
  return { loss: out.loss.get(0), grads: out.grads as unknown as Params };
}

describe('Trainer: gradient accumulation', () => {
  const fused = trainer();
  const accumulating = trainer({ accumulation: 2 });
  let g1: { loss: number; grads: Params };
  let g2: { loss: number; grads: Params };
  let twoBatches: StepResult;

  beforeAll(async () => {
    [g1, g2] = [await grad(start, b1), await grad(start, b2)];
    twoBatches = await accumulating.step(start, [b1, b2]);
  });

  it('the two micro-batches differ, so averaging is visible', () => {
    expect(Math.abs(g1.loss - g2.loss)).toBeGreaterThan(1e-3);
    expect(globalNorm(g1.grads)).toBeLessThan(CLIP);
  });

  it('loss is the mean of the micro-batch losses; gradNorm the norm of the mean gradient; lr the schedule at step 0', () => {
    const mean = meanGrads([g1.grads, g2.grads]);
    expect(twoBatches.loss).toBeCloseTo((g1.loss + g2.loss) / 2, 5);
    expect(Math.abs(twoBatches.gradNorm - globalNorm(mean))).toBeLessThan(1e-5 * globalNorm(mean));
    expect(twoBatches.lr).toBe(2.5e-3);
    expect(twoBatches.state.step).toBe(1);
    expect(twoBatches.state.optimizer.step.get(0)).toBe(1);
  });

  it('the moments are those of the mean gradient: m = (1 − β1)·ḡ, v = (1 − β2)·ḡ²', () => {
    const mean = meanGrads([g1.grads, g2.grads]);
    expectTreesClose(twoBatches.state.optimizer.m, mapTree(mean, (_, g) => g.map((x) => (1 - BETA1) * x)), 1e-9, 1e-5, 'm');
    expectTreesClose(twoBatches.state.optimizer.v, mapTree(mean, (_, g) => g.map((x) => (1 - BETA2) * x * x)), 1e-14, 1e-5, 'v');
  });

  it('the parameters take the AdamW update of the mean gradient (worked out on the host)', () => {
    const expected = firstAdamWUpdate(start.params, meanGrads([g1.grads, g2.grads]), 2.5e-3, WEIGHT_DECAY);
    expectTreesClose(twoBatches.state.params, expected, 1e-5, 1e-5, 'params');
  });

  it('equals applying the host-averaged gradients with adamwApplyStep', async () => {
    const apply = adamwApplyStep<alexatm.AlexaTMParams>({ weightDecay: WEIGHT_DECAY, beta1: BETA1, beta2: BETA2, eps: EPS, decay: decaysWeight, clipNorm: CLIP, compile: COMPILE });
    const p = start.params as unknown as alexatm.AlexaTMParams<NDArray>;
    const mean = meanGrads([g1.grads, g2.grads]) as unknown as alexatm.AlexaTMParams<NDArray>;
    const out = await apply(p, initAdamWState(p), mean, NDArray.scalar('float32', 2.5e-3));
    expectTreesClose(twoBatches.state.params, out.params, 1e-5, 1e-5, 'params');
    expectTreesClose(twoBatches.state.optimizer.m, out.state.m, 1e-8, 1e-5, 'm');
    expect(twoBatches.gradNorm).toBeCloseTo(out.gradNorm.get(0), 5);
  });

  it('two identical micro-batches give the fused single-batch update', async () => {
    const twice = await accumulating.step(start, [b1, b1]);
    const once = await fused.step(start, [b1]);
    expect(twice.loss).toBeCloseTo(once.loss, 5);
    expect(once.loss).toBeCloseTo(g1.loss, 5);
    expect(twice.gradNorm).toBeCloseTo(once.gradNorm, 5);
    expect(once.gradNorm).toBeCloseTo(globalNorm(g1.grads), 5);
    expectTreesClose(twice.state.params, once.state.params, 1e-5, 1e-5, 'params');
    expectTreesClose(twice.state.optimizer.m, once.state.optimizer.m, 1e-8, 1e-5, 'm');
    expectTreesClose(twice.state.optimizer.v, once.state.optimizer.v, 1e-12, 1e-5, 'v');
    expectTreesClose(once.state.params, firstAdamWUpdate(start.params, g1.grads, 2.5e-3, WEIGHT_DECAY), 1e-5, 1e-5, 'fused vs host');
  });

  it('takes exactly `accumulation` micro-batches', async () => {
    await expect(accumulating.step(start, [b1])).rejects.toThrow('an update takes 2 micro-batch(es) (accumulation), got 1');
    await expect(fused.step(start, [b1, b2])).rejects.toThrow(RangeError);
    expect(() => trainer({ accumulation: 0 })).toThrow('accumulation must be a positive integer (got 0)');
    expect(() => trainer({ accumulation: 1.5 })).toThrow(RangeError);
  });
});

describe('Trainer: weight decay spares biases and norms', () => {
  // Random values everywhere (biases and norm shifts too, unlike a fresh init's zeros and ones).
  const params = randomParams(CONFIG, 3n) as unknown as Params;

  it('zero gradients: decayed tensors become p·(1 − lr·λ), the others stay exactly as they were', async () => {
    const apply = adamwApplyStep<alexatm.AlexaTMParams>({ weightDecay: WEIGHT_DECAY, beta1: BETA1, beta2: BETA2, eps: EPS, decay: decaysWeight, clipNorm: 1, compile: COMPILE });
    const p = params as unknown as alexatm.AlexaTMParams<NDArray>;
    const zeros = mapTree(params, (_, v) => new Float64Array(v.length)) as unknown as alexatm.AlexaTMParams<NDArray>;
    const lr = 0.02;
    const out = await apply(p, initAdamWState(p), zeros, NDArray.scalar('float32', lr));
    const before = new Map(named(params));
    const decayed: string[] = [];
    for (const [name, after] of named(out.params)) {
      const p0 = before.get(name)!;
      if (decaysWeight(name)) {
        decayed.push(name);
        // 1 − 0.02·0.5 = 0.99
        for (let i = 0; i < p0.length; i++) if (Math.abs(after[i]! - 0.99 * p0[i]!) > 1e-7 * Math.abs(p0[i]!) + 1e-12) expect.fail(`${name}[${i}]: ${after[i]} ≠ 0.99 · ${p0[i]}`);
      } else {
        expect([...after], name).toEqual([...p0]);
      }
    }
    // 3 embeddings of the encoder + 6 encoder-layer matrices + 2 decoder tables + 10 decoder-layer matrices + lm_head.
    expect(decayed).toHaveLength(22);
    expect(decayed).toContain('lm_head.weight');
    expect(decayed).toContain('model.decoder.layers.0.fc1.weight');
    expect(decayed).not.toContain('final_logits_bias');
    expect(out.gradNorm.get(0)).toBe(0);
  });

  it('a Trainer step with λ = 0.5 differs from one with λ = 0 by −lr·λ·p on weights, and not at all on biases and norms', async () => {
    const state = initTrainState(params);
    const [withDecay, without] = [await trainer().step(state, [b1]), await trainer({ weightDecay: 0 }).step(state, [b1])];
    expect(withDecay.loss).toBe(without.loss);
    const p0 = new Map(named(params));
    const off = new Map(named(without.state.params));
    let decayedCount = 0;
    for (const [name, on] of named(withDecay.state.params)) {
      const base = p0.get(name)!;
      const noDecay = off.get(name)!;
      for (let i = 0; i < on.length; i++) {
        const expected = decaysWeight(name) ? -2.5e-3 * WEIGHT_DECAY * base[i]! : 0;
        if (Math.abs(on[i]! - noDecay[i]! - expected) > 1e-7 * (Math.abs(base[i]!) + 1)) expect.fail(`${name}[${i}]: difference ${on[i]! - noDecay[i]!}, expected ${expected}`);
      }
      if (decaysWeight(name)) decayedCount++;
    }
    expect(decayedCount).toBe(22);
  });
});

describe('Trainer: dropout keys', () => {
  const dropping = trainer({ dropout: true, seed: 7n });

  it('the same state, step and seed give bit-identical updates; another seed, another step or no dropout another loss', async () => {
    const a = await dropping.step(start, [b1]);
    const again = await dropping.step(start, [b1]);
    expect(again.loss).toBe(a.loss);
    expect(again.gradNorm).toBe(a.gradNorm);
    for (const [[name, x], [, y]] of named(a.state.params).map((e, i) => [e, named(again.state.params)[i]!] as const)) expect([...x], name).toEqual([...y]);

    // A new Trainer with the same seed (as a resumed run builds) computes the same step.
    const resumed = await trainer({ dropout: true, seed: 7n }).step(start, [b1]);
    expect(resumed.loss).toBe(a.loss);

    const otherSeed = await trainer({ dropout: true, seed: 8n }).step(start, [b1]);
    expect(otherSeed.loss).not.toBe(a.loss);

    const laterStep = await dropping.step({ ...start, step: 1 }, [b1]);
    expect(laterStep.loss).not.toBe(a.loss);

    const evalLoss = (await grad(start, b1)).loss;
    expect(a.loss).not.toBeCloseTo(evalLoss, 4);
  });
});

describe('Trainer: learning-rate schedule', () => {
  const fused = trainer();

  it('learningRate(step) is the schedule', () => {
    expect([0, 1, 3, 11, 19, 40].map((s) => fused.learningRate(s))).toEqual([0, 1, 3, 11, 19, 40].map((s) => learningRate(SCHEDULE, s)));
    expect(fused.learningRate(0)).toBe(2.5e-3);
    expect(fused.learningRate(3)).toBe(1e-2);
  });

  it('step applies lr(state.step): the update of update number 11 uses 5.5e-3 and of 30 uses minLr', async () => {
    const g = (await grad(start, b1)).grads;
    for (const [step, lr] of [
      [11, 5.5e-3],
      [30, 1e-3],
    ] as const) {
      const result = await fused.step({ ...start, step }, [b1]);
      expect(result.lr).toBeCloseTo(lr, 15);
      expect(result.state.step).toBe(step + 1);
      expectTreesClose(result.state.params, firstAdamWUpdate(start.params, g, lr, WEIGHT_DECAY), 1e-5, 1e-5, `params at update ${step}`);
    }
  });

  it('successive steps walk the warmup: 2.5e-3, 5e-3, 7.5e-3, 1e-2', async () => {
    let state = start;
    const lrs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await fused.step(state, [b1]);
      lrs.push(result.lr);
      state = result.state;
    }
    expect(lrs.map((x) => Number(x.toPrecision(12)))).toEqual([2.5e-3, 5e-3, 7.5e-3, 1e-2]);
    expect(state.step).toBe(4);
    expect(state.optimizer.step.get(0)).toBe(4);
  });
});
