// Executors run a traced Graph. `ort` lowers it to ONNX and runs it in an ONNX Runtime session (CPU by
// default, or the execution providers asked for); `reference` interprets it in plain TypeScript, the
// slow oracle that tests compare against. Both take and return NDArrays.

import type { Graph } from '../core/graph.js';
import type { NDArray } from '../core/ndarray.js';
import { lowerToOnnx } from './onnx/lower.js';
import { createOrtSession, runSession } from './ort.js';
import { executeReference } from './reference/executor.js';

export interface ExecutorOptions {
  /** ONNX Runtime execution providers in order of preference, e.g. ['cuda', 'cpu']. Default ['cpu']. */
  executionProviders?: string[];
  /** Threads for one operator (ONNX Runtime intra-op pool). Default: ONNX Runtime's choice (all cores). */
  intraOpThreads?: number;
  /** Emit fused ONNX operators (Softmax, LayerNormalization, Gelu) for recognised compositions. Default true. */
  fuse?: boolean;
}

export interface Executable {
  run(inputs: readonly NDArray[]): Promise<NDArray[]>;
  release(): Promise<void>;
}

export interface Executor {
  prepare(graph: Graph): Promise<Executable>;
}

export const referenceExecutor: Executor = {
  prepare: async (graph) => ({
    run: async (inputs) => executeReference(graph, inputs),
    release: async () => {},
  }),
};

export function ortExecutor(options: ExecutorOptions = {}): Executor {
  return {
    prepare: async (graph) => {
      const model = lowerToOnnx(graph, { fuse: options.fuse ?? true });
      const session = await createOrtSession(model, {
        ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
        ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}),
      });
      return {
        run: (inputs) => runSession(session, inputs),
        release: () => session.release(),
      };
    },
  };
}

export function executorFor(kind: 'ort' | 'reference', options: ExecutorOptions = {}): Executor {
  return kind === 'reference' ? referenceExecutor : ortExecutor(options);
}
