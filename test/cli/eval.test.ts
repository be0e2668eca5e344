// `polyseq eval` run in-process on a tiny random checkpoint, for every task with --limit 20 and short
// generations: the Markdown table on stdout, the progress on stderr, and the --out JSON's shape, with
// every score in [0, 100]. A task whose ../shared/data files are absent is skipped, saying so; denoise
// reads the sample corpus that ships with the repository. Also: spBLEU with --spm-model, demonstrations,
// denoising mode, and the errors of a bad command line.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveTinyEvalModel } from '../eval/helpers/tiny-model.js';
import { tempDir } from '../helpers/temp-dirs.js';
import { SHARED_DATA } from '../tokenizer/spm-reference.js';
import { runCli } from '../helpers/run-cli.js';

const SAMPLE_CORPUS = new URL('../../samples/corpus/', import.meta.url).pathname;
/** A real SentencePiece model standing in for sacreBLEU's flores200 one. */
const SPM_STAND_IN = path.join(SHARED_DATA, 'tokenizers', 't5-spiece.model');

interface ResultRow {
  task: string;
  pair: string;
  metric: string;
  score: number;
  n: number;
  seconds: number;
}

interface Output {
  results: ResultRow[];
  model: string;
  task: string;
  limit: number | null;
  seed: number;
  mode: string;
}

let model: string;

beforeAll(async () => {
  model = await saveTinyEvalModel();
});

const run = (...args: string[]) => runCli('eval', ...args);

/** Runs `polyseq eval` on the tiny model and returns what --out holds, after checking the output's shape. */
async function evaluate(task: string, more: readonly string[] = [], limit = 20): Promise<Output> {
  const file = path.join(tempDir('eval-cli'), 'results.json');
  const { code, out, err } = await run('--model', model, '--task', task, '--limit', String(limit), '--max-new-tokens', '8', '--threads', '1', '--out', file, ...more);
  expect(err).not.toContain('error');
  expect(code).toBe(0);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Output;
  expect(json).toMatchObject({ model, task, limit, seed: 0 });
  expect(json.results.length).toBeGreaterThan(0);
  for (const r of json.results) {
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['task', 'pair', 'metric', 'score', 'n', 'seconds']));
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(100);
    expect(r.n).toBeGreaterThan(0);
    expect(r.n).toBeLessThanOrEqual(limit);
    expect(r.seconds).toBeGreaterThanOrEqual(0);
    expect(out).toContain(`| ${r.task} | ${r.pair} | ${r.metric} | ${r.score.toFixed(2)} | ${r.n} |`);
  }
  expect(out.startsWith('| task | pair | metric | score | n | seconds |\n')).toBe(true);
  expect(err).toMatch(/: \d+\/\d+\n/);
  return json;
}

/** One test per task, skipped with the reason when its shared data is absent. */
function taskTest(name: string, needs: readonly string[], fn: () => Promise<void>): void {
  const absent = needs.filter((file) => !fs.existsSync(path.join(SHARED_DATA, file)));
  if (absent.length > 0) it.skip(`${name} — skipped: ${absent.map((file) => `../shared/data/${file}`).join(', ')} absent`, fn);
  else it(name, fn);
}

const metrics = (json: Output) => json.results.map((r) => `${r.task}/${r.pair}/${r.metric}/${r.n}`);

describe('polyseq eval: every task on a tiny random model', () => {
  taskTest('flores:en-de (BLEU and chrF++)', ['eval/flores200/devtest'], async () => {
    expect(metrics(await evaluate('flores:en-de'))).toEqual(['flores/en-de/BLEU/20', 'flores/en-de/chrF++/20']);
  });

  taskTest('flores:de-fr with --spm-model (spBLEU)', ['eval/flores200/devtest', 'tokenizers/t5-spiece.model'], async () => {
    const json = await evaluate('flores:de-fr', ['--spm-model', SPM_STAND_IN]);
    expect(json.results.map((r) => r.metric)).toEqual(['spBLEU', 'chrF++']);
    expect((json.results[0] as ResultRow & { signature: string }).signature).toContain('tok:flores200');
  });

  taskTest('xsum', ['eval/xsum/dev.jsonl'], async () => {
    expect(metrics(await evaluate('xsum'))).toEqual(['xsum/en/ROUGE-1/20', 'xsum/en/ROUGE-2/20', 'xsum/en/ROUGE-L/20']);
  });

  taskTest('squad2', ['eval/squad2/dev-v2.0.json'], async () => {
    expect(metrics(await evaluate('squad2'))).toEqual(['squad2/en/exact/20', 'squad2/en/F1/20']);
  });

  taskTest('xnli:de, and every language of xnli', ['eval/xnli'], async () => {
    expect(metrics(await evaluate('xnli:de'))).toEqual(['xnli/de/accuracy/20']);
    const all = await evaluate('xnli', [], 2);
    expect(all.results.map((r) => r.pair)).toEqual(['ar', 'bg', 'de', 'el', 'en', 'es', 'fr', 'hi', 'ru', 'sw', 'th', 'tr', 'ur', 'vi', 'zh']);
  });

  taskTest('pawsx:de', ['eval/pawsx'], async () => {
    expect(metrics(await evaluate('pawsx:de'))).toEqual(['pawsx/de/accuracy/20']);
  });

  taskTest('xcopa:it, with 2 demonstrations from its val split', ['eval/xcopa'], async () => {
    expect(metrics(await evaluate('xcopa:it', ['--shots', '2']))).toEqual(['xcopa/it/accuracy/20']);
  });

  const superglue: [string, string, string[]][] = [
    ['boolq', 'BoolQ', ['accuracy']],
    ['cb', 'CB', ['accuracy', 'macro-F1']],
    ['copa', 'COPA', ['accuracy']],
    ['rte', 'RTE', ['accuracy']],
    ['wic', 'WiC', ['accuracy']],
    ['wsc', 'WSC', ['accuracy']],
  ];
  for (const [task, folder, expected] of superglue) {
    taskTest(task, [`eval/superglue/${folder}/val.jsonl`], async () => {
      expect(metrics(await evaluate(task))).toEqual(expected.map((m) => `${task}/en/${m}/20`));
    });
  }

  taskTest('multirc (F1a over answers, EM over questions)', ['eval/superglue/MultiRC/val.jsonl'], async () => {
    const json = await evaluate('multirc');
    expect(json.results.map((r) => r.metric)).toEqual(['F1a', 'EM']);
    expect(json.results[0]!.n).toBe(20);
    expect(json.results[1]!.n).toBeLessThan(20);
  });

  taskTest('boolq in denoising mode', ['eval/superglue/BoolQ/val.jsonl'], async () => {
    const json = await evaluate('boolq', ['--mode', 'denoise']);
    expect(json.mode).toBe('denoise');
  });

  taskTest('denoise (the sample corpus)', [], async () => {
    const json = await evaluate('denoise', ['--data', SAMPLE_CORPUS]);
    const languages = ['ar', 'de', 'en', 'es', 'fr', 'hi', 'it', 'ja', 'mr', 'pt', 'ta', 'te'];
    expect(json.results.map((r) => `${r.pair}/${r.metric}`)).toEqual(languages.flatMap((l) => [`${l}/exact match`, `${l}/chrF`]));
  });

  taskTest('alignment (every language against English)', ['eval/flores200/devtest'], async () => {
    const json = await evaluate('alignment');
    expect(json.results.filter((r) => r.pair === 'de-en').map((r) => r.metric)).toEqual(['MEXA layer 1', 'MEXA layer 2', 'MEXA mean', 'MEXA max']);
    expect(new Set(json.results.map((r) => r.pair)).size).toBe(11);
  });
});

describe('polyseq eval: the command line', () => {
  it('requires --model, --task and --out', async () => {
    const { code, err } = await run('--task', 'xnli', '--out', 'x.json');
    expect(code).toBe(1);
    expect(err).toContain("required option '--model <dir>' not specified");
  });

  it('names the tasks for an unknown one, and checks numbers', async () => {
    const out = path.join(tempDir('eval-cli-errors'), 'r.json');
    expect((await run('--model', model, '--task', 'glue', '--out', out)).err).toMatch(/^error: unknown task "glue": the tasks are flores, xsum, squad2,/);
    expect((await run('--model', model, '--task', 'xnli', '--limit', '0', '--out', out)).err).toBe('error: --limit must be an integer ≥ 1 (got "0")\n');
    expect((await run('--model', model, '--task', 'xnli', '--mode', 'lm', '--out', out)).err).toBe('error: --mode must be one of clm, denoise (got "lm")\n');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('runs several FLORES pairs in one call, and --out keeps the finished pairs when a later one fails', async () => {
    const dir = tempDir('eval-cli-flores');
    const devtest = path.join(dir, 'devtest');
    fs.mkdirSync(devtest);
    fs.writeFileSync(path.join(devtest, 'en.txt'), 'A house.\nTwo cats.\n');
    fs.writeFileSync(path.join(devtest, 'de.txt'), 'Ein Haus.\nZwei Katzen.\n');
    fs.writeFileSync(path.join(devtest, 'fr.txt'), 'Une maison.\n'); // one line short: en-fr fails
    const out = path.join(dir, 'r.json');
    const { code, err } = await run('--model', model, '--task', 'flores:en-*', '--data', devtest, '--max-new-tokens', '4', '--threads', '1', '--out', out);
    expect(code).toBe(1);
    expect(err).toMatch(/^flores en-de: BLEU \d+\.\d\d, chrF\+\+ \d+\.\d\d \(n 2, \d+\.\d s\)$/m);
    expect(err).toContain(`error: ${path.join(devtest, 'en.txt')} has 2 lines but ${path.join(devtest, 'fr.txt')} has 1: FLORES files must be line-aligned`);
    const partial = JSON.parse(fs.readFileSync(out, 'utf8')) as Output & { complete: boolean; data: string; pending: string[] };
    expect(partial).toMatchObject({ complete: false, task: 'flores:en-*', data: devtest, pending: ['en-fr'] });
    expect(partial.results.map((r) => `${r.pair}/${r.metric}`)).toEqual(['en-de/BLEU', 'en-de/chrF++']);

    // A run that fails before its first unit finishes leaves no older file behind: --out says it is pending.
    const stale = path.join(dir, 'stale.json');
    fs.writeFileSync(stale, '{"results": [], "complete": true}\n');
    const early = await run('--model', path.join(dir, 'no-model'), '--task', 'flores:de-en', '--data', devtest, '--out', stale);
    expect(early.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(stale, 'utf8'))).toMatchObject({ results: [], complete: false, pending: ['de-en'] });

    fs.writeFileSync(path.join(devtest, 'fr.txt'), 'Une maison.\nDeux chats.\n');
    expect((await run('--model', model, '--task', 'flores:en-*', '--data', devtest, '--max-new-tokens', '4', '--threads', '1', '--out', out)).code).toBe(0);
    const whole = JSON.parse(fs.readFileSync(out, 'utf8')) as Output & { complete: boolean };
    expect(whole.complete).toBe(true);
    expect(whole).not.toHaveProperty('pending');
    expect(whole.results.map((r) => `${r.pair}/${r.metric}/${r.n}`)).toEqual(['en-de/BLEU/2', 'en-de/chrF++/2', 'en-fr/BLEU/2', 'en-fr/chrF++/2']);
  });

  it('lists the tasks in its help', async () => {
    const { out } = await run('--help');
    expect(out).toContain('flores');
    expect(out).toContain('alignment');
    expect(out).toContain('--spm-model');
  });
});
