// Types for the parts of the `sentencepiece-js` npm package (the C++ SentencePiece library compiled to
// WebAssembly with emscripten; it ships no types) that bench/tokenize.ts uses as its reference.

declare module 'sentencepiece-js' {
  export class SentencePieceProcessor {
    /** Reads the `.model` file at `path` into the wasm heap and loads it. */
    load(path: string): Promise<void>;
    encodeIds(text: string): number[];
    encodePieces(text: string): string[];
    decodeIds(ids: number[]): string;
  }
}
