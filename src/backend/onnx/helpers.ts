// Pure helpers of the ONNX lowering: the op-name tables, node labels, shape predicates and the naming
// and attribute conventions of the emitted model.

import type { DType } from '../../core/dtype.js';
import { isStatic } from '../../core/dim.js';
import type { Dim, Shape } from '../../core/dim.js';
import type { BinaryFn, CompareFn, Prim, UnaryFn } from '../../core/graph.js';
import type { Attrs } from './builder.js';
import { onnxDType, ONNX_DTYPE } from './model.js';
import type { AttributeInit, DimInit } from './model.js';

export const UNARY: Record<UnaryFn, string> = {
  neg: 'Neg',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  tanh: 'Tanh',
  erf: 'Erf',
  abs: 'Abs',
  sin: 'Sin',
  cos: 'Cos',
  reciprocal: 'Reciprocal',
  floor: 'Floor',
  sign: 'Sign',
  not: 'Not',
};

export const BINARY: Record<BinaryFn, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  pow: 'Pow',
  maximum: 'Max',
  minimum: 'Min',
  and: 'And',
  or: 'Or',
};

export const COMPARE: Record<CompareFn, string> = {
  equal: 'Equal',
  less: 'Less',
  lessEqual: 'LessOrEqual',
  greater: 'Greater',
  greaterEqual: 'GreaterOrEqual',
};

/** Fusion attributes that ONNX declares as floats even when the value happens to be integral. */
export const FLOAT_ATTRS = new Set(['epsilon', 'alpha', 'beta']);

export const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "unary.exp", "reshape", …: the label of a node in ONNX node names and error messages. */
export function primLabel(prim: Prim): string {
  switch (prim.kind) {
    case 'unary':
    case 'binary':
    case 'compare':
    case 'reduce':
      return `${prim.kind}.${prim.fn}`;
    default:
      return prim.kind;
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The NumPy broadcast of shapes when it is certain (equal dims or 1s per axis), else undefined. */
export function broadcastResult(shapes: readonly Shape[]): Dim[] | undefined {
  const rank = Math.max(...shapes.map((sh) => sh.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const sh of shapes) {
      const d = sh[sh.length - rank + i] ?? 1;
      if (d === 1 || d === dim) continue;
      if (dim !== 1) return undefined;
      dim = d;
    }
    out.push(dim);
  }
  return out;
}

export function declaredShape(shape: Shape): DimInit[] {
  return shape.map((d) => (isStatic(d) ? d : SYMBOL.test(d) ? d : null));
}

export function boundaryDType(dtype: DType): number {
  return dtype === 'bfloat16' ? ONNX_DTYPE.FLOAT : onnxDType(dtype);
}

export function sanitizeName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  if (/^out\d+$/.test(s)) s = `in_${s}`;
  return s;
}

export function fusionAttrs(attrs: Readonly<Record<string, number | string>>): Attrs {
  const out: Record<string, AttributeInit> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'string') out[name] = { name, type: 'string', value };
    else if (FLOAT_ATTRS.has(name) || !Number.isInteger(value)) out[name] = { name, type: 'float', value };
    else out[name] = { name, type: 'int', value };
  }
  return out;
}

