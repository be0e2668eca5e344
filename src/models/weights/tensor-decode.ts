// Reads one tensor's bytes from a file into a host array, converting on request. F16/BF16 → float32 (how
// half-precision checkpoints load) reads the 16-bit data into the upper half of the float32 array's own
// buffer and widens it front to back in place, so no second copy of the tensor exists even transiently;
// the widening is exact, NaN payloads included (as torch's `.float()`).

import { allocate, isFloat } from '../../core/dtype.js';
import type { DType } from '../../core/dtype.js';
import { NDArray, sizeOf } from '../../core/ndarray.js';
import { cast } from '../../backend/reference/cast.js';
import { bytesOf, readFully } from './positional-io.js';
import { hostDTypeOf } from './safetensors-dtype.js';
import type { HeaderEntry } from './safetensors-header.js';
import { WeightFileError } from './weight-reader.js';

let halfTable: Uint32Array | null = null;

/** float32 bit patterns of all 65,536 binary16 patterns (exact: every binary16 value is a float32). */
export function halfToFloat32Bits(): Uint32Array {
  if (halfTable !== null) return halfTable;
  const table = new Uint32Array(65536);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0x1f) table[h] = sign | 0x7f800000 | (frac << 13); // ±inf, NaN with its payload
    else if (exp !== 0) table[h] = sign | ((exp + 112) << 23) | (frac << 13); // rebias 15 → 127
    else {
      f[0] = frac * 2 ** -24; // zero or subnormal: a normal float32
      table[h] = sign | u[0]!;
    }
  }
  halfTable = table;
  return table;
}

/** Reads a 16-bit float tensor of `n` elements straight into a float32 array. */
function readWidened(fd: number, n: number, position: number, what: string, bf16: boolean): Float32Array {
  const out = new Float32Array(n);
  const src = new Uint16Array(out.buffer, 2 * n, n);
  readFully(fd, bytesOf(src), position, what);
  // dst[i] covers bytes [4i, 4i+4), src[j] sits at 2n+2j: writing dst[i] only clobbers src[j ≤ i], already read.
  const dst = new Uint32Array(out.buffer);
  if (bf16) {
    for (let i = 0; i < n; i++) dst[i] = src[i]! << 16;
  } else {
    const table = halfToFloat32Bits();
    for (let i = 0; i < n; i++) dst[i] = table[src[i]!]!;
  }
  return out;
}

/** Reads a narrow integer tensor (I8/U8/I16/U16/U32) and widens it to int32 (int64 for U32). */
function readWidenedInt(fd: number, e: HeaderEntry, n: number, position: number, what: string): NDArray {
  const raw = new Uint8Array(e.end - e.begin);
  readFully(fd, raw, position, what);
  switch (e.dtype) {
    case 'I8':
      return new NDArray('int32', e.shape, Int32Array.from(new Int8Array(raw.buffer)));
    case 'U8':
      return new NDArray('int32', e.shape, Int32Array.from(raw));
    case 'I16':
      return new NDArray('int32', e.shape, Int32Array.from(new Int16Array(raw.buffer)));
    case 'U16':
      return new NDArray('int32', e.shape, Int32Array.from(new Uint16Array(raw.buffer)));
    default: {
      const src = new Uint32Array(raw.buffer);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!);
      return new NDArray('int64', e.shape, out);
    }
  }
}

function narrowToInt32(file: string, e: HeaderEntry, x: NDArray): NDArray {
  const src = x.data as BigInt64Array;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < -2147483648n || v > 2147483647n) {
      throw new WeightFileError(file, `tensor "${e.name}": element ${i} is ${v}, which int32 cannot hold; read it as int64`);
    }
    out[i] = Number(v);
  }
  return new NDArray('int32', x.shape, out);
}

/** The tensor `e` of `file`, whose data starts at byte `dataStart`, as a host array of dtype `as`. */
export function decodeTensor(fd: number, file: string, e: HeaderEntry, dataStart: number, as: DType | undefined): NDArray {
  const host = hostDTypeOf(e.dtype);
  if (host === null) {
    throw new WeightFileError(file, `tensor "${e.name}" is ${e.dtype}, which no polyseq array holds; readRaw("${e.name}") gives its bytes`);
  }
  const target = as ?? host;
  if (isFloat(host) !== isFloat(target) || (host === 'bool') !== (target === 'bool')) {
    throw new WeightFileError(file, `tensor "${e.name}" is ${e.dtype}; reading it as ${target} would change its kind — read it as ${host} and cast explicitly`);
  }
  const n = sizeOf(e.shape);
  const position = dataStart + e.begin;
  const what = `${file}: tensor "${e.name}"`;
  if ((e.dtype === 'F16' || e.dtype === 'BF16') && target === 'float32') {
    return new NDArray('float32', e.shape, readWidened(fd, n, position, what, e.dtype === 'BF16'));
  }
  let x: NDArray;
  if (host === 'int32' && e.dtype !== 'I32') x = readWidenedInt(fd, e, n, position, what);
  else if (host === 'int64' && e.dtype !== 'I64') x = readWidenedInt(fd, e, n, position, what);
  else {
    const data = allocate(host, n);
    readFully(fd, bytesOf(data), position, what);
    x = new NDArray(host, e.shape, data);
  }
  if (x.dtype === target) return x;
  if (x.dtype === 'int64' && target === 'int32') return narrowToInt32(file, e, x);
  return cast(x, target); // float ↔ float rounds to nearest even; int32 → int64 is exact
}
