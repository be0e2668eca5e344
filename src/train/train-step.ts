// One training step as one compiled graph: forward, loss, backward, optional clipping by global norm
// and the AdamW update. Parameters, moments and the step count go in and come out as NDArrays; the
// learning rate is an input too, so a schedule never causes a re-trace.

import { valueAndGrad } from '../core/autodiff.js';
import { compile } from '../backend/compile.js';
import type { CompileOptions, Compiled } from '../backend/compile.js';
import { NDArray } from '../core/ndarray.js';
import type { Tensor } from '../core/tensor.js';
import { flatten, unflatten } from '../core/tree.js';
import type { Tree } from '../core/tree.js';
import { adamwUpdate } from '../nn/optim/adamw.js';
import type { AdamWOptions, AdamWState } from '../nn/optim/adamw.js';
import { clipByGlobalNorm } from '../nn/optim/clip.js';

export interface TrainStepOptions extends Omit<AdamWOptions, 'lr'> {
  /** Clip gradients to this global L2 norm (default: no clipping). */
  clipNorm?: number;
  compile?: CompileOptions;
}

export interface TrainStepResult<P> {
  loss: Tensor;
  /** The gradients' global norm before clipping (0 when not clipping). */
  gradNorm: Tensor;
  params: P;
  state: AdamWState<P>;
}

/** The zero moments and step count AdamW starts from, shaped like `params`. */
export function initAdamWState<P>(params: P): { step: NDArray; m: P; v: P } {
  const flat = flatten(params as Tree<NDArray>, (v): v is NDArray => v instanceof NDArray, 'NDArray');
  const zeros = () => unflatten(flat.def, flat.leaves.map((p) => NDArray.zeros(p.dtype, p.shape))) as P;
  return { step: NDArray.scalar('float32', 0), m: zeros(), v: zeros() };
}

/**
 * compile((params, state, batch, lr) → { loss, gradNorm, params, state }) for `loss(params, batch)`.
 * `lr` is a float32 scalar NDArray.
 */
export function adamwTrainStep<P, B>(
  loss: (params: P, batch: B) => Tensor,
  options: TrainStepOptions = {},
): Compiled<[P, AdamWState<P>, B, Tensor], TrainStepResult<P>> {
  const { clipNorm, compile: compileOptions, ...adamw } = options;
  const step = (params: P, state: AdamWState<P>, batch: B, lr: Tensor): TrainStepResult<P> => {
    const [value, grads] = valueAndGrad(loss)(params, batch);
    const [clipped, gradNorm]: [P, Tensor | undefined] = clipNorm === undefined ? [grads, undefined] : clipByGlobalNorm(grads, clipNorm);
    const [next, nextState] = adamwUpdate(params, clipped, state, { ...adamw, lr });
    return { loss: value, gradNorm: gradNorm ?? value.mul(0), params: next, state: nextState };
  };
  return compile(step, compileOptions);
}
