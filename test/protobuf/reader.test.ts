// The protobuf wire reader: varints (64-bit, int32's ten-byte negatives), fixed-width numbers,
// length-delimited fields, skipping unknown fields, and errors that name the byte offset; and its round
// trip with ProtoWriter.

import { describe, expect, it } from 'vitest';
import { ProtoDecodeError, ProtoReader } from '../../src/protobuf/reader.js';
import { ProtoWriter, encodeVarint } from '../../src/protobuf/writer.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('ProtoReader', () => {
  it('reads varints of every length', () => {
    expect(new ProtoReader(bytes(0x00)).uint32()).toBe(0);
    expect(new ProtoReader(bytes(0xac, 0x02)).uint32()).toBe(300);
    expect(new ProtoReader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f)).uint32()).toBe(0xffffffff);
    expect(new ProtoReader(encodeVarint(2 ** 53 - 1)).uint64()).toBe(2 ** 53 - 1);
    const max = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(new ProtoReader(max).varint64()).toBe(2n ** 64n - 1n);
    expect(new ProtoReader(encodeVarint(2n ** 63n)).varint64()).toBe(2n ** 63n);
    expect(() => new ProtoReader(max).uint64()).toThrow('uint64 at byte 0 exceeds 2^53 - 1');
  });

  it('reads int32 negatives from their ten-byte two’s complement', () => {
    const minusOne = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(new ProtoReader(minusOne).int32()).toBe(-1);
    expect(new ProtoReader(encodeVarint(-2147483648)).int32()).toBe(-2147483648);
    expect(encodeVarint(-1)).toEqual(minusOne);
  });

  it('reads keys, fixed32 floats, doubles, bools and strings', () => {
    const w = new ProtoWriter();
    w.float(2, -1.5);
    w.double(3, Math.PI);
    w.int(4, 1);
    w.string(5, '\ufeff▁hé');
    const r = new ProtoReader(w.finish());
    expect(r.key()).toEqual({ field: 2, wireType: 5 });
    expect(r.float()).toBe(-1.5);
    expect(r.key()).toEqual({ field: 3, wireType: 1 });
    expect(r.double()).toBe(Math.PI);
    expect(r.key()).toEqual({ field: 4, wireType: 0 });
    expect(r.bool()).toBe(true);
    expect(r.key()).toEqual({ field: 5, wireType: 2 });
    expect(r.string()).toBe('\ufeff▁hé'); // a leading BOM is kept
    expect(r.done).toBe(true);
  });

  it('reads embedded messages without reading past them', () => {
    const inner = new ProtoWriter();
    inner.int(1, 7);
    const w = new ProtoWriter();
    w.message(1, inner);
    w.int(2, 9);
    const r = new ProtoReader(w.finish());
    r.key();
    const sub = r.message();
    expect(sub.key()).toEqual({ field: 1, wireType: 0 });
    expect(sub.uint32()).toBe(7);
    expect(sub.done).toBe(true);
    expect(r.key()).toEqual({ field: 2, wireType: 0 });
    expect(r.uint32()).toBe(9);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    // field 1 varint, field 2 fixed64, field 3 bytes, field 4 fixed32, field 5 group { field 1 varint }, field 6 varint
    const data = bytes(0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x02, 0xaa, 0xbb, 0x25, 1, 2, 3, 4, 0x2b, 0x08, 0x01, 0x2c, 0x30, 0x2a);
    const r = new ProtoReader(data);
    for (let i = 0; i < 5; i++) {
      const { field, wireType } = r.key();
      r.skip(wireType, field);
    }
    expect(r.key()).toEqual({ field: 6, wireType: 0 });
    expect(r.uint32()).toBe(42);
    expect(r.done).toBe(true);
  });

  it('names the byte where truncated or malformed input fails', () => {
    const truncatedVarint = new ProtoReader(bytes(0x08, 0x80));
    truncatedVarint.key();
    expect(() => truncatedVarint.uint32()).toThrow(ProtoDecodeError);
    expect(() => new ProtoReader(bytes(0x80)).uint32()).toThrow('truncated varint at byte 0');
    const short = new ProtoReader(bytes(0x0a, 0x05, 0x61));
    short.key();
    expect(() => short.bytesView()).toThrow('length-delimited field at byte 1 runs past the end: needs 5 bytes, 1 left');
    expect(() => new ProtoReader(bytes(0x25, 0x00)).float()).toThrow('truncated float at byte 0: needs 4 bytes, 2 left');
    expect(() => new ProtoReader(bytes(0x00)).key()).toThrow('field number 0 at byte 0');
    const badWire = new ProtoReader(bytes(0x0f));
    const k = badWire.key();
    expect(() => badWire.skip(k.wireType, k.field)).toThrow('invalid wire type 7 at byte 1');
    expect(() => new ProtoReader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).uint32()).toThrow(
      'varint longer than 10 bytes at byte 0',
    );
  });
});
