// The numeric text layout's fast path in WebAssembly: libs/formats/src/textMatrix/numberTextParser.ts's feed loop,
// parseDecimal.ts's scanDecimal and exactTen.ts's scaleExactly (their TypeScript twins, which document them), step for
// step, so that every value has the same bits. It reads Latin-1 bytes and stops, leaving the rest to the TypeScript,
// at a line end, a '#', a byte ≥ 0x80, or a token the fast path does not take (one Number() must read, an error).
import { st } from './memory';

/** How many values the last decimalRun wrote. */
export let decimalRunCount: i32 = 0;

const MAX_TOKEN_CHARS = 64;
const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
const SPLITTER: f64 = 134217729;
const MARGIN: f64 = 1.0 / 1073741824.0; // 2^-30
/** NaN from scanDecimal: not a number, or one the fast paths decline (the TypeScript reads it). */
const NONE: f64 = NaN;

let scannedEnd: i32 = 0;

/**
 * Numbers from text[start, end) into out (at most `capacity`), over separators, until a line end or anything the
 * TypeScript must handle; returns where it stopped, the count in decimalRunCount.
 */
export function decimalRun(text: usize, start: i32, end: i32, out: usize, capacity: i32): i32 {
  let i = start;
  let count = 0;
  while (i < end && count < capacity) {
    const c = <i32>load<u8>(text + <usize>i);
    if (c == 32 || c == 44 || (c >= 9 && c <= 13 && c != 10)) {
      i++;
      continue;
    }
    if (c == 10 || c == 35 || c >= 128) break;
    const value = scanDecimal(text, i, min(end, i + MAX_TOKEN_CHARS + 1));
    const stop = scannedEnd;
    if (!(value - value == 0) || stop >= end || stop - i > MAX_TOKEN_CHARS) break;
    const next = <i32>load<u8>(text + <usize>stop);
    if (!(next == 32 || next == 44 || (next >= 9 && next <= 13))) break;
    st(out, count++, value);
    i = stop;
  }
  decimalRunCount = count;
  return i;
}

function at(s: usize, i: i32, end: i32): i32 {
  return i < end ? <i32>load<u8>(s + <usize>i) : -1;
}

export function scanDecimal(s: usize, start: i32, end: i32): f64 {
  let i = start;
  let c = at(s, i, end);
  const sign: f64 = c == 45 ? -1 : 1;
  if (c == 45 || c == 43) c = at(s, ++i, end);
  let high: f64 = 0;
  let low: f64 = 0;
  let lowScale: f64 = 1;
  let point = -1;
  const first = i;
  for (let pass = 0; pass < 2; pass++) {
    let d = c - 48;
    while (<u32>d < 10) {
      if (high < 1e14) high = high * 10 + <f64>d;
      else {
        low = low * 10 + <f64>d;
        lowScale *= 10;
      }
      d = at(s, ++i, end) - 48;
    }
    c = d + 48;
    if (c != 46 || pass == 1) break;
    point = i;
    c = at(s, ++i, end);
  }
  scannedEnd = i;
  if (i - first - (point < 0 ? 0 : 1) == 0) return NONE;
  let scale: f64 = point < 0 ? 0 : <f64>(point + 1 - i);
  if (c == 101 || c == 69) {
    c = at(s, ++i, end);
    const exponentSign: f64 = c == 45 ? -1 : 1;
    if (c == 45 || c == 43) c = at(s, ++i, end);
    const exponentStart = i;
    let exponent: f64 = 0;
    while (c >= 48 && c <= 57) {
      if (exponent < 1e9) exponent = exponent * 10 + <f64>(c - 48);
      c = at(s, ++i, end);
    }
    scannedEnd = i;
    if (i == exponentStart) return NONE;
    scale += exponentSign * exponent;
  }
  if (high == 0) return sign * 0;
  if (scale >= -22 && scale <= 22) {
    const k = <i32>scale;
    if (lowScale == 1) return sign * (scale < 0 ? high / unchecked(POW10[-k]) : high * unchecked(POW10[k]));
    if (lowScale <= 1e4) {
      const value = scaleExactly(high, lowScale, low, k);
      if (value == value) return sign * value;
    }
  }
  return NONE;
}

export function productError(a: f64, b: f64, product: f64): f64 {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
}

function isPowerOfTwo(x: f64): bool {
  return (reinterpret<u64>(x) & 0xfffffffffffff) == 0;
}

export function scaleExactly(high: f64, lowScale: f64, low: f64, scale: i32): f64 {
  const product = high * lowScale;
  const productTail = productError(high, lowScale, product);
  const sum = product + low;
  const tail = low - (sum - product) + productTail;
  const mHigh = sum + tail;
  const mLow = tail - (mHigh - sum);
  let q: f64;
  let r: f64;
  let unit: f64;
  if (scale < 0) {
    const p = unchecked(POW10[-scale]);
    q = mHigh / p;
    const t = q * p;
    r = mHigh - t + mLow - productError(q, p, t);
    unit = p;
  } else {
    const p = unchecked(POW10[scale]);
    q = mHigh * p;
    r = productError(mHigh, p, q) + mLow * p;
    unit = 1;
  }
  const powerOfTwo = isPowerOfTwo(q);
  const biased = <u32>(reinterpret<u64>(q) >> 52);
  const ulp = reinterpret<f64>((<u64>(<u32>((<i32>biased - 52) << 20))) << 32);
  const half = 0.5 * ulp * unit;
  const margin = half * MARGIN;
  const distance = abs<f64>(r);
  if (powerOfTwo && r < 0) return distance < 0.5 * half - margin ? q : NONE;
  if (distance < half - margin) return q;
  if (distance <= half + margin || distance >= 3 * half - margin) return NONE;
  if (r > 0) return q + ulp;
  const down = q - ulp;
  return isPowerOfTwo(down) ? NONE : down;
}
