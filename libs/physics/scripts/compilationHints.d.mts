/** Types of compilationHints.mjs for the TypeScript that calls it. */
export const OPTIMISED_KERNELS: readonly string[];
export function withCompilationHints(module: Uint8Array, names: Iterable<string>): Uint8Array;
export function hintedFunctions(module: Uint8Array): string[];
