// The benchmark runner: `npm run bench -- NAME [--json] [--opt value ...]` runs bench/NAME.ts and prints
// its figures; with --json the last line is the JSON of the returned record. `--list` lists benchmarks.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseBenchArgv } from './args.js';
import { isBenchModule, type BenchModule, type BenchResult } from './benchmark.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run bench -- NAME [--json] [--option value ...]   |   npm run bench -- --list';

async function loadModule(name: string): Promise<BenchModule | null> {
  const loaded: unknown = await import(pathToFileURL(path.join(BENCH_DIR, `${name}.ts`)).href);
  return isBenchModule(loaded) ? loaded : null;
}

/** The benchmark called `name`, loading only its own module, or null where there is none. */
async function findBenchmark(name: string): Promise<BenchModule | null> {
  if (!/^[A-Za-z0-9][\w-]*$/.test(name) || name === 'run') return null;
  const files = await readdir(BENCH_DIR);
  return files.includes(`${name}.ts`) ? loadModule(name) : null;
}

/**
 * Benchmarks are the bench/*.ts files that export `run`; the rest are helpers. A file that fails to
 * load is listed with its error, so one broken benchmark does not hide the others.
 */
async function listBenchmarks(): Promise<Map<string, { description?: string }>> {
  const names = (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
  const found = new Map<string, { description?: string }>();
  for (const name of names) {
    try {
      const module = await loadModule(name);
      if (module !== null) found.set(name, module);
    } catch (error) {
      found.set(name, { description: `(does not load: ${error instanceof Error ? error.message : String(error)})` });
    }
  }
  return found;
}

function formatResult(name: string, result: BenchResult): string {
  const keys = Object.keys(result);
  const width = Math.max(0, ...keys.map((k) => k.length));
  const lines = keys.map((key) => `  ${key.padEnd(width)}  ${String(result[key])}`);
  return [name, ...lines].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const command = parseBenchArgv(argv);
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  if (command.kind === 'list') {
    for (const [name, module] of await listBenchmarks()) {
      console.log(module.description === undefined ? name : `${name.padEnd(24)}  ${module.description}`);
    }
    return;
  }
  const { args } = command;
  const module = await findBenchmark(args.name);
  if (module === null) {
    const known = [...(await listBenchmarks()).keys()].join(', ') || '(none)';
    throw new Error(`unknown benchmark '${args.name}'; known: ${known}`);
  }
  const result = await module.run(args);
  console.log(formatResult(args.name, result));
  if (args.json) console.log(JSON.stringify(result));
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const debug = process.env['POLYSEQ_DEBUG'] === '1';
  const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
  console.error(`error: ${message}`);
  process.exitCode = 1;
}
