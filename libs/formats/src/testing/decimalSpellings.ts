/** Spellings of decimal numbers for the text parser's property tests: fuzzed, hostile, and a hair off half-way. */
import fc from 'fast-check';

/** The decimal of the point half-way above `x` (> 0), cut to `digits` significant digits, then -1, 0, +1 in the last. */
export function nearHalfway(x: number, digits: number): string[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)) | (biased ? 1n << 52n : 0n);
  const exponent = (biased || 1) - 1075 - 1; // half-way = (2m + 1) × 2^exponent
  const odd = 2n * mantissa + 1n;
  const scaled = exponent >= 0 ? (odd << BigInt(exponent)) * 10n ** 400n : (odd * 10n ** 400n) >> BigInt(-exponent);
  const text = scaled.toString();
  const head = BigInt(text.slice(0, digits));
  return [-1n, 0n, 1n].map((d) => `${head + d}e${text.length - digits - 400}`);
}

export const spelling = fc.oneof(
  fc.double().map(String),
  fc.tuple(fc.double(), fc.integer({ min: 1, max: 21 })).map(([x, p]) => x.toPrecision(p)),
  fc.tuple(fc.double(), fc.integer({ min: 0, max: 20 })).map(([x, p]) => x.toExponential(p)),
  fc.stringMatching(/^[+-]?[0-9]{0,24}(\.[0-9]{0,24})?([eE][+-]?[0-9]{1,4})?$/),
  fc.constantFrom('-0', '+0', '-0.0e-999', '+1', '.5', '5.', '-.5e3', '5e-324', '2.2250738585072011e-308', '4.9e-324'),
  fc.constantFrom(
    'Inf',
    '-inf',
    'Infinity',
    'NaN',
    'nan',
    '',
    '.',
    '-',
    '+',
    'e5',
    '1e',
    '1e+',
    '0x10',
    '1_0',
    '1.2.3',
  ),
  fc.constantFrom(
    '1e999',
    '-1e400',
    '1e-400',
    '9007199254740993',
    '123456789012345678901234567890',
    '0.' + '0'.repeat(30) + '1',
  ),
);
