// The one source of randomness: a counter-based generator. Element i of a random tensor drawn with an
// int64 key is a pure function of (key, i), so results do not depend on the executor, on threads or on
// how a run is resumed. Every step of the recipe stays below 2^63, so the ONNX lowering computes it
// with plain int64 Mul/Div/BitwiseXor/BitwiseAnd and gets the same bits as this reference.
//
//   mix32(x) = x ^= x>>16; x = (x*0x45d9f3b) mod 2^32; x ^= x>>16; x = (x*0x45d9f3b) mod 2^32; x ^= x>>16
//   lo = key & 0xffffffff;  hi = trunc(key / 2^32) & 0xffffffff       (two's complement int64)
//   a = mix32(lo ^ 0x9e3779b9);  b = mix32(hi ^ 0x85ebca6b)
//   bits(i) = mix32(mix32(i ^ a) ^ b)                                  (i: flat row-major index < 2^32)
//   uniform(i) = floor(bits(i) / 256) * 2^-24                          (24 random bits, in [0, 1))

export const MIX_MULTIPLIER = 0x45d9f3b;
export const KEY_LO_SALT = 0x9e3779b9;
export const KEY_HI_SALT = 0x85ebca6b;

/** The 32-bit mixing function of the recipe (x in [0, 2^32)). */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, MIX_MULTIPLIER) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, MIX_MULTIPLIER) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The two 32-bit words (a, b) derived from an int64 key. */
export function keyWords(key: bigint): [number, number] {
  const k = BigInt.asIntN(64, key);
  const lo = Number(k & 0xffffffffn);
  const hi = Number((k / 0x100000000n) & 0xffffffffn);
  return [mix32((lo ^ KEY_LO_SALT) >>> 0), mix32((hi ^ KEY_HI_SALT) >>> 0)];
}

/** 32 random bits for element `index` under the key words (a, b). */
export function randomBits(a: number, b: number, index: number): number {
  return mix32((mix32((index ^ a) >>> 0) ^ b) >>> 0);
}

/** A uniform number in [0, 1) with 24 random bits for element `index`. */
export function uniformAt(a: number, b: number, index: number): number {
  return Math.floor(randomBits(a, b, index) / 256) * 2 ** -24;
}
