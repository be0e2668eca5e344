// polyseq's own version, read from the package.json at the package root.
// Both src/cli/ (tsx, vitest) and dist/cli/ (built) sit two levels below the root.

import { readFileSync } from 'node:fs';

export function polyseqVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(url, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('version' in parsed) || typeof parsed.version !== 'string') {
    throw new Error(`no "version" string in ${url.pathname}`);
  }
  return parsed.version;
}
