// What may become a piece, and how sentences split into words, as SentencePiece's trainer decides
// (trainer_interface.cc, IsValidSentencePiece; model_interface.cc, SplitIntoWords): a piece is at most
// max_sentencepiece_length characters, holds no U+2585 (rare characters) or tab (a removed symbol), keeps
// '▁' at its start (or end, treat_whitespace_as_suffix), does not mix Unicode scripts (Hiragana, Katakana
// and U+30FC count as Han; combining marks take their base's script), and splits numbers and digits.

import type { TrainerSpec } from '../model-proto.js';
import { SCRIPT_HAN, SCRIPT_HIRAGANA, SCRIPT_INHERITED, SCRIPT_KATAKANA, scriptOf } from './unicode-script.js';

/** U+2581, the escaped whitespace. */
export const WS_CHAR = 0x2581;
/** U+2585, which stands for every character outside the kept alphabet. */
export const UNK_CODE_POINT = 0x2585;
const WS = '\u2581';

/** Character classes: a script id (≥ 0), or one of these. */
const CLASS_ANY = -1;
const CLASS_WHITESPACE = -2;
const CLASS_FORBIDDEN = -3;
const CLASS_INHERITED = -4;

function isDecimalDigit(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0xff10 && cp <= 0xff19);
}

/** Decides piece validity over sequences of character ids of an alphabet (ids index `codePoints`). */
export class PieceRules {
  private readonly classes: Int32Array;
  private readonly digits: Uint8Array;
  private readonly maxLength: number;
  private readonly splitByWhitespace: boolean;
  private readonly suffix: boolean;
  private readonly whitespaceOnly: boolean;
  private readonly splitByScript: boolean;
  private readonly splitDigits: boolean;

  /** `codePoints[id]` is the code point of character id `id` (id 0 may be a boundary marker, code point 0). */
  constructor(spec: TrainerSpec, codePoints: ArrayLike<number>) {
    this.maxLength = spec.maxSentencepieceLength;
    this.splitByWhitespace = spec.splitByWhitespace;
    this.suffix = spec.treatWhitespaceAsSuffix;
    this.whitespaceOnly = spec.allowWhitespaceOnlyPieces;
    this.splitByScript = spec.splitByUnicodeScript;
    this.splitDigits = spec.splitDigits;
    this.classes = new Int32Array(codePoints.length);
    this.digits = new Uint8Array(codePoints.length);
    for (let id = 0; id < codePoints.length; id++) {
      const cp = codePoints[id] as number;
      this.digits[id] = isDecimalDigit(cp) ? 1 : 0;
      this.classes[id] = charClass(cp, spec.splitByNumber);
    }
  }

  /** Whether ids[begin, end) may be a piece. */
  isValid(ids: ArrayLike<number>, begin: number, end: number): boolean {
    const n = end - begin;
    if (n <= 0 || n > this.maxLength) return false;
    const classes = this.classes;
    let allWhitespace = true;
    if (this.whitespaceOnly) {
      for (let i = begin; i < end; i++) if (classes[ids[i] as number] !== CLASS_WHITESPACE) allWhitespace = false;
    }
    const checkWhitespace = !this.whitespaceOnly || !allWhitespace;
    let prev = CLASS_ANY;
    for (let i = begin; i < end; i++) {
      const id = ids[i] as number;
      let cls = classes[id] as number;
      if (cls === CLASS_FORBIDDEN) return false;
      const pos = i - begin;
      if (cls === CLASS_WHITESPACE) {
        if (!checkWhitespace) continue;
        if (this.suffix) {
          if (pos < n - 1 && (this.splitByWhitespace || pos === 0)) return false;
        } else if (pos > 0 && (this.splitByWhitespace || pos === n - 1)) {
          return false;
        }
        continue;
      }
      if (cls === CLASS_INHERITED) cls = prev;
      if (this.splitDigits && this.digits[id] === 1 && n > 1) return false;
      if (this.splitByScript && cls !== CLASS_ANY && prev !== CLASS_ANY && prev !== cls) return false;
      prev = cls;
    }
    return true;
  }
}

/** The class of one code point: its script with Japanese kana merged into Han, or a special class. */
function charClass(cp: number, splitByNumber: boolean): number {
  if (cp === WS_CHAR) return CLASS_WHITESPACE;
  if (cp === UNK_CODE_POINT || cp === 0 || cp === 0x09 || cp === 0x20 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return CLASS_FORBIDDEN;
  }
  if (!splitByNumber && isDecimalDigit(cp)) return CLASS_ANY;
  const script = scriptOf(cp);
  if (script === SCRIPT_HIRAGANA || script === SCRIPT_KATAKANA || cp === 0x30fc) return SCRIPT_HAN;
  if (script === SCRIPT_INHERITED) return CLASS_INHERITED;
  return script;
}

/**
 * Splits a normalized sentence into words at '▁': each word starts with its '▁' (or, with
 * `suffix`, ends with it); with `whitespaceOnly`, runs of '▁' stay together as words of their own.
 */
export function splitIntoWords(text: string, suffix: boolean, whitespaceOnly: boolean): string[] {
  const words: string[] = [];
  if (text === '') return words;
  if (!suffix && !whitespaceOnly) {
    // The common case: a word starts at the beginning and at every '▁'.
    let start = 0;
    for (let i = text.indexOf(WS, 1); i >= 0; i = text.indexOf(WS, i + 1)) {
      words.push(text.slice(start, i));
      start = i;
    }
    words.push(text.slice(start));
    return words;
  }
  if (suffix) {
    let current = '';
    let inWhitespace = false;
    for (const ch of text) {
      const isWs = ch === WS;
      if (isWs) inWhitespace = true;
      else if (inWhitespace) {
        if (whitespaceOnly) {
          words.push(current);
          current = '';
        }
        inWhitespace = false;
      }
      current += ch;
      if (isWs && !whitespaceOnly) {
        words.push(current);
        current = '';
      }
    }
    // A trailing empty word (text ending in '▁') is dropped, as the C++ never opens it.
    if (current !== '') words.push(current);
    return words;
  }
  let current = '';
  let inWhitespace = false;
  let first = true;
  for (const ch of text) {
    const isWs = ch === WS;
    if (first || (isWs && (!inWhitespace || !whitespaceOnly))) {
      if (!first) words.push(current);
      current = '';
      inWhitespace = true;
    }
    first = false;
    if (inWhitespace && !isWs) inWhitespace = false;
    current += ch;
  }
  words.push(current);
  return words;
}
