/**
 * What each simulated instrument measures, and how it writes it to disk:
 *
 * - `relaxometer-01` (low field, 20 MHz): cheese and cement, T1–T2 (inversion recovery–CPMG) and CPMG T2, in the open
 *   `lapis-acquisition/1` layout written as a console program does: `acquisition.json` when the run starts, then
 *   `data.txt` growing one T1 delay (or one block of echoes) at a time. The agent counts the numbers to know it is done.
 * - `benchtop-01` (benchtop, PGSTE–CPMG): an emulsion's D–T2 as a Magritek Spinsolve writes it: an experiment folder
 *   with acqu.par (the sample in expName) and data.2d.
 * - `avance-400` (high field, TopSpin): a setting gel, T1 (t1ir), T2 (cpmg with vclist) and DOSY (ledbpgp2s), each a
 *   pseudo-2D experiment folder `dataset/expno` whose `ser` grows row by row and whose `audita.txt` comes last.
 *
 * Broken acquisitions: the relaxometer's get a NaN in `data.txt` (the reader refuses it), the benchtop's a data.2d cut
 * in half, the TopSpin ones a truncated `ser` under an audit record that claims every row.
 */
import { appendFile, mkdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bValues, createRng, logGrid, simulate } from '@lapis/physics';
import type { SimAxis } from '@lapis/physics';
import { formatBrukerList, simulatePseudo2d, simulateSpinsolve } from '@lapis/formats';
import type { Acquisition, Experiment } from '@lapis/formats';
import { cementPopulations, cheesePopulations, emulsionPopulations, gelLines } from './samples';
import type { LabelledPeak } from './samples';
import { writeTopspinProgressively } from './writeTopspin';

export type InstrumentKind = 'relaxometer' | 'benchtop' | 'high-field';

export interface SimulatedInstrument {
  id: string;
  kind: InstrumentKind;
  description: string;
}

export const DEMO_INSTRUMENTS: readonly SimulatedInstrument[] = [
  { id: 'relaxometer-01', kind: 'relaxometer', description: 'low-field relaxometer, 20 MHz: T1–T2 and T2' },
  { id: 'benchtop-01', kind: 'benchtop', description: 'benchtop with gradients, 43 MHz: D–T2' },
  {
    id: 'avance-400',
    kind: 'high-field',
    description: 'high-field spectrometer, 400 MHz TopSpin: T1/T2/DOSY pseudo-2D',
  },
];

/** One acquisition to write: where (relative to the instrument's folder) and what. */
export interface PlannedAcquisition {
  instrument: string;
  /** Path below the instrument's folder, e.g. `run-0007/cheese-gouda-A` or `gelatin-gel-A-day02/11`. */
  relPath: string;
  experiment: Experiment;
  sample: string;
  /** Simulated age of the sample, days. */
  day: number;
  broken: boolean;
  /** Writes the acquisition into `dir` (the full path of relPath). */
  write(dir: string, ctx: WriteContext): Promise<void>;
}

export interface WriteContext {
  /** Staging folder outside the watched roots, same file system. */
  stagingDir: string;
  /** Pause between rows written, ms. */
  rowIntervalMs: number;
  signal?: AbortSignal;
  /** When the acquisition ran (the real clock: TopSpin's audit record must not predate the data). */
  acquiredAt: Date;
}

/** How far each sample's clock moves per measurement of it, and how many measurements before a fresh batch. */
const SAMPLE_CLOCK = {
  cheese: { stepDays: 3, batchLength: 30 },
  cement: { stepDays: 0.5, batchLength: 30 },
  emulsion: { stepDays: 1, batchLength: 40 },
  gel: { stepDays: 0.25, batchLength: 40 },
} as const;

/** Sample name and age for the k-th measurement (0-based) of a sample series. */
export function sampleClock(
  series: keyof typeof SAMPLE_CLOCK,
  base: string,
  k: number,
): { sample: string; day: number } {
  const c = SAMPLE_CLOCK[series];
  const batch = Math.floor(k / c.batchLength);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const name = `${base}-${letters[batch % 26]}${batch >= 26 ? Math.floor(batch / 26) : ''}`;
  return { sample: name, day: (k % c.batchLength) * c.stepDays };
}

const echoes = (n: number, te: number) => Float64Array.from({ length: n }, (_, i) => (i + 1) * te);
const pad = (n: number, width = 4) => String(n).padStart(width, '0');

/** Formats row-major data, one line per row, with an optional NaN planted at `nanAt`. */
function dataLines(data: Float64Array, rows: number, cols: number, nanAt?: number): string[] {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      cells.push(i === nanAt ? 'NaN' : data[i]!.toPrecision(6));
    }
    lines.push(cells.join(' '));
  }
  return lines;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Low field: acquisition.json first, then data.txt in ~8 appended blocks of rows. */
async function writeLapisProgressively(
  dir: string,
  acq: Acquisition,
  ctx: WriteContext,
  nanAt?: number,
): Promise<void> {
  const rows = acq.axes[0].values.length;
  const cols = acq.axes.length === 2 ? acq.axes[1]!.values.length : 1;
  await mkdir(dir, { recursive: true });
  const doc = {
    format: 'lapis-acquisition/1',
    experiment: acq.experiment,
    ...Object.fromEntries(Object.entries(acq.metadata).filter(([k]) => k !== 'source')),
    axes: acq.axes.map((a) => ({ kernel: a.kernel, values: Array.from(a.values), unit: a.unit })),
    data: 'data.txt',
  };
  await writeFile(join(dir, 'acquisition.json'), JSON.stringify(doc, null, 1) + '\n');
  const lines = dataLines(acq.data, rows, cols, nanAt);
  const block = Math.max(1, Math.ceil(rows / 8));
  await writeFile(join(dir, 'data.txt'), `# ${acq.experiment} ${rows} x ${cols}, written as acquired\n`);
  for (let r = 0; r < rows; r += block) {
    if (ctx.signal?.aborted) return;
    await sleep(ctx.rowIntervalMs);
    await appendFile(join(dir, 'data.txt'), lines.slice(r, r + block).join('\n') + '\n');
  }
}

function lapisAcquisition(
  experiment: Experiment,
  axes: SimAxis[],
  peaks: LabelledPeak[],
  snr: number,
  seed: number,
  metadata: Record<string, string>,
): Acquisition {
  const sim = simulate({ axes: axes as [SimAxis] | [SimAxis, SimAxis], peaks, snr, seed, amplitude: 1000 });
  return {
    experiment,
    axes: axes.map((a) => ({
      kernel: a.spec.kernel,
      values: Float64Array.from(a.x),
      unit: a.spec.kernel === 'D' ? ('s/m2' as const) : ('s' as const),
    })) as Acquisition['axes'],
    data: sim.data,
    metadata: { source: 'simulator', ...metadata },
    warnings: [],
  };
}

/** Low-field relaxometer, cycle of four: cheese T1–T2, cement T1–T2, cheese T2, cement T2. */
function relaxometerPlan(id: string, n: number, broken: boolean, seed: number): PlannedAcquisition {
  const step = n % 4;
  const series = step % 2 === 0 ? 'cheese' : 'cement';
  const twoD = step < 2;
  // the k-th measurement of this series: each series is measured every other run, in 2D and 1D alternately
  const k = Math.floor(n / 2);
  const { sample, day } = sampleClock(series, series === 'cheese' ? 'cheese-gouda' : 'cement-paste-wc040', k);
  const experiment: Experiment = twoD ? 'T1-T2' : 'T2';
  const peaks = series === 'cheese' ? cheesePopulations(day, twoD ? 2 : 1) : cementPopulations(day, twoD ? 2 : 1);
  const t1: SimAxis =
    series === 'cheese'
      ? { spec: { kernel: 'T1-IR', beta: 0.93 }, x: logGrid(1e-3, 3, 20) }
      : { spec: { kernel: 'T1-IR', beta: 0.93 }, x: logGrid(2e-5, 0.3, 20) };
  const t2: SimAxis =
    series === 'cheese'
      ? { spec: { kernel: 'T2' }, x: echoes(twoD ? 600 : 2000, twoD ? 5e-4 : 2e-4) }
      : { spec: { kernel: 'T2' }, x: echoes(twoD ? 600 : 1500, twoD ? 6e-5 : 2.5e-5) };
  const axes = twoD ? [t1, t2] : [t2];
  return {
    instrument: id,
    relPath: `run-${pad(n)}/${sample}-day${String(day).replace('.', 'p')}`,
    experiment,
    sample,
    day,
    broken,
    write: async (dir, ctx) => {
      const acq = lapisAcquisition(experiment, axes, peaks, twoD ? 800 : 1500, seed, {
        instrument: id,
        sample, // the sample's own name, so trends follow it; its age is in the folder name
        acquiredAt: ctx.acquiredAt.toISOString(),
      });
      const nanAt = broken ? Math.floor(acq.data.length / 3) : undefined;
      await writeLapisProgressively(dir, acq, ctx, nanAt);
    },
  };
}

/** Benchtop: D–T2 of a coarsening emulsion, written atomically (a broken one has a NaN in data.txt). */
function benchtopPlan(id: string, n: number, broken: boolean, seed: number): PlannedAcquisition {
  const { sample, day } = sampleClock('emulsion', 'emulsion-wo', n);
  return {
    instrument: id,
    relPath: `run-${pad(n)}/${sample}-day${String(day).replace('.', 'p')}`,
    experiment: 'D-T2',
    sample,
    day,
    broken,
    write: async (dir, ctx) => {
      // A Spinsolve PFG–CPMG experiment folder: acqu.par (the sample in expName, as Spinsolve names runs) and data.2d.
      const at = ctx.acquiredAt.toISOString();
      const stamp = `${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}-${at.slice(11, 13)}${at.slice(14, 16)}${at.slice(17, 19)}`;
      await simulateSpinsolve(dir, {
        experiment: 'DT2',
        parameters: { expName: `${stamp} DT2 (${sample})`, nrEchoes: 800, echoTime: 500, specID: id },
        peaks: emulsionPopulations(day),
        snr: 400,
        seed,
      });
      // Broken: the run was stopped while writing data.2d — half of it on disk; the reader refuses it.
      if (broken) await truncate(join(dir, 'data.2d'), Math.floor((await stat(join(dir, 'data.2d'))).size / 2));
    },
  };
}

const SW = 6000;
const SF = 400.13;
const O1 = 1900;
const POINTS = 2048;
const arr64 = (entries: Record<number, number>) => Array.from({ length: 64 }, (_, i) => entries[i] ?? 0);

/** High field: one gel dataset per cycle, expno 10 (T1), 11 (T2), 12 (DOSY). */
function highFieldPlan(id: string, n: number, broken: boolean, seed: number): PlannedAcquisition {
  const step = n % 3;
  const k = Math.floor(n / 3);
  const { sample, day } = sampleClock('gel', 'gelatin-gel', k);
  const dataset = `${sample}-day${day.toFixed(2).replace('.', 'p')}`;
  const lines = gelLines(day);
  const rng = createRng(seed);
  const rows = 12;
  let experiment: Experiment;
  let amplitudes: (l: (typeof lines)[number]) => number[];
  let acqus: Record<string, number | string | number[] | string[]>;
  let listFiles: { vdlist?: string; vclist?: string; difflist?: string };
  let dtype: 'int32' | 'float64' = 'int32';
  if (step === 0) {
    experiment = 'T1';
    const delays = Array.from(logGrid(0.02, 12, rows));
    amplitudes = (l) => delays.map((t) => 1 - 1.95 * Math.exp(-t / l.t1));
    acqus = { PULPROG: 't1ir', SW_h: SW, SFO1: SF + O1 * 1e-6, BF1: SF, O1, NS: 4 };
    listFiles = { vdlist: formatBrukerList(delays, 'delay', 'm') };
  } else if (step === 1) {
    experiment = 'T2';
    const d20 = 5e-4;
    const p2 = 20; // µs
    const te = 2 * d20 + p2 * 1e-6;
    const counts = Array.from(logGrid(2, 4000, rows), (c) => 2 * Math.round(c / 2));
    const unique = counts.map((c, i) => c + 2 * i); // strictly increasing even loop counts
    amplitudes = (l) => unique.map((c) => Math.exp((-c * te) / l.t2));
    acqus = {
      PULPROG: 'cpmg',
      SW_h: SW,
      SFO1: SF + O1 * 1e-6,
      BF1: SF,
      O1,
      NS: 4,
      D: arr64({ 20: d20 }),
      P: arr64({ 1: 10, 2: p2 }),
    };
    listFiles = { vclist: formatBrukerList(unique, 'count') };
  } else {
    experiment = 'D';
    dtype = 'float64';
    const g = Array.from({ length: rows }, (_, i) => 0.02 + (i * 0.45) / (rows - 1)); // T/m
    const b = bValues(g, { delta: 0.002, bigDelta: 0.1, shape: 'sine', bipolarGap: 0.0002 + 20e-6 });
    amplitudes = (l) => Array.from(b, (x) => Math.exp(-x * l.d));
    acqus = {
      PULPROG: 'ledbpgp2s',
      SW_h: SW,
      SFO1: SF + O1 * 1e-6,
      BF1: SF,
      NS: 16,
      D: arr64({ 16: 0.0002, 20: 0.1 }),
      P: arr64({ 2: 20, 30: 1000 }),
      GPNAM: Array.from({ length: 32 }, () => 'SINE.100'),
    };
    listFiles = { difflist: formatBrukerList(g, 'gradient') };
  }
  const expno = 10 + step;
  return {
    instrument: id,
    relPath: `${dataset}/${expno}`,
    experiment,
    sample,
    day,
    broken,
    write: async (dir, ctx) => {
      const scale = dtype === 'int32' ? 2e5 : 1e5;
      const data = simulatePseudo2d({
        points: POINTS,
        sw: SW,
        sfo1: SF + O1 * 1e-6,
        sf: SF,
        lines: lines.map((l) => ({
          ppm: l.ppm,
          amplitudes: amplitudes(l).map((a) => a * l.amplitude * scale),
          t2star: 0.2,
        })),
        noise: scale * 1e-4,
        seed: rng.int(1, 1e9),
      });
      await writeTopspinProgressively(dir, {
        dataset: {
          acqus,
          acqu2s: {},
          data,
          dtype,
          ...(dtype === 'int32' ? { nc: -2 } : {}),
          lists: listFiles,
          pulseProgram: `;${String(acqus.PULPROG)}\n;simulated by lapis stack\n`,
          files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${SF}\n##END=\n`, 'pdata/1/title': `${sample}\n` },
        },
        stagingDir: ctx.stagingDir,
        rowIntervalMs: ctx.rowIntervalMs,
        ...(broken ? { truncate: Math.floor(rows / 2) } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    },
  };
}

/** The n-th acquisition (0-based) of `instrument`. */
export function planAcquisition(
  instrument: SimulatedInstrument,
  n: number,
  broken: boolean,
  seed: number,
): PlannedAcquisition {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`planAcquisition: n must be a whole number ≥ 0, got ${n}`);
  switch (instrument.kind) {
    case 'relaxometer':
      return relaxometerPlan(instrument.id, n, broken, seed);
    case 'benchtop':
      return benchtopPlan(instrument.id, n, broken, seed);
    case 'high-field':
      return highFieldPlan(instrument.id, n, broken, seed);
  }
}
