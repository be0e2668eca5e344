// Compiles a normalization rule table into SentencePiece's precompiled charsmap (builder.cc,
// CompileCharsMap): <uint32 LE: trie bytes><Darts-clone double array over the UTF-8 sources, each value
// the offset of its replacement><replacements, UTF-8, each ended by a zero byte, in code-point order>.
// Charsmaps of the named normalizations are built here from JavaScript's Unicode data, once per process.

import { compareCodePoints } from './code-point-order.js';
import { buildDoubleArray, compareBytes, type DoubleArrayEntry } from './double-array.js';
import { NORMALIZATION_RULE_NAMES, isNormalizationRuleName, namedNormalizationRules } from './normalization-rules.js';

/** SentencePiece's normalizer reads at most this many prefix matches per position (normalizer.h). */
export const MAX_TRIE_RESULTS = 32;

const utf8 = new TextEncoder();

/** The precompiled charsmap of a rule table (source → replacement). */
export function compileCharsMap(rules: ReadonlyMap<string, string>): Uint8Array {
  if (rules.size === 0) throw new RangeError('a charsmap needs at least one rule (got none); the identity normalization has no charsmap');
  // Each distinct replacement is stored once.
  const targets = [...new Set(rules.values())].sort(compareCodePoints);
  const targetOffset = new Map<string, number>();
  const targetBytes: Uint8Array[] = [];
  let normalizedSize = 0;
  for (const target of targets) {
    const bytes = utf8.encode(target);
    targetOffset.set(target, normalizedSize);
    targetBytes.push(bytes);
    normalizedSize += bytes.length + 1;
  }
  const entries: DoubleArrayEntry[] = [];
  for (const [source, target] of rules) {
    if (source === '' || source.includes('\u0000')) {
      throw new RangeError(`charsmap rule source ${JSON.stringify(source)} must be non-empty and contain no U+0000`);
    }
    entries.push({ key: utf8.encode(source), value: targetOffset.get(target) as number });
  }
  entries.sort((a, b) => compareBytes(a.key, b.key));
  checkSharedPrefixes(entries);
  const units = buildDoubleArray(entries);
  const blob = new Uint8Array(4 + units.length * 4 + normalizedSize);
  const view = new DataView(blob.buffer);
  view.setUint32(0, units.length * 4, true);
  for (let i = 0; i < units.length; i++) view.setUint32(4 + 4 * i, units[i] as number, true);
  let at = 4 + units.length * 4;
  for (const bytes of targetBytes) {
    blob.set(bytes, at);
    at += bytes.length + 1; // the zero byte is already there
  }
  return blob;
}

/** SentencePiece's normalizer would silently miss rules past MAX_TRIE_RESULTS prefixes of one key. */
function checkSharedPrefixes(sorted: readonly DoubleArrayEntry[]): void {
  // In sorted order, the keys that are prefixes of a key form a chain on a stack.
  const stack: Uint8Array[] = [];
  for (const { key } of sorted) {
    while (stack.length > 0 && !isPrefix(stack[stack.length - 1] as Uint8Array, key)) stack.pop();
    stack.push(key);
    if (stack.length >= MAX_TRIE_RESULTS) {
      throw new RangeError(
        `charsmap rule ${JSON.stringify(new TextDecoder().decode(key))} has ${stack.length} rules that are prefixes of it; SentencePiece allows fewer than ${MAX_TRIE_RESULTS}`,
      );
    }
  }
}

function isPrefix(prefix: Uint8Array, key: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== key[i]) return false;
  return true;
}

const namedCache = new Map<string, Uint8Array>();

/**
 * The precompiled charsmap of a named normalization, built from this JavaScript engine's Unicode data
 * (cached per process); empty for `identity`.
 */
export function namedCharsMap(name: string): Uint8Array {
  if (!isNormalizationRuleName(name)) {
    throw new RangeError(`unknown normalization rule name ${JSON.stringify(name)}; use one of ${NORMALIZATION_RULE_NAMES.join(', ')} (or a rule TSV file)`);
  }
  let blob = namedCache.get(name);
  if (blob === undefined) {
    blob = name === 'identity' ? new Uint8Array(0) : compileCharsMap(namedNormalizationRules(name));
    namedCache.set(name, blob);
  }
  return blob;
}
