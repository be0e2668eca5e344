// T5's relative position bias (Raffel et al. 2020, §2.1): each (query, key) pair adds a learned scalar per
// head, looked up by the bucket of the key's offset from the query. Buckets are exactly transformers'
// `T5Attention._relative_position_bucket`: exact offsets below max_exact, logarithmic buckets up to
// max_distance, the last bucket beyond; bidirectional (encoder) splits the buckets by sign.
// `relativePositionBucket` is the host twin, in float32 as torch computes it; the graph version counts
// host-computed thresholds with integer ops, so it works for symbolic lengths and a cache's offset.

import { arange, constant } from '../../core/constructors.js';
import type { Dim } from '../../core/dim.js';
import { NDArray } from '../../core/ndarray.js';
import * as ops from '../../core/ops.js';
import type { Tensor } from '../../core/tensor.js';

const f32 = Math.fround;

/** Checks the bucket settings and returns (buckets per direction, max_exact). */
function bucketGeometry(bidirectional: boolean, numBuckets: number, maxDistance: number): { buckets: number; maxExact: number } {
  if (!Number.isInteger(numBuckets) || numBuckets < (bidirectional ? 4 : 2)) {
    throw new RangeError(
      `relative_attention_num_buckets must be an integer ≥ ${bidirectional ? 4 : 2} (got ${numBuckets}); T5 checkpoints use 32`,
    );
  }
  const buckets = bidirectional ? Math.floor(numBuckets / 2) : numBuckets;
  const maxExact = Math.floor(buckets / 2);
  if (!Number.isInteger(maxDistance) || maxDistance <= maxExact) {
    throw new RangeError(
      `relative_attention_max_distance must be an integer above the ${maxExact} exact buckets (got ${maxDistance}); T5 checkpoints use 128`,
    );
  }
  return { buckets, maxExact };
}

/**
 * The bucket of `relativePosition` (key position − query position), as transformers computes it:
 *
 *   if bidirectional: n = num_buckets // 2; bucket = (rel > 0)·n; rel = |rel|   else rel = −min(rel, 0)
 *   max_exact = n // 2
 *   rel < max_exact: bucket += rel
 *   else: bucket += min(max_exact + long(log(rel / max_exact) / log(max_distance / max_exact) · (n − max_exact)), n − 1)
 *
 * with the logarithm's arithmetic in float32, as torch does it.
 */
export function relativePositionBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  const { buckets, maxExact } = bucketGeometry(bidirectional, numBuckets, maxDistance);
  let bucket = 0;
  let distance: number;
  if (bidirectional) {
    if (relativePosition > 0) bucket += buckets;
    distance = Math.abs(relativePosition);
  } else {
    distance = Math.max(-relativePosition, 0);
  }
  if (distance < maxExact) return bucket + distance;
  return bucket + Math.min(maxExact + logBucketOffset(distance, buckets, maxExact, maxDistance), buckets - 1);
}

/** long(log(d / max_exact) / log(max_distance / max_exact) · (n − max_exact)), each step rounded to float32. */
function logBucketOffset(distance: number, buckets: number, maxExact: number, maxDistance: number): number {
  const ratio = f32(Math.log(f32(distance / maxExact)));
  const scale = f32(Math.log(maxDistance / maxExact));
  return Math.trunc(f32(f32(ratio / scale) * (buckets - maxExact)));
}

/**
 * The smallest distance reaching each logarithmic bucket past max_exact: bucket(d) for d ≥ max_exact is
 * max_exact + #{t in thresholds : d ≥ t}. The offset grows monotonically with d and reaches its cap
 * n − 1 − max_exact by d = max_distance, so a scan up to there finds every threshold.
 */
export function logBucketThresholds(bidirectional: boolean, numBuckets: number, maxDistance: number): number[] {
  const { buckets, maxExact } = bucketGeometry(bidirectional, numBuckets, maxDistance);
  const thresholds: number[] = [];
  for (let d = maxExact; d <= maxDistance && thresholds.length < buckets - 1 - maxExact; d++) {
    const offset = Math.min(logBucketOffset(d, buckets, maxExact, maxDistance), buckets - 1 - maxExact);
    while (thresholds.length < offset) thresholds.push(d);
  }
  if (thresholds.length !== buckets - 1 - maxExact) {
    throw new Error(`internal: relative position thresholds stop at ${thresholds.length} of ${buckets - 1 - maxExact} buckets`);
  }
  return thresholds;
}

/** Buckets (int32) of an int32 tensor of relative positions, computed in the graph with integer ops only. */
export function relativePositionBuckets(relativePosition: Tensor, bidirectional: boolean, numBuckets: number, maxDistance: number): Tensor {
  const { buckets, maxExact } = bucketGeometry(bidirectional, numBuckets, maxDistance);
  const rel = relativePosition.cast('int32'); // (...)
  const base = bidirectional ? rel.gt(0).cast('int32').mul(buckets) : undefined; // (...)
  const distance = bidirectional ? rel.abs() : rel.neg().maximum(0); // (...)
  const thresholds = logBucketThresholds(bidirectional, numBuckets, maxDistance);
  let large = ops.full(rel.builder, [], maxExact, 'int32'); // ()
  if (thresholds.length > 0) {
    const table = constant(NDArray.from('int32', [thresholds.length], thresholds)); // (n − 1 − max_exact)
    large = distance.unsqueeze(-1).ge(table).cast('int32').sum(-1).add(maxExact); // (...)
  }
  const bucket = ops.where(distance.lt(maxExact), distance, large); // (...)
  return base ? bucket.add(base) : bucket;
}

/**
 * The additive attention bias (1, H, Tq, Tk) for queries at positions offset + [0, Tq) and keys at
 * [0, Tk), from the table `relative_attention_bias.weight` (num_buckets, H). `offset` is an int32 scalar
 * (the cache length while decoding) or omitted for 0.
 */
export function relativePositionBias(
  table: Tensor,
  queryLength: Dim,
  keyLength: Dim,
  options: { bidirectional: boolean; numBuckets: number; maxDistance: number; offset?: Tensor },
): Tensor {
  let queryPosition = arange(queryLength, 'int32'); // (Tq)
  if (options.offset) queryPosition = queryPosition.add(options.offset.cast('int32'));
  const keyPosition = arange(keyLength, 'int32'); // (Tk)
  const relative = keyPosition.unsqueeze(0).sub(queryPosition.unsqueeze(1)); // (Tq, Tk)
  const bucket = relativePositionBuckets(relative, options.bidirectional, options.numBuckets, options.maxDistance); // (Tq, Tk)
  return table.gather(bucket, 0).transpose([2, 0, 1]).unsqueeze(0); // (1, H, Tq, Tk)
}
