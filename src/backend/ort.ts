// The ONNX Runtime executor: sessions from lowered models, and runs that hand NDArrays to ORT without
// copying (an ort.Tensor wraps the NDArray's typed array) and wrap ORT's outputs as NDArrays.
// bfloat16 crosses the boundary as float32 (onnxruntime-node has no bfloat16 tensors; the lowered model
// casts inside), which is exact both ways but costs one host-side conversion.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DType } from '../core/dtype.js';
import { NDArray } from '../core/ndarray.js';
import { modelBoundary } from './onnx/lower.js';
import type { LoweredOnnx, ModelBoundary } from './onnx/lower.js';

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface OrtSessionOptions {
  /** Execution providers in order of preference (default ["cpu"]). */
  readonly executionProviders?: readonly string[];
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** ORT's log level: 0 verbose … 4 fatal (default 3, errors only). */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

export type OrtSession = ort.InferenceSession;

/** An execution provider that cannot be used here. */
export class ExecutionProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly available: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'ExecutionProviderError';
  }
}

interface BackendInfo {
  readonly name: string;
  readonly bundled: boolean;
}

function supportedBackends(): BackendInfo[] {
  try {
    return ort.listSupportedBackends().map((b) => ({ name: b.name.toLowerCase(), bundled: b.bundled }));
  } catch {
    return [{ name: 'cpu', bundled: true }];
  }
}

/** The execution providers this onnxruntime-node build knows, e.g. "cpu, webgpu, cuda (needs extra libraries)". */
export function describeBackends(): string {
  return supportedBackends()
    .map((b) => (b.bundled ? b.name : `${b.name} (needs extra libraries)`))
    .join(', ');
}

const PROVIDER_LIBRARIES: Readonly<Record<string, string>> = {
  cuda: 'onnxruntime_providers_cuda',
  tensorrt: 'onnxruntime_providers_tensorrt',
};

function bindingDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('onnxruntime-node');
    return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** Whether the shared library of an unbundled provider (CUDA, TensorRT) is installed next to the binding. */
function providerLibraryPresent(provider: string): boolean {
  const lib = PROVIDER_LIBRARIES[provider];
  const dir = bindingDir();
  if (lib === undefined || dir === undefined) return true;
  const file = process.platform === 'win32' ? `${lib}.dll` : process.platform === 'darwin' ? `lib${lib}.dylib` : `lib${lib}.so`;
  return existsSync(path.join(dir, file));
}

function howToGet(provider: string): string {
  switch (provider) {
    case 'cuda':
      return 'To use CUDA, install the CUDA 12 provider libraries: `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` (needs an NVIDIA GPU with the CUDA 12 and cuDNN 9 runtime libraries).';
    case 'tensorrt':
      return 'To use TensorRT, install the CUDA 12 provider libraries (`ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`) and the TensorRT runtime libraries.';
    case 'webgpu':
      return 'WebGPU needs a GPU adapter the bundled Dawn runtime can open (Vulkan on Linux, D3D12 on Windows, Metal on macOS).';
    case 'dml':
      return 'DirectML is only available in the Windows builds of onnxruntime-node.';
    case 'coreml':
      return 'CoreML is only available in the macOS builds of onnxruntime-node.';
    default:
      return 'Use "cpu", which is always available.';
  }
}

function providerError(provider: string, reason: string): ExecutionProviderError {
  const available = supportedBackends().map((b) => b.name);
  return new ExecutionProviderError(
    provider,
    available,
    `execution provider "${provider}" is not available: ${reason}. This onnxruntime-node build (${process.platform}/${process.arch}) lists: ${describeBackends()}. ${howToGet(provider.toLowerCase())}`,
  );
}

function checkProviders(providers: readonly string[]): void {
  const known = supportedBackends();
  for (const raw of providers) {
    const provider = raw.toLowerCase();
    if (provider === 'cpu') continue;
    const info = known.find((b) => b.name === provider);
    if (!info) throw providerError(raw, 'onnxruntime-node was not built with it for this platform');
    if (!info.bundled && !providerLibraryPresent(provider)) {
      throw providerError(raw, `its provider library is not installed next to the onnxruntime-node binding`);
    }
  }
}

/** The IR node named in an ORT error ("n12:unary.erf"), if any. */
const NODE_NAME = /\bn(\d+):([A-Za-z]+(?:\.[A-Za-z]+)?)/;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const sessionBoundaries = new WeakMap<OrtSession, ModelBoundary>();

/**
 * Creates an ONNX Runtime session (sequential execution, CPU memory arena on) for a lowered model or
 * serialized model bytes. A session made from lowerToOnnx/lowerGraph output remembers the model's
 * boundary, so runSession needs no names for it.
 */
export async function createOrtSession(model: Uint8Array | LoweredOnnx, options: OrtSessionOptions = {}): Promise<OrtSession> {
  const modelBytes = model instanceof Uint8Array ? model : model.bytes;
  const boundary = model instanceof Uint8Array ? modelBoundary(model) : model;
  const session = await openSession(modelBytes, options);
  if (boundary) sessionBoundaries.set(session, boundary);
  return session;
}

async function openSession(modelBytes: Uint8Array, options: OrtSessionOptions): Promise<OrtSession> {
  const providers = options.executionProviders ?? ['cpu'];
  checkProviders(providers);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: providers.map((p) => p.toLowerCase()),
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    logSeverityLevel: options.logSeverityLevel ?? 3,
    ...(options.intraOpThreads !== undefined ? { intraOpNumThreads: options.intraOpThreads } : {}),
    ...(options.interOpThreads !== undefined ? { interOpNumThreads: options.interOpThreads } : {}),
  };
  try {
    return await ort.InferenceSession.create(modelBytes, sessionOptions);
  } catch (e) {
    const message = messageOf(e);
    const nonCpu = providers.filter((p) => p.toLowerCase() !== 'cpu');
    if (nonCpu.length > 0 && /provider|backend|adapter|shared library|load library|cuda|webgpu|tensorrt|dml/i.test(message) && !NODE_NAME.test(message)) {
      const culprit = nonCpu.find((p) => message.toLowerCase().includes(p.toLowerCase())) ?? nonCpu[0]!;
      throw providerError(culprit, `ONNX Runtime could not start it (${message.trim()})`);
    }
    const node = NODE_NAME.exec(message);
    const where = node ? ` at IR node ${node[1]} (${node[2]})` : '';
    throw new Error(`ONNX Runtime rejected the lowered model${where}: ${message.trim()}`, { cause: e });
  }
}

const ORT_TYPES = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  bfloat16: 'float32',
  int32: 'int32',
  int64: 'int64',
  bool: 'bool',
} as const satisfies Record<DType, ort.Tensor.Type>;

/** An ort.Tensor viewing an NDArray's data (no copy; bfloat16 is widened to float32). */
export function toOrtTensor(a: NDArray): ort.Tensor {
  const dims = a.shape as number[];
  if (a.dtype === 'bfloat16') {
    const bits = a.data as Uint16Array;
    const wide = new Uint32Array(bits.length);
    for (let i = 0; i < bits.length; i++) wide[i] = bits[i]! << 16;
    return new ort.Tensor('float32', new Float32Array(wide.buffer), dims);
  }
  return new ort.Tensor(ORT_TYPES[a.dtype], a.data, dims);
}

const FROM_ORT: Partial<Record<ort.Tensor.Type, DType>> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int32: 'int32',
  int64: 'int64',
  bool: 'bool',
};

/** An NDArray viewing an ORT output tensor's data (`expected` bfloat16 narrows a float32 tensor). */
export function fromOrtTensor(t: ort.Tensor, expected?: DType): NDArray {
  const dims = t.dims as readonly number[];
  if (expected === 'bfloat16' && t.type === 'float32') {
    const f = t.data as Float32Array;
    const words = new Uint32Array(f.buffer, f.byteOffset, f.length);
    const bits = new Uint16Array(f.length);
    for (let i = 0; i < f.length; i++) bits[i] = words[i]! >>> 16;
    return new NDArray('bfloat16', dims, bits);
  }
  const dtype = FROM_ORT[t.type];
  if (dtype === undefined) throw new TypeError(`ONNX Runtime returned a ${t.type} tensor, which polyseq has no dtype for`);
  let data = t.data;
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    // Newer runtimes may hand out a Float16Array: view the same bits.
    const view = data as unknown as ArrayBufferView & { length: number };
    data = new Uint16Array(view.buffer, view.byteOffset, view.length);
  }
  return new NDArray(dtype, dims, data as NDArray['data']);
}

/**
 * Runs a session: inputs in `inputNames` order, outputs returned in `outputNames` order. The names default
 * to the lowered model's (Graph.inputs / Graph.outputs order), else to the session's; `outputDTypes`
 * (default: the lowered model's) turns float32 outputs that stand for bfloat16 back into bfloat16.
 */
export async function runSession(
  session: OrtSession,
  inputs: readonly NDArray[],
  inputNames?: readonly string[],
  outputNames?: readonly string[],
  outputDTypes?: readonly DType[],
): Promise<NDArray[]> {
  const boundary = sessionBoundaries.get(session);
  inputNames ??= boundary?.inputNames ?? session.inputNames;
  outputNames ??= boundary?.outputNames ?? session.outputNames;
  const names = outputNames;
  const expected: readonly (DType | undefined)[] =
    outputDTypes ?? names.map((name) => (boundary ? boundary.outputDTypes[boundary.outputNames.indexOf(name)] : undefined));
  if (inputs.length !== inputNames.length) {
    throw new RangeError(`runSession: got ${inputs.length} inputs for ${inputNames.length} input names (${inputNames.join(', ')})`);
  }
  const feeds: Record<string, ort.Tensor> = {};
  inputs.forEach((a, i) => (feeds[inputNames[i]!] = toOrtTensor(a)));
  const results = await session.run(feeds, outputNames);
  return names.map((name, i) => {
    const t = results[name];
    if (!t) throw new Error(`ONNX Runtime returned no output named "${name}"`);
    return fromOrtTensor(t as ort.Tensor, expected[i]);
  });
}
