// A small AlexaTM-architecture model learns to copy random sequences through its encoder: the behaviour
// the denoising objective needs first. Each symbol costs ln 200 ≈ 5.3 nats without the encoder; copying
// takes that towards 0. Measured: with token_type_embeddings drawn at random (N(0, 0.02²), a constant
// offset on every encoder position) the mean loss of the last 10 of 250 updates was 3.26; zero-initialised,
// as initParams draws them, 0.095. Sizes: d_model 64, one layer each side, batch 32, lr 2e-3.

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import { DataRng } from '../../src/data/rng.js';
import { alexatmConfig } from '../../src/models/config/alexatm.js';
import { initParams } from '../../src/models/init.js';
import { ALEXATM_RECIPE } from '../../src/models/presets.js';
import type { Seq2SeqBatch } from '../../src/models/seq2seq.js';
import { initTrainState, Trainer } from '../../src/train/trainer.js';

const SYMBOLS = 200;
const FIRST_SYMBOL = 10;
const LENGTH = 24;
const BATCH = 32;
const UPDATES = 250;

const CONFIG = alexatmConfig({
  ...ALEXATM_RECIPE,
  vocabSize: FIRST_SYMBOL + SYMBOLS,
  dModel: 64,
  encoderLayers: 1,
  decoderLayers: 1,
  encoderAttentionHeads: 4,
  decoderAttentionHeads: 4,
  encoderFfnDim: 256,
  decoderFfnDim: 256,
  maxPositionEmbeddings: 64,
  layerNormEps: 1e-5,
});
const PAD = CONFIG.padTokenId;
const EOS = CONFIG.eosTokenId;
const START = CONFIG.decoderStartTokenId!;

/** Batch `index`: sequences of 12–23 random symbols; the target is the sequence and eos. */
function copyBatch(index: number): Seq2SeqBatch<NDArray> {
  const rng = DataRng.derive(5n, 'copy', index);
  const S = LENGTH;
  const T = LENGTH + 1;
  const ids = new Int32Array(BATCH * S).fill(PAD);
  const mask = new Int32Array(BATCH * S);
  const decoderIds = new Int32Array(BATCH * T).fill(PAD);
  const labels = new Int32Array(BATCH * T).fill(-100);
  for (let b = 0; b < BATCH; b++) {
    const n = S / 2 + rng.int(S / 2);
    decoderIds[b * T] = START;
    for (let i = 0; i < n; i++) {
      const token = FIRST_SYMBOL + rng.int(SYMBOLS);
      ids[b * S + i] = token;
      mask[b * S + i] = 1;
      labels[b * T + i] = token;
      decoderIds[b * T + i + 1] = token;
    }
    labels[b * T + n] = EOS;
  }
  return {
    inputIds: new NDArray('int32', [BATCH, S], ids),
    attentionMask: new NDArray('int32', [BATCH, S], mask),
    decoderInputIds: new NDArray('int32', [BATCH, T], decoderIds),
    labels: new NDArray('int32', [BATCH, T], labels),
  };
}

describe('learning to copy', () => {
  it(`the loss of copying random sequences falls below 0.5 within ${UPDATES} updates (from ln ${SYMBOLS})`, async () => {
    const trainer = new Trainer({
      config: CONFIG,
      optimizer: { weightDecay: 0.01 },
      schedule: { kind: 'constant', lr: 2e-3, warmupSteps: 100, totalSteps: UPDATES },
      dropout: false,
      seed: 1n,
    });
    let state = initTrainState(initParams(CONFIG, 7n));
    const losses: number[] = [];
    for (let u = 0; u < UPDATES; u++) {
      const result = await trainer.step(state, [copyBatch(u)]);
      state = result.state;
      losses.push(result.loss);
    }
    expect(losses[0]).toBeGreaterThan(Math.log(SYMBOLS) - 0.1);
    const last = losses.slice(-10).reduce((s, l) => s + l, 0) / 10;
    expect(last).toBeLessThan(0.5);
  });
});
