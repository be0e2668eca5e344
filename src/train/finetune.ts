// Supervised fine-tuning of a pretrained model — any family loadModel reads: AlexaTM, BART/mBART/NLLB,
// T5 — on translation or summarization pairs (finetune-data.ts), through the loop pretraining uses
// (training-loop.ts): the model's own config and vocabulary, its weights as the starting point, the
// held-out loss before the first update and every evalEvery updates, checkpoints with exact resume,
// OUT/final/ in the Hugging Face layout, OUT/loss.svg, and at the end a few held-out examples with the
// model's greedy output beside the reference. The training settings are pretraining's keys (lr,
// batch-size, max-steps, ...), given as --key=value and parsed and checked by pretrain-settings.ts, with
// defaults for fine-tuning.

import fs from 'node:fs';
import path from 'node:path';
import { greedy } from '../generation/greedy.js';
import { modelStep } from '../generation/model-step.js';
import { loadModel } from '../models/checkpoint.js';
import type { AnyConfig } from '../models/compiled.js';
import { serializeModelProto } from '../tokenizer/model-proto.js';
import type { Vocabulary } from '../tokenizer/vocabulary.js';
import { buildFinetuneData, PAD_TO_MULTIPLE_OF, paddedLength, readPairs, type FinetuneData, type FinetuneTask } from './finetune-data.js';
import { checkSettings, defaultSettings, parseOverrides, SettingsError, type PretrainSettings } from './pretrain-settings.js';
import { resumeLatest, runTraining, type TrainingOutcome, type TrainReporter } from './training-loop.js';

/** The training settings fine-tuning takes as --key=value (pretraining's, with the same meaning). */
export const FINETUNE_SETTING_KEYS = [
  'lr', 'minLr', 'warmupSteps', 'schedule', 'scheduleSteps', 'weightDecay', 'beta1', 'beta2', 'eps', 'clipNorm', 'labelSmoothing', 'dropout',
  'batchSize', 'accumulation', 'maxSteps', 'maxMinutes', 'seed', 'logEvery', 'evalEvery', 'saveEvery', 'keepCheckpoints', 'threads',
  'heldOutEvery', 'evalExamples', 'samples',
] as const satisfies readonly (keyof PretrainSettings)[];

export type FinetuneTraining = Pick<PretrainSettings, (typeof FINETUNE_SETTING_KEYS)[number]>;

/** Smaller steps than pretraining's, light weight decay, dropout on; every 20th pair is held out. */
export const FINETUNE_DEFAULTS: FinetuneTraining = {
  lr: 1e-4,
  minLr: 0,
  warmupSteps: 100,
  schedule: 'linear',
  scheduleSteps: 0,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  clipNorm: 1,
  labelSmoothing: 0,
  dropout: true,
  batchSize: 16,
  accumulation: 1,
  maxSteps: 1000,
  maxMinutes: 0,
  seed: 0,
  logEvery: 10,
  evalEvery: 100,
  saveEvery: 500,
  keepCheckpoints: 2,
  threads: 0,
  heldOutEvery: 20,
  evalExamples: 200,
  samples: 3,
};

export const DEFAULT_MAX_SOURCE_LENGTH = 256;
export const DEFAULT_MAX_TARGET_LENGTH = 128;

export interface FinetuneSettings extends FinetuneTraining, FinetuneTask {
  /** The pretrained model's folder (Hugging Face layout, as loadModel reads it). */
  readonly model: string;
}

export interface FinetuneResult {
  readonly out: string;
  readonly finalDir: string;
  readonly steps: number;
  readonly lastLoss: number;
  /** The held-out loss at the last evaluation. */
  readonly heldOutLoss: number;
  readonly samples: readonly { input: string; output: string; reference: string }[];
}

/** `--batch-size` → `batchSize`. */
const camel = (key: string): string => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** `batchSize` → `batch-size`. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function pickTraining(settings: FinetuneTraining): FinetuneTraining {
  return Object.fromEntries(FINETUNE_SETTING_KEYS.map((key) => [key, settings[key]])) as unknown as FinetuneTraining;
}

/** The training settings as complete pretraining settings, which pretrain-settings.ts parses and checks. */
function asPretrainSettings(settings: FinetuneTraining): PretrainSettings {
  return { ...defaultSettings('tiny'), ...pickTraining(settings) };
}

/** FINETUNE_DEFAULTS with `--key=value` overrides (`--lr=3e-4`, `--batch-size=8`); any other key is an error. */
export function parseTrainingOverrides(overrides: readonly string[]): FinetuneTraining {
  for (const arg of overrides) {
    const key = /^--([A-Za-z][\w-]*)(?:=|$)/s.exec(arg)?.[1];
    if (key === undefined) throw new SettingsError(`cannot read the argument ${JSON.stringify(arg)}: settings are written --key=value (e.g. --lr=3e-4)`);
    if (!(FINETUNE_SETTING_KEYS as readonly string[]).includes(camel(key))) {
      throw new SettingsError(`unknown option --${key}; fine-tuning settings: ${FINETUNE_SETTING_KEYS.map(kebab).join(', ')} (see --help)`);
    }
  }
  return pickTraining(parseOverrides(asPretrainSettings(FINETUNE_DEFAULTS), overrides));
}

/** Throws a SettingsError naming the first setting out of range. */
function checkFinetuneSettings(settings: FinetuneSettings): void {
  checkSettings(asPretrainSettings(settings));
  const lengths = { maxSourceLength: settings.maxSourceLength, maxTargetLength: settings.maxTargetLength };
  for (const [key, length] of Object.entries(lengths)) {
    if (!(Number.isInteger(length) && length >= 2)) throw new SettingsError(`${key} must be an integer ≥ 2 (got ${length})`);
  }
}

/** Learned position tables (BART, mBART, NLLB, AlexaTM) bound the padded lengths; T5's relative positions do not. */
function checkPositions(settings: FinetuneSettings, config: AnyConfig): void {
  if (config.family === 't5') return;
  const limit = config.maxPositionEmbeddings;
  const lengths = { '--max-source-length': settings.maxSourceLength, '--max-target-length': settings.maxTargetLength };
  for (const [option, length] of Object.entries(lengths)) {
    if (paddedLength(length) > limit) {
      throw new SettingsError(`${option} ${length} pads batches to ${paddedLength(length)} ids (a multiple of ${PAD_TO_MULTIPLE_OF}), more than the ${limit} positions the model learned (max_position_embeddings in its config.json); use at most ${Math.floor(limit / PAD_TO_MULTIPLE_OF) * PAD_TO_MULTIPLE_OF}`);
    }
  }
}

/** Runs (or continues) fine-tuning into `out`. */
export async function finetune(requested: FinetuneSettings, out: string, reporter: TrainReporter): Promise<FinetuneResult> {
  const { settings, resumed } = await resumeLatest(out, requested, reporter);
  checkFinetuneSettings(settings);
  const pairs = readPairs(settings.data, settings.heldOutEvery);
  const start = resumed?.model ?? (await loadModel(settings.model));
  const { config, vocabulary } = start;
  if (vocabulary === null) throw new Error(`${settings.model} holds no SentencePiece model polyseq can read; fine-tuning needs the model's own vocabulary beside its weights`);
  checkPositions(settings, config);
  const tokenizerFile = path.join(out, 'tokenizer.model');
  fs.writeFileSync(tokenizerFile, serializeModelProto(vocabulary.processor.model));
  const data = buildFinetuneData({ task: settings, pairs, vocabulary, config, batchSize: settings.batchSize, evalExamples: settings.evalExamples, seed: BigInt(settings.seed) });
  reporter.info(`model: ${settings.model} (${config.family}), vocabulary ${vocabulary.size}; data: ${pairs.train.length} pairs to train on, ${pairs.heldOut.length} held out${pairs.leftOut > 0 ? `, ${pairs.leftOut} left out (an empty or missing side)` : ''}; out: ${out}`);
  const run = await runTraining({
    out,
    settings,
    config,
    resumed,
    initialParams: () => start.params,
    train: data.train,
    evalSets: [data.eval],
    evaluateFirst: true,
    tokenizerFile,
    title: `polyseq finetune: ${settings.model}`,
    reporter,
  });
  const samples = await heldOutSamples(run, data, settings, vocabulary, config);
  return { out, finalDir: run.finalDir, steps: run.steps, lastLoss: run.lastLoss, heldOutLoss: run.evalLoss[data.eval.name] ?? NaN, samples };
}

/** The first `samples` held-out examples with the model's greedy output, decoded without special tokens. */
async function heldOutSamples(run: TrainingOutcome, data: FinetuneData, settings: FinetuneSettings, vocabulary: Vocabulary, config: AnyConfig): Promise<FinetuneResult['samples']> {
  const examples = data.heldOut.slice(0, settings.samples);
  if (examples.length === 0) return [];
  const { step, cache, select } = await modelStep(run.model, run.params, examples.map((e) => e.inputs), config.padTokenId);
  const outputs = await greedy(step, cache, examples.length, { startId: data.decoderStartId, eosId: vocabulary.eosId, maxNewTokens: settings.maxTargetLength }, select);
  const text = (ids: readonly number[]) => vocabulary.decode(ids, { skipSpecial: true });
  return examples.map((e, i) => ({ input: text(e.inputs), output: text(outputs[i]!), reference: text(e.targets) }));
}
