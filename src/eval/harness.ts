// The evaluation harness behind `polyseq eval`: loads and compiles the model once, finds the task's data
// (--data, else its folder under ../shared/data beside the repository), checks the options against the
// task, runs its units one after another — timing each and reporting its progress — and gathers the
// scores as result rows. It prints nothing; the command renders the rows and the progress.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { EvalModel } from './eval-model.js';
import type { EvalResult } from './results-table.js';
import { parseTaskSpec } from './task-registry.js';
import type { EvalOptions, EvalTask, TaskData } from './task.js';

export interface EvalRequest {
  /** The checkpoint folder. */
  readonly model: string;
  /** NAME or NAME:VARIANT. */
  readonly task: string;
  readonly data?: string;
  readonly demos?: string;
  readonly options: EvalOptions;
  readonly batchSize: number;
  readonly threads?: number;
}

export interface EvalHooks {
  /** The run found its data folder and the units (languages or pairs) it will evaluate, in order. */
  start?(data: string, pairs: readonly string[]): void;
  /** A unit's model calls have done `done` of `total` items. */
  progress?(task: string, pair: string, done: number, total: number): void;
  /** A unit finished with these rows. */
  unitDone?(results: readonly EvalResult[]): void;
}

export interface EvalReport {
  readonly model: string;
  readonly task: string;
  readonly data: string;
  readonly results: readonly EvalResult[];
  /** Seconds for the whole run, loading the model included. */
  readonly seconds: number;
}

/** ../shared/data beside the repository (this file is src/eval/ or dist/eval/ in it). */
export function sharedDataDir(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared', 'data');
}

/** --data, else the task's shared folder when it exists, else an error saying what --data must be. */
export function taskDataDir(task: EvalTask, data: string | undefined): string {
  if (data !== undefined) return data;
  const shared = path.join(sharedDataDir(), task.sharedData);
  if (existsSync(shared)) return shared;
  throw new Error(`--task ${task.name} needs --data DIR: ${task.dataHint} (the default, ${shared}, does not exist)`);
}

function checkOptions(task: EvalTask, options: EvalOptions): void {
  if (options.mode === 'denoise' && task.prompts !== 'rank') {
    throw new Error(`--mode denoise applies to rank classification (xnli, pawsx, xcopa, SuperGLUE); ${task.name} ${task.prompts === 'generation' ? 'generates from [CLM] prompts' : 'has no prompts'}`);
  }
  if (options.shots !== undefined && options.shots > 0 && task.prompts === 'none') throw new Error(`--shots: ${task.name} has no prompts to put demonstrations in`);
}

export async function runEval(request: EvalRequest, hooks: EvalHooks = {}): Promise<EvalReport> {
  const start = performance.now();
  const { task, variant } = parseTaskSpec(request.task);
  checkOptions(task, request.options);
  const data: TaskData = { data: taskDataDir(task, request.data), demos: request.demos };
  const units = task.units(data, variant);
  hooks.start?.(data.data, units.map((u) => u.pair));
  const model = await EvalModel.load(request.model, { batchSize: request.batchSize, ...(request.threads === undefined ? {} : { threads: request.threads }) });
  const results: EvalResult[] = [];
  for (const unit of units) {
    const unitStart = performance.now();
    const scores = await unit.run({
      model,
      options: request.options,
      onBatch: (done, total) => hooks.progress?.(task.name, unit.pair, done, total),
    });
    const seconds = (performance.now() - unitStart) / 1000;
    const rows = scores.map((s) => ({ task: task.name, pair: unit.pair, ...s, seconds }));
    results.push(...rows);
    hooks.unitDone?.(rows);
  }
  return { model: request.model, task: request.task, data: data.data, results, seconds: (performance.now() - start) / 1000 };
}
