// PyTorch's time for one training step of the reference model (bench/pytorch_train_step.py), the
// yardstick for polyseq's own train step. Needs Debian's python3-torch at /usr/bin/python3; without it
// the comparison is skipped (null), with a note on stderr.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run$ = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pytorch_train_step.py');

export interface PytorchStepOptions {
  readonly warmup?: number;
  readonly reps?: number;
}

let torchAvailable: Promise<boolean> | undefined;

function hasTorch(): Promise<boolean> {
  torchAvailable ??= run$(PYTHON, ['-c', 'import torch']).then(
    () => true,
    () => false,
  );
  return torchAvailable;
}

/** Best ms per training step on `threads` threads, or null where /usr/bin/python3 cannot import torch. */
export async function runPytorchTrainStep(
  threads: number,
  { warmup = 3, reps = 10 }: PytorchStepOptions = {},
): Promise<number | null> {
  if (!(await hasTorch())) {
    console.error(`note: PyTorch comparison skipped: ${PYTHON} cannot import torch (apt-get install python3-torch libopenblas0-pthread)`);
    return null;
  }
  // Debian's torch uses a threaded OpenBLAS that ignores torch.set_num_threads: pin it, and keep idle
  // OpenMP workers from spinning on the cores the other side of the comparison uses.
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    OMP_WAIT_POLICY: 'PASSIVE',
  };
  const args = [SCRIPT, '--threads', String(threads), '--warmup', String(warmup), '--reps', String(reps)];
  const { stdout } = await run$(PYTHON, args, { env, maxBuffer: 16 * 1024 * 1024 });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null || !('ms_per_step' in parsed) || typeof parsed.ms_per_step !== 'number') {
    throw new Error(`unexpected output from ${SCRIPT}: ${JSON.stringify(line)}`);
  }
  if ('blas' in parsed && typeof parsed.blas === 'string' && !parsed.blas.includes('openblas')) {
    console.error(`note: PyTorch is using ${parsed.blas}, not OpenBLAS; its times are not representative (apt-get install libopenblas0-pthread)`);
  }
  return parsed.ms_per_step;
}
