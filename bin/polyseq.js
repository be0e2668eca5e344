#!/usr/bin/env node
// Entry point of the `polyseq` command. The program itself is TypeScript compiled to dist/ by
// `npm run build` (run by `npm install` through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: polyseq is not built (no dist/cli/main.js); run `npm run build` in the polyseq folder\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
