// Inverted dropout: zero each element with probability `rate` and scale the survivors by 1/(1−rate),
// so evaluation needs no rescaling. The mask is drawn from the counter-based generator with `key`.

import { uniform } from '../core/distributions.js';
import * as ops from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';

export function dropout(x: Tensor, rate: number, key: Tensor | undefined): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1) (got ${rate})`);
  if (rate === 0) return x;
  if (!key) throw new TypeError('dropout: a key (int64 scalar tensor) is needed when rate > 0; pass rate 0 to evaluate');
  const keepMask = uniform(key, x.shape, x.dtype).ge(rate);
  return ops.where(keepMask, x.mul(1 / (1 - rate)), 0);
}
