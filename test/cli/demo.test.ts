// The quick start trains for real: the demo's loss falls far and the previous-token task is learned.

import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { buildProgram, runProgram } from '../../src/cli/main.js';

describe('polyseq demo', () => {
  it('learns the previous-token task from seed 1 in 200 steps', async () => {
    const result = await runDemo({ steps: 200, seed: 1n, threads: 1 });
    expect(result.firstLoss).toBeCloseTo(3.4544, 3);
    expect(result.finalLoss).toBeLessThan(0.05);
    expect(result.accuracy).toBe(1);
  });

  it('rejects a bad option with a message naming it', async () => {
    let err = '';
    const io = { out: () => {}, err: (t: string) => (err += t) };
    const code = await runProgram(buildProgram(io), ['node', 'polyseq', 'demo', '--steps', '0'], io);
    expect(code).toBe(1);
    expect(err).toBe('error: --steps must be a positive integer (got "0")\n');
  });
});
