// `polyseq info [--json]`: versions, the execution providers onnxruntime-node reports, the CPU, and
// whether ONNX Runtime's CUDA provider libraries are installed (they are not by default: .npmrc makes
// onnxruntime-node skip that download; README "GPU" says how to opt in).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { CliIo, RegisterCommand } from './io.js';
import { polyseqVersion } from './package-version.js';

export interface ProviderInfo {
  readonly name: string;
  /** False when onnxruntime-node supports the provider but ships its libraries separately (CUDA, TensorRT). */
  readonly bundled: boolean;
}

export interface PolyseqInfo {
  readonly polyseq: string;
  readonly node: string;
  readonly onnxruntime: string;
  readonly platform: string;
  readonly arch: string;
  readonly providers: readonly ProviderInfo[];
  readonly cpu: { readonly model: string; readonly cores: number };
  readonly cuda: {
    /** Whether onnxruntime-node's CUDA provider libraries are present in its binary folder. */
    readonly providerInstalled: boolean;
    /** The folder where onnxruntime-node looks for them. */
    readonly libraryDir: string;
    /** First line of /proc/driver/nvidia/version, or null where there is no NVIDIA driver (or not Linux). */
    readonly nvidiaDriver: string | null;
  };
}

const CUDA_PROVIDER_FILES: Readonly<Record<string, readonly string[]>> = {
  linux: ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'],
  win32: ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'],
};

/** onnxruntime-node's folder of native binaries for this platform (bin/napi-v6/PLATFORM/ARCH). */
function ortLibraryDir(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
}

function nvidiaDriverVersion(): string | null {
  try {
    const text = readFileSync('/proc/driver/nvidia/version', 'utf8');
    return text.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

export async function collectInfo(): Promise<PolyseqInfo> {
  // Imported here, not at the top: loading the native binding is only worth it for this command.
  const ort = await import('onnxruntime-node');
  const cpus = os.cpus();
  const libraryDir = ortLibraryDir();
  const cudaFiles = CUDA_PROVIDER_FILES[process.platform] ?? [];
  return {
    polyseq: polyseqVersion(),
    node: process.versions.node,
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    platform: process.platform,
    arch: process.arch,
    providers: ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled })),
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism() },
    cuda: {
      providerInstalled: cudaFiles.length > 0 && cudaFiles.every((f) => existsSync(path.join(libraryDir, f))),
      libraryDir,
      nvidiaDriver: nvidiaDriverVersion(),
    },
  };
}

export function formatInfo(info: PolyseqInfo): string {
  const providers = info.providers.map((p) => (p.bundled ? p.name : `${p.name} (not bundled)`)).join(', ');
  const supportsCuda = info.providers.some((p) => p.name === 'cuda');
  const cuda = info.cuda.providerInstalled
    ? `installed in ${info.cuda.libraryDir}`
    : supportsCuda
      ? 'not installed (README "GPU": ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js)'
      : 'not available on this platform';
  const rows: [string, string][] = [
    ['polyseq', info.polyseq],
    ['node', info.node],
    ['onnxruntime-node', info.onnxruntime],
    ['platform', `${info.platform} ${info.arch}`],
    ['cpu', `${info.cpu.model}, ${info.cpu.cores} logical cores`],
    ['providers', providers],
    ['cuda provider', cuda],
    ['nvidia driver', info.cuda.nvidiaDriver ?? 'none found'],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}\n`).join('');
}

export const registerInfo: RegisterCommand = (program, io: CliIo) => {
  program
    .command('info')
    .description('show versions, ONNX Runtime execution providers, CPU and CUDA status')
    .option('--json', 'print one line of JSON')
    .action(async (options: { json?: boolean }) => {
      const info = await collectInfo();
      io.out(options.json === true ? `${JSON.stringify(info)}\n` : formatInfo(info));
    });
};
