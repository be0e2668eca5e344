// Writes safetensors files byte-identical to the reference `save_file` (huggingface/safetensors) for the
// same tensors and metadata (metadata with two or more keys excepted: the reference orders those at
// random, we in code-point order). Tensors stream to disk one at a time, and the file appears atomically.

import { AtomicFile } from './atomic-file.js';
import { encodeHeader, layoutTensors } from './safetensors-header.js';
import { collectTensors } from './tensor-source.js';
import type { CollectedTensors, PendingTensor, TensorEntries } from './tensor-source.js';

export type { RawTensor, TensorData, TensorEntries } from './tensor-source.js';

/** Metadata of a safetensors file: strings only (the format allows nothing else). */
export type SafetensorsMetadata = Readonly<Record<string, string>>;

export function checkMetadata(file: string, metadata: SafetensorsMetadata | undefined): void {
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${file}: metadata must be an object of strings`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`${file}: metadata "${k}" must be a string (got ${typeof v}); convert it, e.g. with JSON.stringify`);
  }
}

/**
 * Writes `tensors` to `file` in safetensors format. A record, array or Map is written straight from
 * memory; any other iterable is consumed once, each tensor spooled to disk as it arrives. The file appears
 * only when complete: on any error (including one thrown by the input iterator) nothing is left at `file`
 * (an existing file there is untouched) and no temporary file remains.
 */
export function writeSafetensors(file: string, tensors: TensorEntries, metadata?: SafetensorsMetadata): void {
  checkMetadata(file, metadata);
  const collected = collectTensors(file, tensors);
  try {
    writeCollected(file, collected.tensors, collected, metadata ?? null);
  } finally {
    collected.close();
  }
}

/** Writes some of the collected tensors (a shard) as one safetensors file, atomically. */
export function writeCollected(
  file: string,
  tensors: readonly PendingTensor[],
  from: CollectedTensors,
  metadata: SafetensorsMetadata | null,
): void {
  const laid = layoutTensors(tensors);
  const out = AtomicFile.create(file);
  try {
    out.write(encodeHeader(laid, metadata));
    for (const t of laid) from.writeTo(t, out);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}
