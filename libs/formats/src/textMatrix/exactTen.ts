/**
 * Correctly rounded M × 10^scale for an integer M of 16–19 digits (beyond Clinger's exact 2^53) and |scale| ≤ 22,
 * without big integers: M held exactly as two doubles, one rounded quotient or product, then its exact remainder
 * (Dekker's error-free products) says whether that double, or its neighbour, is the nearest. Where the remainder is
 * too close to a half-way point to decide (about one token in 2^30) it returns NaN and the caller uses Number().
 */

/** 10^0 … 10^22: every power of ten a double holds exactly. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;
/** Decisions closer than this (relative to the half-ulp threshold) to a tie are left to Number(). */
const MARGIN = 2 ** -30;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low and high 32-bit words of a double in `u32` (little- or big-endian hosts). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The rounding error of a × b: a·b − fl(a·b), exactly (Dekker's TwoProduct without FMA). */
function productError(a: number, b: number, product: number): number {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
}

/** Whether the double in `f64` is a power of two (its 52 fraction bits are zero). */
function isPowerOfTwo(): boolean {
  return u32[LO] === 0 && (u32[HI]! & 0xfffff) === 0;
}

/**
 * (high × lowScale + low) × 10^scale rounded to nearest like Number(), for high < 10^15, lowScale ≤ 10^4, low <
 * lowScale, |scale| ≤ 22; NaN when the answer is too close to a tie to be certain.
 */
export function scaleExactly(high: number, lowScale: number, low: number, scale: number): number {
  // M = mHigh + mLow exactly: the product and the sum may round, but their errors are small integers.
  const product = high * lowScale;
  const productTail = productError(high, lowScale, product);
  const sum = product + low;
  const tail = low - (sum - product) + productTail;
  const mHigh = sum + tail;
  const mLow = tail - (mHigh - sum);
  // q: the first guess; r: x·P − q·P (dividing) or x − q (multiplying), with an error far below MARGIN.
  let q: number;
  let r: number;
  let unit: number;
  if (scale < 0) {
    const p = POW10[-scale]!;
    q = mHigh / p;
    const t = q * p;
    r = mHigh - t + mLow - productError(q, p, t);
    unit = p;
  } else {
    const p = POW10[scale]!;
    q = mHigh * p;
    r = productError(mHigh, p, q) + mLow * p;
    unit = 1;
  }
  f64[0] = q;
  const powerOfTwo = isPowerOfTwo();
  const biased = u32[HI]! >>> 20;
  u32[HI] = (biased - 52) << 20;
  u32[LO] = 0;
  const ulp = f64[0]!;
  // Half an ulp of q, in the units of r: within it q is the nearest double.
  const half = 0.5 * ulp * unit;
  const margin = half * MARGIN;
  const distance = Math.abs(r);
  if (powerOfTwo && r < 0) return distance < 0.5 * half - margin ? q : Number.NaN; // the ulp below q is half
  if (distance < half - margin) return q;
  if (distance <= half + margin || distance >= 3 * half - margin) return Number.NaN;
  if (r > 0) return q + ulp;
  const down = q - ulp;
  f64[0] = down;
  return isPowerOfTwo() ? Number.NaN : down;
}
