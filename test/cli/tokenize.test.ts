// `polyseq tokenize`, run in-process with stdin injected: one output line per input line (empty lines,
// '\r', a last line without '\n', malformed UTF-8), the same whatever the chunking, byte-identical to
// spm_encode --output_format=id|piece, and clear errors.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { buildProgram, runProgram } from '../../src/cli/main.js';
import { makeRegisterTokenize } from '../../src/cli/tokenize.js';
import { serializeModelProto } from '../../src/tokenizer/model-proto.js';
import { seededRandom } from '../helpers/arrays.js';
import { MISSING, MODELS, SHARED_DATA, spmEncodeBytes, tempDir } from '../tokenizer/spm-reference.js';
import { toyUnigram } from '../tokenizer/toy-models.js';

/** Runs `polyseq tokenize ARGS` on `input` (given in `chunks`); returns the exit code and what it wrote. */
async function tokenize(args: readonly string[], chunks: readonly Uint8Array[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const program = new Command('polyseq').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  makeRegisterTokenize(() => Readable.from(chunks))(program, io);
  const code = await runProgram(program, ['node', 'polyseq', 'tokenize', ...args], io);
  return { code, out, err };
}

function chunked(bytes: Uint8Array, seed: number): Uint8Array[] {
  const rand = seededRandom(seed);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rand() * 7);
    chunks.push(bytes.slice(i, i + n));
    i += n;
  }
  return chunks;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
// Lines: plain, empty, '\r' kept, malformed bytes (lone 0xFF, truncated é, overlong '/'), and a last line without '\n'.
const INPUT = concat(enc('ab abc\n\nxyz\r\n'), Uint8Array.of(0x61, 0xff, 0x62, 0x0a, 0xc3, 0x0a, 0xc0, 0xaf, 0x0a), enc('[MASK] ab'));

describe('polyseq tokenize', () => {
  const dir = tempDir('cli-tokenize');
  const toy = path.join(dir, 'toy.model');
  writeFileSync(toy, serializeModelProto(toyUnigram()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line of ids per input line', async () => {
    const { code, out, err } = await tokenize(['--model', toy], [INPUT]);
    expect(err).toBe('');
    expect(code).toBe(0);
    // '\r' and the malformed bytes are unknown characters (merged with their unknown neighbours).
    expect(out).toBe('8 8 9\n\n4 0\n4 5 0 6\n4 0\n4 0\n4 3 8\n');
  });

  it('writes pieces with --pieces', async () => {
    const { out } = await tokenize(['--model', toy, '--pieces'], [INPUT]);
    expect(out).toBe('▁ab ▁ab c\n\n▁ xyz\r\n▁ a \ufffd b\n▁ \ufffd\n▁ \ufffd\ufffd\n▁ [MASK] ▁ab\n');
  });

  it('gives the same output however stdin is chunked', async () => {
    const whole = (await tokenize(['--model', toy], [INPUT])).out;
    for (const seed of [1, 2, 3]) expect((await tokenize(['--model', toy], chunked(INPUT, seed))).out).toBe(whole);
    expect((await tokenize(['--model', toy], [])).out).toBe('');
  });

  it('names a missing option and a bad model file', async () => {
    const missing = await tokenize([], [INPUT]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("required option '--model <path>' not specified");
    const notModel = path.join(dir, 'notes.txt');
    writeFileSync(notModel, 'hello, this is a text file\n');
    const bad = await tokenize(['--model', notModel], [INPUT]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      `error: ${notModel} is not a SentencePiece model: field 13 (wire type 0) at byte 0 is not part of ModelProto; expected a .model file written by spm_train or polyseq\n`,
    );
  });

  it('is registered in the polyseq program', () => {
    const help = buildProgram({ out: () => {}, err: () => {} }).helpInformation();
    expect(help).toMatch(/^\s+tokenize \[options\]/m);
  });
});

const skip = MISSING !== null;
describe.skipIf(skip)(`polyseq tokenize against spm_encode${skip ? ` (skipped: ${MISSING})` : ''}`, () => {
  it('is byte-identical to spm_encode --output_format=id and =piece (t5, FLORES en + ja + hi, malformed bytes)', async () => {
    const text = ['en', 'ja', 'hi'].map((l) => readFileSync(path.join(SHARED_DATA, 'eval', 'flores200', 'dev', `${l}.txt`)));
    const input = concat(...text.map((t) => new Uint8Array(t)), INPUT);
    for (const format of ['id', 'piece'] as const) {
      const reference = spmEncodeBytes(MODELS.t5, input, format);
      // Two chunks, split inside a line.
      const chunks = [input.subarray(0, 100_001), input.subarray(100_001)];
      const ours = await tokenize(['--model', MODELS.t5, ...(format === 'piece' ? ['--pieces'] : [])], chunks);
      expect(ours.code).toBe(0);
      expect(Buffer.from(ours.out, 'utf8').equals(reference)).toBe(true);
    }
  });
});
