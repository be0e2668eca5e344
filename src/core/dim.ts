// Tensor dimensions: a number, or a symbolic polynomial over named sizes such as "batch", "batch*seq"
// or "past + 1". A symbolic dim is kept as the canonical text of its polynomial (terms sorted, integer
// coefficients), so two dims are equal exactly when their texts are equal.

export type Dim = number | string;
export type Shape = readonly Dim[];

/** Monomial key ("" for the constant term, else factor names sorted and joined by "*") → coefficient. */
type Poly = Map<string, number>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parse(dim: Dim): Poly {
  const poly: Poly = new Map();
  if (typeof dim === 'number') {
    if (dim !== 0) poly.set('', dim);
    return poly;
  }
  const text = dim.replace(/\s+/g, '').replace(/-/g, '+-');
  for (const term of text.split('+')) {
    if (term === '') continue;
    let coeff = 1;
    const names: string[] = [];
    for (const raw of term.split('*')) {
      let factor = raw;
      if (factor.startsWith('-')) {
        coeff = -coeff;
        factor = factor.slice(1);
      }
      if (/^\d+$/.test(factor)) coeff *= Number(factor);
      else if (NAME.test(factor)) names.push(factor);
      else throw new SyntaxError(`invalid symbolic dim "${dim}": "${raw}" is neither a number nor a name like "batch"`);
    }
    addTerm(poly, names.sort().join('*'), coeff);
  }
  return poly;
}

function addTerm(poly: Poly, key: string, coeff: number): void {
  const next = (poly.get(key) ?? 0) + coeff;
  if (next === 0) poly.delete(key);
  else poly.set(key, next);
}

function format(poly: Poly): Dim {
  const keys = [...poly.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return 0;
  if (keys.length === 1 && keys[0] === '') return poly.get('')!;
  let out = '';
  for (const key of keys) {
    const c = poly.get(key)!;
    const magnitude = Math.abs(c);
    const body = key === '' ? String(magnitude) : magnitude === 1 ? key : `${magnitude}*${key}`;
    out += out === '' ? (c < 0 ? `-${body}` : body) : c < 0 ? ` - ${body}` : ` + ${body}`;
  }
  return out;
}

/** The canonical form of a dim given by a user (e.g. "seq*batch" → "batch*seq", "3" → 3). */
export function canonicalDim(dim: Dim): Dim {
  if (typeof dim === 'number') {
    if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`a dim must be a non-negative integer (got ${dim})`);
    return dim;
  }
  return format(parse(dim));
}

export function isStatic(dim: Dim): dim is number {
  return typeof dim === 'number';
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const poly = parse(a);
  for (const [k, c] of parse(b)) addTerm(poly, k, c);
  return format(poly);
}

export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const poly = parse(a);
  for (const [k, c] of parse(b)) addTerm(poly, k, -c);
  return format(poly);
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  const pa = parse(a);
  const pb = parse(b);
  const poly: Poly = new Map();
  for (const [ka, ca] of pa) {
    for (const [kb, cb] of pb) {
      const names = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])].sort();
      addTerm(poly, names.join('*'), ca * cb);
    }
  }
  return format(poly);
}

/** The product of a list of dims (1 for an empty list). */
export function dimProduct(dims: Shape): Dim {
  return dims.reduce<Dim>((acc, d) => dimMul(acc, d), 1);
}

/**
 * a / b when the division is exact as polynomials (b a single term), else undefined.
 * Used to infer the `-1` entry of a reshape.
 */
export function dimDivExact(a: Dim, b: Dim): Dim | undefined {
  if (typeof a === 'number' && typeof b === 'number') return b !== 0 && a % b === 0 ? a / b : undefined;
  const pb = parse(b);
  if (pb.size !== 1) return a === b ? 1 : undefined;
  const [[kb, cb]] = [...pb];
  const divisorNames = kb ? kb.split('*') : [];
  const poly: Poly = new Map();
  for (const [ka, ca] of parse(a)) {
    const names = ka ? ka.split('*') : [];
    for (const n of divisorNames) {
      const i = names.indexOf(n);
      if (i < 0) return undefined;
      names.splice(i, 1);
    }
    if (ca % cb! !== 0) return undefined;
    addTerm(poly, names.join('*'), ca / cb!);
  }
  return format(poly);
}

/** The names a dim depends on. */
export function dimSymbols(dim: Dim): string[] {
  if (typeof dim === 'number') return [];
  const names = new Set<string>();
  for (const key of parse(dim).keys()) for (const n of key ? key.split('*') : []) names.add(n);
  return [...names];
}

/** The terms of a dim: each a coefficient and the names it multiplies (used to lower dims to runtime values). */
export function dimTerms(dim: Dim): { coeff: number; names: string[] }[] {
  return [...parse(dim)].map(([k, c]) => ({ coeff: c, names: k ? k.split('*') : [] }));
}

/** The value of a dim given sizes for its names; throws naming a missing name. */
export function evalDim(dim: Dim, sizes: ReadonlyMap<string, number>): number {
  if (typeof dim === 'number') return dim;
  let total = 0;
  for (const [key, coeff] of parse(dim)) {
    let term = coeff;
    for (const n of key ? key.split('*') : []) {
      const v = sizes.get(n);
      if (v === undefined) throw new RangeError(`symbolic dim "${n}" (in "${dim}") has no size bound to it`);
      term *= v;
    }
    total += term;
  }
  return total;
}

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : JSON.stringify(d))).join(', ')}]`;
}
