#!/usr/bin/env node
// Compiles the WebAssembly kernels of @lapis/physics (libs/physics/assembly, AssemblyScript) into
// libs/physics/src/wasm/kernels.wasm, where src/wasm/kernels.ts loads them; the agent's build copies the file beside
// its bundle. Run by the agent's build (npm install, npm test, npm run build) when a source is newer than the output.
// Without the compiler (a production install without devDependencies) it says so and the TypeScript paths are used.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTIMISED_KERNELS, withCompilationHints } from './compilationHints.mjs';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(LIB, 'assembly');
export const KERNELS_WASM = join(LIB, 'src', 'wasm', 'kernels.wasm');

/** The AssemblyScript sources (every .ts under assembly/), and the hints the build adds to the module. */
export function kernelSources() {
  return [
    ...readdirSync(SOURCES)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(SOURCES, f)),
    fileURLToPath(new URL('./compilationHints.mjs', import.meta.url)),
  ];
}

/** True when kernels.wasm exists and no source is newer. */
export function kernelsAreCurrent() {
  if (!existsSync(KERNELS_WASM)) return false;
  const built = statSync(KERNELS_WASM).mtimeMs;
  return kernelSources().every((f) => statSync(f).mtimeMs <= built);
}

/** Compiles unless current (`ifStale`); returns the output path, or undefined when nothing was built. */
export async function buildKernels({ quiet = false, ifStale = false } = {}) {
  if (ifStale && kernelsAreCurrent()) return undefined;
  let asc;
  try {
    asc = (await import('assemblyscript/asc')).default;
  } catch {
    throw new Error('the AssemblyScript compiler is not installed: run npm install at the repository root');
  }
  const started = performance.now();
  await mkdir(dirname(KERNELS_WASM), { recursive: true });
  let errors = '';
  // No runtime and no garbage collector: the kernels only read and write the arrays they are handed.
  const { error } = await asc.main(
    [
      join(SOURCES, 'index.ts'),
      '--outFile',
      KERNELS_WASM,
      '--optimizeLevel',
      '3',
      '--runtime',
      'stub',
      '--noAssert',
      '--initialMemory',
      '2',
      '--enable',
      'simd',
    ],
    { stderr: { write: (s) => ((errors += s), true) }, stdout: { write: () => true } },
  );
  if (error) throw new Error(`compiling the WebAssembly kernels failed: ${error.message}\n${errors}`);
  // V8's compilation hints for the kernels a one-shot 2D analysis runs longest (compilationHints.mjs).
  await writeFile(KERNELS_WASM, withCompilationHints(await readFile(KERNELS_WASM), OPTIMISED_KERNELS));
  if (!quiet) {
    const kib = statSync(KERNELS_WASM).size / 1024;
    const ms = performance.now() - started;
    process.stdout.write(
      `kernels: ${relative(process.cwd(), KERNELS_WASM)} (${kib.toFixed(1)} KiB, ${ms.toFixed(0)} ms)\n`,
    );
  }
  return KERNELS_WASM;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildKernels({ quiet: process.argv.includes('--quiet') });
}
