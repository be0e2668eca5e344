// Wall-clock timing for benchmarks: run a function a few times to warm up, then time each repetition
// with process.hrtime.bigint() and report the best (the least disturbed) and every sample.

export interface Timing {
  /** The fastest repetition, in milliseconds. */
  readonly bestMs: number;
  /** Every timed repetition in order, in milliseconds. */
  readonly samplesMs: readonly number[];
}

export interface BestOfOptions {
  /** Untimed runs before the timed ones (default 1). */
  readonly warmup?: number;
}

export async function bestOf(
  repetitions: number,
  fn: () => unknown,
  { warmup = 1 }: BestOfOptions = {},
): Promise<Timing> {
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new RangeError(`repetitions must be a positive integer (got ${repetitions})`);
  }
  for (let i = 0; i < warmup; i++) await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samplesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { bestMs: Math.min(...samplesMs), samplesMs };
}
