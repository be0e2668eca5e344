// safetensors read/write: exact bytes of a pinned example (spelled out from the format spec), every dtype
// round trip bit for bit, exact F16/BF16 → float32 widening over all 65,536 patterns, a hand-built file in
// another writer's layout, every malformed-file error, atomic writes that a throwing input leaves no trace
// of, and byte-identity with the reference Python `save_file` where it can run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bfloat16ToNumber, halfToNumber, numberToBfloat16 } from '../../src/core/dtype.js';
import { NDArray } from '../../src/core/ndarray.js';
import { SafetensorsFile, writeSafetensors } from '../../src/models/weights/safetensors.js';
import type { RawTensor, TensorData } from '../../src/models/weights/safetensors.js';
import { compareCodePoints, layoutTensors } from '../../src/models/weights/safetensors-header.js';
import { bytesOf } from '../../src/models/weights/positional-io.js';
import { MISSING_SAFETENSORS, referenceSave } from './safetensors-reference.js';
import type { ReferenceTensor } from './safetensors-reference.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polyseq-safetensors-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];

/** A file from raw parts: the 8-byte length (default: the JSON's), the JSON, the data. */
function handBuilt(name: string, json: string, data: number[], declaredLength?: number): string {
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(declaredLength ?? Buffer.byteLength(json)));
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(json), Buffer.from(data)]));
  return file;
}

function f32(values: number[]): NDArray<'float32'> {
  return new NDArray('float32', [values.length], Float32Array.from(values));
}

function withFile<T>(file: string, body: (f: SafetensorsFile) => T): T {
  const f = SafetensorsFile.open(file);
  try {
    return body(f);
  } finally {
    f.close();
  }
}

// Two tensors and metadata, as the format spec lays them out: the F32 tensor first (higher dtype rank)
// although its name sorts after; JSON of 162 bytes padded with 6 spaces to 168 = 0xa8.
const PINNED_JSON =
  '{"__metadata__":{"format":"pt"},' +
  '"proj.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},' +
  '"proj.bias":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]}}';
const PINNED_BYTES = Uint8Array.from([
  0xa8, 0, 0, 0, 0, 0, 0, 0,
  ...ascii(PINNED_JSON),
  ...ascii('      '),
  0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x40, 0x40, // 1, -2, 0.5, 3
  0xc0, 0x3f, 0x80, 0xbe, // bf16 1.5 = 0x3fc0, -0.25 = 0xbe80
]);

function pinnedTensors(): Record<string, NDArray> {
  return {
    'proj.weight': NDArray.from('float32', [2, 2], [1, -2, 0.5, 3]),
    'proj.bias': NDArray.from('bfloat16', [2], [1.5, -0.25]),
  };
}

describe('writeSafetensors', () => {
  it('writes the pinned example byte for byte', () => {
    expect(PINNED_JSON.length).toBe(162);
    const file = path.join(dir, 'pinned.safetensors');
    writeSafetensors(file, pinnedTensors(), { format: 'pt' });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(PINNED_BYTES);
  });

  it('orders data by descending dtype rank, then by code point (U+FFFF before U+1F600)', () => {
    const t = (name: string, dtype: 'F32' | 'BF16' | 'I64' | 'BOOL') => ({ name, dtype, shape: [], bytes: { F32: 4, BF16: 2, I64: 8, BOOL: 1 }[dtype] });
    const laid = layoutTensors([t('b', 'F32'), t('\u{1F600}', 'BOOL'), t('\uFFFF', 'BOOL'), t('a', 'BF16'), t('z', 'I64'), t('a', 'F32')]);
    expect(laid.map((e) => [e.name, e.dtype, e.begin, e.end])).toEqual([
      ['z', 'I64', 0, 8],
      ['a', 'F32', 8, 12],
      ['b', 'F32', 12, 16],
      ['a', 'BF16', 16, 18],
      ['\uFFFF', 'BOOL', 18, 19],
      ['\u{1F600}', 'BOOL', 19, 20],
    ]);
    expect(['\u{1F600}', '\uFFFF', 'b', 'a'].sort(compareCodePoints)).toEqual(['a', 'b', '\uFFFF', '\u{1F600}']);
  });

  it('writes a metadata-free file and an empty file as the reference does', () => {
    const empty = path.join(dir, 'empty.safetensors');
    writeSafetensors(empty, {});
    expect(new Uint8Array(fs.readFileSync(empty))).toEqual(Uint8Array.from([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]));
    const one = path.join(dir, 'one.safetensors');
    writeSafetensors(one, { x: NDArray.from('int32', [], [-2]) });
    const json = '{"x":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}';
    expect(json.length).toBe(53);
    expect(new Uint8Array(fs.readFileSync(one))).toEqual(Uint8Array.from([56, 0, 0, 0, 0, 0, 0, 0, ...ascii(json), ...ascii('   '), 0xfe, 0xff, 0xff, 0xff]));
  });

  it('writes metadata keys in code-point order and escapes JSON as serde_json does', () => {
    const file = path.join(dir, 'meta.safetensors');
    writeSafetensors(file, { 'q"\\\n\u0001é': f32([0]) }, { b: '2', a: '1\u007f' });
    const bytes = fs.readFileSync(file);
    const json = bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8');
    expect(json.trimEnd()).toBe('{"__metadata__":{"a":"1\u007f","b":"2"},"q\\"\\\\\\n\\u0001é":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
  });

  it('streams an iterator through a spool and writes the same bytes as from a record', () => {
    const file = path.join(dir, 'streamed.safetensors');
    function* produce(): Generator<[string, TensorData]> {
      for (const [name, t] of Object.entries(pinnedTensors())) yield [name, t];
    }
    writeSafetensors(file, produce(), { format: 'pt' });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(PINNED_BYTES);
    expect(fs.readdirSync(dir)).toEqual(['streamed.safetensors']);
  });

  it('leaves nothing behind when the input iterator throws midway', () => {
    const file = path.join(dir, 'model.safetensors');
    function* failing(): Generator<[string, TensorData]> {
      yield ['a', f32([1, 2, 3])];
      yield ['b', f32([4])];
      throw new Error('producer failed at tensor 3');
    }
    expect(() => writeSafetensors(file, failing())).toThrow('producer failed at tensor 3');
    expect(fs.readdirSync(dir)).toEqual([]);

    // An existing file at the destination survives a failed write untouched.
    writeSafetensors(file, pinnedTensors(), { format: 'pt' });
    expect(() => writeSafetensors(file, failing())).toThrow('producer failed at tensor 3');
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(PINNED_BYTES);
  });

  it('rejects bad input with errors naming the file and tensor', () => {
    const file = path.join(dir, 'bad.safetensors');
    expect(() => writeSafetensors(file, { __metadata__: f32([1]) })).toThrow(/bad\.safetensors: "__metadata__" is reserved/);
    expect(() => writeSafetensors(file, [['w', f32([1])], ['w', f32([2])]])).toThrow(/tensor "w" is given twice/);
    const raw: RawTensor = { dtype: 'I16', shape: [3], bytes: new Uint8Array(4) };
    expect(() => writeSafetensors(file, { r: raw })).toThrow(/tensor "r" is I16 \[3\], which needs 6 bytes, but 4 were given/);
    expect(() => writeSafetensors(file, { w: f32([1]) }, { n: 1 as unknown as string })).toThrow(/metadata "n" must be a string/);
    expect(() => writeSafetensors(file, { ['\uD800']: f32([1]) })).toThrow(/lone UTF-16 surrogate/);
    expect(() => writeSafetensors(path.join(dir, 'no', 'such', 'x.safetensors'), { w: f32([1]) })).toThrow(/the folder .*no\/such does not exist/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

/** Float bit patterns worth keeping exact: zeros, subnormals, extremes, infinities, NaNs with payloads. */
function float32Bits(): NDArray<'float32'> {
  const u = Uint32Array.from([0x00000000, 0x80000000, 0x00000001, 0x3f800000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00001, 0xffa00000]);
  return new NDArray('float32', [3, 3], new Float32Array(u.buffer));
}

function float64Bits(): NDArray<'float64'> {
  const u = BigUint64Array.from([0n, 0x8000000000000000n, 1n, 0x3ff0000000000000n, 0x7ff0000000000000n, 0x7ff8000000000123n]);
  return new NDArray('float64', [2, 3], new Float64Array(u.buffer));
}

const HALF_PATTERNS = [0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0x7c00, 0xfc00, 0x7e01, 0xfd00];

describe('SafetensorsFile', () => {
  it('reads the pinned example', () => {
    const file = path.join(dir, 'pinned.safetensors');
    fs.writeFileSync(file, PINNED_BYTES);
    withFile(file, (f) => {
      expect(f.metadata).toEqual({ format: 'pt' });
      expect(f.names).toEqual(['proj.weight', 'proj.bias']);
      expect(f.dataStart).toBe(176);
      expect(f.info('proj.bias')).toEqual({ dtype: 'BF16', shape: [2], bytes: 4 });
      expect(f.read('proj.weight').toNested()).toEqual([[1, -2], [0.5, 3]]);
      const bias = f.read('proj.bias');
      expect([bias.dtype, [...(bias.data as Uint16Array)]]).toEqual(['bfloat16', [0x3fc0, 0xbe80]]);
      const widened = f.read('proj.bias', { as: 'float32' });
      expect([widened.dtype, [...widened.data]]).toEqual(['float32', [1.5, -0.25]]);
      expect([...f.readRaw('proj.bias')]).toEqual([0xc0, 0x3f, 0x80, 0xbe]);
    });
  });

  it('reads a hand-built file in another writer\'s layout (unpadded header, keys in any order)', () => {
    const json =
      '{"b":{"dtype":"I32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"},' +
      '"a":{"dtype":"F16","shape":[1,2],"data_offsets":[8,12]},"e":{"dtype":"F32","shape":[0,4],"data_offsets":[12,12]}}';
    const file = handBuilt('mlx.safetensors', json, [7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x00, 0x3c, 0x00, 0xc0]);
    withFile(file, (f) => {
      expect(f.metadata).toEqual({ k: 'v' });
      expect(f.names).toEqual(['b', 'a', 'e']);
      expect(f.dataStart).toBe(8 + json.length);
      expect(f.read('b').toNumbers()).toEqual([7, -1]);
      expect([...(f.read('a').data as Uint16Array)]).toEqual([0x3c00, 0xc000]);
      expect(f.read('a', { as: 'float32' }).toNested()).toEqual([[1, -2]]);
      const e = f.read('e');
      expect([e.dtype, e.shape, e.size]).toEqual(['float32', [0, 4], 0]);
      expect(f.has('a') && !f.has('k')).toBe(true);
    });
  });

  it('round-trips every dtype bit for bit', () => {
    const arrays: Record<string, NDArray> = {
      f32: float32Bits(),
      f64: float64Bits(),
      f16: new NDArray('float16', [HALF_PATTERNS.length], Uint16Array.from(HALF_PATTERNS)),
      bf16: new NDArray('bfloat16', [5], Uint16Array.from([0x3f80, 0x8001, 0x7f80, 0x7fc1, 0xff81])),
      i32: new NDArray('int32', [4], Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 0, -1])),
      i64: new NDArray('int64', [2, 2], BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -1n])),
      bool: new NDArray('bool', [2, 2], Uint8Array.from([0, 1, 1, 0])),
      scalar: NDArray.from('float32', [], [0.1]),
      empty: new NDArray('int64', [3, 0], new BigInt64Array(0)),
    };
    const raws: Record<string, RawTensor> = {
      i16: { dtype: 'I16', shape: [3], bytes: bytesOf(Int16Array.from([-32768, 32767, -1])) },
      i8: { dtype: 'I8', shape: [2], bytes: bytesOf(Int8Array.from([-128, 127])) },
      u8: { dtype: 'U8', shape: [2], bytes: Uint8Array.from([0, 255]) },
      u16: { dtype: 'U16', shape: [2], bytes: bytesOf(Uint16Array.from([65535, 1])) },
      u32: { dtype: 'U32', shape: [2], bytes: bytesOf(Uint32Array.from([4294967295, 7])) },
      u64: { dtype: 'U64', shape: [1], bytes: bytesOf(BigUint64Array.from([2n ** 64n - 1n])) },
      f8: { dtype: 'F8_E4M3', shape: [3], bytes: Uint8Array.from([0x38, 0xb8, 0x7f]) },
    };
    const file = path.join(dir, 'all.safetensors');
    writeSafetensors(file, { ...arrays, ...raws });
    withFile(file, (f) => {
      for (const [name, a] of Object.entries(arrays)) {
        const b = f.read(name);
        expect([b.dtype, b.shape], name).toEqual([a.dtype, a.shape]);
        expect(Buffer.from(bytesOf(b.data)).equals(Buffer.from(bytesOf(a.data))), name).toBe(true);
      }
      for (const [name, r] of Object.entries(raws)) {
        expect(f.info(name), name).toEqual({ dtype: r.dtype, shape: r.shape, bytes: r.bytes.length });
        expect(f.readRaw(name), name).toEqual(r.bytes);
      }
      // Narrow integers widen losslessly.
      expect([f.read('i16').dtype, f.read('i16').toNumbers()]).toEqual(['int32', [-32768, 32767, -1]]);
      expect(f.read('i8').toNumbers()).toEqual([-128, 127]);
      expect(f.read('u8').toNumbers()).toEqual([0, 255]);
      expect(f.read('u16').toNumbers()).toEqual([65535, 1]);
      expect([...(f.read('u32').data as BigInt64Array)]).toEqual([4294967295n, 7n]);
      expect(() => f.read('u64')).toThrow(/all\.safetensors: tensor "u64" is U64, which no polyseq array holds; readRaw\("u64"\)/);
      expect(() => f.read('f8')).toThrow(/tensor "f8" is F8_E4M3/);
    });
  });

  it('widens all 65,536 F16 and BF16 patterns to float32 exactly (NaN payloads kept)', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const file = path.join(dir, 'halves.safetensors');
    writeSafetensors(file, { h: new NDArray('float16', [256, 256], all), b: new NDArray('bfloat16', [65536], all) });
    withFile(file, (f) => {
      const h = f.read('h', { as: 'float32' });
      const b = f.read('b', { as: 'float32' });
      expect([h.dtype, h.shape, b.dtype, b.shape]).toEqual(['float32', [256, 256], 'float32', [65536]]);
      const hBits = new Uint32Array((h.data as Float32Array).buffer);
      const bBits = new Uint32Array((b.data as Float32Array).buffer);
      let mismatches = 0;
      for (let i = 0; i < 65536; i++) {
        const exp = (i >> 10) & 0x1f;
        const frac = i & 0x3ff;
        if (exp === 0x1f && frac !== 0) {
          if (hBits[i] !== (((i & 0x8000) << 16) | 0x7f800000 | (frac << 13)) >>> 0) mismatches++;
        } else if (!Object.is(h.data[i], halfToNumber(i))) mismatches++;
        if (bBits[i] !== i << 16 >>> 0) mismatches++;
        if (!Number.isNaN(b.data[i] as number) && !Object.is(b.data[i], bfloat16ToNumber(i))) mismatches++;
      }
      expect(mismatches).toBe(0);
      // float64 requests decode through numbers: exact too.
      const h64 = f.read('h', { as: 'float64' });
      expect([h64.get(0x3555), h64.get(0x0001), h64.get(0xfbff)]).toEqual([halfToNumber(0x3555), 2 ** -24, -65504]);
    });
  });

  it('converts on request and refuses conversions that change a tensor\'s kind', () => {
    const file = path.join(dir, 'conv.safetensors');
    writeSafetensors(file, {
      x: f32([1 + 2 ** -9, -3.1]),
      i: NDArray.from('int64', [3], [5n, -7n, 2n ** 40n]),
      j: NDArray.from('int32', [2], [3, -4]),
      m: NDArray.from('bool', [2], [1, 0]),
    });
    withFile(file, (f) => {
      expect(f.read('x', { as: 'float64' }).toNumbers()).toEqual([1 + 2 ** -9, Math.fround(-3.1)]);
      expect([...(f.read('x', { as: 'bfloat16' }).data as Uint16Array)]).toEqual([numberToBfloat16(1 + 2 ** -9), numberToBfloat16(Math.fround(-3.1))]);
      expect([...(f.read('j', { as: 'int64' }).data as BigInt64Array)]).toEqual([3n, -4n]);
      expect(() => f.read('i', { as: 'int32' })).toThrow(/tensor "i": element 2 is 1099511627776, which int32 cannot hold; read it as int64/);
      expect(() => f.read('x', { as: 'int32' })).toThrow(/tensor "x" is F32; reading it as int32 would change its kind/);
      expect(() => f.read('m', { as: 'float32' })).toThrow(/tensor "m" is BOOL; reading it as float32/);
    });
  });

  it('names the file and the fix for every malformed file', () => {
    const entry = (dtype: string, shape: number[], a: number, b: number): string => `{"dtype":"${dtype}","shape":[${shape}],"data_offsets":[${a},${b}]}`;
    const zeros = (n: number): number[] => new Array<number>(n).fill(0);
    const cases: [string, () => string, RegExp][] = [
      ['short', () => { fs.writeFileSync(path.join(dir, 'short'), Uint8Array.from([1, 2, 3])); return path.join(dir, 'short'); }, /short: the file is 3 bytes, too short/],
      ['length', () => handBuilt('length', '{}', [], 255), /length: the header length is 255 bytes but only 2 follow it — the file is truncated/],
      ['json', () => handBuilt('json', '{"a":', []), /json: the header is not valid JSON/],
      ['brace', () => handBuilt('brace', ' {}', []), /brace: the header starts with byte 0x20, not "\{"/],
      ['utf8', () => { const p = path.join(dir, 'utf8'); fs.writeFileSync(p, Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff, 0x7d])); return p; }, /utf8: the header is not valid UTF-8/],
      ['dtype', () => handBuilt('dtype', `{"w":${entry('X9', [1], 0, 1)}}`, [0]), /dtype: tensor "w": unknown dtype "X9"/],
      ['f4', () => handBuilt('f4', `{"w":${entry('F4', [2], 0, 1)}}`, [0]), /tensor "w": dtype F4 packs elements below a byte/],
      ['size', () => handBuilt('size', `{"w":${entry('F32', [3], 0, 8)}}`, zeros(8)), /tensor "w": data_offsets \[0, 8\] hold 8 bytes, but F32 \[3\] needs 12/],
      ['reversed', () => handBuilt('reversed', `{"w":${entry('U8', [0], 4, 0)}}`, zeros(4)), /tensor "w": data_offsets \[4, 0\] end before they begin/],
      ['shape', () => handBuilt('shape', `{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, zeros(4)), /tensor "w": "shape" must be a list of non-negative integers/],
      ['overlap', () => handBuilt('overlap', `{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}}`, zeros(12)), /overlap: tensors "a" \(data bytes \[0, 8\)\) and "b" \(\[4, 12\)\) overlap/],
      ['gap', () => handBuilt('gap', `{"a":${entry('F32', [1], 0, 4)},"b":${entry('F32', [1], 8, 12)}}`, zeros(12)), /gap: data bytes \[4, 8\) between "a" and "b" belong to no tensor/],
      ['lead', () => handBuilt('lead', `{"a":${entry('F32', [1], 4, 8)}}`, zeros(8)), /data bytes \[0, 4\) before the first tensor belong to no tensor/],
      ['trailing', () => handBuilt('trailing', `{"a":${entry('F32', [1], 0, 4)}}`, zeros(7)), /trailing: 3 bytes after the last tensor belong to no tensor/],
      ['meta', () => handBuilt('meta', '{"__metadata__":{"n":1}}', []), /meta: "__metadata__"\."n" must be a string/],
      ['truncated', () => { const p = path.join(dir, 'truncated'); fs.writeFileSync(p, PINNED_BYTES.subarray(0, PINNED_BYTES.length - 3)); return p; }, /truncated: the tensors need 20 bytes of data but the file holds 17 after its header — the file is truncated/],
    ];
    for (const [label, make, message] of cases) {
      expect(() => SafetensorsFile.open(make()), label).toThrow(message);
    }
    expect(() => SafetensorsFile.open(path.join(dir, 'absent.safetensors'))).toThrow(/absent\.safetensors: no such file/);
  });

  it('names the tensors it holds when asked for one it lacks, and refuses reads after close', () => {
    const file = path.join(dir, 'pinned.safetensors');
    fs.writeFileSync(file, PINNED_BYTES);
    const f = SafetensorsFile.open(file);
    expect(() => f.read('proj.w')).toThrow(/pinned\.safetensors: no tensor named "proj\.w" \(it holds 2 tensors: proj\.weight, proj\.bias\)/);
    f.close();
    expect(() => f.read('proj.weight')).toThrow(/read after close/);
    f.close(); // idempotent
  });
});

const skip = MISSING_SAFETENSORS !== null;
describe.skipIf(skip)(`byte-identity with the reference save_file${skip ? ` (skipped: ${MISSING_SAFETENSORS})` : ''}`, () => {
  function toReference(tensors: Record<string, NDArray | RawTensor>): ReferenceTensor[] {
    return Object.entries(tensors).map(([name, t]) =>
      t instanceof NDArray
        ? { name, dtype: ({ float32: 'F32', float64: 'F64', float16: 'F16', bfloat16: 'BF16', int32: 'I32', int64: 'I64', bool: 'BOOL' } as const)[t.dtype], shape: t.shape, bytes: bytesOf(t.data) }
        : { name, ...t },
    );
  }

  const cases: [string, () => Record<string, NDArray | RawTensor>, Record<string, string> | null][] = [
    ['the pinned example', pinnedTensors, { format: 'pt' }],
    [
      'every dtype, scalars, empty tensors and awkward names',
      () => ({
        f32: float32Bits(),
        f64: float64Bits(),
        'layer.0.f16': new NDArray('float16', [HALF_PATTERNS.length], Uint16Array.from(HALF_PATTERNS)),
        'layer.0.bf16': NDArray.from('bfloat16', [2, 1], [1.5, -7]),
        i64: NDArray.from('int64', [2], [-(2n ** 63n), 42n]),
        i32: NDArray.from('int32', [], [-5]),
        bool: NDArray.from('bool', [3], [1, 0, 1]),
        empty: new NDArray('float32', [0, 3], new Float32Array(0)),
        i16: { dtype: 'I16', shape: [2], bytes: bytesOf(Int16Array.from([-2, 300])) },
        i8: { dtype: 'I8', shape: [1], bytes: Uint8Array.from([0x80]) },
        u8: { dtype: 'U8', shape: [3], bytes: Uint8Array.from([1, 2, 255]) },
        'q"\\\n\u0001/\u2028é': NDArray.from('float32', [1], [1]),
        '\uFFFF': NDArray.from('float32', [1], [2]),
        '\u{1F600}': NDArray.from('float32', [1], [3]),
      }),
      { format: 'pt' },
    ],
    ['no metadata', () => ({ b: NDArray.from('float16', [3], [1, 2, 3]), a: NDArray.from('float16', [1], [4]) }), null],
  ];

  for (const [label, make, metadata] of cases) {
    it(label, () => {
      const tensors = make();
      const ours = path.join(dir, 'ours.safetensors');
      const theirs = path.join(dir, 'theirs.safetensors');
      writeSafetensors(ours, tensors, metadata ?? undefined);
      referenceSave(theirs, toReference(tensors), metadata);
      expect(Buffer.from(fs.readFileSync(ours)).equals(fs.readFileSync(theirs)), `${label}: bytes differ`).toBe(true);
    });
  }
});
