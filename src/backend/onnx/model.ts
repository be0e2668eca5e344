// Typed descriptions of the ONNX messages polyseq emits, and their protobuf encoding. Field numbers are
// those of onnx/onnx.proto (proto2; checked against the ONNX schema):
//   ModelProto: ir_version=1 producer_name=2 producer_version=3 graph=7 opset_import=8
//   OperatorSetIdProto: domain=1 version=2
//   GraphProto: node=1 name=2 initializer=5 input=11 output=12 value_info=13
//   NodeProto: input=1 output=2 name=3 op_type=4 attribute=5 domain=7
//   AttributeProto: name=1 f=2 i=3 s=4 t=5 floats=7 ints=8 strings=9 type=20
//   TensorProto: dims=1 data_type=2 float_data=4 int32_data=5 int64_data=7 name=8 raw_data=9 double_data=10
//   ValueInfoProto: name=1 type=2;  TypeProto: tensor_type=1;  TypeProto.Tensor: elem_type=1 shape=2
//   TensorShapeProto: dim=1;  TensorShapeProto.Dimension: dim_value=1 dim_param=2

import type { DType } from '../../core/dtype.js';
import { ProtoWriter } from '../../protobuf/writer.js';

/** TensorProto.DataType values. */
export const ONNX_DTYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  BFLOAT16: 16,
} as const;

export function onnxDType(dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return ONNX_DTYPE.FLOAT;
    case 'float64':
      return ONNX_DTYPE.DOUBLE;
    case 'float16':
      return ONNX_DTYPE.FLOAT16;
    case 'bfloat16':
      return ONNX_DTYPE.BFLOAT16;
    case 'int32':
      return ONNX_DTYPE.INT32;
    case 'int64':
      return ONNX_DTYPE.INT64;
    case 'bool':
      return ONNX_DTYPE.BOOL;
  }
}

/** AttributeProto.AttributeType values. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

export interface TensorInit {
  readonly name: string;
  /** TensorProto.DataType */
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Little-endian element bytes (bool: one byte per element). */
  readonly rawData: Uint8Array;
}

export type AttributeInit =
  | { readonly name: string; readonly type: 'float'; readonly value: number }
  | { readonly name: string; readonly type: 'int'; readonly value: number | bigint }
  | { readonly name: string; readonly type: 'string'; readonly value: string }
  | { readonly name: string; readonly type: 'tensor'; readonly value: TensorInit }
  | { readonly name: string; readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly (number | bigint)[] };

export interface NodeInit {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attributes?: readonly AttributeInit[];
}

/** A dim of a value's declared shape: a size, a symbol name (dim_param), or null (unknown). */
export type DimInit = number | string | null;

export interface ValueInfoInit {
  readonly name: string;
  /** TensorProto.DataType */
  readonly elemType: number;
  /** Omitted: the rank is unknown too. */
  readonly shape?: readonly DimInit[];
}

export interface GraphInit {
  readonly name: string;
  readonly nodes: readonly NodeInit[];
  readonly initializers: readonly TensorInit[];
  readonly inputs: readonly ValueInfoInit[];
  readonly outputs: readonly ValueInfoInit[];
  readonly valueInfo?: readonly ValueInfoInit[];
}

export interface OpsetInit {
  /** "" for the default ONNX domain. */
  readonly domain: string;
  readonly version: number;
}

export interface ModelInit {
  readonly irVersion: number;
  readonly opsetImports: readonly OpsetInit[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly graph: GraphInit;
}

function writeTensor(t: TensorInit): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.rawData);
  return w;
}

function writeAttribute(a: AttributeInit): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, a.name);
  switch (a.type) {
    case 'float':
      w.float(2, a.value);
      w.int(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int(3, a.value);
      w.int(20, ATTR_INT);
      break;
    case 'string':
      w.string(4, a.value);
      w.int(20, ATTR_STRING);
      break;
    case 'tensor':
      w.message(5, writeTensor(a.value));
      w.int(20, ATTR_TENSOR);
      break;
    case 'floats':
      w.packedFloats(7, a.value);
      w.int(20, ATTR_FLOATS);
      break;
    case 'ints':
      w.packedInts(8, a.value);
      w.int(20, ATTR_INTS);
      break;
  }
  return w;
}

function writeNode(n: NodeInit): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name !== undefined) w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) w.message(5, writeAttribute(a));
  if (n.domain !== undefined && n.domain !== '') w.string(7, n.domain);
  return w;
}

function writeValueInfo(v: ValueInfoInit): ProtoWriter {
  const tensorType = new ProtoWriter();
  tensorType.int(1, v.elemType);
  if (v.shape !== undefined) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.int(1, d);
      else if (typeof d === 'string') dim.string(2, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  const type = new ProtoWriter();
  type.message(1, tensorType);
  const w = new ProtoWriter();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}

function writeGraph(g: GraphInit): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, writeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, writeTensor(t));
  for (const v of g.inputs) w.message(11, writeValueInfo(v));
  for (const v of g.outputs) w.message(12, writeValueInfo(v));
  for (const v of g.valueInfo ?? []) w.message(13, writeValueInfo(v));
  return w;
}

/** The serialized ModelProto. */
export function encodeModel(m: ModelInit): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  if (m.producerName !== undefined) w.string(2, m.producerName);
  if (m.producerVersion !== undefined) w.string(3, m.producerVersion);
  w.message(7, writeGraph(m.graph));
  for (const o of m.opsetImports) {
    const op = new ProtoWriter();
    op.string(1, o.domain);
    op.int(2, o.version);
    w.message(8, op);
  }
  return w.finish();
}
