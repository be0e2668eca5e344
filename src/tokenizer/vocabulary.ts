// Vocabulary: what the rest of polyseq uses to turn text into ids and back — a SentencePiece model plus the
// tokens a model family puts around it (T5 sentinels, mBART/NLLB language codes, AlexaTM's [CLM]/[DOC],
// added tokens), with special ids known by name. Ids follow the Hugging Face tokenizers exactly: T5 appends
// `<extra_id_0..n-1>` after the pieces in descending order (T5Tokenizer); mBART and NLLB use fairseq's
// layout (<s>=0 <pad>=1 </s>=2 <unk>=3, piece ids + 1, then language codes, then <mask>: MBartTokenizer,
// NllbTokenizer). Added and special tokens written in the text are single ids (leftmost-longest match).

import { MBART_CC25_LANGUAGE_CODES, NLLB_LANGUAGE_CODES } from './language-codes.js';
import type { SentencePieceProcessor } from './processor.js';

/** The special tokens polyseq knows by name (AlexaTM: [PAD], </s>, <s>, <unk>, [MASK], [CLM], [DOC]). */
export type SpecialName = 'pad' | 'eos' | 'bos' | 'unk' | 'mask' | 'clm' | 'doc';

export const SPECIAL_NAMES: readonly SpecialName[] = ['pad', 'eos', 'bos', 'unk', 'mask', 'clm', 'doc'];

/** A token outside the SentencePiece model (or a piece of it that must stay atomic in text). */
export interface AddedToken {
  readonly text: string;
  /** Special tokens are dropped by `decode(ids, { skipSpecial: true })`; default false. */
  readonly special?: boolean;
  /** Swallow the whitespace before the token when it is found in text (HF AddedToken.lstrip). */
  readonly lstrip?: boolean;
  /** Swallow the whitespace after the token when it is found in text (HF AddedToken.rstrip). */
  readonly rstrip?: boolean;
}

export interface EncodeOptions {
  /** Put the bos id first (after an NLLB language code); default false. */
  readonly addBos?: boolean;
  /** Put the eos id last (before an mBART language code); default false. */
  readonly addEos?: boolean;
  /**
   * A language code to add where the family puts it: mBART after everything (`X </s> en_XX` with
   * addEos), NLLB before everything (`eng_Latn X </s>`), as MBartTokenizer and NllbTokenizer do.
   */
  readonly language?: string;
  /** Added and special tokens written in the text become their ids (default true); false encodes them as text. */
  readonly parseSpecial?: boolean;
}

export interface DecodeOptions {
  /** Drop special ids (named specials, sentinels, language codes, control pieces, special added tokens). */
  readonly skipSpecial?: boolean;
}

export interface VocabularyOptions {
  /**
   * Special tokens by name. Each is looked up among the model's pieces, and added after them when absent.
   * Defaults: the model's own unk/bos/eos/pad pieces (and the family's tokens for the presets).
   */
  readonly specialTokens?: Partial<Record<SpecialName, string>>;
  /** More tokens after everything else, in this order; a string is a non-special token. */
  readonly addedTokens?: readonly (string | AddedToken)[];
}

export interface T5VocabularyOptions extends VocabularyOptions {
  /** How many sentinels `<extra_id_0>` … follow the pieces (default 100, as T5Tokenizer). */
  readonly extraIds?: number;
}

export interface AlexaTmVocabularyOptions extends VocabularyOptions {
  /** Add AlexaTM's special tokens that the model lacks after its pieces (default false: they stay absent). */
  readonly addMissing?: boolean;
}

export interface FairseqVocabularyOptions extends VocabularyOptions {
  /** The language codes, in id order (default: mbart-large-cc25's 25, or NLLB-200's 202). */
  readonly languageCodes?: readonly string[];
}

export type VocabularyKind = 'sentencepiece' | 't5' | 'mbart' | 'nllb' | 'alexatm';

/** A token that is not a piece of the model: its fixed id and how it behaves in text. */
interface ExtraToken {
  readonly text: string;
  readonly id: number;
  readonly special: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
}

/** Everything a factory decides; the constructor only indexes it. */
interface VocabularyParts {
  readonly kind: VocabularyKind;
  readonly processor: SentencePieceProcessor;
  /** 0, or 1 for fairseq's layout (piece id + 1, with <s> <pad> </s> <unk> at 0–3). */
  readonly offset: 0 | 1;
  readonly extras: readonly ExtraToken[];
  /** Tokens that are model pieces but must be matched atomically in text (named specials, added). */
  readonly atomicPieces: readonly Omit<ExtraToken, 'id'>[];
  readonly named: ReadonlyMap<SpecialName, number>;
  /** Named tokens a preset expected but the model lacks, for the accessor's error. */
  readonly missing: ReadonlyMap<SpecialName, string>;
  readonly languages: readonly string[];
  readonly languagePlacement: 'prefix' | 'suffix' | null;
  readonly size: number;
}

/** Where fairseq puts its four specials (MBartTokenizer / NllbTokenizer `fairseq_tokens_to_ids`). */
const FAIRSEQ_SPECIALS: ReadonlyMap<string, number> = new Map([['<s>', 0], ['<pad>', 1], ['</s>', 2], ['<unk>', 3]]);

const ALEXATM_SPECIALS: Readonly<Record<SpecialName, string>> = {
  pad: '[PAD]', eos: '</s>', bos: '<s>', unk: '<unk>', mask: '[MASK]', clm: '[CLM]', doc: '[DOC]',
};

export class Vocabulary {
  readonly kind: VocabularyKind;
  readonly processor: SentencePieceProcessor;
  /** Number of ids: the model's pieces plus every token added around them. */
  readonly size: number;
  /** The language codes in id order (empty unless mBART/NLLB). */
  readonly languageCodes: readonly string[];
  /** How many `<extra_id_i>` sentinels this vocabulary has (T5: 100 by default). */
  readonly sentinelCount: number;

  readonly #offset: 0 | 1;
  /** Piece id → vocabulary id, for fairseq's layout only. */
  readonly #pieceToVocab: Int32Array | null;
  readonly #extraById = new Map<number, ExtraToken>();
  readonly #idByToken = new Map<string, number>();
  readonly #atomicByText = new Map<string, { readonly id: number; readonly lstrip: boolean; readonly rstrip: boolean }>();
  readonly #splitter: RegExp | null;
  readonly #special = new Set<number>();
  readonly #named: ReadonlyMap<SpecialName, number>;
  readonly #missing: ReadonlyMap<SpecialName, string>;
  readonly #languageIds = new Map<string, number>();
  readonly #languagePlacement: 'prefix' | 'suffix' | null;

  private constructor(parts: VocabularyParts) {
    this.kind = parts.kind;
    this.processor = parts.processor;
    this.size = parts.size;
    this.languageCodes = Object.freeze([...parts.languages]);
    this.#offset = parts.offset;
    this.#named = parts.named;
    this.#missing = parts.missing;
    this.#languagePlacement = parts.languagePlacement;
    this.#pieceToVocab = parts.offset === 0 ? null : fairseqPieceMap(parts.processor);

    for (const token of parts.extras) {
      this.#extraById.set(token.id, token);
      this.#idByToken.set(token.text, token.id);
      this.#atomicByText.set(token.text, token);
      if (token.special) this.#special.add(token.id);
    }
    for (const piece of parts.atomicPieces) {
      const id = this.tokenToId(piece.text);
      if (id === undefined) throw new Error(`internal: atomic piece ${JSON.stringify(piece.text)} has no id`);
      this.#atomicByText.set(piece.text, { id, lstrip: piece.lstrip, rstrip: piece.rstrip });
      if (piece.special) this.#special.add(id);
    }
    for (const id of parts.named.values()) this.#special.add(id);
    for (const code of parts.languages) {
      const id = this.#idByToken.get(code);
      if (id === undefined) throw new Error(`internal: language code ${code} has no id`);
      this.#languageIds.set(code, id);
    }
    this.#splitter = atomicSplitter([...this.#atomicByText.keys()]);
    let sentinels = 0;
    while (this.#idByToken.has(sentinelText(sentinels))) sentinels++;
    this.sentinelCount = sentinels;
  }

  // ---- presets ------------------------------------------------------------------------------------

  /**
   * The model's pieces as they are (id = piece id), its own unk/bos/eos/pad as the named specials, plus
   * any `specialTokens` (looked up among the pieces, else added) and `addedTokens` after the pieces.
   */
  static sentencePiece(processor: SentencePieceProcessor, options: VocabularyOptions = {}): Vocabulary {
    const builder = new PartsBuilder('sentencepiece', processor, 0);
    builder.nameModelSpecials();
    builder.nameTokens(options.specialTokens ?? {}, true);
    builder.addTokens(options.addedTokens ?? []);
    return new Vocabulary(builder.build());
  }

  /**
   * T5 / mT5 (HF T5Tokenizer): the model's own specials (T5's: pad 0, eos 1, unk 2, no bos), then `extraIds` sentinels after the
   * pieces in descending order — `<extra_id_0>` is the last id, `<extra_id_{n-1}>` the first after the pieces.
   */
  static t5(processor: SentencePieceProcessor, options: T5VocabularyOptions = {}): Vocabulary {
    const extraIds = options.extraIds ?? 100;
    if (!Number.isInteger(extraIds) || extraIds < 0) {
      throw new RangeError(`extraIds must be a non-negative integer (got ${extraIds}); T5 uses 100`);
    }
    const builder = new PartsBuilder('t5', processor, 0);
    builder.nameModelSpecials();
    const first = builder.reserve(extraIds);
    for (let i = 0; i < extraIds; i++) {
      builder.extra({ text: sentinelText(i), id: first + extraIds - 1 - i, special: true, lstrip: true, rstrip: true });
    }
    builder.nameTokens(options.specialTokens ?? {}, true);
    builder.addTokens(options.addedTokens ?? []);
    return new Vocabulary(builder.build());
  }

  /**
   * mBART (HF MBartTokenizer): fairseq ids — <s>=0 <pad>=1 </s>=2 <unk>=3, piece id + 1 — then the
   * language codes (default mbart-large-cc25's 25) from pieces + 1, then `<mask>`. Language codes go after
   * the text: `X </s> en_XX`.
   */
  static mbart(processor: SentencePieceProcessor, options: FairseqVocabularyOptions = {}): Vocabulary {
    return Vocabulary.#fairseq('mbart', processor, options.languageCodes ?? MBART_CC25_LANGUAGE_CODES, 'suffix', options);
  }

  /**
   * NLLB-200 (HF NllbTokenizer, non-legacy): mBART's layout with the 202 FLORES-200 codes; the language
   * code goes first: `eng_Latn X </s>`.
   */
  static nllb(processor: SentencePieceProcessor, options: FairseqVocabularyOptions = {}): Vocabulary {
    return Vocabulary.#fairseq('nllb', processor, options.languageCodes ?? NLLB_LANGUAGE_CODES, 'prefix', options);
  }

  /**
   * AlexaTM: the model's pieces as they are, with [PAD] </s> <s> <unk> [MASK] [CLM] [DOC] named where the
   * model has them (a model trained for AlexaTM carries them as user-defined or control pieces). With
   * `addMissing`, the absent ones are added after the pieces.
   */
  static alexatm(processor: SentencePieceProcessor, options: AlexaTmVocabularyOptions = {}): Vocabulary {
    const builder = new PartsBuilder('alexatm', processor, 0);
    builder.nameTokens(ALEXATM_SPECIALS, options.addMissing === true);
    builder.nameTokens(options.specialTokens ?? {}, true);
    builder.addTokens(options.addedTokens ?? []);
    return new Vocabulary(builder.build());
  }

  static #fairseq(
    kind: 'mbart' | 'nllb',
    processor: SentencePieceProcessor,
    codes: readonly string[],
    placement: 'prefix' | 'suffix',
    options: FairseqVocabularyOptions,
  ): Vocabulary {
    const builder = new PartsBuilder(kind, processor, 1);
    for (const [text, id] of FAIRSEQ_SPECIALS) builder.extra({ text, id, special: true, lstrip: false, rstrip: false });
    builder.nameExisting({ bos: '<s>', pad: '<pad>', eos: '</s>', unk: '<unk>' });
    builder.languages(codes, placement);
    // <mask> follows the codes whatever the model holds, and swallows the space before it (as in HF).
    builder.extra({ text: '<mask>', id: builder.reserve(1), special: true, lstrip: true, rstrip: false });
    builder.nameExisting({ mask: '<mask>' });
    builder.nameTokens(options.specialTokens ?? {}, true);
    builder.addTokens(options.addedTokens ?? []);
    return new Vocabulary(builder.build());
  }

  // ---- special ids -------------------------------------------------------------------------------

  get padId(): number { return this.specialId('pad'); }
  get eosId(): number { return this.specialId('eos'); }
  get bosId(): number { return this.specialId('bos'); }
  get unkId(): number { return this.specialId('unk'); }
  get maskId(): number { return this.specialId('mask'); }
  get clmId(): number { return this.specialId('clm'); }
  get docId(): number { return this.specialId('doc'); }

  /** Whether this vocabulary has the special token `name`. */
  hasSpecial(name: SpecialName): boolean {
    return this.#named.has(name);
  }

  /** The id of the special token `name`; throws naming the token and how to add it when there is none. */
  specialId(name: SpecialName): number {
    const id = this.#named.get(name);
    if (id !== undefined) return id;
    throw new Error(this.#missingMessage(name));
  }

  /** The T5 sentinel `<extra_id_{index}>`. */
  sentinelId(index: number): number {
    const id = Number.isInteger(index) && index >= 0 ? this.#idByToken.get(sentinelText(index)) : undefined;
    if (id !== undefined) return id;
    const count = this.sentinelCount;
    throw new RangeError(
      count === 0
        ? `this ${this.kind} vocabulary has no sentinels; use Vocabulary.t5(processor, { extraIds: 100 })`
        : `sentinel index must be an integer in [0, ${count}) (got ${index})`,
    );
  }

  /** The id of a language code token (`en_XX`, `eng_Latn`); throws naming the code and the known ones. */
  languageCodeId(code: string): number {
    const id = this.#languageIds.get(code);
    if (id !== undefined) return id;
    if (this.languageCodes.length === 0) {
      throw new Error(
        `this ${this.kind} vocabulary has no language codes (got ${JSON.stringify(code)}); use Vocabulary.mbart or Vocabulary.nllb`,
      );
    }
    const prefix = code.slice(0, 2).toLowerCase();
    const close = this.languageCodes.filter((known) => known.toLowerCase().startsWith(prefix));
    const hint = close.length > 0
      ? `did you mean ${close.join(', ')}?`
      : `known: ${this.languageCodes.slice(0, 12).join(', ')}${this.languageCodes.length > 12 ? ', …' : ''}`;
    throw new RangeError(`unknown ${this.kind} language code ${JSON.stringify(code)}; ${hint}`);
  }

  /** Whether `id` is special: dropped by `decode(ids, { skipSpecial: true })`. */
  isSpecial(id: number): boolean {
    this.#checkId(id);
    if (this.#special.has(id)) return true;
    if (this.#extraById.has(id)) return false;
    const piece = id - this.#offset;
    return this.processor.isControl(piece) || this.processor.isUnknown(piece);
  }

  // ---- tokens ↔ ids ------------------------------------------------------------------------------

  /** The id of a token (an added token or a piece of the model), or undefined when it is neither. */
  tokenToId(token: string): number | undefined {
    const extra = this.#idByToken.get(token);
    if (extra !== undefined) return extra;
    const piece = modelPieceId(this.processor, token);
    if (piece === undefined) return undefined;
    return this.#pieceToVocab === null ? piece : this.#pieceToVocab[piece];
  }

  /** The token text of `id`: an added token's text or the model's piece. */
  idToToken(id: number): string {
    this.#checkId(id);
    return this.#extraById.get(id)?.text ?? this.processor.idToPiece(id - this.#offset);
  }

  // ---- text ↔ ids --------------------------------------------------------------------------------

  /**
   * Ids of `text`: the text is split on added and special tokens first (leftmost, longest match; their
   * lstrip/rstrip applied), each token becomes its id and the text between is encoded by SentencePiece.
   * Nothing is added unless asked (addBos, addEos, language).
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const language = options.language === undefined ? undefined : this.languageCodeId(options.language);
    if (language !== undefined && this.#languagePlacement === 'prefix') ids.push(language);
    if (options.addBos === true) ids.push(this.bosId);
    if (options.parseSpecial === false || this.#splitter === null) this.#encodePlain(text, ids);
    else this.#encodeSplit(text, this.#splitter, ids);
    if (options.addEos === true) ids.push(this.eosId);
    if (language !== undefined && this.#languagePlacement === 'suffix') ids.push(language);
    return ids;
  }

  /**
   * The text of `ids`: special ids are written as their token text (or dropped with skipSpecial), other
   * added tokens as their text, and each run of the model's ids in between is decoded by SentencePiece.
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skipSpecial = options.skipSpecial === true;
    let out = '';
    const run: number[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      out += this.processor.decodeIds(run);
      run.length = 0;
    };
    for (const id of ids) {
      const special = this.isSpecial(id);
      if (special && skipSpecial) continue;
      const extra = this.#extraById.get(id);
      if (extra !== undefined || special) {
        flush();
        out += extra?.text ?? this.processor.idToPiece(id - this.#offset);
      } else {
        run.push(id - this.#offset);
      }
    }
    flush();
    return out;
  }

  // ---- internals ---------------------------------------------------------------------------------

  #encodePlain(text: string, out: number[]): void {
    if (text.length === 0) return;
    const pieces = this.processor.encodeIds(text);
    const map = this.#pieceToVocab;
    for (const piece of pieces) out.push(map === null ? piece : map[piece]!);
  }

  #encodeSplit(text: string, splitter: RegExp, out: number[]): void {
    let pending = '';
    let swallowLeading = false;
    let start = 0;
    splitter.lastIndex = 0;
    for (let match = splitter.exec(text); match !== null; match = splitter.exec(text)) {
      const token = this.#atomicByText.get(match[0]);
      if (token === undefined) throw new Error(`internal: matched ${JSON.stringify(match[0])} is not an atomic token`);
      pending = text.slice(start, match.index);
      if (swallowLeading) pending = pending.trimStart();
      if (token.lstrip) pending = pending.trimEnd();
      this.#encodePlain(pending, out);
      out.push(token.id);
      swallowLeading = token.rstrip;
      start = match.index + match[0].length;
    }
    pending = text.slice(start);
    if (swallowLeading) pending = pending.trimStart();
    this.#encodePlain(pending, out);
  }

  #checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) {
      throw new RangeError(`token id ${id} is outside this ${this.kind} vocabulary of ${this.size} ids`);
    }
  }

  #missingMessage(name: SpecialName): string {
    const expected = this.#missing.get(name);
    const text = expected ?? defaultTokenText(name);
    const factory = this.kind === 'sentencepiece' ? 'sentencePiece' : this.kind;
    const where = expected !== undefined
      ? `${JSON.stringify(expected)} is not a piece of the SentencePiece model`
      : `the ${this.kind} preset does not define one`;
    const special = `{ specialTokens: { ${name}: ${JSON.stringify(text)} } }`;
    const add = this.kind === 'alexatm'
      ? `Vocabulary.alexatm(processor, { addMissing: true }) or Vocabulary.alexatm(processor, ${special})`
      : `Vocabulary.${factory}(processor, ${special})`;
    // unk/bos/eos/pad are the trainer spec's own pieces; the others are user-defined symbols.
    const train = name === 'unk' || name === 'bos' || name === 'eos' || name === 'pad'
      ? `spm_train --${name}_id=N --${name}_piece=${text}`
      : `polyseq tokenizer train --user-symbols ${text}`;
    return (
      `this ${this.kind} vocabulary has no ${name} token (${where}); train the SentencePiece model with it ` +
      `(${train}) or add it after the model's pieces: ${add}`
    );
  }
}

/** Collects a preset's tokens and ids in order; ids past the model are handed out consecutively. */
class PartsBuilder {
  readonly #extras: ExtraToken[] = [];
  readonly #atomicPieces: Omit<ExtraToken, 'id'>[] = [];
  readonly #named = new Map<SpecialName, number>();
  readonly #missing = new Map<SpecialName, string>();
  #languages: readonly string[] = [];
  #placement: 'prefix' | 'suffix' | null = null;
  #next: number;

  constructor(
    readonly kind: VocabularyKind,
    readonly processor: SentencePieceProcessor,
    readonly offset: 0 | 1,
  ) {
    this.#next = processor.vocabSize + offset;
  }

  /** Reserves `count` consecutive ids after those handed out so far; returns the first. */
  reserve(count: number): number {
    const first = this.#next;
    this.#next += count;
    return first;
  }

  extra(token: ExtraToken): void {
    this.#extras.push(token);
  }

  /** The id `text` already has: an extra token's, or a model piece's (through the fairseq offset). */
  #existing(text: string): number | undefined {
    const extra = this.#extras.find((token) => token.text === text);
    if (extra !== undefined) return extra.id;
    const piece = modelPieceId(this.processor, text);
    if (piece === undefined) return undefined;
    if (this.offset === 0) return piece;
    return FAIRSEQ_SPECIALS.get(text) ?? (piece === this.processor.unkId ? 3 : piece + 1);
  }

  /** `text`'s id, adding it after everything so far when it is new; it becomes atomic in text either way. */
  #add(token: Omit<ExtraToken, 'id'>): number {
    const existing = this.#existing(token.text);
    if (existing === undefined) {
      const id = this.reserve(1);
      this.#extras.push({ ...token, id });
      return id;
    }
    if (!this.#extras.some((extra) => extra.text === token.text)) this.#atomicPieces.push(token);
    return existing;
  }

  /** Names the model's own unk, bos, eos and pad pieces (those its trainer spec enables). */
  nameModelSpecials(): void {
    const ids: [SpecialName, number][] = [
      ['unk', this.processor.unkId], ['bos', this.processor.bosId], ['eos', this.processor.eosId], ['pad', this.processor.padId],
    ];
    for (const [name, id] of ids) {
      if (id < 0 || id >= this.processor.vocabSize) continue;
      const text = this.processor.idToPiece(id);
      this.#atomicPieces.push({ text, special: true, lstrip: false, rstrip: false });
      this.#named.set(name, id);
    }
  }

  /** Names tokens that are already extras (fairseq's four). */
  nameExisting(tokens: Partial<Record<SpecialName, string>>): void {
    for (const [name, text] of entries(tokens)) {
      const id = this.#existing(text);
      if (id === undefined) throw new Error(`internal: ${text} has no id`);
      this.#named.set(name, id);
    }
  }

  /**
   * Names special tokens: each is looked up among the pieces and extras; an absent one is added when
   * `addAbsent`, or else remembered as missing (its accessor then says how to add it).
   */
  nameTokens(tokens: Partial<Record<SpecialName, string>>, addAbsent: boolean): void {
    for (const [name, text] of entries(tokens)) {
      if (text.length === 0) throw new RangeError(`special token ${name} must be a non-empty string`);
      if (!addAbsent && this.#existing(text) === undefined) {
        this.#missing.set(name, text);
        continue;
      }
      this.#named.set(name, this.#add({ text, special: true, lstrip: false, rstrip: false }));
      this.#missing.delete(name);
    }
  }

  addTokens(tokens: readonly (string | AddedToken)[]): void {
    for (const token of tokens) {
      const spec = typeof token === 'string' ? { text: token } : token;
      if (spec.text.length === 0) throw new RangeError('an added token must be a non-empty string');
      this.#add({ text: spec.text, special: spec.special === true, lstrip: spec.lstrip === true, rstrip: spec.rstrip === true });
    }
  }

  languages(codes: readonly string[], placement: 'prefix' | 'suffix'): void {
    if (new Set(codes).size !== codes.length) throw new RangeError('language codes must be distinct');
    for (const code of codes) {
      if (code.length === 0) throw new RangeError('a language code must be a non-empty string');
      // Appended after the pieces even where the model has the same piece: the code's id wins, as in HF.
      this.#extras.push({ text: code, id: this.reserve(1), special: true, lstrip: false, rstrip: false });
    }
    this.#languages = codes;
    this.#placement = placement;
  }

  build(): VocabularyParts {
    return {
      kind: this.kind,
      processor: this.processor,
      offset: this.offset,
      extras: this.#extras,
      atomicPieces: this.#atomicPieces,
      named: this.#named,
      missing: this.#missing,
      languages: this.#languages,
      languagePlacement: this.#placement,
      size: this.#next,
    };
  }
}

function sentinelText(index: number): string {
  return `<extra_id_${index}>`;
}

function defaultTokenText(name: SpecialName): string {
  return ALEXATM_SPECIALS[name];
}

function entries(tokens: Partial<Record<SpecialName, string>>): [SpecialName, string][] {
  const out: [SpecialName, string][] = [];
  for (const name of SPECIAL_NAMES) {
    const text = tokens[name];
    if (text !== undefined) out.push([name, text]);
  }
  return out;
}

/** The model's id of the piece `text`, or undefined when the model has no such piece. */
function modelPieceId(processor: SentencePieceProcessor, text: string): number | undefined {
  const id = processor.pieceToId(text);
  if (!Number.isInteger(id) || id < 0 || id >= processor.vocabSize) return undefined;
  return processor.idToPiece(id) === text ? id : undefined;
}

/** Piece id → fairseq id: <s> <pad> </s> <unk> by name at 0–3, the model's unk at 3, else piece + 1. */
function fairseqPieceMap(processor: SentencePieceProcessor): Int32Array {
  const map = new Int32Array(processor.vocabSize);
  for (let piece = 0; piece < map.length; piece++) {
    map[piece] = FAIRSEQ_SPECIALS.get(processor.idToPiece(piece)) ?? (piece === processor.unkId ? 3 : piece + 1);
  }
  return map;
}

/** A global regex matching any of `tokens`, longest first at each position; null when none. */
function atomicSplitter(tokens: readonly string[]): RegExp | null {
  if (tokens.length === 0) return null;
  const sorted = [...tokens].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return new RegExp(sorted.map((token) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
