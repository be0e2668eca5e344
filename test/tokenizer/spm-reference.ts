// The reference for the tokenizer tests: the C++ SentencePiece command-line tools (Debian's
// `sentencepiece` package: spm_encode, spm_decode, spm_normalize, spm_train) run at test time, and the
// shared data beside the repository (../shared/data). Nothing derived from that data is stored in the
// repository: references are computed here, in the test run.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = path.resolve(REPO, '..', 'shared', 'data');
export const TOKENIZERS = path.join(SHARED_DATA, 'tokenizers');
export const MODELS = {
  t5: path.join(TOKENIZERS, 't5-spiece.model'),
  unigramTest: path.join(TOKENIZERS, 'spm-test-unigram.model'),
  jaTest: path.join(TOKENIZERS, 'spm-test-ja.model'),
} as const;

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Why the reference tests cannot run here (null when they can): names the missing thing and the fix. */
export function missingReference(): string | null {
  const missing: string[] = [];
  if (!existsSync(path.join(SHARED_DATA, 'eval', 'flores200', 'dev')) || !existsSync(MODELS.t5)) {
    missing.push(`shared data at ${SHARED_DATA} (clone ../shared beside the repository)`);
  }
  for (const tool of ['spm_encode', 'spm_decode', 'spm_normalize', 'spm_train']) {
    if (!hasCommand(tool)) {
      missing.push(`${tool} (apt-get install -y sentencepiece)`);
      break;
    }
  }
  return missing.length === 0 ? null : `missing ${missing.join(' and ')}`;
}

export const MISSING = missingReference();
if (MISSING !== null) console.warn(`tokenizer reference tests skipped: ${MISSING}`);

/** The lines of FLORES-200 `split` for every language, in language order. */
export function floresLines(split: 'dev' | 'devtest' = 'dev'): { lang: string; lines: string[] }[] {
  const dir = path.join(SHARED_DATA, 'eval', 'flores200', split);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return { lang: f.slice(0, -4), lines };
    });
}

/** Inputs that stress normalization and segmentation; none contains '\n'. */
export const TRICKY: readonly string[] = [
  '',
  ' ',
  '   ',
  '\t',
  'a\tb',
  'tab\t\ttab',
  '  leading and trailing  ',
  'multiple   internal    spaces',
  '\u3000全角スペース\u3000',
  'Ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ１２３',
  'ﾊﾝｶｸｶﾀｶﾅ',
  'ﬁnance ﬂow ﬀ',
  'café cafe\u0301 e\u0301\u0301',
  '\u0301leading combining mark',
  '👨‍👩‍👧‍👦 family 🏳️‍🌈 flag 👍🏽',
  'ctrl\u0001\u0002\u0007chars\u007f',
  'nul\u0000byte',
  'a'.repeat(3000),
  'ああああああああああああ',
  '😀'.repeat(50),
  '日本語とEnglishとالعربيةとहिन्दी mixed',
  'Ελληνικά Русский 한국어 ᄀᄁ',
  '<0x41> <0x41><0x42> <unk> <s> </s> <pad>',
  '[CLM] [MASK] hello [DOC][MASK]x[CLM]',
  '[MASK][MASK] [mask] [ MASK ]',
  '<2en> <2ja>hello',
  '▁ ▁▁ a▁b ▁',
  '\u2581',
  'x\u2581',
  '①②③ ⅷ ㍿ ℡',
  '\u00a0nbsp\u00a0\u00a0',
  'zero\u200bwidth\u200d\u200c',
  '\ufeffbom',
  'line\rreturn',
  '\u2028sep\u2029',
  'a\u000bb\u000cc',
  '🀄🃏 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙',
  'ﷺ ﷽',
  'Ǆ ǅ ǆ ß ẞ',
  '1234567890 3.14 1,000,000',
  `x${' '.repeat(40)}y`,
  '\ud800lone surrogate',
];

function run(tool: string, args: readonly string[], input: string | Uint8Array): Buffer {
  return execFileSync(tool, args, { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

function outputLines(out: Buffer): string[] {
  const lines = out.toString('utf8').split('\n');
  lines.pop(); // after the last '\n'
  return lines;
}

/** spm_encode's output lines for `lines` (one run, all lines on stdin). */
export function spmEncode(model: string, lines: readonly string[], format: string, extra: readonly string[] = []): string[] {
  return outputLines(run('spm_encode', ['--model', model, `--output_format=${format}`, ...extra], lines.map((l) => `${l}\n`).join('')));
}

/** spm_encode's raw stdout for raw stdin bytes. */
export function spmEncodeBytes(model: string, input: Uint8Array, format: 'id' | 'piece'): Buffer {
  return run('spm_encode', ['--model', model, `--output_format=${format}`], input);
}

/** spm_decode of lines of space-separated ids (or pieces). */
export function spmDecode(model: string, lines: readonly string[], inputFormat: 'id' | 'piece'): string[] {
  return outputLines(run('spm_decode', ['--model', model, `--input_format=${inputFormat}`], lines.map((l) => `${l}\n`).join('')));
}

/** spm_normalize with the model's own normalizer spec, as the encoder applies it. */
export function spmNormalize(model: string, lines: readonly string[]): string[] {
  return outputLines(run('spm_normalize', ['--model', model, '--use_internal_normalization'], lines.map((l) => `${l}\n`).join('')));
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `polyseq-${prefix}-`));
}

/** Runs spm_train (asynchronously, so several can train at once); resolves to the .model path. */
export function spmTrain(dir: string, name: string, flags: readonly string[]): Promise<string> {
  const prefix = path.join(dir, name);
  return new Promise((resolve, reject) => {
    const child = spawn('spm_train', [`--model_prefix=${prefix}`, '--minloglevel=2', ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(`${prefix}.model`) : reject(new Error(`spm_train ${name} failed (${code}): ${err.slice(-2000)}`))));
  });
}

/** A training text of the first `perLanguage` lines of each ../shared/data/corpus/<lang>.txt, written to dir. */
export function corpusSample(dir: string, perLanguage: number, langs?: readonly string[]): string {
  const corpus = path.join(SHARED_DATA, 'corpus');
  const files = readdirSync(corpus)
    .filter((f) => f.endsWith('.txt') && (langs === undefined || langs.includes(f.slice(0, -4))))
    .sort();
  const text = files
    .map((f) => readFileSync(path.join(corpus, f), 'utf8').split('\n').slice(0, perLanguage).join('\n'))
    .join('\n');
  const file = path.join(dir, `corpus-${perLanguage}.txt`);
  writeFileSync(file, `${text}\n`);
  return file;
}
