// The emission side of the ONNX lowering: a list of NodeProtos and initializers under construction, fresh
// value names, memoised small constants, and runtime dims (symbolic sizes computed from graph inputs'
// shapes with Shape/Mul/Add on int64 [1]-tensors, each computed once per model).

import type { DType, TypedArray } from '../../core/dtype.js';
import { allocate } from '../../core/dtype.js';
import { dimTerms, isStatic } from '../../core/dim.js';
import type { Dim } from '../../core/dim.js';
import { writeElement } from '../../core/ndarray.js';
import type { AttributeInit, NodeInit, TensorInit } from './model.js';
import { ONNX_DTYPE, onnxDType } from './model.js';

export const INT64_MAX = 0x7fffffffffffffffn;
export const INT64_MIN = -0x8000000000000000n;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of a typed array (a view, not a copy, on little-endian hosts). */
export function rawBytes(data: TypedArray | Uint32Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian || data.BYTES_PER_ELEMENT === 1) return view;
  const out = new Uint8Array(view.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < view.length; i += size) for (let j = 0; j < size; j++) out[i + j] = view[i + size - 1 - j]!;
  return out;
}

/** Where a symbolic dim can be read at run time: axis `axis` of the value named `value`. */
export interface SymbolSource {
  readonly value: string;
  readonly axis: number;
}

/** An attribute given loosely: numbers become ints (floats when not integral), arrays ints. */
export type Attrs = Readonly<Record<string, number | bigint | string | readonly number[] | AttributeInit | undefined>>;

function toAttribute(name: string, v: number | bigint | string | readonly number[] | AttributeInit): AttributeInit {
  if (typeof v === 'string') return { name, type: 'string', value: v };
  if (typeof v === 'bigint') return { name, type: 'int', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 'int', value: v } : { name, type: 'float', value: v };
  if (Array.isArray(v)) return { name, type: 'ints', value: v as readonly number[] };
  return v as AttributeInit;
}

export class OnnxBuilder {
  readonly nodes: NodeInit[] = [];
  readonly initializers: TensorInit[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly nodeNames = new Set<string>();
  private owner = 'graph';
  private ownerCount = 0;

  /** Claims `name` (graph inputs and outputs) so no generated name collides with it. */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`ONNX value name "${name}" is used twice`);
    this.used.add(name);
  }

  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  /** A new unused value name starting with `hint`. */
  fresh(hint: string): string {
    let k = this.counters.get(hint) ?? 0;
    let name: string;
    do name = `${hint}_${k++}`;
    while (this.used.has(name));
    this.counters.set(hint, k);
    this.used.add(name);
    return name;
  }

  /** Names the ONNX nodes emitted from now on after an IR node (so ORT errors can be traced back). */
  setOwner(owner: string): void {
    this.owner = owner;
    this.ownerCount = 0;
  }

  /** Emits one node with a single output; returns the output's name (`output` when given). */
  op(opType: string, inputs: readonly string[], attrs?: Attrs, output?: string): string {
    const out = output ?? this.fresh(this.owner.replace(/:.*/, '') || 'v');
    this.opMulti(opType, inputs, [out], attrs);
    return out;
  }

  opMulti(opType: string, inputs: readonly string[], outputs: readonly string[], attrs?: Attrs): void {
    const attributes: AttributeInit[] = [];
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined) attributes.push(toAttribute(k, v));
    let name: string;
    do name = this.ownerCount++ === 0 ? this.owner : `${this.owner}#${this.ownerCount - 1}`;
    while (this.nodeNames.has(name));
    this.nodeNames.add(name);
    this.nodes.push({ opType, inputs, outputs, name, ...(attributes.length ? { attributes } : {}) });
  }

  /** An initializer holding `data` (not memoised). */
  initializer(dtype: DType, dims: readonly number[], data: TypedArray, hint = 'const'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: onnxDType(dtype), dims: [...dims], rawData: rawBytes(data) });
    return name;
  }

  /** An initializer, shared with every other constant of the same dtype, dims and (small) contents. */
  sharedInitializer(dtype: DType, dims: readonly number[], data: TypedArray): string {
    if (data.byteLength > 256) return this.initializer(dtype, dims, data);
    const bytes = rawBytes(data);
    const key = `${dtype}|${dims.join(',')}|${Array.from(bytes).join(',')}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.initializer(dtype, dims, data);
      this.constants.set(key, name);
    }
    return name;
  }

  /** A memoised constant of `dtype` from plain values (int64 accepts bigints, e.g. INT64_MAX). */
  values(dtype: DType, dims: readonly number[], values: readonly (number | bigint)[]): string {
    const data = allocate(dtype, values.length);
    for (let i = 0; i < values.length; i++) writeElement(data, dtype, i, values[i]!);
    return this.sharedInitializer(dtype, dims, data);
  }

  /** A 1-D int64 constant. */
  int64(values: readonly (number | bigint)[]): string {
    return this.values('int64', [values.length], values);
  }

  /** A memoised uint32 scalar constant (uint32 is no polyseq dtype; the random subgraph uses it). */
  uint32(value: number): string {
    const key = `uint32|${value}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.fresh('const');
      const bytes = rawBytes(new Uint32Array([value]));
      this.initializers.push({ name, dataType: ONNX_DTYPE.UINT32, dims: [], rawData: bytes });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A scalar constant of `dtype`. */
  scalar(dtype: DType, value: number | bigint): string {
    return this.values(dtype, [], [value]);
  }

  saveOwner(): [string, number] {
    return [this.owner, this.ownerCount];
  }

  restoreOwner([owner, count]: [string, number]): void {
    this.owner = owner;
    this.ownerCount = count;
  }
}

/**
 * Symbolic dims evaluated at run time as int64 tensors of shape [1]. A symbol is read with
 * Shape(value, start=axis, end=axis+1) from a value that has exactly that name as a dim; a polynomial is
 * built from its terms with Mul and Add. Everything is memoised, so a model computes each size once.
 */
export class RuntimeDims {
  private readonly memo = new Map<string, string>();
  private readonly shapes = new Map<string, string>();

  constructor(
    private readonly b: OnnxBuilder,
    private readonly resolve: (symbol: string) => SymbolSource | undefined,
  ) {}

  private withOwner<T>(fn: () => T, owner: string): T {
    // Runtime-dim nodes are named after the dims they compute, not after the IR node that first needed them.
    const saved = this.b.saveOwner();
    this.b.setOwner(owner);
    try {
      return fn();
    } finally {
      this.b.restoreOwner(saved);
    }
  }

  /** A dim text read directly with Shape from a value that has it as an axis size, if there is one. */
  private read(text: string): string | undefined {
    const key = `read:${text}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const src = this.resolve(text);
    if (!src) return undefined;
    const out = this.withOwner(() => this.b.op('Shape', [src.value], { start: src.axis, end: src.axis + 1 }), `dim:${text}`);
    this.memo.set(key, out);
    return out;
  }

  /** The value of a symbol as an int64 [1] tensor. */
  symbol(name: string): string {
    const out = this.read(name);
    if (out === undefined) {
      throw new Error(
        `ONNX lowering: the symbolic dim "${name}" is not the exact size of any graph input's axis, so its value cannot be read at run time`,
      );
    }
    return out;
  }

  /** A monomial (product of names) as an int64 [1] tensor. */
  private monomial(names: readonly string[]): string {
    const key = `mono:${names.join('*')}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let out = names.length > 1 ? this.read(names.join('*')) : this.symbol(names[0]!);
    if (out === undefined) {
      const first = this.symbol(names[0]!);
      const rest = this.monomial(names.slice(1));
      out = this.withOwner(() => this.b.op('Mul', [first, rest]), `dim:${names.join('*')}`);
    }
    this.memo.set(key, out);
    return out;
  }

  /** A dim (static or symbolic) as an int64 [1] tensor. */
  dim(dim: Dim): string {
    if (isStatic(dim)) return this.b.int64([dim]);
    const key = `dim:${dim}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const direct = this.read(dim);
    if (direct !== undefined) {
      // The whole polynomial is the size of some axis (e.g. of an input of shape ["batch*seq", d]).
      this.memo.set(key, direct);
      return direct;
    }
    const out = this.withOwner(() => {
      let acc: string | undefined;
      let constant = 0;
      for (const { coeff, names } of dimTerms(dim)) {
        if (names.length === 0) {
          constant += coeff;
          continue;
        }
        const mono = this.monomial([...names].sort());
        if (acc === undefined) acc = coeff === 1 ? mono : this.b.op('Mul', [mono, this.b.int64([coeff])]);
        else if (coeff === 1) acc = this.b.op('Add', [acc, mono]);
        else if (coeff === -1) acc = this.b.op('Sub', [acc, mono]);
        else acc = this.b.op('Add', [acc, this.b.op('Mul', [mono, this.b.int64([coeff])])]);
      }
      if (acc === undefined) return this.b.int64([constant]);
      if (constant !== 0) acc = this.b.op('Add', [acc, this.b.int64([constant])]);
      return acc;
    }, `dim:${dim}`);
    this.memo.set(key, out);
    return out;
  }

  /** A dim as an int64 scalar (shape []). */
  scalar(dim: Dim): string {
    if (isStatic(dim)) return this.b.scalar('int64', dim);
    const key = `scalar:${dim}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const one = this.dim(dim);
    const out = this.withOwner(() => this.b.op('Squeeze', [one, this.b.int64([0])]), `dim:${dim}`);
    this.memo.set(key, out);
    return out;
  }

  /**
   * A 1-D int64 shape tensor. Number entries are emitted as they are (so -1 and 0 keep their Reshape
   * meanings); symbolic entries are computed at run time. Static runs are grouped into one constant.
   */
  shape(entries: readonly Dim[]): string {
    if (entries.every(isStatic)) return this.b.int64(entries as readonly number[]);
    const key = JSON.stringify(entries);
    const hit = this.shapes.get(key);
    if (hit !== undefined) return hit;
    const pieces: string[] = [];
    let run: number[] = [];
    for (const d of entries) {
      if (isStatic(d)) {
        run.push(d);
        continue;
      }
      if (run.length) pieces.push(this.b.int64(run));
      run = [];
      pieces.push(this.dim(d));
    }
    if (run.length) pieces.push(this.b.int64(run));
    const out =
      pieces.length === 1 ? pieces[0]! : this.withOwner(() => this.b.op('Concat', pieces, { axis: 0 }), `shape:${entries.join(',')}`);
    this.shapes.set(key, out);
    return out;
  }
}
