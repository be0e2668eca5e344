// polyseq's public API: the compute core (tensors, tracing, autodiff, compile), the neural-network
// compositions built on it, and the optimizers.

export type { DType, TypedArray } from './core/dtype.js';
export type { Dim, Shape } from './core/dim.js';
export { NDArray } from './core/ndarray.js';
export { Tensor } from './core/tensor.js';
export type { SliceSpec, TensorLike } from './core/ops.js';
export * as ops from './core/ops.js';
export { arange, concat, constant, full, oneHot, ones, stack, where, zeros } from './core/constructors.js';
export { bernoulli, foldIn, normal, uniform } from './core/distributions.js';
export { grad, valueAndGrad, vjp } from './core/autodiff.js';
export { compile, spec, trace } from './backend/compile.js';
export type { CompileOptions, Compiled, Materialized, TensorSpec, Traced } from './backend/compile.js';
export type { Graph, Node, Prim } from './core/graph.js';
export type { Tree } from './core/tree.js';
export { lowerToOnnx } from './backend/onnx/lower.js';
export { executeReference } from './backend/reference/executor.js';

export { gelu, logSoftmax, softmax } from './nn/activations.js';
export type { GeluApproximation } from './nn/activations.js';
export { layerNorm, rmsNorm } from './nn/normalization.js';
export { crossEntropy } from './nn/losses.js';
export type { CrossEntropyOptions } from './nn/losses.js';
export { dropout } from './nn/dropout.js';
export { attention, causalMask, paddingMask } from './nn/attention.js';
export type { AttentionOptions } from './nn/attention.js';
export { adamwUpdate, decayMatricesOnly } from './nn/optim/adamw.js';
export type { AdamWOptions, AdamWState } from './nn/optim/adamw.js';
export { sgdMomentumUpdate, sgdUpdate } from './nn/optim/sgd.js';
export { clipByGlobalNorm, globalNorm } from './nn/optim/clip.js';
export { adamwTrainStep, initAdamWState } from './train/train-step.js';
export type { TrainStepOptions, TrainStepResult } from './train/train-step.js';
export { filledArray, normalArray, uniformArray } from './nn/init.js';

// SentencePiece: .model files, exact encoding and decoding.
export { SentencePieceProcessor } from './tokenizer/processor.js';
export type { SampleOptions } from './tokenizer/processor.js';
export {
  DEFAULT_NORMALIZER_SPEC,
  DEFAULT_TRAINER_SPEC,
  ModelFormatError,
  parseModelProto,
  serializeModelProto,
} from './tokenizer/model-proto.js';
export type { ModelPiece, ModelProto, ModelType, NormalizerSpec, PieceType, SelfTestSample, TrainerSpec } from './tokenizer/model-proto.js';
export { Normalizer } from './tokenizer/normalizer.js';
export type { NormalizerOptions } from './tokenizer/normalizer.js';
export { Charsmap, CharsmapError, parseRuleTsv } from './tokenizer/charsmap.js';
export { trainSentencePiece } from './tokenizer/trainer/train.js';
export type { TrainOptions, TrainProgress } from './tokenizer/trainer/train.js';
export { Vocabulary } from './tokenizer/vocabulary.js';
export type { AddedToken, SpecialName } from './tokenizer/vocabulary.js';
