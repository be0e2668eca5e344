// Range and consistency checks of typed config fields, shared by the families' constructors. Each
// throws a ConfigError naming the field by its config.json key, the value, and the fix. `ctx` is the
// message prefix, e.g. "t5 config".

import { ConfigError } from './config-error.js';
import { showValue } from './json.js';

export function checkPositiveInt(ctx: string, field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(field, `${ctx}: ${field} must be a positive integer (got ${showValue(value)}); use a whole number ≥ 1`);
  }
}

/** A probability of dropping something: 0 ≤ p < 1. */
export function checkDropRate(ctx: string, field: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(field, `${ctx}: ${field} must be a rate in [0, 1) (got ${showValue(value)}); use 0 to turn it off`);
  }
}

export function checkPositiveNumber(ctx: string, field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, `${ctx}: ${field} must be a finite number > 0 (got ${showValue(value)})`);
  }
}

export function checkBoolean(ctx: string, field: string, value: boolean): void {
  if (typeof value !== 'boolean') {
    throw new ConfigError(field, `${ctx}: ${field} must be true or false (got ${showValue(value)})`);
  }
}

/** A token id must index the embedding matrix; `null` only where the family allows "not set". */
export function checkTokenId(ctx: string, field: string, value: number | null, vocabSize: number, nullable = false): void {
  if (value === null && nullable) return;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) >= vocabSize) {
    throw new ConfigError(
      field,
      `${ctx}: ${field} must be a token id in [0, vocab_size) = [0, ${vocabSize}) (got ${showValue(value)}); fix the id or vocab_size`,
    );
  }
}

export function checkOneOf<T extends string>(ctx: string, field: string, value: T, allowed: readonly T[], why = ''): void {
  if (!allowed.includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a)).join(', ');
    throw new ConfigError(field, `${ctx}: ${field} must be one of ${list} (got ${showValue(value)})${why ? `; ${why}` : ''}`);
  }
}

/** Attention splits the model width evenly over the heads. */
export function checkDivisible(ctx: string, widthField: string, width: number, headsField: string, heads: number): void {
  if (width % heads !== 0) {
    throw new ConfigError(
      widthField,
      `${ctx}: ${widthField} (${width}) must be divisible by ${headsField} (${heads}): each head gets ${widthField} / ${headsField} dimensions; change one of them`,
    );
  }
}
