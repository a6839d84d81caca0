/**
 * bench:cli's acquisitions: written to disk as `lapis-acquisition/1` folders, the way a user hands them to
 * `lapis invert`. Held out from bench:physics (their own seed): populations drawn inside what each acquisition
 * resolves, β of an inversion recovery drawn in 0.85–1 and left to the pipeline, as are σ and the grid ranges.
 */
import { join } from 'node:path';
import { experimentOfKernels, writeLapisAcquisition } from '@lapis/formats';
import type { Acquisition } from '@lapis/formats';
import { createRng, logGrid, simulate, type KernelName, type SimAxis, type SimPeak } from '@lapis/physics';
import { resolvable } from '../physics/cases';

export interface CliCase {
  id: string;
  /** What the table says: design and size. */
  label: string;
  dir: string;
  kernels: KernelName[];
  truth: SimPeak[];
  snr: number;
  beta?: number;
}

interface Design {
  id: string;
  label: string;
  axes: { kernel: KernelName; values: Float64Array }[];
  snr: number;
  peaks: 1 | 2;
}

const echoes = (n: number, te: number) => Float64Array.from({ length: n }, (_, i) => (i + 1) * te);
const bValues = (n: number, bMax: number) => Float64Array.from({ length: n }, (_, i) => bMax * ((i + 1) / n) ** 2);

/** The designs timed: the 48 × 2000 T1–T2 first, then D–T2 and the 1D acquisitions. */
export function designs(): Design[] {
  return [
    {
      id: 't1t2-48x2000',
      label: 'T1IR–T2 48 × 2000, SNR 300',
      axes: [
        { kernel: 'T1-IR', values: logGrid(1e-4, 5, 48) },
        { kernel: 'T2', values: echoes(2000, 2e-4) },
      ],
      snr: 300,
      peaks: 2,
    },
    {
      id: 't1t2-48x2000-snr100',
      label: 'T1IR–T2 48 × 2000, SNR 100',
      axes: [
        { kernel: 'T1-IR', values: logGrid(1e-4, 5, 48) },
        { kernel: 'T2', values: echoes(2000, 2e-4) },
      ],
      snr: 100,
      peaks: 2,
    },
    {
      id: 'dt2-32x2000',
      label: 'D–T2 32 × 2000, SNR 300',
      axes: [
        { kernel: 'D', values: bValues(32, 3e10) },
        { kernel: 'T2', values: echoes(2000, 2e-4) },
      ],
      snr: 300,
      peaks: 2,
    },
    {
      id: 't2-4000',
      label: 'T2 4000 echoes, SNR 300',
      axes: [{ kernel: 'T2', values: echoes(4000, 2e-4) }],
      snr: 300,
      peaks: 2,
    },
    {
      id: 't1ir-48',
      label: 'T1IR 48 delays, SNR 300',
      axes: [{ kernel: 'T1-IR', values: logGrid(1e-4, 5, 48) }],
      snr: 300,
      peaks: 1,
    },
  ];
}

/** Simulates each design with `seed` and writes it under `root`; returns what the bench needs to score it. */
export async function writeCases(root: string, seed: number, only?: readonly string[]): Promise<CliCase[]> {
  const rng = createRng(seed);
  const out: CliCase[] = [];
  for (const d of designs()) {
    const windows = d.axes.map((a) => resolvable(a.kernel, a.values));
    // Two populations 0.6–1.0 decade apart (max over axes), fractions 0.35–0.65; or one.
    const draw = () => windows.map(([a, b]) => rng.uniform(a, b));
    let first = draw();
    let second = draw();
    for (let tries = 0; d.peaks === 2 && tries < 1000; tries++) {
      const gap = Math.max(...first.map((v, k) => Math.abs(v - second[k]!)));
      if (gap >= 0.6 && gap <= 1.0) break;
      first = draw();
      second = draw();
    }
    const f = rng.uniform(0.35, 0.65);
    const width = () => d.axes.map(() => rng.uniform(0.05, 0.12));
    const truth: SimPeak[] =
      d.peaks === 1
        ? [{ position: first.map((v) => 10 ** v), width: width(), fraction: 1 }]
        : [
            { position: first.map((v) => 10 ** v), width: width(), fraction: f },
            { position: second.map((v) => 10 ** v), width: width(), fraction: 1 - f },
          ];
    const beta = d.axes[0]!.kernel === 'T1-IR' ? rng.uniform(0.85, 1) : undefined;
    const noiseSeed = rng.int(1, 2 ** 30);
    if (only && !only.includes(d.id)) continue;
    const sim = simulate({
      axes: d.axes.map((a) => ({
        spec: a.kernel === 'T1-IR' && beta !== undefined ? { kernel: a.kernel, beta } : { kernel: a.kernel },
        x: a.values,
      })) as unknown as [SimAxis] | [SimAxis, SimAxis],
      peaks: truth,
      snr: d.snr,
      seed: noiseSeed,
    });
    const acq: Acquisition = {
      experiment: experimentOfKernels(
        d.id,
        d.axes.map((a) => a.kernel),
      ),
      axes: d.axes.map((a) => ({ kernel: a.kernel, values: a.values, unit: a.kernel === 'D' ? 's/m^2' : 's' })),
      data: sim.data,
      metadata: { sample: `bench:cli ${d.id}` },
      warnings: [],
    } as unknown as Acquisition;
    const dir = join(root, d.id);
    await writeLapisAcquisition(dir, acq);
    out.push({
      id: d.id,
      label: d.label,
      dir,
      kernels: d.axes.map((a) => a.kernel),
      truth,
      snr: d.snr,
      ...(beta === undefined ? {} : { beta }),
    });
  }
  return out;
}
