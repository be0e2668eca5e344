// Denoising on held-out text: what the model was pretrained to do, measured on lines it never saw. The
// held-out lines of each language of a corpus folder — every 50th line, the split `polyseq pretrain`
// holds out by default — are tokenized, noised by AlexaTM denoising (15% of the tokens dropped in
// Poisson(3) spans, pretraining's defaults) with a generator derived from the seed, the language and the
// line, and decoded greedily. Scores: the percentage of lines reproduced exactly, token for token, and the
// chrF of the reconstructed text against the line as tokenized and decoded (cut to the context when it is
// longer): partial credit for how much of it the model gets back.

import { denoise } from '../../data/preprocessors/denoise.js';
import { DataRng } from '../../data/rng.js';
import { languageFiles } from '../../data/sources/language-files.js';
import { take } from '../../data/stream.js';
import { defaultSettings } from '../../train/pretrain-settings.js';
import type { Example } from '../../data/example.js';
import { chrfSignature, corpusChrf } from '../metrics/chrf.js';
import { selectUnits, type EvalTask, type Score, type UnitContext } from '../task.js';

/** The held-out split and noise of `polyseq pretrain`'s defaults (the same for every preset). */
const PRETRAINING = defaultSettings('tiny');

/** The held-out lines of one language of a corpus folder, at most `limit`. */
export function heldOutLines(dir: string, language: string, limit: number | undefined): string[] {
  const split = { heldOutEvery: PRETRAINING.heldOutEvery, part: 'heldout' } as const;
  const source = languageFiles(dir, { languages: [language], split })[0]!.source;
  return take(source, limit ?? Number.POSITIVE_INFINITY).map((document) => document.text);
}

/** The denoising example of each line: its ids (cut so that they and eos fit the context) and their noised copy. */
export function denoisingExamples(lines: readonly string[], tokens: (text: string) => number[], maxLength: number, seed: bigint, language: string): Example[] {
  const options = { density: PRETRAINING.noiseDensity, poissonLambda: PRETRAINING.meanSpan };
  return lines.flatMap((line, i) => denoise(tokens(line).slice(0, maxLength), DataRng.derive(seed, 'denoise-eval', language, i), options) ?? []);
}

async function run(context: UnitContext, dir: string, language: string): Promise<Score[]> {
  const { model, options } = context;
  const lines = heldOutLines(dir, language, options.limit);
  const examples = denoisingExamples(lines, (text) => model.tokens(text), model.contextLength - 1, options.seed, language);
  if (examples.length === 0) throw new Error(`denoise: the corpus folder ${dir} has no held-out line of "${language}" (every ${PRETRAINING.heldOutEvery}th line is held out)`);
  const eos = model.vocabulary.eosId;
  const longest = Math.max(...examples.map((e) => e.targets.length));
  const outputs = await model.generate(
    examples.map((e) => [...e.inputs, eos]),
    options.maxNewTokens ?? longest + 1,
    undefined,
    context.onBatch,
  );
  const exact = examples.filter((e, i) => outputs[i]!.length === e.targets.length && e.targets.every((id, t) => outputs[i]![t] === id)).length;
  const chrf = corpusChrf(outputs.map((ids) => model.decode(ids)), [examples.map((e) => model.decode(e.targets))]);
  return [
    { metric: 'exact match', score: (100 * exact) / examples.length, n: examples.length },
    { metric: 'chrF', score: chrf.score, n: examples.length, signature: chrfSignature({}, 1) },
  ];
}

export const denoiseTask: EvalTask = {
  name: 'denoise',
  description: `AlexaTM denoising of the held-out lines (every ${PRETRAINING.heldOutEvery}th) of a corpus folder, every language or denoise:LANG (exact match, chrF)`,
  sharedData: 'corpus',
  dataHint: 'the corpus folder the model was pretrained on (<lang>.txt files)',
  prompts: 'none',
  units(data, variant) {
    const units = languageFiles(data.data).map(({ language }) => ({ pair: language, run: (context: UnitContext) => run(context, data.data, language) }));
    return selectUnits('denoise', units, variant, data.data);
  },
};
