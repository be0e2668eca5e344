// How big a model is, from its config alone: its tensor list (the family's parameter spec), the
// parameter count as transformers counts it, and the bytes its weights take at fp32, bf16 and int8
// (parameters × bytes per value; no buffers, activations, optimizer state or quantization scales).

import { alexatmParamSpec } from './alexatm/param-spec.js';
import { bartParamSpec } from './bart/param-spec.js';
import type { ModelConfig } from './config/model-config.js';
import { checkpointNames, countParameters, stateDictNames, type ParamSpec } from './param-spec.js';
import { t5ParamSpec } from './t5/param-spec.js';

/** The model's tensors with Hugging Face's names and shapes. */
export function paramSpec(config: ModelConfig): readonly ParamSpec[] {
  switch (config.family) {
    case 't5':
      return t5ParamSpec(config);
    case 'bart':
      return bartParamSpec(config);
    case 'alexatm':
      return alexatmParamSpec(config);
  }
}

export const WEIGHT_DTYPE_BYTES = { fp32: 4, bf16: 2, int8: 1 } as const;
export type WeightDType = keyof typeof WEIGHT_DTYPE_BYTES;

export interface ModelSize {
  /** As transformers' num_parameters(): tied weights once, buffers not at all. */
  readonly parameters: number;
  readonly memoryBytes: Readonly<Record<WeightDType, number>>;
  /** Names in the state dict (tied names and persistent buffers included) and in a saved checkpoint (tied names left out). */
  readonly tensors: { readonly stateDict: number; readonly checkpoint: number };
}

export function modelSize(config: ModelConfig): ModelSize {
  const specs = paramSpec(config);
  const parameters = countParameters(specs);
  return {
    parameters,
    memoryBytes: {
      fp32: parameters * WEIGHT_DTYPE_BYTES.fp32,
      bf16: parameters * WEIGHT_DTYPE_BYTES.bf16,
      int8: parameters * WEIGHT_DTYPE_BYTES.int8,
    },
    tensors: { stateDict: stateDictNames(specs).length, checkpoint: checkpointNames(specs).length },
  };
}
