// FLORES-200 translation (NLLB Team 2022), the paper's 1-shot machine translation benchmark: `--task
// flores:SRC-TGT` translates the devtest folder's SRC.txt into TGT (line-aligned <lang>.txt files) with
// the paper's prompt, demonstrations drawn from the dev folder beside it (or --demos). The paper's
// tables in one run: `flores:en-*` (English into every other language of the folder), `flores:*-en`,
// or a comma-separated list of pairs (`flores:en-de,de-en`). Scores: spBLEU
// (sacreBLEU's flores200 tokenizer, which needs its SentencePiece model: --spm-model) — without the
// model, sacreBLEU's default 13a BLEU, named "BLEU" — and chrF++; each result carries its signature.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { bleuSignature, corpusBleu, type BleuOptions } from '../metrics/bleu.js';
import { chrfSignature, corpusChrf } from '../metrics/chrf.js';
import { SentencePieceProcessor } from '../../tokenizer/processor.js';
import { filesByLanguage, readTextLines } from '../data-files.js';
import { generateAnswers } from '../few-shot-generation.js';
import { languageName } from '../languages.js';
import type { DemoPool } from '../prompts/demonstrations.js';
import { translationTemplate, type TranslationExample } from '../prompts/translation.js';
import { limited, type EvalTask, type Score, type UnitContext } from '../task.js';

const MAX_NEW_TOKENS = 256;

/** The languages of a FLORES folder (its <lang>.txt files). */
export function floresLanguages(dir: string): string[] {
  return filesByLanguage(dir, /^(.+)\.txt$/).map((f) => f.language);
}

/** The line-aligned sentence pairs of `source`.txt and `target`.txt in a FLORES folder. */
export function readFloresPair(dir: string, source: string, target: string): TranslationExample[] {
  const file = (language: string) => path.join(dir, `${language}.txt`);
  const sources = readTextLines(file(source), 'FLORES file');
  const targets = readTextLines(file(target), 'FLORES file');
  if (sources.length !== targets.length) {
    throw new Error(`${file(source)} has ${sources.length} lines but ${file(target)} has ${targets.length}: FLORES files must be line-aligned`);
  }
  return sources.map((s, i) => ({ source: s, target: targets[i]! }));
}

/** "en-de" as its two languages. */
function parsePair(pair: string, dir: string): [string, string] {
  const match = /^([^-,]+)-([^-,]+)$/.exec(pair);
  if (match === null) throw new Error(`flores needs a language pair, e.g. --task flores:en-de, flores:en-* or flores:en-de,de-en (got "${pair}"); the languages in ${dir} are ${floresLanguages(dir).join(', ')}`);
  return [match[1]!, match[2]!];
}

/**
 * The pairs a --task variant names, in order, each once: "en-de"; "en-*" (en into every other language
 * of the folder) and "*-en" (every other language into en); a comma-separated list of these.
 */
export function floresPairs(variant: string, dir: string): [string, string][] {
  const languages = floresLanguages(dir);
  const pairs: [string, string][] = [];
  for (const item of variant.split(',')) {
    const [source, target] = parsePair(item.trim(), dir);
    if (source === '*' && target === '*') throw new Error(`flores:*-* would be every pair of ${languages.length} languages; name one side, e.g. flores:en-* or flores:*-en`);
    if (source !== '*' && target !== '*') {
      pairs.push([source, target]);
      continue;
    }
    const fixed = source === '*' ? target : source;
    const others = languages.filter((l) => l !== fixed);
    if (others.length === 0) throw new Error(`flores:${item.trim()} names no pair: ${dir} has ${languages.length === 0 ? 'no <lang>.txt files (--data must be the folder of them, e.g. flores200/devtest)' : `only ${languages.join(', ')}`}`);
    pairs.push(...others.map((l): [string, string] => (source === '*' ? [l, target] : [source, l])));
  }
  const unique = new Map(pairs.map((p) => [`${p[0]}-${p[1]}`, p]));
  return [...unique.values()];
}

/** The demonstration pool: --demos, else the dev folder beside the devtest one, else the devtest itself. */
function demoPool(data: string, demos: string | undefined, source: string, target: string): DemoPool<TranslationExample> {
  const dev = demos ?? path.join(data, '..', 'dev');
  if (demos !== undefined || existsSync(path.join(dev, `${source}.txt`))) return { examples: readFloresPair(dev, source, target), isEvaluated: false };
  return { examples: readFloresPair(data, source, target), isEvaluated: true };
}

async function bleuOptions(spmModel: string | undefined): Promise<{ metric: string; options: BleuOptions }> {
  if (spmModel === undefined) return { metric: 'BLEU', options: { tokenize: '13a' } };
  return { metric: 'spBLEU', options: { tokenize: 'flores200', spm: await SentencePieceProcessor.load(spmModel) } };
}

async function runPair(context: UnitContext, data: string, demos: string | undefined, source: string, target: string): Promise<Score[]> {
  const all = readFloresPair(data, source, target);
  const examples = limited(all, context.options.limit);
  const pair = `${source}-${target}`;
  const hypotheses = await generateAnswers(context, {
    template: translationTemplate(languageName(target)),
    examples,
    pool: () => demoPool(data, demos, source, target),
    label: `flores/${pair}`,
    defaultShots: 1,
    defaultMaxNewTokens: MAX_NEW_TOKENS,
  });
  const references = [examples.map((e) => e.target)];
  const bleu = await bleuOptions(context.options.spmModel);
  const chrfOptions = { wordOrder: 2 };
  const n = examples.length;
  return [
    { metric: bleu.metric, score: corpusBleu(hypotheses, references, bleu.options).score, n, signature: bleuSignature(bleu.options, 1) },
    { metric: 'chrF++', score: corpusChrf(hypotheses, references, chrfOptions).score, n, signature: chrfSignature(chrfOptions, 1) },
  ];
}

export const floresTask: EvalTask = {
  name: 'flores',
  description: 'FLORES-200 translation, flores:SRC-TGT, flores:en-*, flores:*-en or a list a-b,c-d (1-shot; spBLEU with --spm-model, else BLEU 13a; chrF++)',
  sharedData: 'eval/flores200/devtest',
  dataHint: 'the FLORES-200 devtest folder of line-aligned <lang>.txt files',
  prompts: 'generation',
  units(data, variant) {
    if (variant === undefined) throw new Error(`flores needs a language pair: --task flores:en-de, flores:en-* or flores:*-en (the languages in ${data.data} are ${floresLanguages(data.data).join(', ')})`);
    const languages = floresLanguages(data.data);
    return floresPairs(variant, data.data).map(([source, target]) => {
      const absent = [source, target].filter((l) => !languages.includes(l));
      if (absent.length > 0) throw new Error(`flores: ${data.data} has no ${absent.map((l) => `${l}.txt`).join(' or ')}; its languages are ${languages.join(', ')}`);
      if (source === target) throw new Error(`flores:${source}-${target} translates a language into itself; name two languages`);
      try {
        languageName(target); // an unknown target language fails before the model loads
      } catch (e) {
        throw new Error(`${(e as Error).message} (the target of flores:${source}-${target}, from ${path.join(data.data, `${target}.txt`)})`);
      }
      return { pair: `${source}-${target}`, run: (context: UnitContext) => runPair(context, data.data, data.demos, source, target) };
    });
  },
};
