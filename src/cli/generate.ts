// `polyseq generate --model DIR --prompt TEXT [--prompt TEXT ...] [--input FILE] [decoding options]
// [--stream] [--json]`: decodes each prompt with the model (greedy by default; beam search, sampling,
// decode-then-select and every logits processor through the flags of decoding-options.ts).
// A prompt is encoded as the family's tokenizer does (text, eos, a --source-lang code where mBART/NLLB put
// it); special tokens written in it ([CLM], <br>) become their ids. An output is decoded without special
// tokens and cut before the first --stop text.
// Output: one line per prompt with one output each (newlines in an output become spaces, so lines stay
// aligned with the prompts); with several outputs per prompt, one line per output:
// `PROMPT<TAB>RANK<TAB>SCORE<TAB>TEXT` (both counted from 0, best first). --stream writes one prompt's
// text as it is decoded. --json writes one line, {"outputs":[[{"text","ids","score"}, ...], ...]}: per
// prompt its outputs, ids as generated (eos left out, not cut at a stop text).

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { rowsPerSource, type TextOptions } from '../generation/generate.js';
import type { Hypothesis } from '../generation/hypothesis.js';
import { generateWithModel } from '../generation/model-generate.js';
import { modelStep } from '../generation/model-step.js';
import { scoreTargets } from '../generation/score.js';
import { decodeThenSelect } from '../generation/select.js';
import { cutAtStopString } from '../generation/stopping.js';
import { streamGenerate } from '../generation/stream.js';
import {
  addDecodingOptions,
  collect,
  decodingSettings,
  encodeText,
  integerValue,
  loadDecodingModel,
  type DecodingFlags,
  type DecodingModel,
} from './decoding-options.js';
import type { CliIo, RegisterCommand } from './io.js';

interface GenerateFlags extends DecodingFlags {
  model: string;
  prompt?: string[];
  input?: string;
  sourceLang?: string;
  batchSize: string;
  threads?: string;
  stream?: boolean;
  json?: boolean;
}

const DEFAULT_BATCH_SIZE = 8;

/** One output of one prompt. */
export interface GeneratedOutput {
  readonly text: string;
  readonly ids: number[];
  readonly score: number;
}

async function readPrompts(flags: GenerateFlags): Promise<string[]> {
  const prompts = [...(flags.prompt ?? [])];
  if (flags.input !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.input, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the prompts file ${flags.input} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
    if (lines[lines.length - 1] === '') lines.pop();
    prompts.push(...lines);
  }
  if (prompts.length === 0) throw new Error('nothing to generate from: give --prompt TEXT (repeatable) or --input FILE (one prompt per line)');
  return prompts;
}

/**
 * Decode-then-select over one batch: the candidates of each source scored by their mean teacher-forced
 * log-likelihood (eos included when the candidate ended with it), the best kept with that score.
 */
async function selectBest(loaded: DecodingModel, sources: readonly number[][], options: TextOptions): Promise<Hypothesis[][]> {
  const { model, params, config } = loaded;
  const { step, cache, reorder, select } = await modelStep(model, params, sources, config.padTokenId, rowsPerSource(options));
  const selected = await decodeThenSelect(
    step,
    cache,
    sources.length,
    options,
    async (source, candidates) => {
      const targets = candidates.map((h) => (h.eos ? [...h.ids, options.eosId] : h.ids));
      const scorable = targets.flatMap((t, i) => (t.length > 0 ? [i] : []));
      const scores = new Array<number>(candidates.length).fill(-Infinity);
      if (scorable.length === 0) return scores;
      const scored = await scoreTargets(model, params, scorable.map(() => sources[source]!), scorable.map((i) => targets[i]!), {
        padId: config.padTokenId,
        decoderStartId: options.startId,
      });
      scorable.forEach((i, k) => (scores[i] = scored[k]!.mean));
      return scores;
    },
    reorder,
    select,
  );
  return selected.map((h) => [h]);
}

/** Every prompt's outputs, decoded in batches of `batchSize`. */
export async function generateOutputs(loaded: DecodingModel, sources: readonly number[][], options: TextOptions, select: number | undefined, batchSize: number): Promise<GeneratedOutput[][]> {
  const outputs: GeneratedOutput[][] = [];
  for (let start = 0; start < sources.length; start += batchSize) {
    const batch = sources.slice(start, start + batchSize);
    const hypotheses =
      select !== undefined
        ? await selectBest(loaded, batch, options)
        : await generateWithModel(loaded.model, loaded.params, batch, { ...options, padId: loaded.config.padTokenId });
    for (const list of hypotheses) {
      outputs.push(list.map((h) => ({ text: cutAtStopString(options.decode(h.ids), options.stopStrings ?? []), ids: h.ids, score: h.score })));
    }
  }
  return outputs;
}

const oneLine = (text: string) => text.replace(/\r\n|[\r\n]/g, ' ');

function printOutputs(outputs: readonly GeneratedOutput[][], perPrompt: number, io: CliIo): void {
  let text = '';
  outputs.forEach((list, p) => {
    if (perPrompt === 1) text += `${oneLine(list[0]?.text ?? '')}\n`;
    else list.forEach((o, rank) => (text += `${p}\t${rank}\t${o.score.toFixed(4)}\t${oneLine(o.text)}\n`));
  });
  io.out(text);
}

async function runGenerate(flags: GenerateFlags, io: CliIo): Promise<void> {
  const batchSize = integerValue('batch-size', flags.batchSize, 1);
  const prompts = await readPrompts(flags);
  if (flags.stream === true) {
    if (flags.json === true) throw new Error('--stream writes text as it is decoded and --json writes it at the end: choose one');
    if (prompts.length !== 1) throw new Error(`--stream decodes one prompt (got ${prompts.length})`);
  }
  const loaded = await loadDecodingModel(flags.model, flags.threads);
  const { options, decodeThenSelect: select } = decodingSettings(flags, loaded.vocabulary, loaded.config);
  const perPrompt = select !== undefined ? 1 : (options.numReturnSequences ?? 1);
  if (flags.stream === true && (rowsPerSource(options) !== 1 || select !== undefined)) {
    throw new Error('--stream decodes one sequence greedily or by sampling: leave out --num-beams, --num-return-sequences and --decode-then-select');
  }
  const sources = prompts.map((p) => encodeText(loaded.vocabulary, p, flags.sourceLang, 'source-lang'));

  if (flags.stream === true) {
    const { step, cache } = await modelStep(loaded.model, loaded.params, sources, loaded.config.padTokenId);
    for await (const piece of streamGenerate(step, cache, options)) io.out(piece);
    io.out('\n');
    return;
  }
  const outputs = await generateOutputs(loaded, sources, options, select, batchSize);
  if (flags.json === true) io.out(`${JSON.stringify({ outputs })}\n`);
  else printOutputs(outputs, perPrompt, io);
}

export const registerGenerate: RegisterCommand = (program: Command, io: CliIo) => {
  const command = program
    .command('generate')
    .description('decode prompts with a model: greedy, beam search, sampling, streaming')
    .requiredOption('--model <dir>', 'model folder (Hugging Face layout: AlexaTM, BART/mBART/NLLB, T5)')
    .option('--prompt <text>', 'a prompt (repeatable); special tokens such as [CLM] in it become their ids', collect)
    .option('--input <file>', 'prompts, one per line (after any --prompt)')
    .option('--source-lang <code>', "mBART/NLLB: the prompts' language code, placed where the family puts it (en_XX, eng_Latn)");
  addDecodingOptions(command)
    .option('--batch-size <n>', 'prompts decoded together', String(DEFAULT_BATCH_SIZE))
    .option('--threads <n>', 'ONNX Runtime intra-op threads (default: its own choice)')
    .option('--stream', 'write the text as it is decoded (one prompt; greedy or sampling)')
    .option('--json', 'write one line of JSON: {"outputs":[[{"text","ids","score"}]]}')
    .addHelpText(
      'after',
      [
        '',
        'Output: one line per prompt; with several outputs per prompt (--num-return-sequences) one line per output,',
        '  PROMPT<TAB>RANK<TAB>SCORE<TAB>TEXT, both counted from 0, best first.',
        'Scores: beam search, Σ log p / length^length-penalty; greedy and sampling, Σ log p of the chosen tokens',
        '  (after the logits processors); --decode-then-select, the mean log-likelihood of the kept output.',
        'AlexaTM few-shot: --prompt "[CLM] Sentence:  ...; Translation in German:" --stop ";"',
      ].join('\n'),
    )
    .action(async (flags: GenerateFlags) => runGenerate(flags, io));
};
