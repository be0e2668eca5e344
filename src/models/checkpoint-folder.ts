// Writing a checkpoint folder for every family (checkpoint.ts for BART/AlexaTM, t5/checkpoint.ts for
// T5): a new folder is written complete beside its final path (`DIR.tmp-<pid>-<random>`) and renamed
// into place, so it appears whole or not at all; into an existing folder each file is replaced
// atomically by the `write` callback itself (weights first, config.json last), leaving files that
// polyseq does not write (a tokenizer_config.json, a README) where they are.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Runs `write(target)` on `dir` when it exists, else on a staging folder beside it that is renamed to `dir` once complete. */
export function writeCheckpointFolder(dir: string, who: string, write: (target: string) => void): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new Error(`${who}: ${dir} exists and is not a folder`);
    write(dir);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    write(staging);
    fs.renameSync(staging, dir);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
