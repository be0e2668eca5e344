// `polyseq eval --model DIR --task NAME[:VARIANT] [--data DIR] [--demos DIR] [--shots K] [--limit N]
// [--batch-size B] [--seed S] [--mode clm|denoise] [--spm-model M] [--max-new-tokens N] [--threads N]
// --out FILE`: evaluates a checkpoint on one of the paper's benchmarks (greedy few-shot generation or
// rank classification) and prints a Markdown results table — task, pair, metric, score, n, seconds —
// with a progress line and a line per finished unit (language or pair) on stderr. FILE gets
// {"results":[{"task","pair","metric","score","n",...}],...,"complete":true}: written atomically once the
// task is checked (no results, the pending units), rewritten after every unit with "complete": false
// until the run ends, so a stopped run keeps the units it finished and never leaves an older file.

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { runEval, type EvalRequest } from '../eval/harness.js';
import { resultsTable, type EvalResult } from '../eval/results-table.js';
import { TASKS } from '../eval/task-registry.js';
import { PROMPT_MODES, type PromptMode } from '../eval/task.js';
import { writeFileAtomic } from '../models/weights/atomic-file.js';
import type { CliIo, RegisterCommand } from './io.js';

interface EvalCliOptions {
  model: string;
  task: string;
  data?: string;
  demos?: string;
  shots?: string;
  limit?: string;
  batchSize: string;
  seed: string;
  mode: string;
  spmModel?: string;
  maxNewTokens?: string;
  threads?: string;
  out: string;
}

function integerOption(name: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(text)})`);
  return value;
}

function modeOption(text: string): PromptMode {
  const mode = PROMPT_MODES.find((m) => m === text);
  if (mode === undefined) throw new RangeError(`--mode must be one of ${PROMPT_MODES.join(', ')} (got ${JSON.stringify(text)})`);
  return mode;
}

/** The request the options describe. */
export function evalRequest(o: EvalCliOptions): EvalRequest {
  const optional = (name: string, text: string | undefined, min: number) => (text === undefined ? undefined : integerOption(name, text, min));
  const shots = optional('shots', o.shots, 0);
  const limit = optional('limit', o.limit, 1);
  const maxNewTokens = optional('max-new-tokens', o.maxNewTokens, 1);
  const threads = optional('threads', o.threads, 1);
  return {
    model: o.model,
    task: o.task,
    ...(o.data === undefined ? {} : { data: o.data }),
    ...(o.demos === undefined ? {} : { demos: o.demos }),
    options: {
      seed: BigInt(integerOption('seed', o.seed, 0)),
      mode: modeOption(o.mode),
      ...(shots === undefined ? {} : { shots }),
      ...(limit === undefined ? {} : { limit }),
      ...(maxNewTokens === undefined ? {} : { maxNewTokens }),
      ...(o.spmModel === undefined ? {} : { spmModel: o.spmModel }),
    },
    batchSize: integerOption('batch-size', o.batchSize, 1),
    ...(threads === undefined ? {} : { threads }),
  };
}

/** Progress on stderr: rewritten in place on a terminal, else a line at most once a second. */
function progressPrinter(io: CliIo, isTerminal: boolean): { update(text: string, force: boolean): void; end(): void } {
  let last = -Infinity;
  let open = false;
  return {
    update(text, force) {
      const now = performance.now();
      if (!force && now - last < 1000) return;
      last = now;
      if (isTerminal) {
        io.err(`\r${text}\x1b[K`);
        open = true;
      } else io.err(`${text}\n`);
    },
    end() {
      if (open) io.err('\n');
      open = false;
    },
  };
}

function tasksHelp(): string {
  const width = Math.max(...TASKS.map((t) => t.name.length));
  return ['', 'Tasks (data defaults to ../shared/data/<folder> beside the repository):', ...TASKS.map((t) => `  ${t.name.padEnd(width)}  ${t.description}`)].join('\n');
}

export const registerEval: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('eval')
    .description("evaluate a model on the paper's benchmarks: few-shot translation, summarization, QA, rank classification")
    .requiredOption('--model <dir>', 'checkpoint folder (Hugging Face layout with its SentencePiece model)')
    .requiredOption('--task <name[:variant]>', 'task, with a language (xnli:de) or pair (flores:en-de)')
    .option('--data <dir>', "the task's evaluation data (default: its folder under ../shared/data)")
    .option('--demos <dir>', "where demonstrations come from, laid out as --data (default: the task's dev split, else the evaluated set)")
    .option('--shots <k>', 'demonstrations per prompt (default: 1 for generation, 0 for classification)')
    .option('--limit <n>', 'evaluate the first N examples of each language')
    .option('--batch-size <b>', 'sequences per model call', '8')
    .option('--seed <s>', 'seed of the demonstrations and the denoising noise', '0')
    .option('--mode <mode>', 'rank classification: clm ([CLM] prompt, candidate as target) or denoise (prompt + candidate as target)', 'clm')
    .option('--spm-model <file>', "sacreBLEU's flores200 SentencePiece model: FLORES reports spBLEU (else 13a BLEU)")
    .option('--max-new-tokens <n>', "at most this many generated tokens (default: the task's)")
    .option('--threads <n>', 'ONNX Runtime intra-op threads (default: one per core)')
    .requiredOption('--out <file>', 'where to write the results as JSON (rewritten after each language or pair, "complete": true at the end)')
    .addHelpText('after', tasksHelp())
    .action(async (options: EvalCliOptions) => {
      const request = evalRequest(options);
      const progress = progressPrinter(io, process.stderr.isTTY === true);
      fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
      const start = performance.now();
      const finished: EvalResult[] = [];
      let data = '';
      let pending: readonly string[] = [];
      const write = (results: readonly EvalResult[], complete: boolean) => {
        const done = new Set(results.map((r) => r.pair));
        const json = {
          results,
          model: request.model,
          task: request.task,
          data,
          shots: request.options.shots ?? null,
          limit: request.options.limit ?? null,
          seed: Number(request.options.seed),
          mode: request.options.mode,
          seconds: (performance.now() - start) / 1000,
          complete,
          ...(complete ? {} : { pending: pending.filter((pair) => !done.has(pair)) }),
        };
        writeFileAtomic(options.out, `${JSON.stringify(json, null, 2)}\n`);
      };
      const report = await runEval(request, {
        start: (folder, pairs) => {
          data = folder;
          pending = pairs;
          write([], false);
        },
        progress: (task, pair, done, total) => progress.update(`${task} ${pair}: ${done}/${total}`, done === total),
        unitDone: (rows) => {
          finished.push(...rows);
          write(finished, false);
          progress.end();
          const first = rows[0];
          if (first !== undefined) io.err(`${first.task} ${first.pair}: ${rows.map((r) => `${r.metric} ${r.score.toFixed(2)}`).join(', ')} (n ${first.n}, ${first.seconds.toFixed(1)} s)\n`);
        },
      });
      progress.end();
      io.out(resultsTable(report.results));
      write(report.results, true);
    });
};
