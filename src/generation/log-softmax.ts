// log-softmax of one row of scores in float64: the log-probabilities search adds up, samples from and
// reports. Banned tokens (-Infinity) stay -Infinity; a row with no finite score is all -Infinity.
// logNormalizer gives the two constants alone, for a search that needs only a few of the row's
// log-probabilities (scores[v] - max - logSum, the same float64 arithmetic as logSoftmax). Search
// passes a scratch row (reusedRow) as `out` — it may be `scores` itself — so that no step allocates
// per row.

export interface LogNormalizer {
  /** The row's largest score. */
  readonly max: number;
  /** log Σ exp(score − max). */
  readonly logSum: number;
}

export function logNormalizer(scores: ArrayLike<number>): LogNormalizer {
  let max = -Infinity;
  for (let v = 0; v < scores.length; v++) if (scores[v]! > max) max = scores[v]!;
  if (max === -Infinity) return { max, logSum: 0 };
  let sum = 0;
  for (let v = 0; v < scores.length; v++) sum += Math.exp(scores[v]! - max);
  return { max, logSum: Math.log(sum) };
}

export function logSoftmax(scores: ArrayLike<number>, out: Float64Array = new Float64Array(scores.length)): Float64Array {
  if (out.length !== scores.length) throw new RangeError(`logSoftmax: out has ${out.length} entries for ${scores.length} scores`);
  const { max, logSum } = logNormalizer(scores);
  if (max === -Infinity) return out.fill(-Infinity);
  for (let v = 0; v < scores.length; v++) out[v] = scores[v]! - max - logSum;
  return out;
}

/** A float64 row handed out again on every call, reallocated only when the length asked for changes. */
export function reusedRow(): (length: number) => Float64Array {
  let row = new Float64Array(0);
  return (length) => (row.length === length ? row : (row = new Float64Array(length)));
}
