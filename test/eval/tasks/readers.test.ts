// The task readers on small files written here (field mapping, labels, headers, errors naming the file
// and line, Python's NaN), the per-language file discovery and the held-out denoising examples; then,
// when ../shared/data/eval is there, the first records of the real files (skipped, saying so, when not).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../../src/eval/data-files.js';
import { denoisingExamples, heldOutLines } from '../../../src/eval/tasks/denoise.js';
import { floresLanguages, floresPairs, floresTask, readFloresPair } from '../../../src/eval/tasks/flores.js';
import { readPawsx } from '../../../src/eval/tasks/pawsx.js';
import { readSquad } from '../../../src/eval/tasks/squad.js';
import { boolqExamples, multircExamples, nliExamples, readSuperGlue, wicExamples, wscExamples } from '../../../src/eval/tasks/superglue.js';
import { copaExample, readCopa, xcopaTask } from '../../../src/eval/tasks/xcopa.js';
import { readXnli, xnliTask } from '../../../src/eval/tasks/xnli.js';
import { readXsum } from '../../../src/eval/tasks/xsum.js';
import { NLI_LABELS, RTE_LABELS } from '../../../src/eval/prompts/classification.js';
import { tempDir } from '../../helpers/temp-dirs.js';
import { SHARED_DATA } from '../../tokenizer/spm-reference.js';

/** Writes files (name → content) into a new folder and returns it. */
function folder(files: Record<string, string>): string {
  const dir = tempDir('eval-readers');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const jsonl = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('readers on written files', () => {
  it('FLORES: line-aligned <lang>.txt pairs, and an error when they are not', () => {
    const dir = folder({ 'en.txt': 'One.\nTwo.\n', 'de.txt': 'Eins.\r\nZwei.\r\n', 'fr.txt': 'Un.\n', 'README.md': 'x' });
    expect(floresLanguages(dir)).toEqual(['de', 'en', 'fr']);
    expect(readFloresPair(dir, 'en', 'de')).toEqual([{ source: 'One.', target: 'Eins.' }, { source: 'Two.', target: 'Zwei.' }]);
    expect(() => readFloresPair(dir, 'en', 'fr')).toThrow(`${path.join(dir, 'en.txt')} has 2 lines but ${path.join(dir, 'fr.txt')} has 1: FLORES files must be line-aligned`);
    expect(() => readFloresPair(dir, 'en', 'ja')).toThrow(/ja\.txt: it does not exist/);
  });

  it('FLORES pairs: one, en-* and *-en over the folder\'s languages, lists without repeats, and the errors', () => {
    const dir = folder({ 'en.txt': 'a\n', 'de.txt': 'b\n', 'fr.txt': 'c\n' });
    expect(floresPairs('en-de', dir)).toEqual([['en', 'de']]);
    expect(floresPairs('en-*', dir)).toEqual([['en', 'de'], ['en', 'fr']]);
    expect(floresPairs('*-en', dir)).toEqual([['de', 'en'], ['fr', 'en']]);
    expect(floresPairs('en-*, *-en,en-de', dir)).toEqual([['en', 'de'], ['en', 'fr'], ['de', 'en'], ['fr', 'en']]);
    expect(() => floresPairs('*-*', dir)).toThrow('flores:*-* would be every pair of 3 languages; name one side, e.g. flores:en-* or flores:*-en');
    expect(() => floresPairs('en', dir)).toThrow(`flores needs a language pair, e.g. --task flores:en-de, flores:en-* or flores:en-de,de-en (got "en"); the languages in ${dir} are de, en, fr`);
    const units = (variant: string) => floresTask.units({ data: dir, demos: undefined }, variant).map((u) => u.pair);
    expect(units('*-fr')).toEqual(['de-fr', 'en-fr']);
    expect(() => units('en-ja')).toThrow(`flores: ${dir} has no ja.txt; its languages are de, en, fr`);
    expect(() => units('de-de')).toThrow('flores:de-de translates a language into itself; name two languages');
    const empty = folder({ 'README.md': 'x' });
    expect(() => floresPairs('en-*', empty)).toThrow(`flores:en-* names no pair: ${empty} has no <lang>.txt files (--data must be the folder of them, e.g. flores200/devtest)`);
    expect(() => floresPairs('*-en', folder({ 'en.txt': 'a\n' }))).toThrow(/^flores:\*-en names no pair: .* has only en$/);
    const unknown = folder({ 'en.txt': 'a\n', 'xx.txt': 'b\n' });
    expect(() => floresTask.units({ data: unknown, demos: undefined }, 'en-*')).toThrow(`(the target of flores:en-xx, from ${path.join(unknown, 'xx.txt')})`);
  });

  it('XSum: dialogue and summary; a record with NaN (as Python writes it) is skipped', () => {
    const dir = folder({ 'dev.jsonl': '{"id": 1, "dialogue": "Line one.\\nLine two.", "summary": "Short."}\n{"id": 2, "dialogue": NaN, "summary": "S."}\n{"id": 3, "dialogue": "A \\"NaN\\" here.", "summary": "T."}\n' });
    expect(readXsum(path.join(dir, 'dev.jsonl'))).toEqual([
      { document: 'Line one.\nLine two.', summary: 'Short.' },
      { document: 'A "NaN" here.', summary: 'T.' },
    ]);
    const bad = folder({ 'dev.jsonl': '{"id": 1, "dialogue": 5, "summary": "S."}\n' });
    expect(() => readXsum(path.join(bad, 'dev.jsonl'))).toThrow(`${path.join(bad, 'dev.jsonl')}:1: field "dialogue" is not a string or null (got 5)`);
  });

  it('SQuAD 2.0: every question with its passage, unanswerable ones without answers', () => {
    const squad = { version: 'v2.0', data: [{ title: 'T', paragraphs: [{ context: 'Paris is in France.', qas: [
      { id: 'a', question: 'Where is Paris?', answers: [{ text: 'France', answer_start: 12 }, { text: 'in France', answer_start: 9 }], is_impossible: false },
      { id: 'b', question: 'Where is Rome?', answers: [], is_impossible: true },
    ] }] }] };
    const dir = folder({ 'dev-v2.0.json': JSON.stringify(squad) });
    expect(readSquad(path.join(dir, 'dev-v2.0.json'))).toEqual([
      { id: 'a', context: 'Paris is in France.', question: 'Where is Paris?', answers: ['France', 'in France'] },
      { id: 'b', context: 'Paris is in France.', question: 'Where is Rome?', answers: [] },
    ]);
  });

  it('XNLI: dev-<lang>.tsv, label names, a header skipped, a bad label named with its line', () => {
    const dir = folder({ 'dev-de.tsv': 'premise\thypothesis\tlabel\nP.\tH.\tneutral\nP2.\tH2.\tcontradiction\n', 'dev-fr.tsv': 'P.\tH.\tmaybe\n', 'train-de.tsv': '' });
    expect(readXnli(path.join(dir, 'dev-de.tsv'))).toEqual([
      { premise: 'P.', hypothesis: 'H.', label: 1 },
      { premise: 'P2.', hypothesis: 'H2.', label: 2 },
    ]);
    expect(() => readXnli(path.join(dir, 'dev-fr.tsv'))).toThrow(`${path.join(dir, 'dev-fr.tsv')}:1: label "maybe" is not one of entailment, neutral, contradiction`);
    expect(xnliTask.units({ data: dir, demos: undefined }, undefined).map((u) => u.pair)).toEqual(['de', 'fr']);
    expect(() => xnliTask.units({ data: dir, demos: undefined }, 'ja')).toThrow(`xnli: no "ja" in ${dir}; there are de, fr`);
  });

  it('PAWS-X: three columns, or the original four with its id column and header', () => {
    const dir = folder({ 'dev-en.tsv': 'A.\tB.\t1\nC.\tD.\t0\n', 'dev-de.tsv': 'id\tsentence1\tsentence2\tlabel\n7\tA.\tB.\t0\n', 'dev-fr.tsv': 'A.\tB.\n' });
    expect(readPawsx(path.join(dir, 'dev-en.tsv'))).toEqual([{ sentence1: 'A.', sentence2: 'B.', label: 1 }, { sentence1: 'C.', sentence2: 'D.', label: 0 }]);
    expect(readPawsx(path.join(dir, 'dev-de.tsv'))).toEqual([{ sentence1: 'A.', sentence2: 'B.', label: 0 }]);
    expect(() => readPawsx(path.join(dir, 'dev-fr.tsv'))).toThrow(`${path.join(dir, 'dev-fr.tsv')}:1 has 2 tab-separated cells where 3 or 4 were expected`);
  });

  it('XCOPA: <lang>/test.<lang>.jsonl and en-test.jsonl; COPA records checked', () => {
    const record = { premise: 'P.', choice1: 'A.', choice2: 'B.', question: 'cause', label: 1, idx: 0 };
    const dir = folder({ 'it/test.it.jsonl': jsonl(record), 'it/val.it.jsonl': jsonl(record), 'en-test.jsonl': jsonl(record), 'notes/readme.txt': '' });
    expect(readCopa(path.join(dir, 'it', 'test.it.jsonl'))).toEqual([{ premise: 'P.', choice1: 'A.', choice2: 'B.', question: 'cause', label: 1 }]);
    expect(xcopaTask.units({ data: dir, demos: undefined }, undefined).map((u) => u.pair)).toEqual(['en', 'it']);
    const bad = readJsonLines(path.join(folder({ 'x.jsonl': jsonl({ ...record, question: 'why' }) }), 'x.jsonl'), 'COPA file')[0]!;
    expect(() => copaExample(bad)).toThrow(/x\.jsonl:1: field "question" must be "cause" or "effect" \(got "why"\)/);
  });

  it('SuperGLUE: BoolQ, CB, RTE, WiC, WSC and MultiRC records, labels as strings or booleans', () => {
    const dir = folder({
      'boolq.jsonl': jsonl({ question: 'is it', passage: 'P.', idx: 0, label: 'true' }, { question: 'q', passage: 'P.', idx: 1, label: false }),
      'cb.jsonl': jsonl({ premise: 'P.', hypothesis: 'H.', label: 'contradiction', idx: 0 }),
      'rte.jsonl': jsonl({ premise: 'P.', hypothesis: 'H.', label: 'not_entailment', idx: 0 }),
      'wic.jsonl': jsonl({ word: 'bank', sentence1: 'A.', sentence2: 'B.', idx: 0, label: 'false', start1: 0, end1: 1, start2: 0, end2: 1 }),
      'wsc.jsonl': jsonl({ text: 'Bob said he left.', target: { span1_index: 0, span2_index: 2, span1_text: 'Bob', span2_text: 'he' }, idx: 0, label: true }),
      'multirc.jsonl': jsonl({ idx: 0, passage: { text: 'T.', questions: [
        { question: 'Q1?', answers: [{ text: 'a', idx: 0, label: 0 }, { text: 'b', idx: 1, label: 1 }], idx: 0 },
        { question: 'Q2?', answers: [{ text: 'c', idx: 2, label: 1 }], idx: 1 },
      ] } }),
    });
    const read = <E>(name: string, examples: Parameters<typeof readSuperGlue<E>>[1]) => readSuperGlue(path.join(dir, `${name}.jsonl`), examples);
    expect(read('boolq', boolqExamples)).toEqual([{ passage: 'P.', question: 'is it', label: 1 }, { passage: 'P.', question: 'q', label: 0 }]);
    expect(read('cb', nliExamples(NLI_LABELS))).toEqual([{ premise: 'P.', hypothesis: 'H.', label: 2 }]);
    expect(read('rte', nliExamples(RTE_LABELS))).toEqual([{ premise: 'P.', hypothesis: 'H.', label: 1 }]);
    expect(read('wic', wicExamples)).toEqual([{ word: 'bank', sentence1: 'A.', sentence2: 'B.', label: 0 }]);
    expect(read('wsc', wscExamples)).toEqual([{ text: 'Bob said he left.', span1: 'Bob', span2: 'he', label: 1 }]);
    const multirc = read('multirc', multircExamples);
    expect(multirc.map((e) => [e.question, e.answer, e.label])).toEqual([['Q1?', 'a', 0], ['Q1?', 'b', 1], ['Q2?', 'c', 1]]);
    expect(new Set(multirc.map((e) => e.questionKey)).size).toBe(2);
    expect(multirc[0]!.paragraph).toBe('T.');
  });
});

describe('denoising examples', () => {
  const corpus = folder({ 'en.txt': Array.from({ length: 120 }, (_, i) => `line ${i}`).join('\n') + '\n', 'de.txt': 'nur eine Zeile\n' });

  it('reads every 50th line of a language as held out (pretraining\'s default split)', () => {
    expect(heldOutLines(corpus, 'en', undefined)).toEqual(['line 49', 'line 99']);
    expect(heldOutLines(corpus, 'en', 1)).toEqual(['line 49']);
    expect(heldOutLines(corpus, 'de', undefined)).toEqual([]);
  });

  it('drops 15% of each line\'s ids, the same for the same seed, the targets the whole line', () => {
    const tokens = (text: string) => Array.from({ length: 50 }, (_, i) => text.length * 100 + i);
    const a = denoisingExamples(['x'.repeat(7), 'y'.repeat(9)], tokens, 40, 5n, 'en');
    expect(denoisingExamples(['x'.repeat(7), 'y'.repeat(9)], tokens, 40, 5n, 'en')).toEqual(a);
    expect(a.map((e) => e.targets)).toEqual([tokens('x'.repeat(7)).slice(0, 40), tokens('y'.repeat(9)).slice(0, 40)]);
    expect(a.map((e) => e.inputs.length)).toEqual([34, 34]); // 40 − 15% of 40
    a.forEach((e) => expect(e.inputs.every((id) => e.targets.includes(id))).toBe(true));
    expect(denoisingExamples(['x'.repeat(7)], tokens, 40, 6n, 'en')[0]!.inputs).not.toEqual(a[0]!.inputs);
  });
});

const EVAL = path.join(SHARED_DATA, 'eval');

/** A test of files under ../shared/data/eval, skipped with the reason in its name when one is absent. */
function withShared(relatives: readonly string[], name: string, fn: () => void): void {
  const absent = relatives.filter((r) => !fs.existsSync(path.join(EVAL, r)));
  if (absent.length === 0) it(name, fn);
  else it.skip(`${name} — skipped: ${absent.map((r) => `../shared/data/eval/${r}`).join(', ')} absent`, fn);
}

describe('readers on the shared data', () => {
  withShared(['flores200/devtest'], 'FLORES-200 devtest en-de', () => {
    const pairs = readFloresPair(path.join(EVAL, 'flores200', 'devtest'), 'en', 'de');
    expect(pairs.length).toBe(1012);
    expect(pairs[1]!.source).toMatch(/^Dr\. Ehud Ur/);
  });

  withShared(['xsum/dev.jsonl'], 'XSum dev', () => {
    const articles = readXsum(path.join(EVAL, 'xsum', 'dev.jsonl'));
    expect(articles.length).toBe(979); // 980 lines, one with a NaN article
    expect(articles[0]!.document).toMatch(/^The ex-Reading defender denied fraudulent trading charges/);
  });

  withShared(['squad2/dev-v2.0.json'], 'SQuAD 2.0 dev', () => {
    const questions = readSquad(path.join(EVAL, 'squad2', 'dev-v2.0.json'));
    expect(questions.length).toBe(6078);
    expect(questions[0]).toMatchObject({ question: 'In what country is Normandy located?', answers: ['France', 'France', 'France', 'France'] });
    expect(questions.filter((q) => q.answers.length === 0).length).toBe(3168);
  });

  withShared(['xnli', 'pawsx', 'xcopa'], 'XNLI, PAWS-X and XCOPA', () => {
    expect(readXnli(path.join(EVAL, 'xnli', 'dev-de.tsv'))[0]).toEqual({ premise: 'und er hat gesagt, Mama ich bin daheim.', hypothesis: 'Er rief seine Mutter an, sobald er aus dem Schulbus stieg.', label: 1 });
    expect(xnliTask.units({ data: path.join(EVAL, 'xnli'), demos: undefined }, undefined).length).toBe(15);
    expect(readPawsx(path.join(EVAL, 'pawsx', 'dev-de.tsv')).length).toBe(2000);
    expect(readCopa(path.join(EVAL, 'xcopa', 'it', 'test.it.jsonl')).length).toBe(500);
    expect(xcopaTask.units({ data: path.join(EVAL, 'xcopa'), demos: undefined }, undefined).map((u) => u.pair)).toEqual(['en', 'et', 'ht', 'id', 'it', 'qu', 'sw', 'ta', 'th', 'tr', 'vi', 'zh']);
  });

  withShared(['superglue'], 'SuperGLUE dev sets', () => {
    const file = (task: string) => path.join(EVAL, 'superglue', task, 'val.jsonl');
    expect(readSuperGlue(file('BoolQ'), boolqExamples).length).toBe(3270);
    expect(readSuperGlue(file('CB'), nliExamples(NLI_LABELS)).length).toBe(56);
    expect(readCopa(file('COPA')).length).toBe(100);
    expect(readSuperGlue(file('RTE'), nliExamples(RTE_LABELS)).length).toBe(277);
    expect(readSuperGlue(file('WiC'), wicExamples).length).toBe(638);
    expect(readSuperGlue(file('WSC'), wscExamples)[0]).toMatchObject({ span1: 'anyone', span2: 'him', label: 0 });
    const multirc = readSuperGlue(file('MultiRC'), multircExamples);
    expect([multirc.length, new Set(multirc.map((e) => e.questionKey)).size]).toEqual([4848, 953]);
  });
});
