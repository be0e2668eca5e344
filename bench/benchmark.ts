// What a benchmark module is: bench/NAME.ts exporting `run` (and optionally `description`), run by
// `npm run bench -- NAME [--json]`. Files without a `run` export (helpers) are not benchmarks.

import type { BenchArgs } from './args.js';

/** A benchmark's figures, flat: the runner prints them, and with --json as a last line of JSON. */
export type BenchResult = Record<string, number | string | boolean | null>;

export interface BenchModule {
  readonly run: (args: BenchArgs) => Promise<BenchResult>;
  /** One line for `npm run bench -- --list`. */
  readonly description?: string;
}

export function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && 'run' in value && typeof value.run === 'function';
}
