/**
 * Argument checks shared by the analysis functions (internal; not exported from the barrel).
 */
import { firstNonFinite } from '../numerics/dataSums';

export function checkDistribution(fn: string, d: unknown): asserts d is Float64Array {
  if (!(d instanceof Float64Array)) throw new TypeError(`${fn}: distribution must be a Float64Array`);
  const i = firstNonFinite(d);
  if (i >= 0) throw new RangeError(`${fn}: distribution[${i}] is not finite (${d[i]})`);
}

/** A grid axis must be positive, finite and strictly monotonic, or neighbouring cells are not neighbours in y. */
export function checkGrid(fn: string, name: string, g: unknown): asserts g is Float64Array {
  if (!(g instanceof Float64Array)) throw new TypeError(`${fn}: ${name} must be a Float64Array`);
  if (g.length < 1) throw new RangeError(`${fn}: ${name} is empty`);
  const sign = g.length > 1 ? Math.sign(g[1]! - g[0]!) : 1;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] = ${v} is not a positive number`);
    if (i > 0 && (sign === 0 || Math.sign(v - g[i - 1]!) !== sign)) {
      throw new RangeError(`${fn}: ${name} is not strictly monotonic at index ${i}`);
    }
  }
}
