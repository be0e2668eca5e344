// The writers' input: tensors given as a record, an array or Map of entries (all already in memory: they
// are referenced, never copied), or any other iterable, taken as a one-pass stream (each tensor's bytes go
// to a spool file as it arrives, so the producer can free it; the file is unlinked as soon as it is open
// where the OS allows). A safetensors header needs every tensor before any data, hence the spool.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NDArray } from '../../core/ndarray.js';
import type { AtomicFile } from './atomic-file.js';
import { assertLittleEndianHost, bytesOf, readFully, writeFully } from './positional-io.js';
import { isSafetensorsDType, safetensorsDTypeOf } from './safetensors-dtype.js';
import type { SafetensorsDType } from './safetensors-dtype.js';
import { byteLength, METADATA_KEY } from './safetensors-header.js';
import type { LayoutInput } from './safetensors-header.js';

/** A tensor given as bytes already in a safetensors dtype (for dtypes no NDArray holds, or raw copies). */
export interface RawTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Little-endian element bytes, row-major. */
  readonly bytes: Uint8Array;
}

export type TensorData = NDArray | RawTensor;

export type TensorEntries = Readonly<Record<string, TensorData>> | Iterable<readonly [string, TensorData]>;

/** A tensor waiting to be written: its layout facts and where its bytes are (memory, or the spool). */
export interface PendingTensor extends LayoutInput {
  readonly source: Uint8Array | { readonly spoolOffset: number };
}

const SPOOL_CHUNK = 16 << 20;

class Spool {
  private size = 0;
  private unlinked = false;

  private constructor(
    private readonly path: string,
    private readonly fd: number,
  ) {}

  static create(beside: string): Spool {
    const p = `${beside}.spool-${process.pid}-${randomBytes(6).toString('hex')}`;
    let fd: number;
    try {
      fd = fs.openSync(p, 'wx+');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`${beside}: cannot create a spool file beside it (${code === 'ENOENT' ? `the folder ${path.dirname(beside)} does not exist` : code})`);
    }
    const spool = new Spool(p, fd);
    try {
      fs.unlinkSync(p); // POSIX keeps the open file; nothing is left behind even if the process dies
      spool.unlinked = true;
    } catch {
      // Windows cannot unlink an open file: close() removes it
    }
    return spool;
  }

  append(bytes: Uint8Array): number {
    const at = this.size;
    writeFully(this.fd, bytes);
    this.size += bytes.length;
    return at;
  }

  copyTo(out: AtomicFile, offset: number, length: number): void {
    const chunk = new Uint8Array(Math.min(SPOOL_CHUNK, length));
    for (let done = 0; done < length; ) {
      const view = chunk.subarray(0, Math.min(chunk.length, length - done));
      readFully(this.fd, view, offset + done, `spool ${this.path}`);
      out.write(view);
      done += view.length;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
    if (!this.unlinked) fs.rmSync(this.path, { force: true });
  }
}

/** The tensors of one write, with the spool that holds streamed bytes (if any). Close it when done. */
export class CollectedTensors {
  constructor(
    readonly tensors: readonly PendingTensor[],
    private readonly spool: Spool | null,
  ) {}

  /** Appends the tensor's bytes to `out`. */
  writeTo(t: PendingTensor, out: AtomicFile): void {
    if (t.source instanceof Uint8Array) out.write(t.source);
    else this.spool!.copyTo(out, t.source.spoolOffset, t.bytes);
  }

  close(): void {
    this.spool?.close();
  }
}

function isRecord(x: TensorEntries): x is Readonly<Record<string, TensorData>> {
  return typeof (x as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function';
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Checks a tensor name; `file` names the file being written. */
function checkName(file: string, name: unknown, seen: Set<string>): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${file}: tensor names must be strings (got ${typeof name})`);
  if (name === METADATA_KEY) throw new RangeError(`${file}: "${METADATA_KEY}" is reserved for metadata and cannot name a tensor; rename it`);
  if (LONE_SURROGATE.test(name)) throw new RangeError(`${file}: tensor name ${JSON.stringify(name)} holds a lone UTF-16 surrogate, which UTF-8 cannot encode`);
  if (seen.has(name)) throw new RangeError(`${file}: tensor "${name}" is given twice; names must be unique`);
  seen.add(name);
}

/** The dtype, shape, size and bytes of one input tensor, validated. */
function describe(file: string, name: string, t: TensorData): LayoutInput & { readonly data: Uint8Array } {
  if (t instanceof NDArray) {
    const dtype = safetensorsDTypeOf(t.dtype);
    return { name, dtype, shape: t.shape, bytes: t.data.byteLength, data: bytesOf(t.data) };
  }
  if (typeof t !== 'object' || t === null || !(t.bytes instanceof Uint8Array)) {
    throw new TypeError(`${file}: tensor "${name}" must be an NDArray or {dtype, shape, bytes: Uint8Array}`);
  }
  if (!isSafetensorsDType(t.dtype)) throw new RangeError(`${file}: tensor "${name}" has unknown safetensors dtype "${String(t.dtype)}"`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(`${file}: tensor "${name}" shape must hold non-negative integers (got ${JSON.stringify(t.shape)})`);
  }
  const need = byteLength(t.dtype, t.shape);
  if (need !== t.bytes.length) {
    throw new RangeError(`${file}: tensor "${name}" is ${t.dtype} [${t.shape.join(', ')}], which needs ${need ?? 'more than 2^53'} bytes, but ${t.bytes.length} were given`);
  }
  return { name, dtype: t.dtype, shape: [...t.shape], bytes: need, data: t.bytes };
}

/**
 * Validates the input and gathers it for writing. Streamed tensors are spooled beside `file`; if the
 * stream throws, the spool is removed and the error passes through.
 */
export function collectTensors(file: string, entries: TensorEntries): CollectedTensors {
  assertLittleEndianHost(file);
  const seen = new Set<string>();
  if (isRecord(entries) || Array.isArray(entries) || entries instanceof Map) {
    const list = isRecord(entries) ? Object.entries(entries) : [...entries];
    const tensors = list.map(([name, t]): PendingTensor => {
      checkName(file, name, seen);
      const { data, ...facts } = describe(file, name, t);
      return { ...facts, source: data };
    });
    return new CollectedTensors(tensors, null);
  }
  const spool = Spool.create(file);
  try {
    const tensors: PendingTensor[] = [];
    for (const [name, t] of entries) {
      checkName(file, name, seen);
      const { data, ...facts } = describe(file, name, t);
      tensors.push({ ...facts, source: { spoolOffset: spool.append(data) } });
    }
    return new CollectedTensors(tensors, spool);
  } catch (e) {
    spool.close();
    throw e;
  }
}
