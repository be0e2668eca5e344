// Building blocks the encoder-decoder families share, each a pure function of a params record whose
// keys mirror Hugging Face's names ({weight, bias?} for nn.Linear, nn.Embedding and norms), so a
// model file composes them over the checkpoint's own tree: linear, embeddings (learned with an offset,
// sinusoidal), multi-head self/cross attention with a key/value cache, feed-forward, norms, residuals.

export { linear, type LinearParams } from './linear.js';
export { embed, learnedPositions, positionIds, type EmbeddingParams } from './embedding.js';
export { paddedPositionIds, sinusoidalFrequencies, sinusoidalPositions, sinusoidalTable } from './sinusoidal.js';
export {
  crossAttention,
  mergeHeads,
  projectKeyValue,
  selfAttention,
  splitHeads,
  type AttentionProjections,
  type KeyValue,
  type MultiHeadOptions,
} from './attention.js';
export { activation, feedForward, gatedFeedForward, type ActivationName } from './feed-forward.js';
export { alexatmLayerNorm, layerNorm, norm, residual, rmsNorm, type NormKind, type NormParams } from './norms.js';
export { dropoutSites, type Dropout } from './dropout-sites.js';
