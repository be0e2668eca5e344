// The reference for the safetensors tests: the `safetensors` Python package's torch `save_file`, run at
// test time by $POLYSEQ_PYTHON or /usr/bin/python3 (Debian: python3-torch, plus `pip install safetensors`).
// Where that interpreter cannot import both, `MISSING_SAFETENSORS` says so and the comparisons are skipped.

import { spawnSync } from 'node:child_process';
import type { SafetensorsDType } from '../../src/models/weights/safetensors-dtype.js';

export const PYTHON = process.env['POLYSEQ_PYTHON'] ?? '/usr/bin/python3';

const SAVE = `
import json, sys
spec = json.load(sys.stdin)
import torch
from safetensors.torch import save_file
T = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
     'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8,
     'BOOL': torch.bool}
def make(dtype, shape, data):
    if len(data) == 0:
        return torch.empty(shape, dtype=T[dtype])
    return torch.frombuffer(bytearray(data), dtype=T[dtype]).reshape(shape).clone()
tensors = {name: make(dtype, shape, bytes.fromhex(data)) for name, dtype, shape, data in spec['tensors']}
save_file(tensors, spec['out'], metadata=spec['metadata'])
`;

function probe(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import safetensors.torch'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${PYTHON} not found (set POLYSEQ_PYTHON to a Python with torch and safetensors)`;
  if (r.status !== 0) return `${PYTHON} cannot import safetensors.torch (pip install safetensors; apt-get install python3-torch; or set POLYSEQ_PYTHON)`;
  return null;
}

export const MISSING_SAFETENSORS = probe();

export interface ReferenceTensor {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** Has the reference `save_file` write `tensors` with `metadata` to `out`. */
export function referenceSave(out: string, tensors: readonly ReferenceTensor[], metadata: Record<string, string> | null): void {
  const spec = {
    out,
    metadata,
    tensors: tensors.map((t) => [t.name, t.dtype, t.shape, Buffer.from(t.bytes).toString('hex')]),
  };
  const r = spawnSync(PYTHON, ['-c', SAVE], { input: JSON.stringify(spec), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reference save_file failed: ${r.stderr}`);
}
