// The error function in float64, accurate to a few ulp (absolute error below 6e-16 everywhere).
// |x| < 1: the power series erf(x) = 2/√π · e^(-x²) · Σ_n (2x²)^n x / (1·3·…·(2n+1)), whose terms are
// all positive (no cancellation). Larger |x|: erf(x) = 1 - erfc(x) with Laplace's continued fraction
// erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by Lentz's method.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SERIES_LIMIT = 1;
/** erf(6) rounds to 1 in float64. */
const SATURATION = 6;

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= SATURATION) return x > 0 ? 1 : -1;
  if (ax < SERIES_LIMIT) return erfSeries(x);
  const value = 1 - erfcContinuedFraction(ax);
  return x > 0 ? value : -value;
}

function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
}

/** erfc(x) for x ≥ SERIES_LIMIT. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    c = x + a / c;
    if (d === 0) d = tiny;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

/**
 * e^(-x²) without the rounding error of x*x: with h = x rounded to a multiple of 1/16, h*h is exact and
 * x² = h² + (x - h)(x + h), the second part small enough for its rounding error not to matter.
 */
function expMinusSquare(x: number): number {
  const h = Math.trunc(x * 16) / 16;
  return Math.exp(-h * h) * Math.exp(-(x - h) * (x + h));
}
