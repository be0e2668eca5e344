// Safetensors files (huggingface/safetensors): `SafetensorsFile` opens one lazily — only the header is read
// and checked at open; each tensor's bytes are read on demand straight into its own typed array, so a
// checkpoint is never held twice in memory — and `writeSafetensors` writes one (safetensors-writer.ts).
// Format: 8-byte little-endian header length N, N bytes of JSON header, then the tensors' data.

import fs from 'node:fs';
import type { NDArray } from '../../core/ndarray.js';
import { assertLittleEndianHost, readFully } from './positional-io.js';
import { MAX_HEADER_BYTES, parseHeader } from './safetensors-header.js';
import type { HeaderEntry } from './safetensors-header.js';
import { decodeTensor } from './tensor-decode.js';
import { WeightFileError } from './weight-reader.js';
import type { ReadOptions, TensorInfo, WeightReader } from './weight-reader.js';

export { writeSafetensors } from './safetensors-writer.js';
export type { RawTensor, SafetensorsMetadata, TensorData, TensorEntries } from './safetensors-writer.js';
export type { SafetensorsDType } from './safetensors-dtype.js';

export class SafetensorsFile implements WeightReader {
  readonly names: readonly string[];
  private readonly entries: ReadonlyMap<string, HeaderEntry>;
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
    /** The `__metadata__` strings, or null when the file has none. */
    readonly metadata: Readonly<Record<string, string>> | null,
    entries: readonly HeaderEntry[],
    /** Byte offset of the data section (8 + header length). */
    readonly dataStart: number,
  ) {
    this.fd = fd;
    this.names = entries.map((e) => e.name);
    this.entries = new Map(entries.map((e) => [e.name, e]));
  }

  /** Opens `file` and validates its header; tensor data is not read. */
  static open(file: string): SafetensorsFile {
    assertLittleEndianHost(file);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw new WeightFileError(file, 'no such file');
      throw new WeightFileError(file, `cannot open (${err.code ?? err.message})`);
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < 8) throw new WeightFileError(file, `the file is ${size} bytes, too short to hold a safetensors header length (8 bytes) — it is truncated or empty`);
      const prefix = new Uint8Array(8);
      readFully(fd, prefix, 0, file);
      const n = new DataView(prefix.buffer).getBigUint64(0, true);
      if (n > BigInt(size - 8)) {
        throw new WeightFileError(file, `the header length is ${n} bytes but only ${size - 8} follow it — the file is truncated or not a safetensors file`);
      }
      if (n > BigInt(MAX_HEADER_BYTES)) throw new WeightFileError(file, `the header is ${n} bytes, beyond the format's limit of ${MAX_HEADER_BYTES}`);
      const json = new Uint8Array(Number(n));
      readFully(fd, json, 8, file);
      const dataStart = 8 + json.length;
      const header = parseHeader(json, size - dataStart, file);
      return new SafetensorsFile(file, fd, header.metadata, header.entries, dataStart);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  info(name: string): TensorInfo {
    const e = this.entry(name);
    return { dtype: e.dtype, shape: e.shape, bytes: e.end - e.begin };
  }

  read(name: string, options: ReadOptions = {}): NDArray {
    const e = this.entry(name);
    return decodeTensor(this.openFd(), this.path, e, this.dataStart, options.as);
  }

  readRaw(name: string): Uint8Array {
    const e = this.entry(name);
    const out = new Uint8Array(e.end - e.begin);
    readFully(this.openFd(), out, this.dataStart + e.begin, `${this.path}: tensor "${name}"`);
    return out;
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }

  private openFd(): number {
    if (this.fd === null) throw new Error(`${this.path}: read after close(); open the file again`);
    return this.fd;
  }

  private entry(name: string): HeaderEntry {
    const e = this.entries.get(name);
    if (e === undefined) throw new WeightFileError(this.path, `no tensor named "${name}" ${describeNames(this.names)}`);
    return e;
  }
}

/** "(it holds 3 tensors: a, b, c)", shortened for large files. */
export function describeNames(names: readonly string[]): string {
  if (names.length === 0) return '(it holds no tensors)';
  const shown = names.slice(0, 5).join(', ');
  return `(it holds ${names.length} tensors: ${shown}${names.length > 5 ? ', …' : ''})`;
}
