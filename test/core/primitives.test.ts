// Every primitive on ONNX Runtime against the reference executor (forward, float32, with broadcasting
// and symbolic dims), every gradient rule against central finite differences in float64 on the
// reference executor, and the ORT gradient against the reference gradient in float32.
// Tolerances: forward rtol 1e-5 + atol 1e-6; gradient vs finite differences rtol 1e-6 + atol 1e-7
// (h = 1e-6, float64); ORT vs reference gradient rtol 1e-4 + atol 1e-5.

import { describe, expect, it } from 'vitest';
import { compile, spec, trace } from '../../src/core/compile.js';
import type { TensorSpec } from '../../src/core/compile.js';
import { grad } from '../../src/core/autodiff.js';
import { isFloat } from '../../src/core/dtype.js';
import type { DType } from '../../src/core/dtype.js';
import { NDArray } from '../../src/core/ndarray.js';
import type { Tensor } from '../../src/core/tensor.js';
import { keyWords, uniformAt } from '../../src/core/random.js';
import { randomUniform } from '../../src/core/ops.js';
import { asDType, expectClose, randomArray, seededRandom } from '../helpers/arrays.js';
import { PRIMITIVE_CASES, RANDOM_CASES } from './primitive-cases.js';
import type { InputCase, PrimitiveCase } from './primitive-cases.js';

const FORWARD = { rtol: 1e-5, atol: 1e-6 };
const FINITE_DIFF = { rtol: 1e-6, atol: 1e-7 };
const ORT_GRAD = { rtol: 1e-4, atol: 1e-5 };

function concreteDType(input: InputCase, float: DType): DType {
  return input.dtype === 'float' ? float : input.dtype;
}

function makeInputs(c: PrimitiveCase, float: DType, seed = 7): NDArray[] {
  const rand = seededRandom(seed);
  return c.inputs.map((input) => randomArray(rand, concreteDType(input, float), input.shape, input.gen));
}

function specsOf(c: PrimitiveCase, float: DType): TensorSpec[] {
  return c.inputs.map((input) => spec(concreteDType(input, float), input.symbolic ?? input.shape));
}

const apply = (c: PrimitiveCase) => (xs: Tensor[]) => c.fn(...xs);

describe('primitives: ONNX Runtime against the reference executor', () => {
  for (const c of PRIMITIVE_CASES) {
    it(c.name, async () => {
      const specs = [specsOf(c, 'float32')];
      const inputs = makeInputs(c, 'float32');
      const onOrt = await compile(apply(c), { specs })(inputs);
      const onRef = await compile(apply(c), { specs, executor: 'reference' })(inputs);
      expectClose(onOrt, onRef, FORWARD, c.name);
    });
  }
});

/** Differentiable cases: a float output and at least one float input. */
const gradCases = PRIMITIVE_CASES.filter((c) => c.grad !== false && c.inputs.some((i) => i.dtype === 'float'));

function lossOf(c: PrimitiveCase, floatIdx: number[]) {
  return (floats: Tensor[], rest: Tensor[], w: Tensor) => {
    const xs: Tensor[] = [];
    let fi = 0;
    let ri = 0;
    c.inputs.forEach((_, k) => xs.push(floatIdx.includes(k) ? floats[fi++]! : rest[ri++]!));
    const y = c.fn(...xs);
    return y.cast(w.dtype).mul(w).sum();
  };
}

describe('gradients', () => {
  for (const c of gradCases) {
    const floatIdx = c.inputs.flatMap((input, k) => (input.dtype === 'float' ? [k] : []));
    it(`${c.name}: reference gradient equals central finite differences (float64)`, async () => {
      const inputs = makeInputs(c, 'float64');
      const floats = floatIdx.map((k) => inputs[k]!);
      const rest = inputs.filter((_, k) => !floatIdx.includes(k));
      const probe = await compile((xs: Tensor[]) => c.fn(...xs), { executor: 'reference' })(inputs);
      if (!isFloat(probe.dtype)) return;
      const w = randomArray(seededRandom(99), 'float64', probe.shape);
      const loss = lossOf(c, floatIdx);
      const gradFn = compile((fl: Tensor[], r: Tensor[], wt: Tensor) => grad(loss, { argnum: 0 })(fl, r, wt), { executor: 'reference' });
      const lossFn = compile(loss, { executor: 'reference' });
      const analytic = await gradFn(floats, rest, w);
      const h = 1e-6;
      for (const [slot, x] of floats.entries()) {
        const numeric = new Float64Array(x.size);
        for (let j = 0; j < x.size; j++) {
          const bumped = (delta: number) => {
            const data = Float64Array.from(x.data as Float64Array);
            data[j]! += delta;
            return floats.map((a, s) => (s === slot ? new NDArray('float64', x.shape, data) : a));
          };
          const up = (await lossFn(bumped(h), rest, w)).get(0);
          const down = (await lossFn(bumped(-h), rest, w)).get(0);
          numeric[j] = (up - down) / (2 * h);
        }
        expectClose(analytic[slot]!, new NDArray('float64', x.shape, numeric), FINITE_DIFF, `${c.name}: d/d input ${floatIdx[slot]}`);
      }
    });

    it(`${c.name}: ORT gradient equals the reference gradient (float32)`, async () => {
      const inputs = makeInputs(c, 'float32');
      const floats = floatIdx.map((k) => inputs[k]!);
      const rest = inputs.filter((_, k) => !floatIdx.includes(k));
      const probe = await compile((xs: Tensor[]) => c.fn(...xs), { executor: 'reference' })(inputs);
      if (!isFloat(probe.dtype)) return;
      const w = asDType(randomArray(seededRandom(99), 'float64', probe.shape), 'float32');
      const loss = lossOf(c, floatIdx);
      const traced = trace((xs: Tensor[]) => c.fn(...xs), [specsOf(c, 'float32')]).graph;
      const outShape = traced.nodes[traced.outputs[0]!]!.shape;
      const all = specsOf(c, 'float32');
      const specs = [floatIdx.map((k) => all[k]!), all.filter((_, k) => !floatIdx.includes(k)), spec('float32', outShape)];
      const fn = (fl: Tensor[], r: Tensor[], wt: Tensor) => grad(loss, { argnum: 0 })(fl, r, wt);
      const onOrt = await compile(fn, { specs })(floats, rest, w);
      const onRef = await compile(fn, { specs, executor: 'reference' })(floats, rest, w);
      onOrt.forEach((g, k) => expectClose(g, onRef[k]!, ORT_GRAD, `${c.name}: gradient ${k}`));
    });
  }
});

describe('randomUniform', () => {
  for (const r of RANDOM_CASES) {
    it(`${r.name}: ORT and reference equal the recipe of random.ts bit for bit`, async () => {
      const fn = (key: Tensor) => randomUniform(key, r.shape);
      const key = NDArray.scalar('int64', r.key);
      const onOrt = await compile(fn)(key);
      const onRef = await compile(fn, { executor: 'reference' })(key);
      const [a, b] = keyWords(r.key);
      const expected = NDArray.from('float32', onOrt.shape, Array.from({ length: onOrt.size }, (_, i) => uniformAt(a, b, i)));
      expect([...onOrt.data]).toEqual([...expected.data]);
      expect([...onRef.data]).toEqual([...expected.data]);
    });
  }
});
