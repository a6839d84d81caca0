// V8's compilation hints for the WebAssembly kernels: a custom section, `compilationHints`, with one byte per function
// of the module, that asks V8 to compile a function straight with TurboFan when it is first called instead of with
// Liftoff. V8 reads it only under `--experimental-wasm-compilation-hints` (which `lapis invert` sets for a large input,
// apps/agent/scripts/v8Tiering.mjs); anywhere else it is an unknown custom section, ignored. The numbers are the same
// whichever compiler built a function (docs/BENCHMARKS.md, "Compilation hints").

/**
 * The kernels that a one-shot 2D analysis spends longest in as Liftoff code, and that TurboFan compiles in ≈ 1–3 ms:
 * measured by CPU profiles of `lapis invert` on 48 × 2000 T1–T2 and 32 × 2000 D–T2 data sets, each function's Liftoff
 * time against its TurboFan time plus its compile (docs/BENCHMARKS.md, session 21). The last three parse a large text
 * file's numbers (decimalRun's helpers, exported for this).
 */
export const OPTIMISED_KERNELS = [
  'choleskyInPlace',
  'choleskySolveInPlace',
  'cellGramEntries',
  'productPacked',
  'normalEquations',
  'componentProject',
  'compressedApply',
  'compressedHalfApplyT',
  'groupedOuterSums',
  'scanDecimal',
  'scaleExactly',
  'productError',
];

const SECTION = 'compilationHints';
// One byte per function: bits 0–1 the strategy (1 lazy), 2–3 the first tier, 4–5 the top tier (2 TurboFan).
const LAZY_TURBOFAN = 1 | (2 << 2) | (2 << 4);
const FUNCTION_SECTION = 3;
const EXPORT_SECTION = 7;
const CODE_SECTION = 10;

function readUleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new RangeError('compilation hints: the module ends inside a number');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next: at };
  }
}

function uleb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** The module's sections: id, the payload's start and end, and where the section starts. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    const size = readUleb(bytes, at);
    out.push({ id, start, payload: size.next, end: size.next + size.value });
    at = size.next + size.value;
  }
  if (at !== bytes.length) throw new RangeError('compilation hints: a section runs past the end of the module');
  return out;
}

/** The exported functions' indices by name (the kernels import no functions, so these index the module's own). */
function exportedFunctions(bytes, section) {
  const names = new Map();
  let { value: count, next: at } = readUleb(bytes, section.payload);
  for (let i = 0; i < count; i++) {
    const length = readUleb(bytes, at);
    const name = new TextDecoder().decode(bytes.subarray(length.next, length.next + length.value));
    const kind = bytes[length.next + length.value];
    const index = readUleb(bytes, length.next + length.value + 1);
    if (kind === 0) names.set(name, index.value);
    at = index.next;
  }
  return names;
}

/**
 * The module with a `compilationHints` section asking for TurboFan at first call for the named exports (and V8's
 * defaults for every other function), placed before the code section as V8 requires. Throws on a name the module
 * does not export, on a module that imports functions (the hints index declared functions only) or one that has hints.
 */
export function withCompilationHints(module, names) {
  const bytes = new Uint8Array(module);
  const all = sections(bytes);
  const functions = all.find((s) => s.id === FUNCTION_SECTION);
  const code = all.find((s) => s.id === CODE_SECTION);
  const exports = all.find((s) => s.id === EXPORT_SECTION);
  if (!functions || !code || !exports) throw new RangeError('compilation hints: the module has no functions');
  if (all.some((s) => s.id === 0 && customName(bytes, s) === SECTION))
    throw new RangeError('compilation hints: the module has them already');
  if (all.some((s) => s.id === 2 && importsFunctions(bytes, s)))
    throw new RangeError('compilation hints: the module imports functions');
  const declared = readUleb(bytes, functions.payload).value;
  const exported = exportedFunctions(bytes, exports);
  const hints = new Uint8Array(declared);
  for (const name of names) {
    const index = exported.get(name);
    if (index === undefined) throw new RangeError(`compilation hints: the module exports no function ${name}`);
    hints[index] = LAZY_TURBOFAN;
  }
  const name = new TextEncoder().encode(SECTION);
  const payload = [...uleb(name.length), ...name, ...uleb(declared), ...hints];
  const section = new Uint8Array([0, ...uleb(payload.length), ...payload]);
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes.subarray(0, code.start), 0);
  out.set(section, code.start);
  out.set(bytes.subarray(code.start), code.start + section.length);
  return out;
}

/** The names of the exports the module's hints send straight to TurboFan ([] without hints). */
export function hintedFunctions(module) {
  const bytes = new Uint8Array(module);
  const all = sections(bytes);
  const hints = all.find((s) => s.id === 0 && customName(bytes, s) === SECTION);
  const exports = all.find((s) => s.id === EXPORT_SECTION);
  if (!hints || !exports) return [];
  const nameLength = readUleb(bytes, hints.payload);
  const count = readUleb(bytes, nameLength.next + nameLength.value);
  const bytesOf = bytes.subarray(count.next, count.next + count.value);
  return [...exportedFunctions(bytes, exports)]
    .filter(([, index]) => bytesOf[index] === LAZY_TURBOFAN)
    .map(([name]) => name)
    .sort();
}

function customName(bytes, section) {
  const length = readUleb(bytes, section.payload);
  return new TextDecoder().decode(bytes.subarray(length.next, length.next + length.value));
}

function importsFunctions(bytes, section) {
  let { value: count, next: at } = readUleb(bytes, section.payload);
  for (let i = 0; i < count; i++) {
    for (let part = 0; part < 2; part++) {
      const length = readUleb(bytes, at);
      at = length.next + length.value;
    }
    const kind = bytes[at++];
    if (kind === 0) return true;
    if (kind === 1) {
      at++; // element type
      const flags = readUleb(bytes, at);
      at = readUleb(bytes, flags.next).next;
      if (flags.value & 1) at = readUleb(bytes, at).next;
    } else if (kind === 2) {
      const flags = readUleb(bytes, at);
      at = readUleb(bytes, flags.next).next;
      if (flags.value & 1) at = readUleb(bytes, at).next;
    } else if (kind === 3) at += 2;
    else throw new RangeError(`compilation hints: an import of unknown kind ${kind}`);
  }
  return false;
}
