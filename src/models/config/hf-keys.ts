// Which config.json keys polyseq keeps, checks or rejects beyond each family's typed fields — the
// policy for keys Hugging Face's PretrainedConfig accepts on every model. Per-family lists (and each
// family's derived keys) sit in t5.ts, bart.ts and alexatm.ts, next to the typed fields.

import type { JsonValue } from './json.js';

/*
 * The policy, key by key:
 * - typed: a family's own fields — parsed, validated, written back by toHfConfig.
 * - derived: keys Hugging Face computes from typed ones (`num_hidden_layers`, T5's `dense_act_fn` and
 *   `is_gated_act`, `is_encoder_decoder`) or aliases it maps onto them (`hidden_size` → `d_model`): they
 *   must agree when present, and are regenerated (not copied) on write.
 * - kept: keys that change neither the architecture nor the weights (metadata, generation defaults,
 *   output flags, training-only knobs polyseq does not type): kept verbatim in `hfExtras` and written
 *   back, so a config.json read and written again keeps them.
 * - neutral-only: generic switches that would change the architecture away from their neutral value
 *   (NEUTRAL_ONLY_KEYS): kept when neutral, an error otherwise.
 * - anything else, and REJECTED_KEYS: an error naming the key and its value.
 */

/** Kept verbatim for every family: they describe, configure generation or output, or only train. */
export const GENERIC_KEPT_KEYS: ReadonlySet<string> = new Set([
  // metadata
  'architectures',
  '_name_or_path',
  '_commit_hash',
  'transformers_version',
  'torch_dtype',
  'dtype',
  'tokenizer_class',
  'prefix',
  'finetuning_task',
  'problem_type',
  'id2label',
  'label2id',
  'num_labels',
  '_num_labels',
  'task_specific_params',
  // runtime and output flags
  'return_dict',
  'output_hidden_states',
  'output_attentions',
  'torchscript',
  'use_bfloat16',
  'tf_legacy_loss',
  'use_cache',
  'output_past',
  'gradient_checkpointing',
  'chunk_size_feed_forward',
  '_attn_implementation',
  '_attn_implementation_autoset',
  // generation defaults (a decoding concern, never the architecture)
  'max_length',
  'min_length',
  'do_sample',
  'early_stopping',
  'num_beams',
  'num_beam_groups',
  'diversity_penalty',
  'temperature',
  'top_k',
  'top_p',
  'typical_p',
  'repetition_penalty',
  'length_penalty',
  'no_repeat_ngram_size',
  'encoder_no_repeat_ngram_size',
  'bad_words_ids',
  'num_return_sequences',
  'output_scores',
  'return_dict_in_generate',
  'forced_bos_token_id',
  'forced_eos_token_id',
  'remove_invalid_values',
  'exponential_decay_length_penalty',
  'suppress_tokens',
  'begin_suppress_tokens',
  'sep_token_id',
  // classification heads polyseq does not build
  'classifier_dropout',
]);

/** Generic switches that change the architecture unless they hold these values. */
export const NEUTRAL_ONLY_KEYS: Readonly<Record<string, JsonValue>> = {
  is_decoder: false,
  add_cross_attention: false,
  cross_attention_hidden_size: null,
  tie_encoder_decoder: false,
  pruned_heads: {},
};

/** Keys that always stop a load, with the way out. */
export const REJECTED_KEYS: Readonly<Record<string, string>> = {
  quantization_config: 'quantized checkpoints are not supported; use an fp32, fp16 or bf16 checkpoint',
};
