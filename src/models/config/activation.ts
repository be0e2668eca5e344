// Feed-forward activations a config may name, by Hugging Face's ACT2FN names: `gelu` is the exact
// (erf) GELU, `gelu_new` the tanh approximation (T5's gated-gelu uses it), `relu`, and `silu`.

export const ACTIVATIONS = ['gelu', 'gelu_new', 'relu', 'silu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
