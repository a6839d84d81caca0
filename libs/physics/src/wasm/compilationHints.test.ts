/**
 * scripts/compilationHints.mjs, the section the build adds to kernels.wasm: the built module names exactly the kernels
 * it lists, a hinted module still compiles, and the writer refuses what V8 would misread. Whether V8 honours the
 * section under its flag is apps/agent/src/cli/v8Tiering.test.ts' question.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hintedFunctions, OPTIMISED_KERNELS, withCompilationHints } from '../../scripts/compilationHints.mjs';
import { wasmKernelsState } from './kernels';

// (module (func $one (result i32) i32.const 1) (func $two (result i32) i32.const 2) (export "one" …) (export "two" …))
const TWO_FUNCTIONS = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 3, 2, 0, 0, 7, 13, 2, 3, 111, 110, 101, 0, 0, 3, 116, 119,
  111, 0, 1, 10, 11, 2, 4, 0, 65, 1, 11, 4, 0, 65, 2, 11,
]);

/** The global WebAssembly (this library's TypeScript settings declare no DOM or WebAssembly values). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, () => number> };
    };
  }
).WebAssembly;

describe('compilation hints of the WebAssembly kernels', () => {
  it.runIf(wasmKernelsState() === 'loaded')('the built kernels.wasm hints exactly the listed kernels', () => {
    const built = readFileSync(fileURLToPath(new URL('./kernels.wasm', import.meta.url)));
    expect(hintedFunctions(built)).toEqual([...OPTIMISED_KERNELS].sort());
  });

  it('a hinted module compiles and runs as before, its hints readable back', () => {
    expect(hintedFunctions(TWO_FUNCTIONS)).toEqual([]);
    const hinted = withCompilationHints(TWO_FUNCTIONS, ['two']);
    expect(hinted.length).toBeGreaterThan(TWO_FUNCTIONS.length);
    expect(hintedFunctions(hinted)).toEqual(['two']);
    const { one, two } = new wasm.Instance(new wasm.Module(hinted)).exports;
    expect([one!(), two!()]).toEqual([1, 2]);
    // the section sits before the code section (section id 10), where V8 looks for it
    const at = Buffer.from(hinted).indexOf('compilationHints');
    const code = Buffer.from(hinted).lastIndexOf(Buffer.from([10, 11, 2]));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(code);
  });

  it('refuses a name the module does not export, and a module hinted already', () => {
    expect(() => withCompilationHints(TWO_FUNCTIONS, ['three'])).toThrow(/exports no function three/);
    expect(() => withCompilationHints(withCompilationHints(TWO_FUNCTIONS, ['one']), ['two'])).toThrow(/already/);
    expect(() => withCompilationHints(TWO_FUNCTIONS.subarray(0, 30), ['one'])).toThrow(RangeError);
  });
});
