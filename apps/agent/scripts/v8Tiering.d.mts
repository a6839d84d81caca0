/** Types of v8Tiering.mjs for the TypeScript that calls it. */
export const ONE_SHOT_V8_FLAGS: string;
export const COMPILATION_HINTS_FLAG: string;
export const LARGE_INPUT_BYTES: number;
export function tuneForOneShot(
  env?: NodeJS.ProcessEnv,
  inputs?: readonly string[],
): { tuned: boolean; kernelHints: boolean };
