/**
 * The WebAssembly kernels (libs/physics/assembly, compiled by libs/physics/scripts/buildKernels.mjs into kernels.wasm
 * beside this file; the agent's build copies it beside its bundle). Loaded once, synchronously, on first use. Where it
 * is absent (a browser, a checkout not built) or switched off (LAPIS_WASM=0), callers take their TypeScript paths,
 * which compute the same numbers (the parity tests). Why: in a fresh process these run compiled from the first call,
 * where the same TypeScript runs interpreted until V8 has optimised it (docs/BENCHMARKS.md, "WebAssembly kernels").
 */

import { FUNCTIONS, type KernelExports, type WasmApi, type WasmMemory } from './kernelExports';

export type { KernelExports } from './kernelExports';

/** The kernels and a bump allocator over their memory, reset by each call of `arena`. */
export interface Kernels {
  exports: KernelExports;
  /** A fresh arena of at least `bytes` (memory grown when needed); place arrays in it with `f64`/`u8`. */
  arena(bytes: number): Arena;
  /**
   * The byte offsets of `arrays` kept in the kernels' memory from one call to the next while `key` is the last key
   * asked for (copied in when it changes): tables a kernel reads on every call. Ask before `arena`, whose arrays it
   * would overwrite; the arrays must not change while their key is in use.
   */
  resident(key: object, arrays: readonly Float64Array[]): number[];
}

export interface Arena {
  /** A Float64Array of `length` in the kernels' memory (8-byte aligned) and its byte offset. */
  f64(length: number): { offset: number; view: Float64Array };
  u8(length: number): { offset: number; view: Uint8Array };
  /** `values` copied in (a Float64Array as f64, an Int32Array as i32); their byte offset. */
  copy(values: Float64Array | Int32Array): number;
  /** The byte offset of `bytes` of scratch. */
  scratch(bytes: number): number;
}

/** What the loader found: 'loaded', 'off' (LAPIS_WASM=0), 'absent' (no file, or no file system) or the error. */
export type KernelsState = 'loaded' | 'off' | 'absent' | `failed: ${string}`;

const FILE = 'kernels.wasm';

/** Below this the kernels' own data; arrays go above. */
const HEAP_BASE = 65536;
const PAGE = 65536;

let loaded: Kernels | undefined;
let state: KernelsState | undefined;
let suspended = 0;

/** The kernels, or undefined where the TypeScript paths must run. */
export function wasmKernels(): Kernels | undefined {
  if (state === undefined) load();
  return suspended > 0 ? undefined : loaded;
}

/**
 * Runs `fn` on the TypeScript paths (the kernels switched off meanwhile, until its promise settles if it returns
 * one): parity tests and A/B benchmarks. Process-wide: whatever else runs meanwhile takes the TypeScript paths too.
 */
export function withoutWasmKernels<T>(fn: () => T): T {
  suspended++;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    suspended--;
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      suspended--;
    }) as T;
  }
  suspended--;
  return result;
}

export function wasmKernelsState(): KernelsState {
  if (state === undefined) load();
  return state!;
}

function load(): void {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (proc?.env.LAPIS_WASM === '0') {
    state = 'off';
    return;
  }
  const fs = proc?.getBuiltinModule?.('node:fs');
  // (a variable, not a literal: bundlers would otherwise try to resolve the file as an asset at build time)
  const name = FILE;
  const url = new URL(name, import.meta.url);
  if (!fs || url.protocol !== 'file:' || !fs.existsSync(url)) {
    state = 'absent';
    return;
  }
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) {
    state = 'absent';
    return;
  }
  try {
    const module = new wasm.Module(fs.readFileSync(url));
    const exports = new wasm.Instance(module, {}).exports as KernelExports;
    const missing = FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
    if (missing.length > 0) {
      state = `failed: ${decodeURIComponent(url.pathname)} lacks ${missing.join(', ')} (rebuild: node libs/physics/scripts/buildKernels.mjs)`;
      return;
    }
    loaded = {
      exports,
      arena: (bytes) => arena(exports.memory, HEAP_BASE + kept.bytes, bytes),
      resident: (key, arrays) => resident(exports.memory, key, arrays),
    };
    state = 'loaded';
  } catch (error) {
    state = `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The resident arrays (Kernels.resident): their key, offsets and bytes, just above HEAP_BASE; arenas start above. */
const kept: { key: object | undefined; offsets: number[]; bytes: number } = { key: undefined, offsets: [], bytes: 0 };

/** Memory of at least `need` bytes: grown at least twofold, so that ever larger calls grow it a few times only. */
function reserve(memory: WasmMemory, need: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (have < need) memory.grow(Math.ceil((Math.max(need, 2 * have) - have) / PAGE));
  return memory.buffer;
}

function resident(memory: WasmMemory, key: object, arrays: readonly Float64Array[]): number[] {
  if (kept.key === key) return kept.offsets;
  const bytes = arrays.reduce((sum, a) => sum + 8 * a.length, 0);
  const buffer = reserve(memory, HEAP_BASE + bytes + 256);
  let next = HEAP_BASE;
  const offsets = arrays.map((a) => {
    new Float64Array(buffer, next, a.length).set(a);
    const offset = next;
    next += 8 * a.length;
    return offset;
  });
  Object.assign(kept, { key, offsets, bytes });
  return offsets;
}

function arena(memory: WasmMemory, base: number, bytes: number): Arena {
  // room for the arrays plus 8 bytes of alignment each (a handful per call)
  const buffer = reserve(memory, base + bytes + 256);
  let next = base;
  const take = (size: number) => {
    const offset = next;
    next = (next + size + 7) & ~7;
    if (next > buffer.byteLength) throw new RangeError('wasm arena: asked for more than reserved');
    return offset;
  };
  return {
    f64: (length) => {
      const offset = take(8 * length);
      return { offset, view: new Float64Array(buffer, offset, length) };
    },
    u8: (length) => {
      const offset = take(length);
      return { offset, view: new Uint8Array(buffer, offset, length) };
    },
    scratch: (size) => take(size),
    copy: (values) => {
      const offset = take(values.BYTES_PER_ELEMENT * values.length);
      if (values instanceof Float64Array) new Float64Array(buffer, offset, values.length).set(values);
      else new Int32Array(buffer, offset, values.length).set(values);
      return offset;
    },
  };
}
