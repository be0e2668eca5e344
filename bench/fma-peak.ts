// The machine's FP32 FMA peak, measured in the same run as the benchmark that divides by it.
// bench/native/fma_peak.c is compiled on demand (nativeBinary) (`cc -O2 -march=native -pthread`) into bench/.build/,
// cached by a hash of source, compiler, flags and CPU; measureFmaPeak runs it best-of-3.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { intListOption, intOption, type BenchArgs } from './args.js';
import type { BenchResult } from './benchmark.js';

const run$ = promisify(execFile);
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = path.join(BENCH_DIR, '.build');
const FLAG_SETS: readonly (readonly string[])[] = [
  ['-O2', '-march=native', '-pthread'],
  ['-O2', '-pthread'], // compilers that do not know -march=native (some Apple clang versions)
];

export const description = 'FP32 FMA peak of this CPU (C, pthreads), GFLOP/s on 1 and 2 threads';

export interface FmaPeakRun {
  readonly gflops: number;
  /** The instruction set the program was compiled for: avx512f, avx2-fma, neon or scalar. */
  readonly isa: string;
}

async function findCompiler(): Promise<string> {
  const candidates = [process.env['CC'], 'cc', 'gcc', 'clang'].filter((c): c is string => c !== undefined && c !== '');
  for (const compiler of candidates) {
    try {
      await run$(compiler, ['--version']);
      return compiler;
    } catch {
      // not installed; try the next
    }
  }
  throw new Error(
    `no C compiler found (tried ${candidates.join(', ')}); install gcc (Debian/Ubuntu: apt-get install gcc) or set CC`,
  );
}

const binaries = new Map<string, Promise<string>>();

/**
 * Compiles bench/native/NAME.c once per source/compiler/flags/CPU into bench/.build/ and returns the
 * executable's path (shared by the benchmarks that need a native kernel: fma_peak, stream_read).
 */
export function nativeBinary(name: string): Promise<string> {
  let binary = binaries.get(name);
  if (binary !== undefined) return binary;
  binary = (async () => {
    const file = path.join(BENCH_DIR, 'native', `${name}.c`);
    const compiler = await findCompiler();
    const source = await readFile(file);
    await mkdir(BUILD_DIR, { recursive: true });
    const errors: string[] = [];
    for (const flags of FLAG_SETS) {
      const key = createHash('sha256')
        .update(source)
        .update(JSON.stringify([compiler, flags, process.arch, os.cpus()[0]?.model ?? '']))
        .digest('hex')
        .slice(0, 16);
      const target = path.join(BUILD_DIR, `${name}-${key}`);
      if (existsSync(target)) return target;
      const partial = `${target}.${process.pid}.tmp`;
      try {
        await run$(compiler, [...flags, '-o', partial, file]);
        await rename(partial, target);
        return target;
      } catch (error) {
        await rm(partial, { force: true });
        errors.push(`${compiler} ${flags.join(' ')}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`could not compile ${file}:\n${errors.join('\n')}`);
  })();
  binaries.set(name, binary);
  return binary;
}

function parseRun(stdout: string): FmaPeakRun {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const parsed: unknown = JSON.parse(line);
  if (
    typeof parsed === 'object' && parsed !== null &&
    'gflops' in parsed && typeof parsed.gflops === 'number' &&
    'isa' in parsed && typeof parsed.isa === 'string'
  ) {
    return { gflops: parsed.gflops, isa: parsed.isa };
  }
  throw new Error(`unexpected output from fma_peak: ${JSON.stringify(line)}`);
}

/** Best of `repetitions` runs of ~0.3 s each on `threads` threads. */
export async function measureFmaPeakRun(threads: number, repetitions = 3): Promise<FmaPeakRun> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer (got ${threads})`);
  const exe = await nativeBinary('fma_peak');
  let best: FmaPeakRun | undefined;
  for (let i = 0; i < repetitions; i++) {
    const { stdout } = await run$(exe, [String(threads), '0.3']);
    const result = parseRun(stdout);
    if (best === undefined || result.gflops > best.gflops) best = result;
  }
  if (best === undefined) throw new RangeError(`repetitions must be >= 1 (got ${repetitions})`);
  return best;
}

/** The FP32 FMA peak in GFLOP/s on `threads` threads (2 flops per FMA lane), best of 3. */
export async function measureFmaPeak(threads: number): Promise<number> {
  return (await measureFmaPeakRun(threads)).gflops;
}

/** `npm run bench -- fma-peak [--threads 1,2] [--reps 3] [--json]` → peak_gflops_<T>t for each T. */
export async function run(args: BenchArgs): Promise<BenchResult> {
  const threadCounts = intListOption(args, 'threads', [1, 2]);
  const reps = intOption(args, 'reps', 3);
  const result: BenchResult = {};
  let isa = '';
  for (const threads of threadCounts) {
    const measured = await measureFmaPeakRun(threads, reps);
    result[`peak_gflops_${threads}t`] = measured.gflops;
    isa = measured.isa;
  }
  result['isa'] = isa;
  return result;
}
