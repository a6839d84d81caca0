// V8's tiering for a process that analyses one acquisition and exits (`lapis invert`). V8 hands a function to its
// optimising compiler (TurboFan) once the function has run through its interrupt budget a few times; in a one-shot
// analysis most of those compiles land too late to pay back, and on one core they take the main thread's time, while
// the hot loops already run as WebAssembly. A budget ~15× V8's default keeps TurboFan for code that stays hot (an FFT,
// a long parse) and drops it for the rest. WebAssembly tiers the same way (Liftoff first, TurboFan for functions that
// run through their budget, compiled on a background thread that a single core shares): a budget ~100× V8's default
// leaves the kernels on Liftoff unless one runs for a long while. Same numbers (WebAssembly is deterministic whichever
// compiler built it), less time (docs/BENCHMARKS.md, "V8 tiering").
// LAPIS_ONE_SHOT_TIERING=0 keeps V8's defaults. Long-lived processes (the agent, its warmed-up workers) keep them too.
import v8 from 'node:v8';

/** The flags a one-shot analysis runs with (long-standing V8 options; measured on Node 20). */
export const ONE_SHOT_V8_FLAGS = '--interrupt-budget=1000000 --wasm-tiering-budget=200000000';

/** Sets ONE_SHOT_V8_FLAGS unless `env` says LAPIS_ONE_SHOT_TIERING=0; returns whether it did. */
export function tuneForOneShot(env = process.env) {
  if (env.LAPIS_ONE_SHOT_TIERING === '0') return false;
  v8.setFlagsFromString(ONE_SHOT_V8_FLAGS);
  return true;
}
