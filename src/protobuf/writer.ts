// A minimal protocol-buffers writer, shared by the ONNX model encoder and the SentencePiece model writer.
// Messages are built bottom-up (a nested message is written first, then embedded with its length);
// large byte fields (tensor data) are kept as references and copied exactly once, when `finish()` concatenates.

/** Wire types of the protobuf encoding. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Byte fields at least this long are referenced rather than copied into the scratch buffer. */
const BIG_CHUNK = 512;

const textEncoder = new TextEncoder();

export class ProtoWriter {
  /** Completed chunks, in order. */
  private readonly chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private buf = new Uint8Array(64);
  private pos = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** Bytes written so far. */
  get length(): number {
    return this.chunkBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Moves the scratch buffer's bytes into the chunk list. */
  private flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.slice(0, this.pos));
    this.chunkBytes += this.pos;
    this.pos = 0;
  }

  /**
   * A varint. Non-negative numbers up to 2^53 are written directly; negative values (int32/int64 fields)
   * are written as their 64-bit two's complement (10 bytes), as protobuf requires.
   */
  varint(value: number | bigint): void {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw new RangeError(`varint needs an integer (got ${value})`);
      if (value < 0 || value > Number.MAX_SAFE_INTEGER) {
        this.varint(BigInt(value));
        return;
      }
      this.ensure(10);
      let v = value;
      while (v >= 0x80) {
        // v may exceed 2^31, so no bit operators on the whole value.
        this.buf[this.pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.buf[this.pos++] = v;
      return;
    }
    let v = BigInt.asUintN(64, value);
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** An int32/int64/uint64/enum/bool field. */
  int(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.fixedFloat(value);
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.buf[this.pos++] = this.scratch.getUint8(i);
  }

  private fixedFloat(value: number): void {
    this.ensure(4);
    this.scratch.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = this.scratch.getUint8(i);
  }

  string(field: number, value: string): void {
    this.bytes(field, textEncoder.encode(value));
  }

  /** A length-delimited bytes field; large arrays are referenced, not copied, until `finish()`. */
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(data.length);
    this.raw(data);
  }

  private raw(data: Uint8Array): void {
    if (data.length >= BIG_CHUNK) {
      this.flush();
      this.chunks.push(data);
      this.chunkBytes += data.length;
    } else {
      this.ensure(data.length);
      this.buf.set(data, this.pos);
      this.pos += data.length;
    }
  }

  /** An embedded message (written even when empty, so presence is recorded). */
  message(field: number, sub: ProtoWriter): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(sub.length);
    if (sub.chunks.length === 0) {
      this.ensure(sub.pos);
      this.buf.set(sub.buf.subarray(0, sub.pos), this.pos);
      this.pos += sub.pos;
      return;
    }
    sub.flush();
    this.flush();
    for (const c of sub.chunks) this.chunks.push(c);
    this.chunkBytes += sub.chunkBytes;
  }

  /** A packed repeated int32/int64 field (nothing is written for an empty list). */
  packedInts(field: number, values: readonly (number | bigint)[]): void {
    if (values.length === 0) return;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(inner.length);
    this.raw(inner.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(values.length * 4);
    for (const v of values) this.fixedFloat(v);
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    if (this.chunks.length === 0) return this.buf.slice(0, this.pos);
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    out.set(this.buf.subarray(0, this.pos), offset);
    return out;
  }
}

/** The varint encoding of one value (handy for tests). */
export function encodeVarint(value: number | bigint): Uint8Array {
  const w = new ProtoWriter();
  w.varint(value);
  return w.finish();
}
