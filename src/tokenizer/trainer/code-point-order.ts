// The string order SentencePiece's trainer sorts by: std::string's `<` on UTF-8 bytes, which is the
// order of code points. JavaScript's `<` compares UTF-16 code units instead and puts U+10000..U+10FFFF
// (surrogate pairs) before U+E000..U+FFFF; compareCodePoints does not.

/** Negative, zero or positive as `a` sorts before, with or after `b` in code-point (= UTF-8 byte) order. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only where one side is a surrogate and the other a unit of U+E000..U+FFFF do the two orders differ.
    if (x >= 0xd800 && y >= 0xd800) return surrogateRank(x) - surrogateRank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Code units from U+D800 up, ranked so that surrogates (astral code points) come after U+E000..U+FFFF. */
function surrogateRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Units from U+D800 up: a string without them compares the same in both orders against any string. */
const HIGH_UNITS = /[\ud800-\uffff]/;

/**
 * Sorts [string, count] pairs by count (descending), then string in code-point order — SentencePiece's
 * Sorted() — using the engine's own string comparison wherever it agrees with code-point order.
 */
export function sortByCountThenString<T extends readonly [string, number]>(entries: T[]): T[] {
  const anyHigh = entries.some(([text]) => HIGH_UNITS.test(text));
  return entries.sort((a, b) => {
    if (a[1] !== b[1]) return b[1] - a[1];
    if (anyHigh) return compareCodePoints(a[0], b[0]);
    return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  });
}
