// V8's tiering for a process that analyses one acquisition and exits (`lapis invert`). V8 hands a function to its
// optimising compiler (TurboFan) once the function has run through its interrupt budget a few times; in a one-shot
// analysis most of those compiles land too late to pay back, and on one core they take the main thread's time, while
// the hot loops already run as WebAssembly. A budget ~15× V8's default keeps TurboFan for code that stays hot (an FFT,
// a long parse) and drops it for the rest. WebAssembly tiers the same way (Liftoff first, TurboFan for functions that
// run through their budget, compiled on a background thread that a single core shares): a budget ~100× V8's default
// leaves the kernels on Liftoff unless one runs for a long while. Same numbers (WebAssembly is deterministic whichever
// compiler built it), less time (docs/BENCHMARKS.md, "V8 tiering").
// For a large input (a 2D data set) V8 also reads the kernels' compilation hints, which send the kernels a 2D
// analysis runs longest straight to TurboFan at their first call (libs/physics/scripts/compilationHints.mjs): ≈ 10 ms
// of compiling that pays back there, not on a 1D decay. Only on V8 11 (Node 20), where it was measured.
// LAPIS_ONE_SHOT_TIERING=0 keeps V8's defaults. Long-lived processes (the agent, its warmed-up workers) keep them too.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

/** The flags a one-shot analysis runs with (long-standing V8 options; measured on Node 20). */
export const ONE_SHOT_V8_FLAGS = '--interrupt-budget=1000000 --wasm-tiering-budget=200000000';
/** The flag under which V8 honours the kernels' compilation hints. */
export const COMPILATION_HINTS_FLAG = '--experimental-wasm-compilation-hints';
/** Inputs of at least this many bytes (a file, or a folder's files) are large: 48 × 2000 points as text ≈ 2 MB. */
export const LARGE_INPUT_BYTES = 512 * 1024;

/**
 * Sets ONE_SHOT_V8_FLAGS unless `env` says LAPIS_ONE_SHOT_TIERING=0, and the compilation hints' flag when one of
 * `inputs` (the command's arguments: paths that do not exist and options are skipped) is large; returns what it did.
 */
export function tuneForOneShot(env = process.env, inputs = []) {
  if (env.LAPIS_ONE_SHOT_TIERING === '0') return { tuned: false, kernelHints: false };
  v8.setFlagsFromString(ONE_SHOT_V8_FLAGS);
  const kernelHints =
    process.versions.v8.startsWith('11.') && inputs.some((input) => inputBytes(input) >= LARGE_INPUT_BYTES);
  if (kernelHints) v8.setFlagsFromString(COMPILATION_HINTS_FLAG);
  return { tuned: true, kernelHints };
}

/**
 * The size of a file, or of the files directly in a folder; 0 for an option, a path that is not there or one that
 * cannot be read (the command itself says what is wrong with it).
 */
function inputBytes(input) {
  if (input.startsWith('-')) return 0;
  try {
    const stat = statSync(input, { throwIfNoEntry: false });
    if (!stat) return 0;
    if (stat.isFile()) return stat.size;
    if (!stat.isDirectory()) return 0;
    let bytes = 0;
    for (const entry of readdirSync(input, { withFileTypes: true })) {
      if (entry.isFile()) bytes += statSync(join(input, entry.name), { throwIfNoEntry: false })?.size ?? 0;
    }
    return bytes;
  } catch {
    return 0;
  }
}
