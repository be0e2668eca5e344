// Dropout at the successive sites of a traced model: each call draws its mask with its own key, folded
// from one int64 key by site number, so a forward pass is a pure function of (params, batch, key).
// Without a key (evaluation) every site is the identity.

import { foldIn } from '../../core/distributions.js';
import type { Tensor } from '../../core/tensor.js';
import { dropout } from '../dropout.js';

/** Dropout with `rate` at the next site. */
export type Dropout = (x: Tensor, rate: number) => Tensor;

export function dropoutSites(key: Tensor | undefined): Dropout {
  let site = 0;
  return (x, rate) => {
    if (key === undefined || rate === 0) return x;
    return dropout(x, rate, foldIn(key, site++));
  };
}
