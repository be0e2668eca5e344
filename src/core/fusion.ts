// Fusion hints: a composite (softmax, layer norm, GELU) built from primitives marks its output node
// with the ONNX operator that computes the same thing, so the lowering can emit that one operator when
// nothing outside the composite needs its intermediates (inference graphs); otherwise the primitives run.

import type { Fusion } from './graph.js';
import type { Tensor } from './tensor.js';

/** Build a composite with `body` and mark its output as fusable into `op` applied to `inputs`. */
export function fused(op: Fusion['op'], inputs: readonly Tensor[], attrs: Fusion['attrs'], body: () => Tensor): Tensor {
  const builder = inputs[0]!.builder;
  const first = builder.nodes.length;
  const out = body();
  if (out.node.id < first) return out;
  const interior: number[] = [];
  for (let id = first; id < out.node.id; id++) interior.push(id);
  out.node.fusion = { op, inputs: inputs.map((t) => t.node.id), attrs, interior };
  return out;
}
