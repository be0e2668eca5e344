// Decoder inputs built from the labels when a teacher-forced batch leaves them out, as transformers
// builds them: BART and M2M100/NLLB (modeling_bart/m2m_100.py `shift_tokens_right(labels, pad,
// decoder_start_token_id)`) put decoder_start_token_id first; mBART (modeling_mbart.py
// `shift_tokens_right(labels, pad)`, which has no start token) rotates each row so that its last
// non-pad token — the target language code, as MBartTokenizer ends a target with `</s> lang_code` —
// comes first. Both replace -100 by pad first; rows are padded on the right.

import { arange, concat, full, where } from '../../core/constructors.js';
import type { Tensor } from '../../core/tensor.js';
import type { AlexaTMConfig } from '../config/alexatm.js';
import type { BartConfig } from '../config/bart.js';

/** labels (B, T) with -100 replaced by pad. */
function padIgnored(labels: Tensor, padTokenId: number): Tensor {
  return where(labels.eq(-100), padTokenId, labels); // (B, T)
}

/** labels (B, T) → [decoder_start_token_id, labels[:, :-1]] (B, T), -100 → pad: BART's and M2M100's shift_tokens_right. */
export function shiftTokensRight(labels: Tensor, padTokenId: number, decoderStartTokenId: number): Tensor {
  const start = full([labels.shape[0]!, 1], decoderStartTokenId, labels.dtype); // (B, 1)
  return padIgnored(concat([start, labels.slice({ 1: { end: -1 } })], 1), padTokenId); // (B, T)
}

/**
 * labels (B, T) → [labels[b, n_b − 1], labels[b, :-1]] (B, T) with -100 → pad, where n_b counts the
 * row's non-pad tokens: mBART's shift_tokens_right. (A row of padding only — an error in transformers —
 * starts with 0.)
 */
export function mbartShiftTokensRight(labels: Tensor, padTokenId: number): Tensor {
  const tokens = padIgnored(labels, padTokenId); // (B, T)
  const last = tokens.ne(padTokenId).cast(tokens.dtype).sum(1, true).sub(1); // (B, 1): index of the last non-pad token
  const atLast = arange(tokens.shape[1]!, tokens.dtype).unsqueeze(0).eq(last); // (B, T)
  const start = where(atLast, tokens, 0).sum(1, true); // (B, 1)
  return concat([start, tokens.slice({ 1: { end: -1 } })], 1); // (B, T)
}

/** The decoder inputs transformers builds from `labels` (B, T) for this model_type. */
export function decoderInputsFromLabels(labels: Tensor, config: Pick<BartConfig, 'modelType' | 'padTokenId' | 'decoderStartTokenId'> | AlexaTMConfig): Tensor {
  if (config.modelType === 'mbart') return mbartShiftTokensRight(labels, config.padTokenId);
  if (config.decoderStartTokenId === null) {
    throw new TypeError(`${config.modelType} forward: the batch has no decoderInputIds and the config has no decoder_start_token_id to shift the labels behind; pass decoderInputIds`);
  }
  return shiftTokensRight(labels, config.padTokenId, config.decoderStartTokenId);
}
