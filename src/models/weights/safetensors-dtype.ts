// The element types of the safetensors format (names as in its header), their sizes, and how they map
// onto polyseq's host dtypes. RANK is the position in the reference implementation's `Dtype` enum
// (huggingface/safetensors, safetensors/src/tensor.rs), which orders a written file's data: descending
// rank, then name. Sub-byte types (F4, F6_*) are not supported: their tensors cannot be addressed in bytes.

import type { DType } from '../../core/dtype.js';

export type SafetensorsDType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'F8_E5M2'
  | 'F8_E4M3'
  | 'F8_E8M0'
  | 'F8_E4M3FNUZ'
  | 'F8_E5M2FNUZ'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'C64'
  | 'F64'
  | 'I64'
  | 'U64';

interface DTypeFacts {
  /** Position in the reference `Dtype` enum (F4, F6_E2M3, F6_E3M2 hold ranks 1–3). */
  readonly rank: number;
  readonly bytes: number;
  /** The polyseq dtype `read()` returns by default (a lossless widening for I8/U8/I16/U16/U32), or null. */
  readonly host: DType | null;
}

const FACTS: { readonly [K in SafetensorsDType]: DTypeFacts } = {
  BOOL: { rank: 0, bytes: 1, host: 'bool' },
  U8: { rank: 4, bytes: 1, host: 'int32' },
  I8: { rank: 5, bytes: 1, host: 'int32' },
  F8_E5M2: { rank: 6, bytes: 1, host: null },
  F8_E4M3: { rank: 7, bytes: 1, host: null },
  F8_E8M0: { rank: 8, bytes: 1, host: null },
  F8_E4M3FNUZ: { rank: 9, bytes: 1, host: null },
  F8_E5M2FNUZ: { rank: 10, bytes: 1, host: null },
  I16: { rank: 11, bytes: 2, host: 'int32' },
  U16: { rank: 12, bytes: 2, host: 'int32' },
  F16: { rank: 13, bytes: 2, host: 'float16' },
  BF16: { rank: 14, bytes: 2, host: 'bfloat16' },
  I32: { rank: 15, bytes: 4, host: 'int32' },
  U32: { rank: 16, bytes: 4, host: 'int64' },
  F32: { rank: 17, bytes: 4, host: 'float32' },
  C64: { rank: 18, bytes: 8, host: null },
  F64: { rank: 19, bytes: 8, host: 'float64' },
  I64: { rank: 20, bytes: 8, host: 'int64' },
  U64: { rank: 21, bytes: 8, host: null },
};

/** Names the reference knows but polyseq cannot address (used to word the error). */
const SUB_BYTE = new Set(['F4', 'F6_E2M3', 'F6_E3M2']);

export function isSafetensorsDType(name: string): name is SafetensorsDType {
  return Object.prototype.hasOwnProperty.call(FACTS, name);
}

export function isSubByteDType(name: string): boolean {
  return SUB_BYTE.has(name);
}

/** Bytes per element. */
export function stItemSize(dtype: SafetensorsDType): number {
  return FACTS[dtype].bytes;
}

/** The reference writer's ordering key: higher ranks are written first. */
export function stRank(dtype: SafetensorsDType): number {
  return FACTS[dtype].rank;
}

/** The host dtype a tensor of `dtype` reads as by default, or null when no polyseq dtype can hold it. */
export function hostDTypeOf(dtype: SafetensorsDType): DType | null {
  return FACTS[dtype].host;
}

/** The safetensors name of a polyseq dtype. */
export function safetensorsDTypeOf(dtype: DType): SafetensorsDType {
  switch (dtype) {
    case 'float64':
      return 'F64';
    case 'float32':
      return 'F32';
    case 'float16':
      return 'F16';
    case 'bfloat16':
      return 'BF16';
    case 'int64':
      return 'I64';
    case 'int32':
      return 'I32';
    case 'bool':
      return 'BOOL';
  }
}
