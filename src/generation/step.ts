// What search sees of a model: a step function from the tokens chosen last (one per sequence) and the
// decoder state to each sequence's next-token logits and the new state; for beam search, a way to
// reorder that state when beams change places; and, optionally, a way to keep only some rows of it, so
// greedy decoding and sampling stop computing sequences that have ended. Search never sees parameters,
// graphs or families; model-step.ts builds all three from a compiled model.

/** One decoding step: `tokens[r]` is row r's newest token; `logits` holds one row of `vocabSize` scores per token. */
export type Step<C> = (tokens: readonly number[], cache: C) => Promise<{ logits: Float32Array; vocabSize: number; cache: C }>;

/**
 * The state whose row r continues row `indices[r]` of `cache`. Search only moves rows within the group
 * of rows decoding the same source, so state shared by a group (the encoder's) need not move.
 */
export type Reorder<C> = (cache: C, indices: readonly number[]) => C;

/**
 * The state of rows `rows` of `cache` alone, in that order (row i continues row rows[i]), the encoder's
 * part included: the batch shrinks to rows.length.
 */
export type Select<C> = (cache: C, rows: readonly number[]) => C;

/** Throws unless a step's output holds `rows` rows of logits. */
export function checkLogits(logits: Float32Array, vocabSize: number, rows: number): void {
  if (!Number.isInteger(vocabSize) || vocabSize < 1 || logits.length !== rows * vocabSize) {
    throw new RangeError(`step returned ${logits.length} logits with a vocabulary of ${vocabSize}; ${rows} rows were fed`);
  }
}

/** Row `row` of a step's logits (a view). */
export function logitsRow(logits: Float32Array, vocabSize: number, row: number): Float32Array {
  return logits.subarray(row * vocabSize, (row + 1) * vocabSize);
}
