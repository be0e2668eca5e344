// polyseq's public API: the compute core (tensors, tracing, autodiff, compile), the neural-network
// compositions built on it, the optimizers, the tokenizer, the model families, the data pipeline,
// training, and generation.

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

// Model families (T5/mT5, BART/mBART/M2M100/NLLB, AlexaTM): configs, presets, parameters, checkpoints.
export type { ModelConfig, ModelFamily } from './models/config/model-config.js';
export { fromHfConfig, hfConfigText, MODEL_TYPES, toHfConfig } from './models/config/model-config.js';
export { ConfigError } from './models/config/config-error.js';
export { readConfigFile, writeConfigFile } from './models/config/config-file.js';
export { t5Config } from './models/config/t5.js';
export type { T5Config, T5Options } from './models/config/t5.js';
export { bartConfig } from './models/config/bart.js';
export type { BartConfig, BartOptions } from './models/config/bart.js';
export { alexatmConfig } from './models/config/alexatm.js';
export type { AlexaTMConfig, AlexaTMOptions } from './models/config/alexatm.js';
export { isPresetName, PRESET_NAMES, PRESETS, presetConfig } from './models/presets.js';
export type { PresetName } from './models/presets.js';
export { modelSize, paramSpec, WEIGHT_DTYPE_BYTES } from './models/model-size.js';
export type { ModelSize, WeightDType } from './models/model-size.js';
export type { ParamSpec } from './models/param-spec.js';
export { initParams } from './models/init.js';
export { initT5Params } from './models/t5/params.js';
export type { T5Params } from './models/t5/params.js';
export type { AlexaTMParams } from './models/alexatm/model.js';
export type { BartBatch, BartParams } from './models/bart/model.js';
export { decoderInputsFromLabels, mbartShiftTokensRight, shiftTokensRight } from './models/bart/shift.js';
export { checkPositions, compileSeq2Seq, maxPositions } from './models/compiled.js';
export type { CompiledSeq2Seq, CompileModelOptions } from './models/compiled.js';
export { seq2seqSpecs } from './models/seq2seq.js';
export type { DecoderCache, ForwardOptions, ForwardResult, Seq2SeqBatch } from './models/seq2seq.js';
export { loadModel, saveModel } from './models/checkpoint.js';
export type { LoadedAlexaTM, LoadedBart, LoadedModel } from './models/checkpoint.js';
export { loadT5, saveT5 } from './models/t5/checkpoint.js';
export type { LoadedT5, SaveT5Options } from './models/t5/checkpoint.js';
export { SafetensorsFile, writeSafetensors } from './models/weights/safetensors.js';
export type { SafetensorsDType, SafetensorsMetadata, TensorEntries } from './models/weights/safetensors.js';
export { openCheckpointWeights, ShardedSafetensors, writeCheckpointWeights } from './models/weights/sharded.js';
export type { WriteCheckpointOptions } from './models/weights/sharded.js';
export { WeightFileError } from './models/weights/weight-reader.js';
export type { WeightReader } from './models/weights/weight-reader.js';
export { compileAnySeq2Seq, entrySpecs, familyOf } from './models/compiled.js';
export type { AnyConfig, AnySeq2Seq } from './models/compiled.js';
export { forwardFlops, trainingFlops } from './models/model-flops.js';

// The data pipeline: resumable streams of documents and examples, sources, mixtures, objectives.
export type { DataStream, JsonValue } from './data/stream.js';
export { take } from './data/stream.js';
export type { Example, TextDocument, TokenDocument } from './data/example.js';
export { DataRng, deriveKey } from './data/rng.js';
export { arrayStream, mapStream } from './data/map.js';
export { textFileSource } from './data/sources/text-file.js';
export { jsonlFileSource } from './data/sources/jsonl-file.js';
export { languageFiles } from './data/sources/language-files.js';
export { countSource } from './data/sources/count.js';
export { languageRates, mixStreams } from './data/mixture.js';
export { mixtureOf, taskStream } from './data/task.js';
export type { Task, RatedTask, OutputFeature } from './data/task.js';
export { batchStream, LABEL_PADDING, makeBatch } from './data/batch.js';
export type { Batch } from './data/batch.js';
export { denoise } from './data/preprocessors/denoise.js';
export { causalLm } from './data/preprocessors/clm.js';
export { spanCorruption, t5Sentinels } from './data/preprocessors/span-corruption.js';
export { ul2, UL2_DENOISERS } from './data/preprocessors/ul2.js';
export { packDocuments } from './data/preprocessors/pack.js';
export { poissonSpansNoiseMask, randomSpansNoiseMask } from './data/preprocessors/noise-mask.js';
export { translationExample } from './data/preprocessors/translation.js';

// Training: the trainer, schedules, checkpoints, pretraining and fine-tuning runs.
export { gradientStep, adamwApplyStep } from './train/train-step.js';
export { initTrainState, Trainer } from './train/trainer.js';
export type { OptimizerOptions, StepResult, TrainerOptions, TrainState } from './train/trainer.js';
export { learningRate } from './train/schedule.js';
export type { ScheduleKind, ScheduleOptions } from './train/schedule.js';
export { decaysWeight } from './train/decay-mask.js';
export { listCheckpoints, loadTrainCheckpoint, saveTrainCheckpoint } from './train/train-checkpoint.js';
export { pretrain } from './train/pretrain.js';
export { defaultSettings } from './train/pretrain-settings.js';
export type { PretrainSettings } from './train/pretrain-settings.js';

// Generation: search over a step(tokens, cache) → logits function, and scoring.
export { generate, generateText } from './generation/generate.js';
export type { GenerateOptions } from './generation/generate.js';
export { generateWithModel } from './generation/model-generate.js';
export { modelStep } from './generation/model-step.js';
export type { HostCache } from './generation/model-step.js';
export { streamGenerate } from './generation/stream.js';
export { scoreTargets } from './generation/score.js';
export type { Step, Reorder, Select } from './generation/step.js';
export type { Hypothesis } from './generation/hypothesis.js';
