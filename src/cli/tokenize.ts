// `polyseq tokenize --model M.model [--pieces]`: reads lines on stdin and writes one line per input line,
// space-separated ids (or pieces), byte for byte what `spm_encode --model M.model --output_format=id`
// (`=piece`) writes: lines split on '\n' only ('\r' stays in the line), a last line without '\n' still
// counts, empty lines give empty lines, and the raw bytes (malformed UTF-8 included) are encoded.
// Input is streamed chunk by chunk; output is written once per chunk.

import { SentencePieceProcessor } from '../tokenizer/processor.js';
import type { CliIo, RegisterCommand } from './io.js';

const NEWLINE = 0x0a;

export interface TokenizeOptions {
  readonly model: string;
  /** Write pieces instead of ids. */
  readonly pieces?: boolean;
}

/** Splits a byte stream into lines (without their '\n'), as std::getline does. */
export async function* byteLines(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array[]> {
  let carry: Uint8Array[] = [];
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, nl);
      if (carry.length > 0) {
        carry.push(piece);
        lines.push(concat(carry));
        carry = [];
      } else lines.push(piece);
      start = nl + 1;
    }
    if (start < bytes.length) carry.push(bytes.slice(start));
    if (lines.length > 0) yield lines;
  }
  if (carry.length > 0) yield [concat(carry)];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Encodes every line of `input` with the model at `options.model`, writing through `io.out`. */
export async function runTokenize(options: TokenizeOptions, input: AsyncIterable<Uint8Array | string>, io: CliIo): Promise<void> {
  const sp = await SentencePieceProcessor.load(options.model);
  for await (const lines of byteLines(input)) {
    let text = '';
    for (const line of lines) text += (options.pieces === true ? sp.encodePieces(line) : sp.encodeIds(line)).join(' ') + '\n';
    io.out(text);
  }
}

/** The command, reading from `stdin()` (tests pass their own stream). */
export function makeRegisterTokenize(stdin: () => AsyncIterable<Uint8Array | string>): RegisterCommand {
  return (program, io: CliIo) => {
    program
      .command('tokenize')
      .description('encode lines from stdin with a SentencePiece model: one line of ids (or pieces) per input line, as spm_encode')
      .requiredOption('--model <path>', 'SentencePiece .model file')
      .option('--pieces', 'write pieces instead of ids (spm_encode --output_format=piece)')
      .action(async (opts: { model: string; pieces?: boolean }) => {
        await runTokenize({ model: opts.model, pieces: opts.pieces === true }, stdin(), io);
      });
  };
}

export const registerTokenize: RegisterCommand = makeRegisterTokenize(() => process.stdin);
