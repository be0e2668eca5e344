// A compiled model as search's Step: encode a padded batch of sources once, project the cross-attention
// keys/values once (initCache), then run decodeStep one token per row, returning the last position's
// logits. A batch can start expanded — each source's rows repeated rowsPerSource times, consecutively —
// for beam search and several samples per source; beams are reordered by gathering rows of the
// self-attention keys/values (the cross-attention ones are equal within a source's rows and stay).
// Selecting rows (ended sequences leaving the batch) gathers every part of the state: self- and
// cross-attention keys/values and the source padding mask, which therefore travels in the cache. The
// parameters stay inside the closure.

import { NDArray, sizeOf } from '../core/ndarray.js';
import type { AnySeq2Seq } from '../models/compiled.js';
import type { DecoderCache } from '../models/seq2seq.js';
import type { KeyValue } from '../nn/layers/attention.js';
import type { Reorder, Select, Step } from './step.js';

/** The decoder's cache as host arrays, with the padding mask (rows, S) of each row's source. */
export type HostCache = DecoderCache<NDArray> & { readonly sourceMask: NDArray };

/** Right-padded (B, S) ids and mask of `sources` (padding `padId`). */
export function padSources(sources: readonly (readonly number[])[], padId: number): { ids: NDArray; mask: NDArray } {
  const length = Math.max(1, ...sources.map((s) => s.length));
  const ids = new Int32Array(sources.length * length).fill(padId);
  const mask = new Int32Array(sources.length * length);
  sources.forEach((s, b) => {
    ids.set(s, b * length);
    mask.fill(1, b * length, b * length + s.length);
  });
  return { ids: new NDArray('int32', [sources.length, length], ids), mask: new NDArray('int32', [sources.length, length], mask) };
}

/** Rows `rows` of a float32 or int32 `array` along its first axis (a row may repeat). */
function gatherRows(array: NDArray, rows: readonly number[]): NDArray {
  const source = array.data;
  if (!(source instanceof Float32Array || source instanceof Int32Array)) throw new TypeError(`gatherRows: ${array.dtype} arrays are not supported`);
  const rowSize = sizeOf(array.shape.slice(1));
  const data = source instanceof Float32Array ? new Float32Array(rows.length * rowSize) : new Int32Array(rows.length * rowSize);
  rows.forEach((row, i) => data.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return new NDArray(array.dtype, [rows.length, ...array.shape.slice(1)], data);
}

function gatherKeyValues(kv: KeyValue<NDArray>, rows: readonly number[]): KeyValue<NDArray> {
  return { key: gatherRows(kv.key, rows), value: gatherRows(kv.value, rows) };
}

/** The Reorder of a HostCache: gathers the rows of every self-attention key and value. */
export const reorderHostCache: Reorder<HostCache> = (cache, indices) => ({
  ...cache,
  self: cache.self.map((kv) => gatherKeyValues(kv, indices)),
});

/** The Select of a HostCache: gathers the rows of every key, value and the source mask. */
export const selectHostRows: Select<HostCache> = (cache, rows) => ({
  self: cache.self.map((kv) => gatherKeyValues(kv, rows)),
  cross: cache.cross.map((kv) => gatherKeyValues(kv, rows)),
  sourceMask: gatherRows(cache.sourceMask, rows),
});

/** The Step of `model` on `sources` (rowsPerSource rows each), the cache to start from, its Reorder and its Select. */
export async function modelStep(
  model: AnySeq2Seq,
  params: object,
  sources: readonly (readonly number[])[],
  padId: number,
  rowsPerSource = 1,
): Promise<{ step: Step<HostCache>; cache: HostCache; reorder: Reorder<HostCache>; select: Select<HostCache> }> {
  if (!Number.isInteger(rowsPerSource) || rowsPerSource < 1) throw new RangeError(`rowsPerSource must be a positive integer (got ${rowsPerSource})`);
  const { ids, mask: sourceMask } = padSources(sources, padId);
  const states = await model.encode(params, ids, sourceMask);
  const sourceCache = await model.initCache(params, states);
  const rows = sources.flatMap((_, b) => new Array<number>(rowsPerSource).fill(b));
  const start: HostCache = { ...sourceCache, sourceMask };
  const cache = rowsPerSource === 1 ? start : selectHostRows(start, rows);
  const step: Step<HostCache> = async (tokens, c) => {
    const out = await model.decodeStep(params, NDArray.from('int32', [tokens.length, 1], tokens), c.sourceMask, { self: c.self, cross: c.cross });
    const logits = out.logits; // (rows, 1, V)
    return { logits: logits.data as Float32Array, vocabSize: logits.shape[2]!, cache: { ...out.cache, sourceMask: c.sourceMask } };
  };
  return { step, cache, reorder: reorderHostCache, select: selectHostRows };
}
