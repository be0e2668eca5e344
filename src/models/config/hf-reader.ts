// Reads typed fields out of a parsed config.json, with the class's default where a key is absent, and
// sorts the keys left over by the policy of hf-keys.ts. Type errors (a string where a number belongs)
// throw here, naming the key; ranges are checked by each family's constructor.

import { ConfigError } from './config-error.js';
import { GENERIC_KEPT_KEYS, NEUTRAL_ONLY_KEYS, REJECTED_KEYS } from './hf-keys.js';
import { jsonEqual, showValue, type JsonObject, type JsonValue } from './json.js';

export class HfConfigReader {
  private readonly values: Map<string, JsonValue>;
  private readonly used = new Set<string>();

  constructor(
    json: JsonObject,
    /** Message prefix, e.g. `t5 config`. */
    private readonly ctx: string,
  ) {
    this.values = new Map(Object.entries(json));
  }

  /** Hugging Face's attribute_map: `alias` stands for `target` when `target` is absent; both present must agree. */
  alias(alias: string, target: string): void {
    if (!this.values.has(alias)) return;
    this.used.add(alias);
    const value = this.values.get(alias) as JsonValue;
    if (!this.values.has(target)) {
      this.values.set(target, value);
      return;
    }
    const targetValue = this.values.get(target) as JsonValue;
    if (!jsonEqual(value, targetValue)) {
      throw new ConfigError(
        alias,
        `${this.ctx}: ${alias} (${showValue(value)}) disagrees with ${target} (${showValue(targetValue)}), which Hugging Face reads it as; remove ${alias} or make them equal`,
      );
    }
  }

  private take(key: string): JsonValue | undefined {
    this.used.add(key);
    return this.values.get(key);
  }

  private typeError(key: string, expected: string, value: JsonValue): ConfigError {
    return new ConfigError(key, `${this.ctx}: ${key} must be ${expected} (got ${showValue(value)})`);
  }

  number(key: string, fallback: number): number {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number') throw this.typeError(key, 'a number', value);
    return value;
  }

  /** A number that may be `null` (e.g. a token id a family leaves unset). */
  numberOrNull(key: string, fallback: number | null): number | null {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (value !== null && typeof value !== 'number') throw this.typeError(key, 'a number or null', value);
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw this.typeError(key, 'true or false', value);
    return value;
  }

  string(key: string, fallback: string): string {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') throw this.typeError(key, 'a string', value);
    return value;
  }

  /**
   * A key Hugging Face derives from the typed fields, or one the class fixes: when present it must
   * equal `expected`. `source` says where `expected` comes from, e.g. `encoder_layers (12)`.
   */
  derived(key: string, expected: JsonValue, source: string): void {
    if (!this.values.has(key)) return;
    const value = this.take(key) as JsonValue;
    if (!jsonEqual(value, expected)) {
      throw new ConfigError(
        key,
        `${this.ctx}: ${key} is ${showValue(value)}, but ${source} makes it ${showValue(expected)}; remove ${key} or make it ${showValue(expected)}`,
      );
    }
  }

  /**
   * The keys not read yet: those kept by policy (generic, neutral-valued, or in `familyKept`) come back
   * in file order; any other key throws, naming it.
   */
  rest(familyKept: ReadonlySet<string>): JsonObject {
    const kept: Record<string, JsonValue> = {};
    for (const [key, value] of this.values) {
      if (this.used.has(key)) continue;
      const rejected = REJECTED_KEYS[key];
      if (rejected !== undefined) throw new ConfigError(key, `${this.ctx}: ${key} is set (${showValue(value)}): ${rejected}`);
      const neutral = NEUTRAL_ONLY_KEYS[key];
      if (neutral !== undefined) {
        if (!jsonEqual(value, neutral)) {
          throw new ConfigError(
            key,
            `${this.ctx}: ${key} is ${showValue(value)}, an architecture polyseq does not implement; only ${showValue(neutral)} is supported`,
          );
        }
      } else if (!GENERIC_KEPT_KEYS.has(key) && !familyKept.has(key)) {
        throw new ConfigError(
          key,
          `${this.ctx}: unknown key ${key} (value ${showValue(value)}); polyseq cannot tell whether it changes the architecture — remove it if it does not`,
        );
      }
      kept[key] = value;
    }
    return kept;
  }
}
