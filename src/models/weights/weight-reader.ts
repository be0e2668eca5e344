// The contract model loaders read weights through: a lazy, named set of tensors (one safetensors file or
// a sharded checkpoint) whose bytes are read only when a tensor is asked for. Errors about the files
// themselves are WeightFileErrors naming the file (and the tensor where there is one).

import type { DType } from '../../core/dtype.js';
import type { NDArray } from '../../core/ndarray.js';
import type { SafetensorsDType } from './safetensors-dtype.js';

export interface TensorInfo {
  /** The element type as the file names it. */
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Bytes of data (elements × element size). */
  readonly bytes: number;
}

export interface ReadOptions {
  /**
   * The dtype of the returned array. Float tensors convert to any float dtype (F16/BF16 → float32 and
   * float64 are exact; narrowing rounds to nearest even); integer tensors to int32 or int64 (narrowing
   * throws when a value does not fit). Default: the tensor's own dtype (I8/U8/I16/U16 widen to int32,
   * U32 to int64).
   */
  readonly as?: DType;
}

export interface WeightReader {
  /** Tensor names, in the order their bytes lie on disk (reading in this order reads sequentially). */
  readonly names: readonly string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  read(name: string, options?: ReadOptions): NDArray;
  /** The tensor's bytes exactly as stored (little-endian), for dtypes no host array can hold. */
  readRaw(name: string): Uint8Array;
  /** Releases the open files; reading afterwards throws. */
  close(): void;
}

/** A weight file that is missing, truncated or inconsistent. */
export class WeightFileError extends Error {
  override readonly name = 'WeightFileError';
  /** The message is prefixed with `file: ` unless it names the file itself (`named`). */
  constructor(
    readonly file: string,
    message: string,
    named = false,
  ) {
    super(named ? message : `${file}: ${message}`);
  }
}
