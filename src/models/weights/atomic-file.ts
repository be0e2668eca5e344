// A file that appears at its path complete or not at all: bytes go to `PATH.tmp-<pid>-<random>` beside it,
// which is fsynced and renamed over PATH (rename is atomic within a filesystem), then the directory is
// fsynced so the rename itself survives a power cut. A failed write removes the temporary file; a killed
// process can leave one behind, but never a partial PATH.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFully } from './positional-io.js';

export class AtomicFile {
  private fd: number | null;

  private constructor(
    readonly path: string,
    readonly tempPath: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens a fresh temporary file beside `target` (its directory must exist). */
  static create(target: string): AtomicFile {
    const tempPath = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      return new AtomicFile(target, tempPath, fs.openSync(tempPath, 'wx'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`${target}: cannot create it: the folder ${path.dirname(target)} does not exist`);
      throw new Error(`${target}: cannot create it (${code ?? (e as Error).message})`);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.fd === null) throw new Error(`${this.path}: write after the file was committed or aborted`);
    writeFully(this.fd, bytes);
  }

  /** Flushes the bytes to disk and moves them to the target path. */
  commit(): void {
    if (this.fd === null) throw new Error(`${this.path}: commit after the file was committed or aborted`);
    const fd = this.fd;
    this.fd = null;
    try {
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(this.tempPath, this.path);
    } catch (e) {
      fs.rmSync(this.tempPath, { force: true });
      throw e;
    }
    syncDirectory(path.dirname(this.path));
  }

  /** Drops the temporary file; the target path is untouched. Safe to call more than once. */
  abort(): void {
    if (this.fd !== null) {
      closeQuietly(this.fd);
      this.fd = null;
    }
    fs.rmSync(this.tempPath, { force: true });
  }
}

/** Writes `content` to `target` atomically. */
export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  const file = AtomicFile.create(target);
  try {
    file.write(typeof content === 'string' ? new TextEncoder().encode(content) : content);
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

/** fsync on a directory makes a rename durable on POSIX; Windows cannot open directories, so skip there. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
