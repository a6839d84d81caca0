/**
 * Runs the public reference inversions side by side with Lapis for the physics benchmark:
 * - FLINT (Teal & Eccles 2015, FISTA Tikhonov 2D ILT; its numpy version) through tools/reference/flint_driver.py,
 * - MUPen2D (Bortolotti et al., SoftwareX 2022; locally adapted multi-penalty UPEN, MATLAB code run by GNU Octave)
 *   through tools/reference/mupen2d_driver.m.
 * Neither tool is part of Lapis or vendored here; each is located through an environment variable or a local copy
 * under `.refs/` (git-ignored). When a tool or its interpreter is missing the answer is `{ unavailable }` — CI has
 * neither, and the benchmark is not part of CI. tools/reference/README.md says how to set them up.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ReferenceTool = 'flint' | 'mupen2d';

export interface ReferenceResult {
  tool: ReferenceTool;
  /** Wall time of the reference's inversion itself, ms (see each driver's header for what it covers). */
  elapsedMs: number;
  /** Wall time of the whole driver process (interpreter start, reading the case, the inversion, writing), ms. */
  processMs: number;
  /** n1 × n2, row-major, rows along grid1 (the first axis of the case). */
  distribution: Float64Array;
  grid1: Float64Array;
  grid2: Float64Array;
  /** FLINT: the Tikhonov α used (Lapis's convention: ‖K1 F K2ᵀ − S‖² + α‖F‖²). MUPen2D has no single α. */
  alpha?: number;
  version?: string;
  commit?: string;
  /** Everything else the driver reported (α rule, σ̂, iteration counts, the tool's settings, …). */
  details: Record<string, unknown>;
}

export interface ReferenceOptions {
  /** Grid points per dimension (default 64). */
  n?: number;
  /** FLINT only: a fixed α, or 'discrepancy' (default) to choose it by the discrepancy principle as Lapis does. */
  alpha?: number | 'discrepancy';
  /** FLINT only: its stopping tolerance (default FLINT's own, 1e-5). */
  tol?: number;
  /** Kill the reference after this long (default 600 000 ms). */
  timeoutMs?: number;
}

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const driverDir = join(repoRoot, 'tools', 'reference');

/** Where a tool's code lives: env override first, then `.refs/<tool>` in the repository. */
export function referenceDir(tool: ReferenceTool): string {
  const env = tool === 'flint' ? process.env.LAPIS_REF_FLINT : process.env.LAPIS_REF_MUPEN2D;
  return env && env.length > 0 ? resolve(env) : join(repoRoot, '.refs', tool);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException & { killed?: boolean };
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, cwd: repoRoot }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr, ...(error ? { error: error as Run['error'] } : {}) });
    });
  });
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function toFloat64(value: unknown, what: string): Float64Array {
  if (!Array.isArray(value)) throw new TypeError(`reference result: ${what} is not an array`);
  const flat = (value as unknown[]).flat(2);
  const out = new Float64Array(flat.length);
  flat.forEach((v, i) => {
    // The drivers write null for non-finite numbers; a reference map must not hold any.
    if (typeof v !== 'number') throw new TypeError(`reference result: ${what}[${i}] is ${String(v)}`);
    out[i] = v;
  });
  return out;
}

/**
 * Runs one reference tool on a `lapis-acquisition/1` case directory over a log grid spanning range1 × range2 (SI
 * units, same convention as the case's axes). Resolves `{ unavailable }` when the tool's code or its interpreter
 * is missing; rejects (with the tool's own error output) when the tool is there but fails on this case.
 */
export async function runReference(
  tool: ReferenceTool,
  caseDir: string,
  range1: [number, number],
  range2: [number, number],
  options: ReferenceOptions = {},
): Promise<ReferenceResult | { unavailable: string }> {
  const n = options.n ?? 64;
  const timeoutMs = options.timeoutMs ?? 600_000;
  for (const [name, r] of [
    ['range1', range1],
    ['range2', range2],
  ] as const) {
    if (!(r[0] > 0 && r[1] > r[0] && Number.isFinite(r[1]))) {
      throw new RangeError(`runReference: ${name} must satisfy 0 < min < max, got [${r[0]}, ${r[1]}]`);
    }
  }
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`runReference: n must be an integer ≥ 2, got ${n}`);
  if (!existsSync(join(caseDir, 'acquisition.json'))) {
    throw new Error(`runReference: ${caseDir} has no acquisition.json (expected a lapis-acquisition/1 directory)`);
  }
  const dir = referenceDir(tool);
  const marker = tool === 'flint' ? 'flint.py' : 'MUpen2D.m';
  if (!existsSync(join(dir, marker))) {
    const env = tool === 'flint' ? 'LAPIS_REF_FLINT' : 'LAPIS_REF_MUPEN2D';
    return { unavailable: `${tool}: ${join(dir, marker)} not found (set ${env} or put a copy in .refs/${tool})` };
  }

  const work = await mkdtemp(join(tmpdir(), `lapis-ref-${tool}-`));
  const outFile = join(work, 'result.json');
  try {
    let result: Run;
    let processMs = 0;
    if (tool === 'flint') {
      const python = process.env.LAPIS_PYTHON ?? '/usr/bin/python3';
      const probe = await run(python, ['-c', 'import numpy'], 60_000);
      if (probe.error?.code === 'ENOENT') return { unavailable: `flint: no Python interpreter at ${python}` };
      if (probe.code !== 0) return { unavailable: `flint: ${python} cannot import numpy (${tail(probe.stderr, 1)})` };
      const alpha = options.alpha ?? 'discrepancy';
      const started = performance.now();
      result = await run(
        python,
        [
          join(driverDir, 'flint_driver.py'),
          '--flint',
          dir,
          '--case',
          resolve(caseDir),
          '--range1',
          String(range1[0]),
          String(range1[1]),
          '--range2',
          String(range2[0]),
          String(range2[1]),
          '--n',
          String(n),
          '--alpha',
          String(alpha),
          ...(options.tol === undefined ? [] : ['--tol', String(options.tol)]),
          '--out',
          outFile,
        ],
        timeoutMs,
      );
      processMs = performance.now() - started;
    } else {
      const octave = process.env.LAPIS_OCTAVE ?? 'octave-cli';
      const probe = await run(octave, ['--no-gui', '--norc', '--quiet', '--eval', 'pkg load image'], 120_000);
      if (probe.error?.code === 'ENOENT') return { unavailable: `mupen2d: no GNU Octave (${octave}) on PATH` };
      // MUPen2D calls ordfilt2, which Octave keeps in its `image` package (Debian: octave-image).
      if (probe.code !== 0) {
        return { unavailable: `mupen2d: Octave cannot load its image package (${tail(probe.stderr, 3)})` };
      }
      const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
      const call =
        `addpath(${q(driverDir)}); mupen2d_driver(${q(dir)}, ${q(resolve(caseDir))}, ` +
        `${range1[0]}, ${range1[1]}, ${range2[0]}, ${range2[1]}, ${n}, ${q(outFile)});`;
      const started = performance.now();
      result = await run(octave, ['--no-gui', '--norc', '--quiet', '--eval', call], timeoutMs);
      processMs = performance.now() - started;
    }
    // Octave 7 prints a spurious "ignoring const execution_exception" on exit and may exit non-zero after a
    // successful run; the result file is what counts.
    if (!existsSync(outFile)) {
      const why = result.error?.killed ? `timed out after ${timeoutMs} ms` : `exit ${result.code}`;
      throw new Error(`runReference: ${tool} failed on ${caseDir} (${why}):\n${tail(result.stderr || result.stdout)}`);
    }
    const raw = JSON.parse(await readFile(outFile, 'utf8')) as Record<string, unknown>;
    const grid1 = toFloat64(raw.grid1, 'grid1');
    const grid2 = toFloat64(raw.grid2, 'grid2');
    const distribution = toFloat64(raw.distribution, 'distribution');
    if (distribution.length !== grid1.length * grid2.length) {
      throw new Error(
        `runReference: ${tool} returned ${distribution.length} values for a ${grid1.length}×${grid2.length} grid`,
      );
    }
    const { elapsedMs, alpha, version, commit, grid1: _g1, grid2: _g2, distribution: _d, ...details } = raw;
    if (typeof elapsedMs !== 'number') throw new TypeError(`runReference: ${tool} reported no elapsedMs`);
    return {
      tool,
      elapsedMs,
      processMs,
      distribution,
      grid1,
      grid2,
      ...(typeof alpha === 'number' ? { alpha } : {}),
      ...(typeof version === 'string' ? { version } : {}),
      ...(typeof commit === 'string' ? { commit } : {}),
      details,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
