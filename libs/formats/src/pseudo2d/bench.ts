/**
 * Benchmark: read + process a 32-row pseudo-2D with 65 536 complex points per row (TD 131 072, int32, 16 MiB ser).
 *   npx tsx libs/formats/src/pseudo2d/bench.ts
 * Writes the synthetic dataset, then reads it in a fresh child process so peak RSS is that of the read alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logGrid } from '@lapis/physics';
import { formatBrukerList } from '../bruker/lists';
import { readBrukerPseudo2d } from '../bruker/readBrukerPseudo2d';
import { simulatePseudo2d } from '../bruker/simulatePseudo2d';
import { writeBrukerDataset } from '../bruker/writeBruker';

const ROWS = 32;
const POINTS = 65536;
const SF = 600.13;
const SW = 12000;

async function write(dir: string): Promise<void> {
  const delays = Array.from(logGrid(0.01, 15, ROWS));
  const lines = [
    { ppm: 7.26, t1: 3 },
    { ppm: 3.35, t1: 1.2 },
    { ppm: 1.2, t1: 0.6 },
  ].map((l) => ({ ppm: l.ppm, amplitudes: delays.map((t) => 1e6 * (1 - 2 * Math.exp(-t / l.t1))), t2star: 0.5 }));
  const data = simulatePseudo2d({
    points: POINTS,
    sw: SW,
    sfo1: SF + 2800e-6,
    sf: SF,
    lines,
    groupDelay: 67.98,
    noise: 30,
    seed: 1,
  });
  await writeBrukerDataset(dir, {
    acqus: { PULPROG: 't1ir', SW_h: SW, SFO1: SF + 2800e-6, BF1: SF, GRPDLY: 67.98 },
    acqu2s: {},
    data,
    nc: -3,
    lists: { vdlist: formatBrukerList(delays, 'delay') },
  });
}

async function read(dir: string, repeat: number): Promise<void> {
  const runs: number[] = [];
  let regions = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const out = await readBrukerPseudo2d(dir, { processing: { keepSpectra: true } });
    runs.push(performance.now() - t0);
    regions = out.acquisitions.length;
  }
  const peakRss = process.resourceUsage().maxRSS / 1024; // KiB → MiB
  const warm = runs.length > 1 ? Math.min(...runs.slice(1)) : undefined;
  console.log(
    JSON.stringify({
      rows: ROWS,
      points: POINTS,
      regions,
      repeat,
      firstMs: Math.round(runs[0]!),
      warmMs: warm && Math.round(warm),
      peakRssMiB: Math.round(peakRss),
    }),
  );
}

const [mode, dirArg, repeatArg] = process.argv.slice(2);
if (mode === 'read' && dirArg) await read(dirArg, Number(repeatArg ?? 1));
else {
  const dir = await mkdtemp(join(tmpdir(), 'lapis-bench-'));
  try {
    await write(dir);
    const self = fileURLToPath(import.meta.url);
    const baseline = execFileSync(process.execPath, [
      '--import',
      'tsx',
      '-e',
      'console.log(process.resourceUsage().maxRSS/1024)',
    ])
      .toString()
      .trim();
    // one read alone for peak memory, then five in a row for warm timings
    for (const repeat of ['1', '5']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, 'read', dir, repeat], { encoding: 'utf8' });
      console.log(out.trim());
    }
    console.log(`an empty node + tsx process peaks at ${Number(baseline).toFixed(0)} MiB; node ${process.version}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
