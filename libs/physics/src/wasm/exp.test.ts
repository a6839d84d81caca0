/**
 * The kernels' exponential (libs/physics/assembly/exp.ts) against V8's Math.exp, bit for bit: uniformly over the whole
 * finite range, densely where the kernels use it (−60 … 0), around every branch of the algorithm (|x| below 2^-28,
 * the reduction's 0.5·ln 2 and 1.5·ln 2 edges, the overflow and underflow thresholds, subnormal results) and on the
 * special values.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { wasmKernels } from './kernels';

function kernelExp(x: Float64Array): Float64Array {
  const kernels = wasmKernels()!;
  const arena = kernels.arena(16 * x.length + 32);
  const xIn = arena.copy(x);
  const out = arena.f64(x.length);
  kernels.exports.v8ExpArray(xIn, x.length, out.offset);
  return Float64Array.from(out.view);
}

/** The arguments whose exponentials differ (at most 5 listed). */
function mismatches(x: Float64Array): string[] {
  const got = kernelExp(x);
  const bad: string[] = [];
  for (let i = 0; i < x.length && bad.length < 5; i++) {
    if (!Object.is(got[i], Math.exp(x[i]!))) bad.push(`exp(${x[i]}) = ${Math.exp(x[i]!)}, kernel ${got[i]}`);
  }
  return bad;
}

const LN2 = Math.LN2;

describe.skipIf(!wasmKernels())('the kernels’ exp = Math.exp', () => {
  it.each([
    ['the finite range', -745.2, 709.8],
    ['where the kernels use it', -60, 0],
    ['small arguments', -1, 1],
  ])('%s, 10⁶ uniform draws', (_, lo, hi) => {
    const rng = createRng(20261207);
    const x = Float64Array.from({ length: 1_000_000 }, () => rng.uniform(lo, hi));
    expect(mismatches(x)).toEqual([]);
  });

  it('the branches’ edges, the thresholds and special values', () => {
    const rng = createRng(7);
    const edges = [0.5 * LN2, 1.5 * LN2, 2 ** -28, 709.782712893384, -745.1332191019411, -708.3964185322641, 1];
    const around = edges.flatMap((e) =>
      [e, -e].flatMap((v) => Array.from({ length: 2000 }, () => v * (1 + (rng.next() - 0.5) * 2 ** -20))),
    );
    const special = [0, -0, 1, -1, Infinity, -Infinity, Number.NaN, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300];
    const logs = Array.from({ length: 50_000 }, () => -(10 ** rng.uniform(-20, 2.85)));
    expect(mismatches(Float64Array.from([...around, ...special, ...logs, ...logs.map((v) => -v)]))).toEqual([]);
  });
});
