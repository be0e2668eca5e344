// Lowering of a polyseq Graph to an ONNX model (default opset 20) for ONNX Runtime.
//
// Graph inputs keep the `input` prims' names (sanitized and made unique); outputs are out0, out1, ….
// Every ONNX node is named "n<id>:<prim>" after the IR node it implements (helper nodes add "#k"), so
// an error from ONNX Runtime can be traced back to the IR. Symbolic sizes that an op needs as data
// (reshape/broadcast targets, iota lengths, random shapes) are computed at run time from the graph inputs'
// shapes, once per model. bfloat16 values cross the model boundary as float32 (onnxruntime-node has no
// bfloat16 tensors) and are cast inside the model, which is exact in both directions.

import type { DType } from '../../core/dtype.js';
import { dimProduct, dimSymbols, isStatic } from '../../core/dim.js';
import type { Dim, Shape } from '../../core/dim.js';
import type { Graph, Node } from '../../core/graph.js';
import { INT64_MAX, INT64_MIN, OnnxBuilder, RuntimeDims } from './builder.js';
import type { SymbolSource } from './builder.js';
import { encodeModel, onnxDType, ONNX_DTYPE } from './model.js';
import type { ModelInit, ValueInfoInit } from './model.js';
import { emitRandomUniform } from './random.js';
import { BINARY, boundaryDType, broadcastResult, COMPARE, declaredShape, fusionAttrs, primLabel, sameShape, sanitizeName, UNARY } from './helpers.js';

export { primLabel };

export interface LowerOptions {
  /** ONNX opset of the default domain (18 or later; default 20). */
  readonly opset?: number;
  /** Emit annotated composites (softmax, layer norm, GELU) as fused ONNX ops where allowed (default true). */
  readonly fuse?: boolean;
  /** The GraphProto's name (default "polyseq"). */
  readonly name?: string;
  /**
   * Lower scatterAdd to ScatterND(reduction="add") instead of ScatterElements: several times faster for
   * row scatters (embedding gradients), but ONNX Runtime's CPU kernel races on repeated indices when the
   * session has more than one intra-op thread (onnxruntime#18048). Default false.
   */
  readonly scatterND?: boolean;
}

/** How a lowered model meets its caller: value names and IR dtypes, in Graph.inputs / Graph.outputs order. */
export interface ModelBoundary {
  /** ONNX input names, in Graph.inputs order. */
  readonly inputNames: readonly string[];
  /** ONNX output names (out0, out1, …), in Graph.outputs order. */
  readonly outputNames: readonly string[];
  /** The IR dtypes of inputs and outputs (a bfloat16 one crosses the model boundary as float32). */
  readonly inputDTypes: readonly DType[];
  readonly outputDTypes: readonly DType[];
}

export interface LoweredOnnx extends ModelBoundary {
  /** The serialized ModelProto. */
  readonly bytes: Uint8Array;
  /** The model before serialization (for inspection and tests). */
  readonly model: ModelInit;
  /** Ids of the nodes emitted as fused ONNX operators. */
  readonly fusedNodes: readonly number[];
}

const boundaries = new WeakMap<Uint8Array, ModelBoundary>();

/** The boundary of model bytes made by lowerToOnnx/lowerGraph (so a session made from them can be run by name). */
export function modelBoundary(bytes: Uint8Array): ModelBoundary | undefined {
  return boundaries.get(bytes);
}

export const DEFAULT_OPSET = 20;
export const MIN_OPSET = 18;

/** The IR version to pair with an opset (ONNX 1.15 → IR 9 / opset 20, 1.16-1.17 → 10 / 21-22, 1.18 → 11 / 23). */
export function irVersionFor(opset: number): number {
  return opset <= 20 ? 9 : opset <= 22 ? 10 : 11;
}

/** The op types of a lowered model's nodes, in order (for tests and debugging). */
export function onnxOpTypes(lowered: LoweredOnnx): string[] {
  return lowered.model.graph.nodes.map((n) => n.opType);
}

class Lowerer {
  readonly b = new OnnxBuilder();
  readonly rd: RuntimeDims;
  private readonly nodes: readonly Node[];
  private readonly vals: (string | undefined)[];
  /** Output names for nodes whose value can be produced directly under that name. */
  private readonly desired = new Map<number, string>();
  /** Every symbolic dim text found on a graph input ("batch", "batch*seq"), with where to read it. */
  private readonly inputDims = new Map<string, SymbolSource>();
  readonly inputNames: string[] = [];
  readonly outputNames: string[] = [];
  readonly fused = new Set<number>();
  private live: Uint8Array;
  private current = 0;
  private readonly effective = new Map<number, readonly number[]>();

  constructor(
    private readonly graph: Graph,
    private readonly opset: number,
    fuse: boolean,
    private readonly scatterND: boolean,
  ) {
    this.nodes = graph.nodes;
    this.vals = new Array<string | undefined>(graph.nodes.length);
    graph.outputs.forEach((_, k) => {
      const name = `out${k}`;
      this.b.reserve(name);
      this.outputNames.push(name);
    });
    const taken = new Set<string>(this.outputNames);
    for (const id of graph.inputs) {
      const node = this.nodes[id]!;
      if (node.prim.kind !== 'input') throw new Error(`ONNX lowering: Graph.inputs lists node ${id}, which is a ${node.prim.kind} node`);
      const base = sanitizeName(node.prim.name);
      let name = base;
      for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
      taken.add(name);
      this.b.reserve(name);
      this.inputNames.push(name);
      node.shape.forEach((d, axis) => {
        if (!isStatic(d) && !this.inputDims.has(d)) this.inputDims.set(d, { value: name, axis });
      });
    }
    this.rd = new RuntimeDims(this.b, (symbol) => this.resolveSymbol(symbol));

    this.live = this.liveness();
    if (fuse) {
      const consumers = this.liveConsumers();
      const outputs = new Set(graph.outputs);
      for (const node of this.nodes) {
        if (node.fusion && this.live[node.id] && this.canFuse(node, consumers, outputs)) this.fused.add(node.id);
      }
      if (this.fused.size) this.live = this.liveness();
    }
    graph.outputs.forEach((id, k) => {
      if (!this.desired.has(id) && this.nodes[id]!.dtype !== 'bfloat16') this.desired.set(id, this.outputNames[k]!);
    });
  }

  private resolvable(dim: Dim): boolean {
    return isStatic(dim) || this.inputDims.has(dim) || dimSymbols(dim).every((s) => this.inputDims.has(s));
  }

  /** Where a symbolic dim can be read: a graph input, else any value already emitted that has it as a dim. */
  private resolveSymbol(symbol: string): SymbolSource | undefined {
    const fromInput = this.inputDims.get(symbol);
    if (fromInput) return fromInput;
    for (let id = 0; id < this.current; id++) {
      const value = this.vals[id];
      if (value === undefined) continue;
      const axis = this.nodes[id]!.shape.indexOf(symbol);
      if (axis >= 0) return { value, axis };
    }
    return undefined;
  }

  /**
   * A node's inputs, where an elementwise op reads a broadcastTo operand directly from the broadcast's
   * source whenever its own NumPy broadcasting already yields the same output shape (so no Expand
   * materialises a tensor that the op would broadcast anyway).
   */
  private inputsOf(node: Node): readonly number[] {
    const kind = node.prim.kind;
    if (kind !== 'binary' && kind !== 'compare' && kind !== 'where') return node.inputs;
    let cached = this.effective.get(node.id);
    if (cached) return cached;
    const ids = [...node.inputs];
    for (let k = 0; k < ids.length; k++) {
      for (;;) {
        const src = this.nodes[ids[k]!]!;
        if (src.prim.kind !== 'broadcastTo') break;
        const candidate = src.inputs[0]!;
        const shapes = ids.map((id, j) => this.nodes[j === k ? candidate : id]!.shape);
        const result = broadcastResult(shapes);
        if (!result || !sameShape(result, node.shape)) break;
        ids[k] = candidate;
      }
    }
    cached = ids.every((id, k) => id === node.inputs[k]) ? node.inputs : ids;
    this.effective.set(node.id, cached);
    return cached;
  }

  private deps(node: Node): readonly number[] {
    if (this.fused.has(node.id)) return node.fusion!.inputs;
    if (node.prim.kind === 'dim') {
      const x = this.nodes[node.inputs[0]!]!;
      if (this.resolvable(x.shape[node.prim.axis]!)) return [];
    }
    return this.inputsOf(node);
  }

  private liveness(): Uint8Array {
    const live = new Uint8Array(this.nodes.length);
    const stack = [...this.graph.outputs];
    while (stack.length) {
      const id = stack.pop()!;
      if (live[id]) continue;
      live[id] = 1;
      for (const d of this.deps(this.nodes[id]!)) if (!live[d]) stack.push(d);
    }
    return live;
  }

  private liveConsumers(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const node of this.nodes) {
      if (!this.live[node.id]) continue;
      for (const i of this.deps(node)) {
        let list = out.get(i);
        if (!list) out.set(i, (list = []));
        list.push(node.id);
      }
    }
    return out;
  }

  private canFuse(node: Node, consumers: Map<number, number[]>, outputs: Set<number>): boolean {
    const f = node.fusion!;
    const arity = f.op === 'LayerNormalization' ? f.inputs.length >= 1 && f.inputs.length <= 3 : f.inputs.length === 1;
    if (!arity) return false;
    if (f.op === 'Gelu' && this.opset < 20) return false;
    // The fused op returns x's dtype and shape; a composite that casts (e.g. fp16 in, fp32 out) is kept.
    const x0 = this.nodes[f.inputs[0]!];
    if (!x0 || x0.dtype !== node.dtype || !sameShape(x0.shape, node.shape)) return false;
    const inside = new Set([...f.interior, node.id]);
    for (const i of f.inputs) if (inside.has(i) || i >= node.id || i < 0) return false;
    for (const i of f.interior) {
      // A constant costs nothing to keep for other users (e.g. a scalar shared with code after the composite).
      if (this.nodes[i]!.prim.kind === 'constant') continue;
      if (outputs.has(i)) return false;
      for (const c of consumers.get(i) ?? []) if (!inside.has(c)) return false;
    }
    if (f.op === 'LayerNormalization') {
      const x = this.nodes[f.inputs[0]!]!;
      const norm = x.shape.slice(this.lnAxis(node));
      if (norm.length === 0) return false;
      for (let k = 1; k < 3; k++) {
        const id = f.inputs[k];
        if (id === undefined) {
          if (k === 1 && !norm.every(isStatic)) return false;
          continue;
        }
        const p = this.nodes[id]!;
        if (p.dtype !== x.dtype) return false;
        if (!sameShape(p.shape, norm) && !(p.shape.every(isStatic) && norm.every(isStatic) && dimProduct(p.shape) === dimProduct(norm))) {
          return false;
        }
      }
    }
    return true;
  }

  private lnAxis(node: Node): number {
    const f = node.fusion!;
    const rank = this.nodes[f.inputs[0]!]!.shape.length;
    const axis = typeof f.attrs['axis'] === 'number' ? f.attrs['axis'] : -1;
    return axis < 0 ? axis + rank : axis;
  }

  private v(id: number): string {
    const name = this.vals[id];
    if (name === undefined) throw new Error(`ONNX lowering: node ${this.current} reads node ${id}, which has no value (internal error)`);
    return name;
  }

  run(name: string): ModelInit {
    for (const node of this.nodes) {
      if (!this.live[node.id]) continue;
      this.current = node.id;
      this.b.setOwner(`n${node.id}:${primLabel(node.prim)}`);
      this.vals[node.id] = this.fused.has(node.id) ? this.lowerFusion(node) : this.lowerNode(node);
    }
    this.current = this.nodes.length;
    this.b.setOwner('outputs');
    this.graph.outputs.forEach((id, k) => {
      const out = this.outputNames[k]!;
      const value = this.v(id);
      if (this.nodes[id]!.dtype === 'bfloat16') this.b.op('Cast', [value], { to: ONNX_DTYPE.FLOAT }, out);
      else if (value !== out) this.b.op('Identity', [value], undefined, out);
    });
    const inputs: ValueInfoInit[] = this.graph.inputs.map((id, k) => {
      const node = this.nodes[id]!;
      return { name: this.inputNames[k]!, elemType: boundaryDType(node.dtype), shape: declaredShape(node.shape) };
    });
    const outputs: ValueInfoInit[] = this.graph.outputs.map((id, k) => {
      const node = this.nodes[id]!;
      return { name: this.outputNames[k]!, elemType: boundaryDType(node.dtype), shape: declaredShape(node.shape) };
    });
    return {
      irVersion: irVersionFor(this.opset),
      opsetImports: [{ domain: '', version: this.opset }],
      producerName: 'polyseq',
      graph: { name, nodes: this.b.nodes, initializers: this.b.initializers, inputs, outputs },
    };
  }

  private lowerFusion(node: Node): string {
    const f = node.fusion!;
    const out = this.desired.get(node.id);
    const x = this.v(f.inputs[0]!);
    if (f.op !== 'LayerNormalization') return this.b.op(f.op, [x], fusionAttrs(f.attrs), out);
    const xNode = this.nodes[f.inputs[0]!]!;
    const norm = xNode.shape.slice(this.lnAxis(node)) as Dim[];
    const param = (k: number, fill: number): string | undefined => {
      const id = f.inputs[k];
      if (id === undefined) {
        if (k === 2) return undefined; // LayerNormalization's bias is optional
        const dims = norm as number[];
        return this.b.values(xNode.dtype, dims, new Array<number>(dims.reduce((a, d) => a * d, 1)).fill(fill));
      }
      const p = this.nodes[id]!;
      if (sameShape(p.shape, norm)) return this.v(id);
      return this.b.op('Reshape', [this.v(id), this.b.int64(norm as number[])]);
    };
    const inputs = [x, param(1, 1)!];
    const bias = param(2, 0);
    if (bias !== undefined) inputs.push(bias);
    return this.b.op('LayerNormalization', inputs, fusionAttrs(f.attrs), out);
  }

  /** The shape tensor and allowzero flag of a Reshape from `from` to `to`, as static as exactness allows. */
  private reshapeTarget(from: Shape, to: Shape): { shape: string; allowzero: boolean } {
    if (to.every(isStatic)) return { shape: this.b.int64(to), allowzero: to.includes(0) };
    if (!to.includes(0)) {
      // 0 copies the input's dim at the same position (allowzero=0): exact when the dims are equal.
      const entries: Dim[] = to.map((d, i) => (!isStatic(d) && from[i] === d ? 0 : d));
      const open = entries.filter((d) => !isStatic(d));
      if (open.length === 0) return { shape: this.b.int64(entries as number[]), allowzero: false };
      // A single unknown dim among nonzero static ones is inferred exactly by -1.
      if (open.length === 1 && !entries.includes(0)) {
        return { shape: this.b.int64(to.map((d) => (isStatic(d) ? d : -1))), allowzero: false };
      }
    }
    return { shape: this.rd.shape(to), allowzero: true };
  }

  private reshape(x: string, from: Shape, to: Shape, out: string | undefined): string {
    const { shape, allowzero } = this.reshapeTarget(from, to);
    return this.b.op('Reshape', [x, shape], allowzero ? { allowzero: 1 } : undefined, out);
  }

  /** A scalar int64 holding x.shape[axis], for value `x`. */
  private dimScalar(x: string, shape: Shape, axis: number): string {
    const d = shape[axis]!;
    if (isStatic(d) || this.resolvable(d)) return this.rd.scalar(d);
    return this.b.op('Squeeze', [this.b.op('Shape', [x], { start: axis, end: axis + 1 }), this.b.int64([0])]);
  }

  private knownNonNegative(id: number): boolean {
    const node = this.nodes[id]!;
    if (node.prim.kind === 'iota') return true;
    if (node.prim.kind !== 'constant') return false;
    const data = node.prim.value.data;
    for (let i = 0; i < data.length; i++) if (data[i]! < 0) return false;
    return true;
  }

  private lowerNode(node: Node): string {
    const p = node.prim;
    const b = this.b;
    const out = this.desired.get(node.id);
    const ins = this.inputsOf(node);
    const x = (): string => this.v(ins[0]!);
    const xs = (): string[] => ins.map((i) => this.v(i));
    const xShape = (): Shape => this.nodes[ins[0]!]!.shape;
    switch (p.kind) {
      case 'input': {
        const name = this.inputNames[p.index]!;
        return node.dtype === 'bfloat16' ? b.op('Cast', [name], { to: ONNX_DTYPE.BFLOAT16 }, out) : name;
      }
      case 'constant':
        return b.sharedInitializer(p.value.dtype, p.value.shape, p.value.data);
      case 'unary':
        return b.op(UNARY[p.fn], [x()], undefined, out);
      case 'binary':
        return b.op(BINARY[p.fn], xs(), undefined, out);
      case 'compare':
        return b.op(COMPARE[p.fn], xs(), undefined, out);
      case 'where':
        return b.op('Where', xs(), undefined, out);
      case 'cast':
        if (this.nodes[ins[0]!]!.dtype === p.to) return x();
        return b.op('Cast', [x()], { to: onnxDType(p.to) }, out);
      case 'stopGradient':
        return x();
      case 'reduce': {
        if (p.axes.length === 0) return x();
        const op = p.fn === 'sum' ? 'ReduceSum' : 'ReduceMax';
        return b.op(op, [x(), b.int64(p.axes)], { keepdims: p.keepDims ? 1 : 0 }, out);
      }
      case 'matmul':
        return b.op('MatMul', xs(), undefined, out);
      case 'reshape':
        if (sameShape(xShape(), p.shape)) return x();
        return this.reshape(x(), xShape(), p.shape, out);
      case 'broadcastTo': {
        const from = xShape();
        if (sameShape(from, p.shape)) return x();
        const offset = p.shape.length - from.length;
        // Expand broadcasts both ways, so 1 stands for every dim x already has.
        const entries = p.shape.map((d, i) => (i >= offset && from[i - offset] === d ? 1 : d));
        return b.op('Expand', [x(), this.rd.shape(entries)], undefined, out);
      }
      case 'transpose':
        if (p.perm.every((a, i) => a === i)) return x();
        return b.op('Transpose', [x()], { perm: p.perm }, out);
      case 'slice': {
        const shape = xShape();
        const noop = p.axes.every((a, k) => {
          const d = shape[a]!;
          return p.starts[k] === 0 && p.steps[k] === 1 && (p.ends[k] === Infinity || (isStatic(d) && p.ends[k]! >= d));
        });
        if (noop) return x();
        const bound = (v: number): number | bigint => (v === Infinity ? INT64_MAX : v === -Infinity ? INT64_MIN : v);
        const inputs = [x(), b.int64(p.starts.map(bound)), b.int64(p.ends.map(bound)), b.int64(p.axes)];
        if (p.steps.some((s) => s !== 1)) inputs.push(b.int64(p.steps));
        return b.op('Slice', inputs, undefined, out);
      }
      case 'concat':
        if (ins.length === 1) return x();
        return b.op('Concat', xs(), { axis: p.axis }, out);
      case 'pad':
        if (p.pads.every((v) => v === 0)) return x();
        return b.op('Pad', [x(), b.int64(p.pads), b.scalar(node.dtype, p.value)], undefined, out);
      case 'gather':
        return b.op('Gather', xs(), { axis: p.axis }, out);
      case 'scatterAdd':
        return this.scatterAdd(node, p.axis, out);
      case 'takeAlong':
        return b.op('GatherElements', xs(), { axis: p.axis }, out);
      case 'putAlongAdd':
        return b.op('ScatterElements', xs(), { axis: p.axis, reduction: 'add' }, out);
      case 'iota':
        return this.iota(p.length, p.dtype, out);
      case 'dim': {
        const shape = xShape();
        const d = shape[p.axis]!;
        if (isStatic(d)) return b.scalar(p.dtype, d);
        const n = this.resolvable(d) ? this.rd.scalar(d) : this.dimScalar(x(), shape, p.axis);
        return p.dtype === 'int64' ? n : b.op('Cast', [n], { to: onnxDType(p.dtype) }, out);
      }
      case 'randomUniform': {
        const count = this.rd.scalar(dimProduct(p.shape));
        const flat = p.shape.length === 1;
        const shape = flat ? undefined : this.reshapeTarget([dimProduct(p.shape)], p.shape);
        if (shape?.allowzero) {
          const value = emitRandomUniform(b, x(), count, undefined, p.dtype);
          return b.op('Reshape', [value, shape.shape], { allowzero: 1 }, out);
        }
        return emitRandomUniform(b, x(), count, shape?.shape, p.dtype, out);
      }
    }
  }

  private iota(length: Dim, dtype: DType, out: string | undefined): string {
    const b = this.b;
    if (isStatic(length)) {
      return b.values(dtype, [length], Array.from({ length }, (_, i) => i));
    }
    const n = this.rd.scalar(length);
    if (dtype === 'int64') return b.op('Range', [b.scalar('int64', 0), n, b.scalar('int64', 1)], undefined, out);
    if (dtype === 'int32' || dtype === 'float32' || dtype === 'float64') {
      const limit = b.op('Cast', [n], { to: onnxDType(dtype) });
      return b.op('Range', [b.scalar(dtype, 0), limit, b.scalar(dtype, 1)], undefined, out);
    }
    const range = b.op('Range', [b.scalar('int64', 0), n, b.scalar('int64', 1)]);
    return b.op('Cast', [range], { to: onnxDType(dtype) }, out);
  }

  /**
   * scatterAdd(base, indices, updates) along `axis`. The axis is moved to the front (and updates' block
   * of index dims with it), then the scatter runs on 2-D views: base [D, M], updates [N, M], indices
   * [N, 1] broadcast to [N, M], as ScatterElements(reduction="add"), which ONNX Runtime's CPU kernel
   * applies sequentially. (Its ScatterND with reduction="add" runs index rows in parallel and loses
   * updates to races when indices repeat and intra-op threads > 1, so it is used only when asked for.)
   */
  private scatterAdd(node: Node, axis: number, out: string | undefined): string {
    const b = this.b;
    const [baseId, idxId, updId] = node.inputs as [number, number, number];
    const base = this.nodes[baseId]!;
    const idxNode = this.nodes[idxId]!;
    const rank = base.shape.length;
    const q = idxNode.shape.length;
    const basePerm = [axis, ...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis)];
    const updRank = rank - 1 + q;
    const updPerm = [
      ...Array.from({ length: q }, (_, i) => axis + i),
      ...Array.from({ length: axis }, (_, i) => i),
      ...Array.from({ length: updRank - axis - q }, (_, i) => axis + q + i),
    ];
    const moved = axis !== 0;
    const baseT = moved ? b.op('Transpose', [this.v(baseId)], { perm: basePerm }) : this.v(baseId);
    const updT = updPerm.every((a, i) => a === i) ? this.v(updId) : b.op('Transpose', [this.v(updId)], { perm: updPerm });
    const baseTShape = basePerm.map((a) => base.shape[a]!);
    const inverse = new Array<number>(rank);
    basePerm.forEach((a, i) => (inverse[a] = i));
    const finish = (scattered: string): string =>
      moved ? b.op('Transpose', [scattered], { perm: inverse }, out) : scattered;

    if (this.scatterND) {
      let idx = this.v(idxId);
      if (idxNode.dtype !== 'int64') idx = b.op('Cast', [idx], { to: ONNX_DTYPE.INT64 });
      if (!this.knownNonNegative(idxId)) {
        const size = this.dimScalar(this.v(baseId), base.shape, axis);
        const negative = b.op('Less', [idx, b.scalar('int64', 0)]);
        idx = b.op('Where', [negative, b.op('Add', [idx, size]), idx]);
      }
      idx = b.op('Unsqueeze', [idx, b.int64([-1])]);
      return finish(b.op('ScatterND', [baseT, idx, updT], { reduction: 'add' }, moved ? undefined : out));
    }

    const flatBase = rank === 2 ? baseT : b.op('Flatten', [baseT], { axis: 1 });
    const flatUpd = q === 1 && updRank === 2 ? updT : b.op('Flatten', [updT], { axis: q });
    const m = dimProduct(baseTShape.slice(1));
    let idx = b.op('Reshape', [this.v(idxId), b.int64([-1, 1])]);
    if (m !== 1) idx = b.op('Expand', [idx, isStatic(m) ? b.int64([1, m]) : b.op('Shape', [flatUpd])]);
    const last = rank === 2 && !moved;
    const scattered = b.op('ScatterElements', [flatBase, idx, flatUpd], { axis: 0, reduction: 'add' }, last ? out : undefined);
    if (rank === 2) return finish(scattered);
    const shape = baseTShape.every(isStatic) ? b.int64(baseTShape) : b.op('Shape', [baseT]);
    return finish(b.op('Reshape', [scattered, shape], undefined, moved ? undefined : out));
  }
}

/** Lowers a graph to an ONNX model, with the names and dtypes needed to run it. */
export function lowerGraph(graph: Graph, options: LowerOptions = {}): LoweredOnnx {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET) {
    throw new RangeError(`ONNX lowering needs opset ${MIN_OPSET} or later (BitwiseXor, ReduceMax with axes input); got ${opset}`);
  }
  const lowerer = new Lowerer(graph, opset, options.fuse ?? true, options.scatterND ?? false);
  const model = lowerer.run(options.name ?? 'polyseq');
  const boundary: ModelBoundary = {
    inputNames: lowerer.inputNames,
    outputNames: lowerer.outputNames,
    inputDTypes: graph.inputs.map((id) => graph.nodes[id]!.dtype),
    outputDTypes: graph.outputs.map((id) => graph.nodes[id]!.dtype),
  };
  const bytes = encodeModel(model);
  boundaries.set(bytes, boundary);
  return { ...boundary, bytes, model, fusedNodes: [...lowerer.fused].sort((a, b) => a - b) };
}

/** The serialized ONNX ModelProto of a graph. */
export function lowerToOnnx(graph: Graph, options: LowerOptions = {}): Uint8Array {
  return lowerGraph(graph, options).bytes;
}
