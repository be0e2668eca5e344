// Every primitive on ONNX Runtime against the reference executor (forward, float32, with broadcasting
// and symbolic dims), every gradient rule against central finite differences in float64 on the
// reference executor, and the ORT gradient against the reference gradient in float32.
// Tolerances: forward rtol 1e-5 + atol 1e-6; gradient vs finite differences rtol 1e-6 + atol 1e-7
// (h = 1e-6, float64); ORT vs reference gradient rtol 1e-4 + atol 1e-5.

import { describe, expect, it } from 'vitest';
import { compile, spec, trace } from '../../src/backend/compile.js';
import type { TensorSpec } from '../../src/backend/compile.js';
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

/**
 * loss(floats, rest, w) = Σ fn(inputs)·w for a fixed random cotangent w, with the case's float inputs
 * in the first argument, the others in the second, and the specs (possibly symbolic) of all three.
 */
function gradSetup(c: PrimitiveCase, float: DType) {
  const floatIdx = c.inputs.flatMap((input, k) => (input.dtype === 'float' ? [k] : []));
  const all = specsOf(c, float);
  const traced = trace((xs: Tensor[]) => c.fn(...xs), [all]).graph;
  const out = traced.nodes[traced.outputs[0]!]!;
  const inputs = makeInputs(c, float);
  const outShape = [...out.shape];
  const loss = (floats: Tensor[], rest: Tensor[], w: Tensor) => {
    const xs: Tensor[] = [];
    let fi = 0;
    let ri = 0;
    c.inputs.forEach((_, k) => xs.push(floatIdx.includes(k) ? floats[fi++]! : rest[ri++]!));
    return c.fn(...xs).cast(w.dtype).mul(w).sum();
  };
  return {
    differentiable: isFloat(out.dtype),
    floats: floatIdx.map((k) => inputs[k]!),
    rest: inputs.filter((_, k) => !floatIdx.includes(k)),
    specs: [floatIdx.map((k) => all[k]!), all.filter((_, k) => !floatIdx.includes(k)), spec(float, outShape)],
    inputs,
    floatIdx,
    loss,
    gradOf: (fl: Tensor[], r: Tensor[], wt: Tensor) => grad(loss, { argnum: 0 })(fl, r, wt),
  };
}

async function cotangentFor(c: PrimitiveCase, setup: ReturnType<typeof gradSetup>, float: DType): Promise<NDArray> {
  const y = await compile((xs: Tensor[]) => c.fn(...xs), { specs: [specsOf(c, float)], executor: 'reference' })(setup.inputs);
  return asDType(randomArray(seededRandom(99), 'float64', y.shape), float);
}

describe('gradients', () => {
  for (const c of gradCases) {
    const fd = c.finiteDifferences;
    if (fd !== false) {
      it(`${c.name}: reference gradient equals central finite differences (float64)`, async () => {
        const s = gradSetup(c, 'float64');
        if (!s.differentiable) return;
        const w = await cotangentFor(c, s, 'float64');
        const gradFn = compile(s.gradOf, { specs: s.specs, executor: 'reference' });
        const lossFn = compile(s.loss, { specs: s.specs, executor: 'reference' });
        const analytic = await gradFn(s.floats, s.rest, w);
        const h = fd?.h ?? 1e-6;
        const tol = fd ? { rtol: fd.rtol, atol: fd.rtol / 10 } : FINITE_DIFF;
        for (const [slot, x] of s.floats.entries()) {
          const numeric = new Float64Array(x.size);
          for (let j = 0; j < x.size; j++) {
            const bumped = (delta: number) => {
              const data = Float64Array.from(x.data as Float64Array);
              data[j]! += delta;
              return s.floats.map((a, k) => (k === slot ? new NDArray('float64', x.shape, data) : a));
            };
            const up = (await lossFn(bumped(h), s.rest, w)).get(0);
            const down = (await lossFn(bumped(-h), s.rest, w)).get(0);
            numeric[j] = (up - down) / (2 * h);
          }
          expectClose(analytic[slot]!, new NDArray('float64', x.shape, numeric), tol, `${c.name}: d/d input ${s.floatIdx[slot]}`);
        }
      });
    }

    it(`${c.name}: ORT gradient equals the reference gradient (float32)`, async () => {
      const s = gradSetup(c, 'float32');
      if (!s.differentiable) return;
      const w = await cotangentFor(c, s, 'float32');
      const onOrt = await compile(s.gradOf, { specs: s.specs })(s.floats, s.rest, w);
      const onRef = await compile(s.gradOf, { specs: s.specs, executor: 'reference' })(s.floats, s.rest, w);
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
