// The sharded-checkpoint index `model.safetensors.index.json`: {"metadata": {"total_size": N},
// "weight_map": {tensor: shard file}}, and how Hugging Face splits tensors into shards
// (huggingface_hub `split_state_dict_into_shards_factory`: greedy in the given order, a tensor larger than
// the limit alone in its own shard; files `model-00001-of-00003.safetensors`). The index is written as
// transformers writes it: `json.dumps(index, indent=2, sort_keys=True) + "\n"`.

import { compareCodePoints } from './safetensors-header.js';
import { WeightFileError } from './weight-reader.js';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';
/** Shard files of a sharded checkpoint, as Hugging Face names them. */
export const SHARD_FILE = /^model-\d{5}-of-\d{5}\.safetensors$/;

export interface ShardIndex {
  /** `total_size` (bytes of tensor data) and whatever else the writer recorded. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Tensor name → shard file name (in the index's directory). */
  readonly weightMap: Readonly<Record<string, string>>;
}

/** `model-00002-of-00005.safetensors` for shard 2 of 5 (1-based). */
export function shardFileName(shard: number, count: number): string {
  const five = (n: number): string => String(n).padStart(5, '0');
  return `model-${five(shard)}-of-${five(count)}.safetensors`;
}

/**
 * Splits tensors (in the given order) into shards of at most `maxBytes` each, exactly as Hugging Face
 * does; returns the tensors' positions per shard.
 */
export function planShards(sizes: readonly number[], maxBytes: number): number[][] {
  const shards: number[][] = [];
  let current: number[] = [];
  let currentBytes = 0;
  sizes.forEach((bytes, i) => {
    if (bytes > maxBytes) {
      shards.push([i]);
      return;
    }
    if (currentBytes + bytes > maxBytes) {
      shards.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(i);
    currentBytes += bytes;
  });
  if (current.length > 0) shards.push(current);
  return shards;
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A byte count from a number or a string such as "5GB" (10^9), "500MB", "2GiB" (2^30). */
export function parseByteSize(size: number | string): number {
  if (typeof size === 'number') {
    if (Number.isSafeInteger(size) && size > 0) return size;
    throw new RangeError(`max shard size must be a positive whole number of bytes (got ${size})`);
  }
  const m = /^\s*(\d+(?:\.\d*)?)\s*([a-z]+)\s*$/i.exec(size);
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
  const bytes = m === null || unit === undefined ? NaN : Math.floor(Number(m[1]) * unit);
  if (!(bytes > 0)) throw new RangeError(`max shard size "${size}" is not a size; write e.g. "5GB", "500MB", "2GiB" or a number of bytes`);
  return bytes;
}

/** Python's `json.dumps` string escaping with ensure_ascii (lowercase \uXXXX for all but printable ASCII). */
function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Python's `json.dumps(value, indent=2, sort_keys=True)` for objects of strings, numbers and objects. */
function pythonJson(value: unknown, indent: string): string {
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`index metadata numbers must be whole (got ${value})`);
    return String(value);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`index metadata may hold strings, whole numbers and objects (got ${JSON.stringify(value)})`);
  }
  const keys = Object.keys(value).sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  const inner = `${indent}  `;
  const items = keys.map((k) => `${inner}${pythonString(k)}: ${pythonJson((value as Record<string, unknown>)[k], inner)}`);
  return `{\n${items.join(',\n')}\n${indent}}`;
}

/** The index file's text, byte-identical to transformers' `save_pretrained`. */
export function encodeShardIndex(index: ShardIndex): string {
  return `${pythonJson({ metadata: index.metadata, weight_map: index.weightMap }, '')}\n`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parses and checks an index file's text; `file` names it in errors. */
export function parseShardIndex(text: string, file: string): ShardIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WeightFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new WeightFileError(file, 'expected a JSON object with "weight_map"');
  const { metadata = {}, weight_map: weightMap } = parsed;
  if (!isPlainObject(metadata)) throw new WeightFileError(file, `"metadata" must be an object (got ${JSON.stringify(metadata)})`);
  if (!isPlainObject(weightMap)) throw new WeightFileError(file, `"weight_map" must be an object of tensor name → shard file (got ${JSON.stringify(weightMap)})`);
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard === '' || shard === '.' || shard === '..' || /[/\\]/.test(shard)) {
      throw new WeightFileError(file, `"weight_map"."${name}" must be a file name in the index's directory (got ${JSON.stringify(shard)})`);
    }
  }
  return { metadata, weightMap: weightMap as Record<string, string> };
}
