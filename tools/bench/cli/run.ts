/**
 * `npm run bench:cli` — what a user waits for: whole `lapis` processes, timed from outside, with FLINT's whole
 * process (its numpy `flint.py` through tools/reference/flint_driver.py, α by the discrepancy principle as Lapis
 * chooses it) as the reference in the same run. Each command runs `--warmup` times uncounted, then `--runs` times;
 * medians and min–max are reported, and the ratio FLINT / Lapis of the medians. Peak positions of both are scored
 * against the simulated truth (worst error, decades), so a faster answer is not a worse one.
 *
 * Options: --runs N (5), --warmup N (1), --flint-runs N (3; 0 skips FLINT), --seed N (20261206), --cases a,b (ids of
 * cases.ts), --method M (lapis invert's --method, default its own). Each case also runs on the TypeScript paths
 * (LAPIS_WASM=0) and with V8's default tiering (LAPIS_ONE_SHOT_TIERING=0, apps/agent/scripts/v8Tiering.mjs), in turn
 * with the default, as the references for the WebAssembly kernels and the tiering. Run pinned to one core by
 * tools/bench/pin.mjs; FLINT's BLAS is held to one thread. Writes bench-results/cli-<time>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultAxisKeys, type ResultAxisName } from '@lapis/contracts';
import { findPeaks, scorePeaks } from '@lapis/physics';
import { buildAgent } from '../../../apps/agent/scripts/build.mjs';
import { runReference } from '../physics/reference';
import { median } from '../physics/timing';
import { writeCases, type CliCase } from './cases';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Math.max(1, Number(value('--runs') ?? 5));
const warmup = Math.max(0, Number(value('--warmup') ?? 1));
const flintRuns = Math.max(0, Number(value('--flint-runs') ?? 3));
const seed = Number(value('--seed') ?? 20261206);
const only = value('--cases')?.split(',');
const method = value('--method');

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const LAPIS = join(ROOT, 'node_modules', '.bin', 'lapis');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Timing {
  wallMs: number[];
  rssMiB: number[];
  /** The document's own elapsedMs per run: the inversion (grids, β, kernels, solver) in a fresh process. */
  elapsedMs: number[];
}

/** One whole process: wall time from here (spawn to exit), peak RSS from GNU time when it is there. */
function timeProcess(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { wallMs: number; rssMiB?: number; stdout: string } {
  const full = TIME ? [TIME, '-f', '%M', cmd, ...argv] : [cmd, ...argv];
  const started = performance.now();
  const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}:\n${r.stderr}`);
  const rssKiB = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { wallMs, ...(Number.isFinite(rssKiB) ? { rssMiB: rssKiB / 1024 } : {}), stdout: r.stdout };
}

function repeat(cmd: string, argv: string[], counted: number, uncounted: number): Timing {
  const t: Timing = { wallMs: [], rssMiB: [], elapsedMs: [] };
  for (let i = 0; i < uncounted + counted; i++) {
    const r = timeProcess(cmd, argv);
    if (i < uncounted) continue;
    t.wallMs.push(r.wallMs);
    if (r.rssMiB !== undefined) t.rssMiB.push(r.rssMiB);
  }
  return t;
}

/** The same command under several environments in turn (A B C A B C …), so that a drift of the machine's speed
 * reaches them alike. */
async function alternate(cmd: string, argv: string[], envs: NodeJS.ProcessEnv[], out: string): Promise<Timing[]> {
  const t: Timing[] = envs.map(() => ({ wallMs: [], rssMiB: [], elapsedMs: [] }));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, env] of envs.entries()) {
      const r = timeProcess(cmd, argv, env);
      if (i < warmup) continue;
      t[k]!.wallMs.push(r.wallMs);
      if (r.rssMiB !== undefined) t[k]!.rssMiB.push(r.rssMiB);
      t[k]!.elapsedMs.push((JSON.parse(await readFile(out, 'utf8')) as LapisDoc).elapsedMs);
    }
  }
  return t;
}

const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

interface LapisDoc {
  axes: { name: ResultAxisName; values: number[] }[];
  peaks: { position: Record<string, number>; fraction: number }[];
  method: string;
  elapsedMs: number;
}

/** Peaks of a document as arrays in axis order (a T2–T2 map's second axis is keyed T2_2). */
function docPeaks(doc: LapisDoc) {
  const keys = resultAxisKeys(doc.axes.map((a) => a.name));
  return doc.peaks.map((p) => ({ position: keys.map((k) => p.position[k]!), fraction: p.fraction }));
}

async function main() {
  // The built command, as installed: a stale build would make bin/lapis.js run the sources through tsx.
  await buildAgent({ ifStale: true });
  const work = await mkdtemp(join(tmpdir(), 'lapis-bench-cli-'));
  const rows: Record<string, unknown>[] = [];
  try {
    const cases = await writeCases(join(work, 'cases'), seed, only);
    const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
    console.log(
      `bench:cli ${new Date().toISOString()} — ${machine}; runs ${runs} after ${warmup} warm-up; seed ${seed}`,
    );

    const version = repeat(process.execPath, [LAPIS, '--version'], runs, warmup);
    const bare = repeat(process.execPath, ['-e', '0'], runs, warmup);
    console.log(
      `lapis --version: ${median(version.wallMs).toFixed(0)} ms median (${spread(version.wallMs)}); ` +
        `node -e 0: ${median(bare.wallMs).toFixed(0)} ms (${spread(bare.wallMs)})`,
    );
    rows.push({ id: 'version', wallMs: version.wallMs, nodeBareMs: bare.wallMs });

    for (const c of cases) rows.push(await benchCase(c, work));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await mkdir(join(ROOT, 'bench-results'), { recursive: true });
  const file = join(ROOT, 'bench-results', `cli-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ seed, runs, warmup, flintRuns, rows }, null, 1));
  console.log(`\nwrote ${file}`);
}

async function benchCase(c: CliCase, work: string): Promise<Record<string, unknown>> {
  const out = join(work, `${c.id}.json`);
  const argv = [LAPIS, 'invert', c.dir, '--out', out, ...(method ? ['--method', method] : [])];
  // The default and, as references, on the TypeScript paths (LAPIS_WASM=0) and with V8's default tiering.
  const envs = [process.env, { ...process.env, LAPIS_WASM: '0' }, { ...process.env, LAPIS_ONE_SHOT_TIERING: '0' }];
  const [lapis, typescript, defaultTiering] = (await alternate(process.execPath, argv, envs, out)) as [
    Timing,
    Timing,
    Timing,
  ];
  const doc = JSON.parse(await readFile(out, 'utf8')) as LapisDoc;
  const lapisScore = scorePeaks(c.truth, docPeaks(doc));
  const lapisMs = median(lapis.wallMs);
  const row: Record<string, unknown> = {
    id: c.id,
    label: c.label,
    method: doc.method,
    lapisWallMs: lapis.wallMs,
    lapisRssMiB: lapis.rssMiB,
    lapisElapsedMs: lapis.elapsedMs,
    lapisWorstDecades: lapisScore.worstPositionError,
    lapisMissed: lapisScore.missed.length,
    lapisSpurious: lapisScore.spurious.length,
    typescriptWallMs: typescript.wallMs,
    typescriptElapsedMs: typescript.elapsedMs,
    defaultTieringWallMs: defaultTiering.wallMs,
    defaultTieringElapsedMs: defaultTiering.elapsedMs,
  };
  const typescriptMs = median(typescript.wallMs);
  const defaultTieringMs = median(defaultTiering.wallMs);
  let line =
    `${c.label.padEnd(30)} lapis ${doc.method.padEnd(9)} ${lapisMs.toFixed(0).padStart(5)} ms (${spread(lapis.wallMs)}), ` +
    `${median(lapis.rssMiB).toFixed(0)} MiB, worst ${lapisScore.worstPositionError.toFixed(3)} dec, ` +
    `missed ${lapisScore.missed.length}, spurious ${lapisScore.spurious.length}` +
    `\n${''.padEnd(30)} without kernels ${typescriptMs.toFixed(0).padStart(5)} ms (${spread(typescript.wallMs)}) — ` +
    `kernels / TypeScript ${(lapisMs / typescriptMs).toFixed(2)}×` +
    `\n${''.padEnd(30)} V8's default tiering ${defaultTieringMs.toFixed(0).padStart(5)} ms (${spread(defaultTiering.wallMs)}) — ` +
    `one-shot / default tiering ${(lapisMs / defaultTieringMs).toFixed(2)}×, inversion ` +
    `${median(defaultTiering.elapsedMs).toFixed(0)} ms` +
    `\n${''.padEnd(30)} inversion (the document's elapsedMs) ${median(lapis.elapsedMs).toFixed(0)} ms ` +
    `(${spread(lapis.elapsedMs)}), without kernels ${median(typescript.elapsedMs).toFixed(0)} ms ` +
    `(${spread(typescript.elapsedMs)}) — ${(median(lapis.elapsedMs) / median(typescript.elapsedMs)).toFixed(2)}×`;

  if (c.kernels.length === 2 && flintRuns > 0) {
    // FLINT inverts on the grid Lapis chose (its ranges handed over: FLINT has no rule for them).
    const g1 = doc.axes[0]!.values;
    const g2 = doc.axes[1]!.values;
    const range1: [number, number] = [g1[0]!, g1[g1.length - 1]!];
    const range2: [number, number] = [g2[0]!, g2[g2.length - 1]!];
    const wall: number[] = [];
    let score: ReturnType<typeof scorePeaks> | undefined;
    let unavailable: string | undefined;
    for (let i = 0; i < flintRuns; i++) {
      const r = await runReference('flint', c.dir, range1, range2, { n: g1.length });
      if ('unavailable' in r) {
        unavailable = r.unavailable;
        break;
      }
      wall.push(r.processMs);
      score ??= scorePeaks(c.truth, findPeaks(r.distribution, [r.grid1, r.grid2]).peaks);
    }
    if (unavailable) {
      line += `\n${''.padEnd(30)} FLINT unavailable: ${unavailable}`;
      row.flint = { unavailable };
    } else if (score) {
      const flintMs = median(wall);
      line +=
        `\n${''.padEnd(30)} FLINT ${''.padEnd(8)} ${flintMs.toFixed(0).padStart(6)} ms (${spread(wall)}), ` +
        `worst ${score.worstPositionError.toFixed(3)} dec, missed ${score.missed.length}, spurious ${score.spurious.length}` +
        ` — FLINT / lapis ${(flintMs / lapisMs).toFixed(1)}×`;
      row.flint = {
        wallMs: wall,
        worstDecades: score.worstPositionError,
        missed: score.missed.length,
        spurious: score.spurious.length,
        ratio: flintMs / lapisMs,
      };
    }
  }
  console.log(line);
  return row;
}

// FLINT's numpy on one thread: the comparison is per core, as the targets are.
for (const v of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) process.env[v] = '1';
await main();
