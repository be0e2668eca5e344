// Rule tables of SentencePiece's named normalizations (nfkc, nmt_nfkc, nfkc_cf, nmt_nfkc_cf, identity),
// generated from JavaScript's own Unicode data as SentencePiece's builder.cc generates them from ICU:
// NFKC of every code point, compositions of every NFKD-decomposed sequence, the NMT additions (spaces
// and control characters), case folding, and the removal of rules that shorter rules already imply.
// A rule table maps a source string to its replacement; the normalizer applies the longest match.
// namedCharsMap compiles a named table into the precompiled charsmap a NormalizerSpec carries.

import { Charsmap } from '../charsmap.js';
import { foldCase, simpleCaseFoldings } from './case-fold.js';

/** Source string (one or more code points) → replacement (possibly empty). */
export type NormalizationRules = Map<string, string>;

export const NORMALIZATION_RULE_NAMES = ['nmt_nfkc', 'nfkc', 'nmt_nfkc_cf', 'nfkc_cf', 'identity'] as const;
export type NormalizationRuleName = (typeof NORMALIZATION_RULE_NAMES)[number];

export function isNormalizationRuleName(name: string): name is NormalizationRuleName {
  return (NORMALIZATION_RULE_NAMES as readonly string[]).includes(name);
}

/** U_IS_UNICODE_CHAR: a code point that is neither a surrogate nor a noncharacter. */
function isUnicodeChar(cp: number): boolean {
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp >= 0xfdd0 && cp <= 0xfdef) return false;
  return (cp & 0xfffe) !== 0xfffe;
}

function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * NFKC as rules: each code point whose NFKC differs from itself, and each sequence of characters whose
 * NFKD is a multi-character decomposition that NFC recomposes (such as "e" + U+0301 → "é", or a
 * fullwidth letter + a combining mark), expanded over every character that decomposes to each part.
 */
export function nfkcRules(): NormalizationRules {
  const rules: NormalizationRules = new Map();
  /** For a fully decomposed character x, the other code points whose NFKD is exactly x. */
  const sources = new Map<string, string[]>();
  const decomposed = new Set<string>();
  for (let cp = 1; cp <= 0x10ffff; cp++) {
    if (!isUnicodeChar(cp)) continue;
    const text = String.fromCodePoint(cp);
    const nfkc = text.normalize('NFKC');
    if (nfkc !== text) rules.set(text, nfkc);
    const nfkd = text.normalize('NFKD');
    if (nfkd === text) continue;
    if (codePointCount(nfkd) === 1) {
      const list = sources.get(nfkd);
      if (list === undefined) sources.set(nfkd, [text]);
      else list.push(text);
    } else {
      decomposed.add(nfkd);
    }
  }
  for (const nfkd of decomposed) {
    const nfc = nfkd.normalize('NFC');
    if (nfc === nfkd) continue;
    // Every spelling whose characters decompose one-to-one to the characters of nfkd.
    let spellings = [''];
    for (const part of nfkd) {
      const options = [part, ...(sources.get(part) ?? [])];
      const next: string[] = [];
      for (const prefix of spellings) for (const option of options) next.push(prefix + option);
      spellings = next;
    }
    for (const spelling of spellings) if (spelling !== nfc) rules.set(spelling, nfc);
  }
  return removeRedundantRules(rules);
}

/** Whitespace-like code points the NMT rules turn into a space. */
const NMT_SPACES = [0x09, 0x0a, 0x0c, 0x0d, 0x1680, 0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0x2581, 0xfeff, 0xfffd, 0x200c];
/** Control characters the NMT rules delete. */
const NMT_DELETED = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0b, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
  0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x7f, 0x8f, 0x9f,
];
/** FULLWIDTH TILDE stays: in Japanese it is used differently from the ASCII tilde. */
const NMT_KEPT = 0xff5e;

/** NFKC plus SentencePiece's NMT additions (builder.cc, BuildNmtNFKCMap). */
export function nmtNfkcRules(): NormalizationRules {
  const rules = nfkcRules();
  for (const cp of NMT_SPACES) rules.set(String.fromCodePoint(cp), ' ');
  for (const cp of NMT_DELETED) rules.set(String.fromCodePoint(cp), '');
  rules.delete(String.fromCodePoint(NMT_KEPT));
  return removeRedundantRules(rules);
}

/** Case folding merged into a rule table (builder.cc, MergeUnicodeCaseFoldMap): targets folded, and a
 *  folding rule for every code point without a rule of its own. */
export function withCaseFolding(rules: NormalizationRules): NormalizationRules {
  const folded: NormalizationRules = new Map();
  for (const [source, target] of rules) {
    let out = '';
    for (const ch of target) out += String.fromCodePoint(foldCase(ch.codePointAt(0) as number));
    folded.set(source, out);
  }
  for (const [cp, target] of simpleCaseFoldings()) {
    if (!isUnicodeChar(cp)) continue;
    const source = String.fromCodePoint(cp);
    if (!folded.has(source)) folded.set(source, String.fromCodePoint(target));
  }
  return removeRedundantRules(folded);
}

const cache = new Map<NormalizationRuleName, NormalizationRules>();

/** The rule table of a named normalization, built once per process (a few seconds for the NFKC ones). */
export function namedNormalizationRules(name: NormalizationRuleName): ReadonlyMap<string, string> {
  let rules = cache.get(name);
  if (rules === undefined) {
    if (name === 'identity') rules = new Map();
    else if (name === 'nfkc') rules = nfkcRules();
    else if (name === 'nmt_nfkc') rules = nmtNfkcRules();
    else if (name === 'nfkc_cf') rules = withCaseFolding(new Map(namedNormalizationRules('nfkc')));
    else rules = withCaseFolding(new Map(namedNormalizationRules('nmt_nfkc')));
    cache.set(name, rules);
  }
  return rules;
}

/**
 * Applies `rules` to the code points of `source` greedily, longest match first, looking at most
 * `maxLength` code points ahead; characters without a rule are kept (builder.cc, Normalize).
 */
export function applyRules(rules: ReadonlyMap<string, string>, source: readonly string[], maxLength: number): string {
  let out = '';
  for (let i = 0; i < source.length; ) {
    let matched = 0;
    for (let len = Math.min(maxLength, source.length - i); len >= 1; len--) {
      const key = len === 1 ? (source[i] as string) : source.slice(i, i + len).join('');
      const target = rules.get(key);
      if (target !== undefined) {
        out += target;
        matched = len;
        break;
      }
    }
    if (matched === 0) {
      out += source[i] as string;
      matched = 1;
    }
    i += matched;
  }
  return out;
}

/**
 * Keeps single-character rules and only those longer rules whose result the shorter rules do not
 * already produce (builder.cc, RemoveRedundantMap); throws if the result would normalize differently.
 */
export function removeRedundantRules(rules: NormalizationRules): NormalizationRules {
  const kept: NormalizationRules = new Map();
  const byLength = new Map<number, [string[], string, string][]>();
  for (const [source, target] of rules) {
    const chars = [...source];
    if (chars.length === 1) {
      kept.set(source, target);
      continue;
    }
    let list = byLength.get(chars.length);
    if (list === undefined) byLength.set(chars.length, (list = []));
    list.push([chars, source, target]);
  }
  const lengths = [...byLength.keys()].sort((a, b) => a - b);
  for (const len of lengths) {
    const implied: boolean[] = [];
    const list = byLength.get(len) ?? [];
    for (const [chars, , target] of list) implied.push(applyRules(kept, chars, len - 1) === target);
    list.forEach(([, source, target], i) => {
      if (!implied[i]) kept.set(source, target);
    });
  }
  const maxLength = lengths[lengths.length - 1] ?? 1;
  for (const [source, target] of rules) {
    if (applyRules(kept, [...source], maxLength) !== target) {
      throw new Error(`normalization rule ${JSON.stringify(source)} → ${JSON.stringify(target)} is not reproduced by the reduced rules`);
    }
  }
  return kept;
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
    blob = name === 'identity' ? new Uint8Array(0) : Charsmap.compile(namedNormalizationRules(name));
    namedCache.set(name, blob);
  }
  return blob;
}
