// Unicode simple case folding (CaseFolding.txt statuses C and S, what ICU's u_foldCase gives with
// U_FOLD_CASE_DEFAULT), derived from JavaScript's own Unicode data: a regular expression with the `iu`
// flags matches two characters exactly when their simple case foldings are equal (ECMA-262
// Canonicalize), so the folding of c is the member of c's class that folding picks — its lowercase,
// except Cherokee, which folds to the capital letters (Unicode's stability policy).

const CHEROKEE = /\p{Script=Cherokee}/u;

let foldTable: Map<number, number> | undefined;

function single(text: string): number | undefined {
  const cp = text.codePointAt(0);
  return cp !== undefined && text.length === String.fromCodePoint(cp).length ? cp : undefined;
}

function sameFolding(a: number, b: number): boolean {
  const pattern = String.fromCodePoint(a).replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  return new RegExp(`^${pattern}$`, 'iu').test(String.fromCodePoint(b));
}

/** The candidate folding of `cp`: the lowercase of its uppercase (its class's lowercase), or its lowercase. */
function candidate(cp: number): number | undefined {
  const text = String.fromCodePoint(cp);
  const upper = single(text.toUpperCase());
  if (CHEROKEE.test(text)) return upper;
  const viaUpper = upper === undefined ? undefined : single(String.fromCodePoint(upper).toLowerCase());
  return viaUpper ?? single(text.toLowerCase());
}

/** Every code point whose simple case folding is another code point, with that code point. */
export function simpleCaseFoldings(): ReadonlyMap<number, number> {
  if (foldTable !== undefined) return foldTable;
  const table = new Map<number, number>();
  for (let cp = 1; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const text = String.fromCodePoint(cp);
    // Case-insensitive classes only hold characters that have a case mapping or are some character's
    // case mapping; none of the others can fold.
    if (text.toLowerCase() === text && text.toUpperCase() === text) continue;
    const target = candidate(cp);
    if (target !== undefined && target !== cp && sameFolding(cp, target)) table.set(cp, target);
  }
  foldTable = table;
  return table;
}

/** The simple case folding of one code point (itself where it has none). */
export function foldCase(cp: number): number {
  return simpleCaseFoldings().get(cp) ?? cp;
}
