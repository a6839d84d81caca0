/**
 * The text parser's fast path as WebAssembly (libs/physics/assembly/decimalRun.ts, among @lapis/physics' kernels):
 * one chunk of Latin-1 bytes copied into the kernels' memory, then runs of numbers read from a position up to the line
 * end or the first thing the TypeScript must handle (NumberTextParser.feed). The values have the bits scanDecimal
 * gives (src/textMatrix/decimalRun.test.ts). Why: in a fresh process the TypeScript loop runs interpreted for most of
 * a 2 MB file, boxing a double per digit (docs/BENCHMARKS.md, "Text parsing").
 */
import { wasmKernels } from '@lapis/physics';

/** Values one run may hold (512 KiB of them), so that a large chunk does not need four times its size in memory. */
const RUN_CAPACITY = 65536;

export interface DecimalRuns {
  /** Reads from `start`; returns where it stopped (`start` when the first token is not for the fast path). */
  from(start: number): number;
  /** The values of the last run (a view into the kernels' memory: valid until the next call of any kernel). */
  values(): Float64Array;
}

/** Runs over `bytes`, or undefined where the kernels are not loaded (the TypeScript reads everything then). */
export function decimalRuns(bytes: Uint8Array): DecimalRuns | undefined {
  const kernels = wasmKernels();
  if (!kernels) return undefined;
  const n = bytes.length;
  // a number and its separator take two bytes at least; a run stops when the buffer is full (the parser goes on)
  const capacity = Math.min((n >> 1) + 1, RUN_CAPACITY);
  const arena = kernels.arena(n + 8 * capacity + 64);
  const text = arena.u8(n);
  text.view.set(bytes);
  const out = arena.f64(capacity);
  const e = kernels.exports;
  let count = 0;
  return {
    from(start) {
      const stop = e.decimalRun(text.offset, start, n, out.offset, capacity);
      count = e.decimalRunCount.value;
      return stop;
    },
    values: () => out.view.subarray(0, count),
  };
}
