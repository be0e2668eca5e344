// The training corpus as the trainers see it (trainer_interface.cc, LoadSentences after reading):
// sentences normalized, every meta piece in them (<unk>, <s>, control and user-defined symbols, byte
// pieces) replaced by a tab so no learned piece contains one, the alphabet chosen by character coverage
// (required_chars first, then the most frequent characters until the coverage is reached), and every
// character outside it replaced by U+2585.

import type { TrainerSpec } from '../model-proto.js';
import { UNK_CODE_POINT } from './piece-rules.js';
import type { Sentence } from './sentences.js';
import type { MetaPiece } from './trainer-spec.js';

export interface TrainingCorpus {
  /** Normalized sentences over the kept characters and U+2585, with their counts. */
  readonly sentences: Sentence[];
  /** The kept characters and their counts: required ones first, then by count (descending), then code point. */
  readonly requiredChars: readonly (readonly [cp: number, count: number])[];
  /** Characters counted (weighted by sentence counts) and the share the kept ones cover. */
  readonly charCount: number;
  readonly coverage: number;
}

const TAB = 0x09;
const UNK = String.fromCodePoint(UNK_CODE_POINT);

/** Replaces every occurrence of a meta piece (longest first, left to right) with a tab (PrefixMatcher::GlobalReplace). */
export function metaPieceReplacer(pieces: readonly string[]): (text: string) => string {
  const byFirst = new Map<string, string[]>();
  for (const piece of new Set(pieces)) {
    if (piece === '') continue;
    const first = String.fromCodePoint(piece.codePointAt(0) as number);
    const list = byFirst.get(first) ?? [];
    list.push(piece);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  const firsts = [...byFirst.keys()];
  return (text) => {
    if (!firsts.some((f) => text.includes(f))) return text;
    let out = '';
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      const match = byFirst.get(ch)?.find((piece) => text.startsWith(piece, i));
      if (match !== undefined) {
        out += '\t';
        i += match.length;
      } else {
        out += ch;
        i += ch.length;
      }
    }
    return out;
  };
}

function forEachCodePoint(text: string, f: (cp: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      f(text.codePointAt(i) as number);
      i++;
    } else {
      f(unit);
    }
  }
}

/**
 * Normalizes the sentences with `normalize` and picks the alphabet. Throws when nothing is left, or when
 * the alphabet and the meta pieces do not fit in the vocabulary.
 */
export function prepareCorpus(
  raw: readonly Sentence[],
  normalize: (text: string) => string,
  spec: TrainerSpec,
  meta: ReadonlyMap<number, MetaPiece>,
): TrainingCorpus {
  const replaceMeta = metaPieceReplacer([...meta.values()].map((m) => m.piece));
  const sentences: Sentence[] = [];
  for (const [text, freq] of raw) {
    const normalized = replaceMeta(normalize(text));
    if (normalized.includes(' ')) throw new Error(`the normalized sentence ${JSON.stringify(normalized)} holds a space; the normalizer must escape whitespace`);
    if (normalized !== '') sentences.push([normalized, freq]);
  }
  if (sentences.length === 0) throw new RangeError('the training input holds no text (every line is empty after normalization)');

  const counts = new Float64Array(0x110000);
  const required = new Set<number>();
  forEachCodePoint(spec.requiredChars, (cp) => {
    if (cp === UNK_CODE_POINT) throw new RangeError('requiredChars must not hold U+2585, the stand-in for rare characters');
    if (cp !== 0) required.add(cp);
  });
  for (const [text, freq] of sentences) {
    forEachCodePoint(text, (cp) => {
      counts[cp] = (counts[cp] as number) + freq;
    });
  }
  let charCount = 0;
  const seen: number[] = [];
  for (let cp = 1; cp < counts.length; cp++) {
    const c = counts[cp] as number;
    if (c > 0 || required.has(cp)) seen.push(cp);
    charCount += c;
  }
  // Required characters first, then frequent ones; ties by code point.
  seen.sort((a, b) => Number(required.has(b)) - Number(required.has(a)) || (counts[b] as number) - (counts[a] as number) || a - b);
  const coverageLimit = Math.fround(spec.characterCoverage);
  const kept: [number, number][] = [];
  let covered = 0;
  for (const cp of seen) {
    if (!spec.useAllVocab && Math.fround(covered / charCount) >= coverageLimit) break;
    covered += counts[cp] as number;
    if (cp === TAB) continue; // a removed meta piece, never a piece of its own
    kept.push([cp, counts[cp] as number]);
  }
  const keep = new Uint8Array(0x110000);
  for (const [cp] of kept) keep[cp] = 1;
  const out: Sentence[] = sentences.map(([text, freq]) => {
    let rare = false;
    forEachCodePoint(text, (cp) => {
      if (keep[cp] !== 1) rare = true;
    });
    if (!rare) return [text, freq];
    let replaced = '';
    forEachCodePoint(text, (cp) => {
      replaced += keep[cp] === 1 ? String.fromCodePoint(cp) : UNK;
    });
    return [replaced, freq];
  });
  if (kept.length + meta.size > spec.vocabSize) {
    throw new RangeError(
      `vocabSize ${spec.vocabSize} is smaller than the ${kept.length} characters needed for character coverage ${spec.characterCoverage} plus ${meta.size} special pieces; raise vocabSize to at least ${kept.length + meta.size} or lower characterCoverage`,
    );
  }
  return { sentences: out, requiredChars: kept, charCount, coverage: covered / charCount };
}
