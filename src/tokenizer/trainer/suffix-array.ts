// Suffix array by induced sorting (SA-IS: Nong, Zhang & Chan, "Two Efficient Algorithms for Linear
// Time Suffix Array Construction", 2011), the LCP array by the permuted-LCP method (Kärkkäinen, Manzini
// & Puglisi, CPM 2009), and the internal nodes of the suffix tree — the substrings that occur at least
// twice and can be extended in two ways — enumerated bottom-up from the LCP intervals (Abouelhoda,
// Kurtz & Ohlebusch 2004), in the order SentencePiece's esaxx enumerates them.

const S_TYPE = 1;
const L_TYPE = 0;

/**
 * The suffix array of text[0, n), whose values lie in [0, alphabetSize). Suffixes compare as strings;
 * a suffix that is a prefix of another sorts first.
 */
export function suffixArray(text: Int32Array, alphabetSize: number): Int32Array {
  const n = text.length;
  const sa = new Int32Array(n);
  if (n === 0) return sa;
  if (n === 1) return sa; // sa[0] = 0
  for (let i = 0; i < n; i++) {
    const c = text[i] as number;
    if (!(c >= 0 && c < alphabetSize)) throw new RangeError(`suffixArray: text[${i}] = ${c} is outside the alphabet [0, ${alphabetSize})`);
  }
  sais(text, sa, n, alphabetSize);
  return sa;
}

/** Fills bucket ends (end = true) or starts of each character in `bucket`. */
function fillBuckets(counts: Int32Array, bucket: Int32Array, end: boolean): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    sum += counts[c] as number;
    bucket[c] = end ? sum : sum - (counts[c] as number);
  }
}

function isLms(types: Uint8Array, i: number): boolean {
  return i > 0 && types[i] === S_TYPE && types[i - 1] === L_TYPE;
}

/** Induces the order of L-type then S-type suffixes from the LMS suffixes placed in `sa`. */
function induce(text: Int32Array, sa: Int32Array, types: Uint8Array, counts: Int32Array, bucket: Int32Array, n: number): void {
  fillBuckets(counts, bucket, false);
  // The virtual sentinel precedes everything; the suffix before it (n - 1) is L-type.
  let c = text[n - 1] as number;
  sa[bucket[c] as number] = n - 1;
  bucket[c] = (bucket[c] as number) + 1;
  for (let i = 0; i < n; i++) {
    const j = (sa[i] as number) - 1;
    if (j >= 0 && types[j] === L_TYPE) {
      c = text[j] as number;
      sa[bucket[c] as number] = j;
      bucket[c] = (bucket[c] as number) + 1;
    }
  }
  fillBuckets(counts, bucket, true);
  for (let i = n - 1; i >= 0; i--) {
    const j = (sa[i] as number) - 1;
    if (j >= 0 && types[j] === S_TYPE) {
      c = text[j] as number;
      bucket[c] = (bucket[c] as number) - 1;
      sa[bucket[c] as number] = j;
    }
  }
}

function sais(text: Int32Array, sa: Int32Array, n: number, k: number): void {
  const types = new Uint8Array(n);
  types[n - 1] = L_TYPE;
  for (let i = n - 2; i >= 0; i--) {
    const a = text[i] as number;
    const b = text[i + 1] as number;
    types[i] = a < b || (a === b && types[i + 1] === S_TYPE) ? S_TYPE : L_TYPE;
  }
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[text[i] as number] = (counts[text[i] as number] as number) + 1;
  const bucket = new Int32Array(k);

  // Stage 1: sort the LMS substrings by inducing from their (unsorted) positions.
  sa.fill(-1);
  fillBuckets(counts, bucket, true);
  for (let i = n - 1; i >= 1; i--) {
    if (isLms(types, i)) {
      const c = text[i] as number;
      bucket[c] = (bucket[c] as number) - 1;
      sa[bucket[c] as number] = i;
    }
  }
  induce(text, sa, types, counts, bucket, n);

  // Compact the sorted LMS positions to the front and name the LMS substrings.
  let m = 0;
  for (let i = 0; i < n; i++) if (isLms(types, sa[i] as number)) sa[m++] = sa[i] as number;
  sa.fill(-1, m);
  let name = 0;
  let previous = -1;
  for (let i = 0; i < m; i++) {
    const pos = sa[i] as number;
    if (previous < 0 || !sameLmsSubstring(text, types, previous, pos, n)) name++;
    previous = pos;
    sa[m + (pos >> 1)] = name - 1;
  }
  // The reduced string: the names in text order (LMS positions are never adjacent, so pos >> 1 is unique).
  let j = n - 1;
  for (let i = n - 1; i >= m; i--) if ((sa[i] as number) >= 0) sa[j--] = sa[i] as number;
  const reduced = sa.slice(n - m, n);
  const reducedSa = new Int32Array(m);
  if (name < m) sais(reduced, reducedSa, m, name);
  else for (let i = 0; i < m; i++) reducedSa[reduced[i] as number] = i;

  // Stage 2: place the LMS suffixes in their sorted order and induce the rest.
  const lms = new Int32Array(m);
  let t = 0;
  for (let i = 1; i < n; i++) if (isLms(types, i)) lms[t++] = i;
  sa.fill(-1);
  fillBuckets(counts, bucket, true);
  for (let i = m - 1; i >= 0; i--) {
    const pos = lms[reducedSa[i] as number] as number;
    const c = text[pos] as number;
    bucket[c] = (bucket[c] as number) - 1;
    sa[bucket[c] as number] = pos;
  }
  induce(text, sa, types, counts, bucket, n);
}

/** Whether the LMS substrings at a and b (up to and including the next LMS position) are equal. */
function sameLmsSubstring(text: Int32Array, types: Uint8Array, a: number, b: number, n: number): boolean {
  for (let d = 0; ; d++) {
    const ea = a + d >= n;
    const eb = b + d >= n;
    if (ea || eb) return false; // the sentinel is unique
    if (text[a + d] !== text[b + d] || types[a + d] !== types[b + d]) return false;
    if (d > 0 && (isLms(types, a + d) || isLms(types, b + d))) return isLms(types, a + d) && isLms(types, b + d);
  }
}

/**
 * lcp[i] = the length of the longest common prefix of the suffixes sa[i - 1] and sa[i]; lcp[0] = -1.
 * Uses `scratch` (n ints) for the permuted array when given.
 */
export function lcpArray(text: Int32Array, sa: Int32Array): Int32Array {
  const n = text.length;
  const lcp = new Int32Array(n);
  if (n === 0) return lcp;
  // phi[sa[i]] = sa[i - 1]; then plcp[p] = lcp(p, phi[p]) falls by at most one from p to p + 1.
  const phi = new Int32Array(n);
  phi[sa[0] as number] = -1;
  for (let i = 1; i < n; i++) phi[sa[i] as number] = sa[i - 1] as number;
  let h = 0;
  for (let p = 0; p < n; p++) {
    const q = phi[p] as number;
    if (q < 0) {
      phi[p] = -1;
      h = 0;
      continue;
    }
    while (p + h < n && q + h < n && text[p + h] === text[q + h]) h++;
    phi[p] = h; // phi now holds plcp
    if (h > 0) h--;
  }
  for (let i = 0; i < n; i++) lcp[i] = phi[sa[i] as number] as number;
  lcp[0] = -1;
  return lcp;
}

/**
 * Calls `visit(index, left, right, depth)` for each internal node of the suffix tree: the substring of
 * length `depth` shared by the suffixes sa[left, right) (right - left ≥ 2 occurrences), children
 * before parents; `index` counts the nodes from 0 in that order. The root (depth 0) comes last.
 */
export function forEachInternalNode(
  sa: Int32Array,
  lcp: Int32Array,
  visit: (index: number, left: number, right: number, depth: number) => void,
): number {
  const n = sa.length;
  // A stack of open intervals: left boundaries and depths.
  const lefts = new Int32Array(n + 2);
  const depths = new Int32Array(n + 2);
  let top = 0;
  lefts[0] = -1;
  depths[0] = -1;
  let count = 0;
  for (let i = 0; i <= n; i++) {
    const h = i === n ? -1 : (lcp[i] as number);
    let left = i;
    while ((depths[top] as number) > h) {
      const openLeft = lefts[top] as number;
      if (i - openLeft > 1) visit(count++, openLeft, i, depths[top] as number);
      left = openLeft;
      top--;
    }
    if ((depths[top] as number) < h) {
      top++;
      lefts[top] = left;
      depths[top] = h;
    }
    if (i === n) break;
    // The leaf of suffix sa[i], deeper than any interval.
    top++;
    lefts[top] = i;
    depths[top] = n - (sa[i] as number) + 1;
  }
  return count;
}
