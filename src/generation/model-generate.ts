// Generation from a compiled model in one call: the batch is expanded to the rows the options need
// (numBeams, or numReturnSequences samples, per source), then generate() runs over the model's Step,
// ended rows leaving the batch.

import type { AnySeq2Seq } from '../models/compiled.js';
import { generate, rowsPerSource, type GenerateOptions } from './generate.js';
import type { Hypothesis } from './hypothesis.js';
import { modelStep } from './model-step.js';

/** The hypotheses of each source (see generate), padding the batch with `padId`. */
export async function generateWithModel(
  model: AnySeq2Seq,
  params: object,
  sources: readonly (readonly number[])[],
  options: GenerateOptions & { readonly padId: number },
): Promise<Hypothesis[][]> {
  const { step, cache, reorder, select } = await modelStep(model, params, sources, options.padId, rowsPerSource(options));
  return generate(step, cache, sources.length, options, reorder, select);
}
