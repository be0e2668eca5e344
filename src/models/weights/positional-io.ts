// Whole-range reads and writes on a file descriptor: loops over short transfers and splits ranges into
// pieces of at most 1 GiB (Node refuses single transfers of 2 GiB and more; one embedding matrix of a 20B
// model is 2.4 GB). Reads land directly in the caller's typed array, so a tensor is never copied.

import fs from 'node:fs';

const PIECE = 1 << 30;

/** Fills `target` with the bytes at `position`; throws (with `what` in the message) at end of file. */
export function readFully(fd: number, target: Uint8Array, position: number, what: string): void {
  let done = 0;
  while (done < target.length) {
    const n = fs.readSync(fd, target, done, Math.min(PIECE, target.length - done), position + done);
    if (n === 0) throw new Error(`${what}: the file ended after ${done} of ${target.length} bytes at offset ${position}; it is truncated`);
    done += n;
  }
}

/** Writes all of `bytes` at the descriptor's current position. */
export function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, Math.min(PIECE, bytes.length - done));
  }
}

/** The bytes of a typed array (a view of its memory, not a copy). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Tensor files are little-endian and typed arrays use the host's order: refuse big-endian hosts. */
export function assertLittleEndianHost(file: string): void {
  if (!LITTLE_ENDIAN) throw new Error(`${file}: safetensors data is little-endian and polyseq reads and writes it only on little-endian hosts`);
}
