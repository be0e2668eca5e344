// A minimal protocol-buffers wire reader, the twin of writer.ts: varints (64-bit, with int32's
// ten-byte negatives), fixed32/fixed64, length-delimited fields and skipping of unknown fields.
// It never reads past its end: a field that would is a ProtoDecodeError naming the byte offset.
// Reference: https://protobuf.dev/programming-guides/encoding/

import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './writer.js';

/** The group wire types (deprecated; skipped like any unknown field). */
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;

/** A malformed or truncated protobuf message; `offset` is the byte where reading failed. */
export class ProtoDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ProtoDecodeError';
  }
}

// ignoreBOM: a string field starting with U+FEFF keeps it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class ProtoReader {
  private readonly view: DataView;
  /** The next byte to read. */
  pos: number;

  /** Reads `bytes[start, end)`; offsets in errors are relative to `bytes`. */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True when every byte of the message has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's key: field number and wire type. */
  key(): { field: number; wireType: number } {
    const at = this.pos;
    const key = this.uint32();
    const field = key >>> 3;
    if (field === 0) throw new ProtoDecodeError(`field number 0 at byte ${at} (key ${key})`, at);
    return { field, wireType: key & 7 };
  }

  /** A varint's low 32 bits and high 32 bits, both unsigned. */
  private varintWords(): [number, number] {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError(`truncated varint at byte ${start}`, start);
      const b = this.bytes[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * (i - 5) + 3);
      if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0];
    }
    throw new ProtoDecodeError(`varint longer than 10 bytes at byte ${start}`, start);
  }

  /** A uint32 (or the low 32 bits of a longer varint). */
  uint32(): number {
    return this.varintWords()[0];
  }

  /** An int32 or enum: the low 32 bits of the (possibly ten-byte) varint, as a signed number. */
  int32(): number {
    return this.varintWords()[0] | 0;
  }

  /** A uint64 as a number; values above 2^53 - 1 are an error (they would lose precision). */
  uint64(): number {
    const at = this.pos;
    const [lo, hi] = this.varintWords();
    const value = hi * 0x1_0000_0000 + lo;
    if (!Number.isSafeInteger(value)) {
      throw new ProtoDecodeError(`uint64 at byte ${at} exceeds 2^53 - 1; read it with varint64()`, at);
    }
    return value;
  }

  /** Any varint as an unsigned 64-bit bigint. */
  varint64(): bigint {
    const [lo, hi] = this.varintWords();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  bool(): boolean {
    const [lo, hi] = this.varintWords();
    return lo !== 0 || hi !== 0;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new ProtoDecodeError(
        `truncated ${what} at byte ${this.pos}: needs ${n} bytes, ${Math.max(0, this.end - this.pos)} left`,
        this.pos,
      );
    }
  }

  fixed32(): number {
    this.need(4, 'fixed32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  float(): number {
    this.need(4, 'float');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8, 'double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's payload as a view into the input (not a copy). */
  bytesView(): Uint8Array {
    const at = this.pos;
    const n = this.uint32();
    if (this.pos + n > this.end) {
      throw new ProtoDecodeError(
        `length-delimited field at byte ${at} runs past the end: needs ${n} bytes, ${Math.max(0, this.end - this.pos)} left`,
        at,
      );
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length-delimited field's payload, copied. */
  bytesCopy(): Uint8Array {
    return this.bytesView().slice();
  }

  /** A string field, decoded as UTF-8 (malformed bytes become U+FFFD). */
  string(): string {
    return utf8.decode(this.bytesView());
  }

  /** An embedded message: a reader over its bytes (this reader moves past them). */
  message(): ProtoReader {
    const at = this.pos;
    const n = this.uint32();
    if (this.pos + n > this.end) {
      throw new ProtoDecodeError(
        `embedded message at byte ${at} runs past the end: needs ${n} bytes, ${Math.max(0, this.end - this.pos)} left`,
        at,
      );
    }
    const sub = new ProtoReader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return sub;
  }

  /** Skips a field's value of the given wire type (its key already read). */
  skip(wireType: number, field = 0): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varintWords();
        return;
      case WIRE_FIXED64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.bytesView();
        return;
      case WIRE_FIXED32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      case WIRE_START_GROUP:
        for (;;) {
          if (this.done) throw new ProtoDecodeError(`unterminated group (field ${field})`, this.pos);
          const k = this.key();
          if (k.wireType === WIRE_END_GROUP) {
            if (k.field !== field) throw new ProtoDecodeError(`group of field ${field} ended by field ${k.field}`, this.pos);
            return;
          }
          this.skip(k.wireType, k.field);
        }
      default:
        throw new ProtoDecodeError(`invalid wire type ${wireType} at byte ${this.pos}`, this.pos);
    }
  }
}
