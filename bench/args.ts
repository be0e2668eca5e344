// Command-line parsing for the benchmark runner: `npm run bench -- NAME [--json] [--opt value] [--flag]`
// or `npm run bench -- --list`. Options are kept as strings; a benchmark reads them with intOption /
// stringOption, which name the option in their errors.

export interface BenchArgs {
  readonly name: string;
  /** True with --json: the runner prints a last line of JSON with the benchmark's figures. */
  readonly json: boolean;
  /** Every other `--key value` or `--key=value`; a bare `--flag` maps to true. */
  readonly options: Readonly<Record<string, string | true>>;
  readonly positional: readonly string[];
}

export type BenchCommand =
  | { readonly kind: 'list' }
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly args: BenchArgs };

export function parseBenchArgv(argv: readonly string[]): BenchCommand {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  let json = false;
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--') || token === '--') {
      if (token !== '--') positional.push(token);
      continue;
    }
    const body = token.slice(2);
    const eq = body.indexOf('=');
    const key = eq >= 0 ? body.slice(0, eq) : body;
    if (key === 'json' && eq < 0) json = true;
    else if (key === 'list' && eq < 0) list = true;
    else if (key === 'help' && eq < 0) help = true;
    else if (eq >= 0) options[key] = body.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        options[key] = next;
        i++;
      } else {
        options[key] = true;
      }
    }
  }
  if (list) return { kind: 'list' };
  const [name, ...rest] = positional;
  if (help || name === undefined) return { kind: 'help' };
  return { kind: 'run', args: { name, json, options, positional: rest } };
}

export function stringOption(args: BenchArgs, key: string, fallback: string): string {
  const value = args.options[key];
  if (value === undefined) return fallback;
  if (value === true) throw new RangeError(`--${key} needs a value (e.g. --${key} ${fallback})`);
  return value;
}

export function intOption(args: BenchArgs, key: string, fallback: number): number {
  const text = stringOption(args, key, String(fallback));
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`--${key} must be a positive integer (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** A comma-separated list of positive integers, e.g. `--threads 1,2,4`. */
export function intListOption(args: BenchArgs, key: string, fallback: readonly number[]): number[] {
  const text = stringOption(args, key, fallback.join(','));
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`--${key} must be positive integers separated by commas (got ${JSON.stringify(text)})`);
    }
    return value;
  });
}
