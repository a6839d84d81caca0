#!/usr/bin/env node
// Builds the `lapis` command into apps/agent/dist: its TypeScript and the workspace libraries bundled by esbuild into
// ES modules, split so that each command loads only its own code (npm packages stay in node_modules). Run by
// `npm install` (the root `prepare`), `npm test` (only when stale) and `npm run build`; bin/lapis.js runs the sources
// with tsx when dist is missing or older than them. Writes dist/inputs.json: the sources the build read, for that check.
import { existsSync } from 'node:fs';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernels, KERNELS_WASM, kernelSources } from '../../../libs/physics/scripts/buildKernels.mjs';
import { builtIsCurrent } from './currentBuild.mjs';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(APP, '..', '..');
const DIST = join(APP, 'dist');

// The entry points, named as bin/lapis.js and the worker pool load them.
const ENTRIES = {
  main: join(APP, 'src/main.ts'),
  processWorker: join(APP, 'src/agent/processors/worker/processWorker.ts'),
};

/** Every bare import outside the workspace (@lapis/*) stays an import of node_modules: native modules included. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@lapis/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Builds unless dist is current (`ifStale`); returns the sources read, or undefined when nothing was built. */
export async function buildAgent({ quiet = false, ifStale = false } = {}) {
  if (ifStale && builtIsCurrent()) return undefined;
  const started = performance.now();
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed: run npm install at the repository root');
  }
  // The physics' WebAssembly kernels first; without their compiler (a production install) the TypeScript paths run.
  try {
    await buildKernels({ quiet, ifStale: true });
  } catch (error) {
    process.stdout.write(
      `lapis build: ${error instanceof Error ? error.message : error}; the TypeScript paths will run\n`,
    );
  }
  // Built beside dist, then swapped in, so a process starting meanwhile sees the old build or the new one.
  const staging = `${DIST}.build-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Flat: every file sits one folder below apps/agent, as src/*.ts modules do, for paths built from import.meta.url.
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  // The kernels sit beside the bundle's chunks, where src/wasm/kernels.ts looks for them (import.meta.url).
  const wasm = existsSync(KERNELS_WASM);
  if (wasm) await copyFile(KERNELS_WASM, join(staging, 'kernels.wasm'));
  // Paths relative to absWorkingDir (the repository root), as currentBuild.mjs reads them; the kernels' sources and
  // output too, so that an edit of either makes the build stale.
  const kernelFiles = wasm ? [...kernelSources(), KERNELS_WASM].map((f) => relative(ROOT, f)) : [];
  const inputs = [...Object.keys(result.metafile.inputs), ...kernelFiles].sort();
  await writeFile(join(staging, 'inputs.json'), `${JSON.stringify({ inputs }, null, 0)}\n`);
  await rm(DIST, { recursive: true, force: true });
  await rename(staging, DIST);
  const ms = performance.now() - started;
  if (!quiet) {
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    process.stdout.write(
      `lapis build: ${inputs.length} sources → ${relative(ROOT, DIST)} (${(bytes / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms)\n`,
    );
  }
  return { inputs, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildAgent({ quiet: process.argv.includes('--quiet') });
  } catch (error) {
    // `npm install --omit=dev` has no esbuild: lapis then runs its sources through tsx (a dependency of the agent).
    if (process.argv.includes('--if-possible') && /esbuild is not installed/.test(String(error))) {
      process.stdout.write('lapis build: skipped (no esbuild, a production install): lapis runs from its sources\n');
    } else {
      throw error;
    }
  }
}
