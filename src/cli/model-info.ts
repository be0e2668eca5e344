// `polyseq model info (--preset NAME | --model DIR) [--json]`: a model's configuration (as the
// config.json it would save), its parameter count (from the parameter spec; no weights allocated) and
// the memory its weights take at fp32, bf16 and int8. --model reads DIR/config.json. With --json, one
// line: {"source":..,"model_type":..,"family":..,"parameters":N,"memory_bytes":{"fp32":..,"bf16":..,"int8":..},"tensors":..,"config":{..}}.

import { readConfigFile } from '../models/config/config-file.js';
import type { JsonObject } from '../models/config/json.js';
import { toHfConfig, type ModelConfig } from '../models/config/model-config.js';
import { modelSize, WEIGHT_DTYPE_BYTES, type WeightDType } from '../models/model-size.js';
import { PRESET_NAMES, presetConfig } from '../models/presets.js';
import type { CliIo, RegisterCommand } from './io.js';

export type ModelSource = { readonly preset: string } | { readonly model: string };

export interface ModelInfo {
  readonly source: ModelSource;
  readonly model_type: string;
  readonly family: ModelConfig['family'];
  readonly parameters: number;
  readonly memory_bytes: Readonly<Record<WeightDType, number>>;
  /** Tensor names in the state dict (tied names and persistent buffers included) and in a saved checkpoint. */
  readonly tensors: { readonly state_dict: number; readonly checkpoint: number };
  readonly config: JsonObject;
}

export function modelInfo(source: ModelSource): ModelInfo {
  const config = 'preset' in source ? presetConfig(source.preset) : readConfigFile(source.model);
  const size = modelSize(config);
  return {
    source,
    model_type: config.modelType,
    family: config.family,
    parameters: size.parameters,
    memory_bytes: size.memoryBytes,
    tensors: { state_dict: size.tensors.stateDict, checkpoint: size.tensors.checkpoint },
    config: toHfConfig(config),
  };
}

/** 60506624 → "60.51M"; 19707518976 → "19.71B". */
function shortCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)}K`;
  return String(n);
}

/** Bytes in binary units: 242026496 → "230.8 MiB". */
function shortBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatModelInfo(info: ModelInfo): string {
  const source = 'preset' in info.source ? `preset ${info.source.preset}` : `${info.source.model}/config.json`;
  const memory = (Object.keys(WEIGHT_DTYPE_BYTES) as WeightDType[])
    .map((dtype) => `${dtype} ${shortBytes(info.memory_bytes[dtype])}`)
    .join(', ');
  const rows: [string, string][] = [
    ['source', source],
    ['model_type', `${info.model_type} (${info.family} family)`],
    ['parameters', `${info.parameters.toLocaleString('en-US')} (${shortCount(info.parameters)})`],
    ['memory', `${memory} (weights only)`],
    ['tensors', `${info.tensors.state_dict} in the state dict, ${info.tensors.checkpoint} in a saved checkpoint`],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  const table = rows.map(([key, value]) => `${key.padEnd(width)}  ${value}\n`).join('');
  return `${table}config.json:\n${JSON.stringify(info.config, null, 2)}\n`;
}

interface ModelInfoOptions {
  preset?: string;
  model?: string;
  json?: boolean;
}

export const registerModel: RegisterCommand = (program, io: CliIo) => {
  const model = program.command('model').description('model configurations: presets and Hugging Face checkpoint folders');
  model
    .command('info')
    .description('show a model configuration, its parameter count and the memory its weights take')
    .option('--preset <name>', `a named configuration: ${PRESET_NAMES.join(', ')}`)
    .option('--model <dir>', 'a checkpoint folder in the Hugging Face layout (reads DIR/config.json)')
    .option('--json', 'print one line of JSON')
    .action((options: ModelInfoOptions) => {
      if ((options.preset === undefined) === (options.model === undefined)) {
        throw new Error(`give exactly one of --preset NAME or --model DIR (presets: ${PRESET_NAMES.join(', ')})`);
      }
      const source: ModelSource = options.preset !== undefined ? { preset: options.preset } : { model: options.model as string };
      const info = modelInfo(source);
      io.out(options.json === true ? `${JSON.stringify(info)}\n` : formatModelInfo(info));
    });
};
