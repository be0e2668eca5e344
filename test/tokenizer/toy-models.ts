// Small models built in code for the tokenizer tests, so expected segmentations can be derived by hand:
// a unigram model (user-defined, control and unused pieces; optionally the 256 byte pieces) and a BPE
// model whose merges are easy to follow. Both use no charsmap (identity normalization).

import { DEFAULT_NORMALIZER_SPEC, DEFAULT_TRAINER_SPEC } from '../../src/tokenizer/model-proto.js';
import type { ModelPiece, ModelProto, PieceType } from '../../src/tokenizer/model-proto.js';
import { bytePiece } from '../../src/tokenizer/piece-table.js';

function piece(text: string, score: number, type: PieceType = 'normal'): ModelPiece {
  return { piece: text, score, type };
}

const SPECIALS: readonly ModelPiece[] = [piece('<unk>', 0, 'unknown'), piece('<s>', 0, 'control'), piece('</s>', 0, 'control')];

/**
 * ids: 0 <unk>, 1 <s>, 2 </s>, 3 [MASK] (user-defined), 4 ▁ (-2), 5 a (-3), 6 b (-3), 7 ab (-4),
 * 8 ▁ab (-4.5), 9 c (-5), 10 abc (unused, -1); with byteFallback, 11 + b is the piece <0xBB>.
 */
export function toyUnigram(options: { byteFallback?: boolean } = {}): ModelProto {
  const pieces: ModelPiece[] = [
    ...SPECIALS,
    piece('[MASK]', 0, 'user_defined'),
    piece('▁', -2),
    piece('a', -3),
    piece('b', -3),
    piece('ab', -4),
    piece('▁ab', -4.5),
    piece('c', -5),
    piece('abc', -1, 'unused'),
  ];
  if (options.byteFallback === true) for (let b = 0; b < 256; b++) pieces.push(piece(bytePiece(b), 0, 'byte'));
  return {
    pieces,
    trainerSpec: { ...DEFAULT_TRAINER_SPEC, modelType: 'unigram', vocabSize: pieces.length, byteFallback: options.byteFallback === true },
    normalizerSpec: { ...DEFAULT_NORMALIZER_SPEC, name: 'identity' },
    denormalizerSpec: null,
    selfTestData: [],
  };
}

/** ids: 0 <unk>, 1 <s>, 2 </s>, 3 ▁, 4 a, 5 b, 6 c, 7 ab (-1), 8 bc (-1.5), 9 ▁ab (-2), 10 abc (-3), 11 ▁abc (-4). */
export function toyBpe(): ModelProto {
  const pieces: ModelPiece[] = [
    ...SPECIALS,
    piece('▁', -10),
    piece('a', -10),
    piece('b', -10),
    piece('c', -10),
    piece('ab', -1),
    piece('bc', -1.5),
    piece('▁ab', -2),
    piece('abc', -3),
    piece('▁abc', -4),
  ];
  return {
    pieces,
    trainerSpec: { ...DEFAULT_TRAINER_SPEC, modelType: 'bpe', vocabSize: pieces.length },
    normalizerSpec: { ...DEFAULT_NORMALIZER_SPEC, name: 'identity' },
    denormalizerSpec: null,
    selfTestData: [],
  };
}
