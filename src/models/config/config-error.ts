// The error every model-config check throws. It carries the offending field (the Hugging Face
// config.json key, e.g. `d_model`) so callers and tests can tell which one failed; the message names
// the value and the way out.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The config.json key at fault (for a consistency error, the first of the keys involved). */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
