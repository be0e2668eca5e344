// The safetensors header: an 8-byte little-endian length N, then N bytes of UTF-8 JSON mapping each
// tensor name to {dtype, shape, data_offsets} (offsets relative to the data that follows), with an optional
// "__metadata__" of string → string. Parsing checks everything the reference does (huggingface/safetensors
// README "Format", tensor.rs `validate`); encoding reproduces its writer byte for byte (serde_json compact
// JSON, data ordered by descending dtype rank then name, JSON padded with spaces to a multiple of 8).

import { isSafetensorsDType, isSubByteDType, stItemSize, stRank } from './safetensors-dtype.js';
import type { SafetensorsDType } from './safetensors-dtype.js';
import { WeightFileError } from './weight-reader.js';

/** The reference refuses headers longer than this (tensor.rs MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

export const METADATA_KEY = '__metadata__';

export interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Byte range [begin, end) within the data section. */
  readonly begin: number;
  readonly end: number;
}

export interface Header {
  readonly metadata: Readonly<Record<string, string>> | null;
  /** Entries in data order. */
  readonly entries: readonly HeaderEntry[];
}

/** Elements × element size, or null when it exceeds 2^53. */
export function byteLength(dtype: SafetensorsDType, shape: readonly number[]): number | null {
  let n = stItemSize(dtype);
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return null;
  }
  return n;
}

const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isSize(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function parseEntry(file: string, name: string, raw: unknown): HeaderEntry {
  const where = `tensor "${name}"`;
  const fail = (what: string): never => {
    throw new WeightFileError(file, `${where}: ${what} — the header is corrupt or was written by a non-conforming tool`);
  };
  if (!isPlainObject(raw)) return fail(`expected {dtype, shape, data_offsets}, got ${JSON.stringify(raw)}`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string') return fail(`"dtype" must be a string (got ${JSON.stringify(dtype)})`);
  if (isSubByteDType(dtype)) {
    throw new WeightFileError(file, `${where}: dtype ${dtype} packs elements below a byte, which polyseq does not read; convert the checkpoint to F16/BF16/F32`);
  }
  if (!isSafetensorsDType(dtype)) {
    throw new WeightFileError(file, `${where}: unknown dtype "${dtype}" (known: F64 F32 F16 BF16 I64 I32 I16 I8 U64 U32 U16 U8 BOOL F8_E4M3 F8_E5M2 …)`);
  }
  if (!Array.isArray(shape) || !shape.every(isSize)) return fail(`"shape" must be a list of non-negative integers (got ${JSON.stringify(shape)})`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize)) {
    return fail(`"data_offsets" must be [begin, end] with non-negative integers (got ${JSON.stringify(offsets)})`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) return fail(`data_offsets [${begin}, ${end}] end before they begin`);
  const need = byteLength(dtype, shape);
  if (need === null) return fail(`shape ${formatShape(shape)} is too large to address`);
  if (end - begin !== need) {
    return fail(`data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} ${formatShape(shape)} needs ${need}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function parseMetadata(file: string, raw: unknown): Record<string, string> {
  if (!isPlainObject(raw)) throw new WeightFileError(file, `"${METADATA_KEY}" must be an object of strings (got ${JSON.stringify(raw)})`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new WeightFileError(file, `"${METADATA_KEY}"."${k}" must be a string (got ${JSON.stringify(v)}); the format allows only string values`);
    out[k] = v;
  }
  return out;
}

/**
 * Parses and validates a header's JSON bytes (without the length prefix), given the size of the data
 * section that follows it. Tensors must tile the data exactly: no overlaps, no holes, nothing past the end.
 */
export function parseHeader(json: Uint8Array, dataBytes: number, file: string): Header {
  if (json.length === 0 || json[0] !== 0x7b) {
    const start = json.length === 0 ? 'is empty' : `starts with byte 0x${json[0]!.toString(16).padStart(2, '0')}`;
    throw new WeightFileError(file, `the header ${start}, not "{" — this is not a safetensors file`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new WeightFileError(file, 'the header is not valid UTF-8 — the file is corrupt');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WeightFileError(file, `the header is not valid JSON (${(e as Error).message}) — the file is corrupt or truncated`);
  }
  if (!isPlainObject(parsed)) throw new WeightFileError(file, 'the header must be a JSON object of tensors');

  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(file, raw);
    else entries.push(parseEntry(file, name, raw));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end || compareCodePoints(a.name, b.name));

  let at = 0;
  let previous: HeaderEntry | null = null;
  for (const e of entries) {
    if (e.begin < at) {
      throw new WeightFileError(file, `tensors "${previous!.name}" (data bytes [${previous!.begin}, ${previous!.end})) and "${e.name}" ([${e.begin}, ${e.end})) overlap — the header is corrupt`);
    }
    if (e.begin > at) {
      const after = previous === null ? 'before the first tensor' : `between "${previous.name}" and "${e.name}"`;
      throw new WeightFileError(file, `data bytes [${at}, ${e.begin}) ${after} belong to no tensor; the format allows no holes — the header is corrupt`);
    }
    at = e.end;
    previous = e;
  }
  if (at > dataBytes) {
    throw new WeightFileError(file, `the tensors need ${at} bytes of data but the file holds ${dataBytes} after its header — the file is truncated; download or save it again`);
  }
  if (at < dataBytes) {
    throw new WeightFileError(file, `${dataBytes - at} bytes after the last tensor belong to no tensor — the file has trailing data or a corrupt header`);
  }
  return { metadata, entries };
}

/**
 * Compares strings by Unicode code point, as Rust and Python order strings (JavaScript's `<` compares
 * UTF-16 units, which puts U+10000.. before U+E000..U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** What the writer needs to know of a tensor to lay out the file. */
export interface LayoutInput {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly bytes: number;
}

/** The reference writer's layout: descending dtype rank, then name; offsets packed from 0. */
export function layoutTensors<T extends LayoutInput>(tensors: readonly T[]): (T & { begin: number; end: number })[] {
  const sorted = [...tensors].sort((a, b) => stRank(b.dtype) - stRank(a.dtype) || compareCodePoints(a.name, b.name));
  let at = 0;
  return sorted.map((t) => {
    const begin = at;
    at += t.bytes;
    return { ...t, begin, end: at };
  });
}

/**
 * The header bytes (length prefix + JSON + space padding to a multiple of 8) for entries already laid out.
 * Metadata keys are written in code-point order (the reference writes them in Rust HashMap order, which
 * varies from run to run when there is more than one key).
 */
export function encodeHeader(entries: readonly HeaderEntry[], metadata: Readonly<Record<string, string>> | null): Uint8Array {
  const parts: string[] = [];
  if (metadata !== null) {
    const keys = Object.keys(metadata).sort(compareCodePoints);
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${e.begin},${e.end}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}
