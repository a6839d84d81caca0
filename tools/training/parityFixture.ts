/**
 * Writes fixtures/parity.json: a few acquisitions simulated by libs/physics (kernels, fine-grid log-normal mixtures,
 * seeded noise), which the Python twin (lapis_training/physics.py) must reproduce to 1e-10 — test_parity.py.
 * Run: npx tsx tools/training/parityFixture.ts   (re-run only when libs/physics' forward model changes).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernelMatrix, logGrid, simulate, type SimAxis, type SimPeak } from '@lapis/physics';

interface FixtureCase {
  name: string;
  axes: { kernel: SimAxis['spec']['kernel']; x: number[]; beta?: number }[];
  peaks: SimPeak[];
  snr: number;
  seed: number;
}

const echoes = (n: number, te: number) => Array.from({ length: n }, (_, i) => (i + 1) * te);
const cases: FixtureCase[] = [
  {
    name: 'T1IR-T2 two peaks, beta 0.9',
    axes: [
      { kernel: 'T1-IR', x: Array.from(logGrid(1e-4, 5, 16)), beta: 0.9 },
      { kernel: 'T2', x: echoes(200, 2e-4) },
    ],
    peaks: [
      { position: [0.05, 0.01], width: [0.1, 0.08], fraction: 0.6 },
      { position: [0.5, 0.2], width: [0.05, 0.12], fraction: 0.4 },
    ],
    snr: 300,
    seed: 11,
  },
  {
    name: 'T1SR-T2 one peak',
    axes: [
      { kernel: 'T1-SR', x: Array.from(logGrid(5e-5, 3, 12)) },
      { kernel: 'T2', x: echoes(100, 1e-3) },
    ],
    peaks: [{ position: [0.2, 0.03], width: [0.15, 0.1], fraction: 1 }],
    snr: 100,
    seed: 12,
  },
  {
    name: 'D-T2 three peaks',
    axes: [
      { kernel: 'D', x: Array.from({ length: 16 }, (_, i) => 3e10 * ((i + 1) / 16) ** 2) },
      { kernel: 'T2', x: echoes(150, 4e-4) },
    ],
    peaks: [
      { position: [2e-9, 0.1], width: [0.05, 0.1], fraction: 0.5 },
      { position: [1e-10, 0.01], width: [0.1, 0.05], fraction: 0.3 },
      { position: [5e-11, 0.3], width: [0.08, 0.08], fraction: 0.2 },
    ],
    snr: 1000,
    seed: 13,
  },
  {
    name: 'T2 1D',
    axes: [{ kernel: 'T2', x: echoes(300, 1e-4) }],
    peaks: [
      { position: [0.003], width: [0.1], fraction: 0.3 },
      { position: [0.08], width: [0.2], fraction: 0.7 },
    ],
    snr: 50,
    seed: 14,
  },
];

const out = cases.map((c) => {
  const sim = simulate({
    axes: c.axes.map((a) => ({
      spec: { kernel: a.kernel, ...(a.beta === undefined ? {} : { beta: a.beta }) },
      x: a.x,
    })) as unknown as [SimAxis] | [SimAxis, SimAxis],
    peaks: c.peaks,
    snr: c.snr,
    seed: c.seed,
  });
  // One kernel matrix on a coarse grid per case, so the kernels are compared directly too.
  const a0 = c.axes[0]!;
  const y = Array.from(logGrid(a0.kernel === 'D' ? 1e-12 : 1e-4, a0.kernel === 'D' ? 1e-8 : 10, 8));
  const k = kernelMatrix({ kernel: a0.kernel, ...(a0.beta === undefined ? {} : { beta: a0.beta }) }, a0.x, y);
  return {
    ...c,
    sigma: sim.sigma,
    noiseless: Array.from(sim.noiseless),
    data: Array.from(sim.data),
    kernel: { y, values: Array.from(k.data) },
  };
});
const path = fileURLToPath(new URL('./fixtures/parity.json', import.meta.url));
writeFileSync(path, JSON.stringify({ generator: 'tools/training/parityFixture.ts', cases: out }));
console.log(`wrote ${path} (${out.length} cases)`);
