/**
 * `npm run bench:formats` — read + process + invert a TopSpin pseudo-2D of 32 rows × 65 536 complex points
 * (TD 131 072, int32, 16 MiB ser: an inversion recovery with three lines), timed and with peak memory, against a
 * floor measured in the same run: `fs.readFileSync` of the same ser and a plain Int32Array decode into the two
 * Float64Arrays every reader must produce. Nothing can read the data faster or in less memory than that.
 *
 * Stages, each in a fresh child process so that its peak RSS (getrusage maxRSS) is its own:
 *   floor    readFileSync + Int32Array decode (× 2^NC) into re/im Float64Arrays
 *   read     readBruker: parameters, lists, axis, the ser decoded
 *   process  readBrukerPseudo2d: + group delay, apodisation, FFT, phase, baseline, regions, integrals
 *   invert   `lapis invert DIR --json` in-process: + one 1D inversion per region on a common grid, peaks, the document
 * One child runs a stage once (peak memory, cold time), another N times (warm time: the fastest and the median of
 * runs 2…N; the machines are shared, so the fastest is the figure to compare).
 * Options: --repeat N (default 10), --json FILE (default bench-results/formats.json).
 * The npm script pins it to one core (tools/bench/pin.mjs); children inherit the pinning.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROWS = 32;
const POINTS = 65536;
const SF = 600.13;
const SW = 12000;
const NC = -3;
const STAGES = ['floor', 'read', 'process', 'invert'] as const;
type Stage = (typeof STAGES)[number];

interface ChildResult {
  stage: Stage | 'baseline';
  repeat: number;
  runsMs: number[];
  peakRssMiB: number;
  /** RSS once the stage's modules are loaded, before it runs: the code's share of the peak. */
  loadedRssMiB: number;
  heapUsedMiB: number;
  arrayBuffersMiB: number;
  regions?: number;
  peaks?: string[];
}

async function writeDataset(dir: string): Promise<number[]> {
  const { logGrid } = await import('@lapis/physics');
  const { formatBrukerList, simulatePseudo2d, writeBrukerDataset } = await import('@lapis/formats');
  const delays = Array.from(logGrid(0.01, 15, ROWS));
  const lines = [
    { ppm: 7.26, t1: 3 },
    { ppm: 3.35, t1: 1.2 },
    { ppm: 1.2, t1: 0.6 },
  ];
  const data = simulatePseudo2d({
    points: POINTS,
    sw: SW,
    sfo1: SF + 2800e-6,
    sf: SF,
    lines: lines.map((l) => ({
      ppm: l.ppm,
      amplitudes: delays.map((t) => 1e6 * (1 - 2 * Math.exp(-t / l.t1))),
      t2star: 0.5,
    })),
    groupDelay: 67.98,
    noise: 30,
    seed: 1,
  });
  await writeBrukerDataset(dir, {
    acqus: { PULPROG: 't1ir', SW_h: SW, SFO1: SF + 2800e-6, BF1: SF, GRPDLY: 67.98 },
    acqu2s: {},
    data,
    nc: NC,
    lists: { vdlist: formatBrukerList(delays, 'delay') },
    files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${SF}\n##END=\n` },
  });
  return lines.map((l) => l.t1);
}

/** The floor: the bytes and the decode every reader must do, nothing else. */
function floorRead(dir: string): number {
  const buf = readFileSync(join(dir, 'ser'));
  const ints = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const n = ints.length / 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const scale = 2 ** NC;
  for (let k = 0; k < n; k++) {
    re[k] = ints[2 * k]! * scale;
    im[k] = ints[2 * k + 1]! * scale;
  }
  return re[n - 1]! + im[n - 1]!;
}

async function child(stage: Stage | 'baseline', dir: string, repeat: number): Promise<void> {
  const formats = stage === 'read' || stage === 'process' ? await import('@lapis/formats') : undefined;
  const agent = stage === 'invert' ? await import('@lapis/agent') : undefined;
  const runsMs: number[] = [];
  const result: ChildResult = {
    stage,
    repeat,
    runsMs,
    peakRssMiB: 0,
    loadedRssMiB: process.memoryUsage().rss / 2 ** 20,
    heapUsedMiB: 0,
    arrayBuffersMiB: 0,
  };
  for (let i = 0; i < repeat && stage !== 'baseline'; i++) {
    const t0 = performance.now();
    if (stage === 'floor') floorRead(dir);
    else if (stage === 'read') await formats!.readBruker(dir);
    else if (stage === 'process') {
      const out = await formats!.readBrukerPseudo2d(dir, { processing: { keepSpectra: false } });
      result.regions = out.acquisitions.length;
    } else {
      let json = '';
      const code = await agent!.main(['invert', dir, '--json'], {
        stdout: (t) => (json += t),
        stderr: (t) => process.stderr.write(t),
        cwd: dir,
      });
      if (code !== 0) throw new Error(`lapis invert exited ${code}`);
      const doc = JSON.parse(json) as {
        axes: unknown[];
        peaks: { position: { shift: number; T1: number }; fraction: number }[];
      };
      result.regions = (doc.axes[0] as { values: number[] }).values.length;
      result.peaks = doc.peaks
        .filter((p) => p.fraction > 0.05)
        .map((p) => `${p.position.shift.toFixed(2)} ppm T1 ${p.position.T1.toFixed(3)} s`);
    }
    runsMs.push(performance.now() - t0);
  }
  const mem = process.memoryUsage();
  result.peakRssMiB = process.resourceUsage().maxRSS / 1024; // KiB → MiB
  result.heapUsedMiB = mem.heapUsed / 2 ** 20;
  result.arrayBuffersMiB = mem.arrayBuffers / 2 ** 20;
  process.stdout.write(JSON.stringify(result) + '\n');
}

function spawnChild(stage: Stage | 'baseline', dir: string, repeat: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', stage, dir, String(repeat)], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const fmt = (v: number | undefined, digits = 0) => (v === undefined ? '—' : v.toFixed(digits));

async function parent(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const repeat = Math.max(2, Number(opt('--repeat') ?? 10));
  const jsonOut = opt('--json') ?? 'bench-results/formats.json';
  const dir = await mkdtemp(join(tmpdir(), 'lapis-bench-formats-'));
  try {
    const t0 = performance.now();
    const truth = await writeDataset(dir);
    const writeMs = performance.now() - t0;
    const serMiB = readFileSync(join(dir, 'ser')).byteLength / 2 ** 20;
    const baseline = spawnChild('baseline', dir, 0);
    const rows: { stage: Stage; cold: ChildResult; warm: ChildResult }[] = [];
    for (const stage of STAGES) {
      const cold = spawnChild(stage, dir, 1);
      // the cheap stages run 3× as often: on a shared machine their fastest run needs more draws to be found
      const warm = spawnChild(stage, dir, stage === 'floor' || stage === 'read' ? 3 * repeat : repeat);
      rows.push({ stage, cold, warm });
    }
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString(),
      /** 1-minute load average when the stages had run: other work on the machine slows every figure alike. */
      loadAverage: Number(loadavg()[0]!.toFixed(2)),
    };
    const floor = rows.find((r) => r.stage === 'floor')!;
    const floorWarm = Math.min(...floor.warm.runsMs.slice(1));
    const floorRss = floor.cold.peakRssMiB - baseline.peakRssMiB;
    console.log(
      `pseudo-2D ${ROWS} rows × ${POINTS} complex points, int32, ser ${serMiB.toFixed(1)} MiB (written in ${Math.round(writeMs)} ms)`,
    );
    console.log(
      `${machine.cpu} (${machine.cores} cores), node ${machine.node}, ${machine.date}, load average ${machine.loadAverage}`,
    );
    console.log(
      `an empty node + tsx child peaks at ${fmt(baseline.peakRssMiB)} MiB RSS; memory below is above that ` +
        '(modules: RSS once the stage’s code is loaded, before it runs)\n',
    );
    console.log('stage     cold ms  warm ms (median)  × floor   peak RSS MiB  × floor   modules MiB');
    for (const r of rows) {
      const warm = Math.min(...r.warm.runsMs.slice(1));
      const med = median(r.warm.runsMs.slice(1));
      const rss = r.cold.peakRssMiB - baseline.peakRssMiB;
      console.log(
        `${r.stage.padEnd(8)}${fmt(r.cold.runsMs[0]).padStart(9)}${fmt(warm).padStart(9)}${`(${fmt(med)})`.padStart(9)}` +
          `${fmt(warm / floorWarm, 1).padStart(9)}${fmt(rss).padStart(15)}${fmt(rss / floorRss, 1).padStart(9)}` +
          `${fmt(r.cold.loadedRssMiB - baseline.loadedRssMiB).padStart(14)}`,
      );
    }
    const inv = rows.find((r) => r.stage === 'invert')!.cold;
    console.log(`\ninvert: ${inv.regions} regions; peaks ${inv.peaks?.join(', ')} (truth T1 ${truth.join(', ')} s)`);
    mkdirSync(dirname(jsonOut), { recursive: true });
    writeFileSync(
      jsonOut,
      JSON.stringify({ rows: ROWS, points: POINTS, serMiB, machine, baseline, stages: rows, truth }, null, 2) + '\n',
    );
    console.log(`wrote ${jsonOut}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, stage, dir, repeat] = process.argv.slice(2);
  await child(stage as Stage | 'baseline', dir!, Number(repeat));
} else {
  await parent();
}
