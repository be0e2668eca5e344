// The CLI program run in-process (help, `info --json`, error handling) and the benchmark runner's
// argument parsing.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { intListOption, intOption, parseBenchArgv, type BenchArgs } from '../../bench/args.js';
import type { CliIo } from '../../src/cli/io.js';
import { buildProgram, main, runProgram } from '../../src/cli/main.js';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (text) => void (out += text), err: (text) => void (err += text) },
    out: () => out,
    err: () => err,
  };
}

describe('polyseq program', () => {
  it('lists the info command in its help', () => {
    const help = buildProgram(capture().io).helpInformation();
    expect(help).toMatch(/^Usage: polyseq /);
    expect(help).toMatch(/^\s+info\b/m);
  });

  it('prints its version from package.json and exits 0', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'polyseq', '--version'], io)).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(out()).toBe(`${pkg.version}\n`);
  });

  it('`info --json` prints one line of JSON with the onnxruntime version and the cpu provider', async () => {
    const { io, out, err } = capture();
    expect(await main(['node', 'polyseq', 'info', '--json'], io)).toBe(0);
    expect(err()).toBe('');
    const lines = out().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const info = JSON.parse(lines[0] ?? '') as {
      onnxruntime: string;
      node: string;
      providers: { name: string; bundled: boolean }[];
      cuda: { providerInstalled: boolean };
    };
    expect(info.onnxruntime).toBe('1.30.0');
    expect(info.node).toBe(process.versions.node);
    expect(info.providers).toContainEqual({ name: 'cpu', bundled: true });
    expect(typeof info.cuda.providerInstalled).toBe('boolean');
  });

  it('reports an unknown command with exit code 1', async () => {
    const { io, err } = capture();
    expect(await main(['node', 'polyseq', 'no-such-command'], io)).toBe(1);
    expect(err()).toContain("unknown command 'no-such-command'");
  });

  it("turns a command's error into one line on stderr and exit code 1", async () => {
    const { io, out, err } = capture();
    const program: Command = buildProgram(io);
    program.command('fail').action(() => {
      throw new RangeError('temperature must be > 0 (got -1)');
    });
    const saved = process.env['POLYSEQ_DEBUG'];
    try {
      delete process.env['POLYSEQ_DEBUG'];
      expect(await runProgram(program, ['node', 'polyseq', 'fail'], io)).toBe(1);
      expect(out()).toBe('');
      expect(err()).toBe('error: temperature must be > 0 (got -1)\n');

      process.env['POLYSEQ_DEBUG'] = '1'; // now with the stack
      expect(await runProgram(program, ['node', 'polyseq', 'fail'], io)).toBe(1);
      expect(err()).toMatch(/\nerror: RangeError: temperature must be > 0 \(got -1\)\n\s+at /);
    } finally {
      if (saved === undefined) delete process.env['POLYSEQ_DEBUG'];
      else process.env['POLYSEQ_DEBUG'] = saved;
    }
  });
});

describe('bench runner arguments', () => {
  it('parses NAME --json --threads 2', () => {
    expect(parseBenchArgv(['fma-peak', '--json', '--threads', '2'])).toEqual({
      kind: 'run',
      args: { name: 'fma-peak', json: true, options: { threads: '2' }, positional: [] },
    });
  });

  it('parses --key=value, bare flags and --list', () => {
    const parsed = parseBenchArgv(['train-step', '--threads=1,2', '--no-pytorch', '--reps', '5', 'extra']);
    expect(parsed).toEqual({
      kind: 'run',
      args: { name: 'train-step', json: false, options: { threads: '1,2', 'no-pytorch': true, reps: '5' }, positional: ['extra'] },
    });
    expect(parseBenchArgv(['--list'])).toEqual({ kind: 'list' });
    expect(parseBenchArgv([])).toEqual({ kind: 'help' });
  });

  it('reads integer options and names the bad one', () => {
    const args: BenchArgs = { name: 'x', json: false, options: { threads: '1,2', reps: 'three' }, positional: [] };
    expect(intListOption(args, 'threads', [1])).toEqual([1, 2]);
    expect(intOption(args, 'warmup', 3)).toBe(3);
    expect(() => intOption(args, 'reps', 3)).toThrow(/--reps must be a positive integer \(got "three"\)/);
  });
});
