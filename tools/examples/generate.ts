/**
 * Writes the bundled examples in examples/: simulated acquisitions in the open `lapis-acquisition/1` layout, made
 * with libs/physics `simulate` (seeded, so they regenerate identically), each with a truth.json holding the
 * populations it was made from. `lapis demo` inverts them. Regenerate: `npx tsx tools/examples/generate.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logGrid, simulate, type SimAxis, type SimPeak } from '@lapis/physics';

interface Example {
  name: string;
  experiment: 'T1-T2' | 'D-T2' | 'T2' | 'T1';
  sample: string;
  instrument: string;
  description: string;
  axes: SimAxis[];
  peaks: (SimPeak & { label: string })[];
  snr: number;
}

const echoes = (n: number, te: number) => Float64Array.from({ length: n }, (_, i) => (i + 1) * te);

const examples: Example[] = [
  {
    name: 'cheese-t1t2',
    experiment: 'T1-T2',
    sample: 'semi-hard cheese, ripening day 21',
    instrument: 'minispec-02',
    description: 'T1–T2 by inversion recovery–CPMG of a cheese: free water, protein-bound water and fat',
    axes: [
      { spec: { kernel: 'T1-IR' }, x: logGrid(1e-3, 4, 24) },
      { spec: { kernel: 'T2' }, x: echoes(1000, 2e-4) },
    ],
    peaks: [
      { label: 'water', position: [0.32, 0.04], width: [0.08, 0.08], fraction: 0.45 },
      { label: 'protein-bound water', position: [0.16, 0.004], width: [0.1, 0.1], fraction: 0.2 },
      { label: 'fat', position: [0.1, 0.07], width: [0.06, 0.06], fraction: 0.35 },
    ],
    snr: 1000,
  },
  {
    name: 'cement-t1t2',
    experiment: 'T1-T2',
    sample: 'white cement paste, w/c 0.4, 2 days',
    instrument: 'minispec-02',
    description: 'T1–T2 of a hydrating cement paste: interlayer, gel-pore and capillary water',
    axes: [
      { spec: { kernel: 'T1-IR' }, x: logGrid(2e-5, 0.5, 32) },
      { spec: { kernel: 'T2' }, x: echoes(1000, 6e-5) },
    ],
    peaks: [
      { label: 'interlayer', position: [4e-4, 1.1e-4], width: [0.1, 0.1], fraction: 0.3 },
      { label: 'gel pores', position: [1.6e-3, 4.5e-4], width: [0.1, 0.1], fraction: 0.5 },
      { label: 'capillary', position: [1.2e-2, 3e-3], width: [0.12, 0.12], fraction: 0.2 },
    ],
    snr: 500,
  },
  {
    name: 'emulsion-dt2',
    experiment: 'D-T2',
    sample: 'water-in-oil emulsion',
    instrument: 'benchtop-01',
    description: 'D–T2 by PGSTE–CPMG: free water and crude oil',
    axes: [
      { spec: { kernel: 'D' }, x: Float64Array.from({ length: 16 }, (_, i) => 2e10 * ((i + 1) / 16) ** 2) },
      { spec: { kernel: 'T2' }, x: echoes(1500, 4e-4) },
    ],
    peaks: [
      { label: 'water', position: [2.2e-9, 0.35], width: [0.08, 0.1], fraction: 0.4 },
      { label: 'oil', position: [8e-11, 0.04], width: [0.15, 0.15], fraction: 0.6 },
    ],
    snr: 300,
  },
  {
    name: 'sandstone-t2',
    experiment: 'T2',
    sample: 'sandstone plug, brine saturated',
    instrument: 'core-analyser-1',
    description: 'CPMG T2 of a sandstone: clay-bound and free fluid',
    axes: [{ spec: { kernel: 'T2' }, x: echoes(3000, 2e-4) }],
    peaks: [
      { label: 'clay-bound', position: [0.004], width: [0.15], fraction: 0.25 },
      { label: 'free fluid', position: [0.15], width: [0.2], fraction: 0.75 },
    ],
    snr: 300,
  },
];

const root = join(process.cwd(), 'examples');
for (const [k, ex] of examples.entries()) {
  const sim = simulate({
    axes: ex.axes as [SimAxis] | [SimAxis, SimAxis],
    peaks: ex.peaks,
    snr: ex.snr,
    seed: 1000 + k,
  });
  const dir = join(root, ex.name);
  mkdirSync(dir, { recursive: true });
  const m2 = ex.axes[1]?.x.length ?? 1;
  const rows: string[] = [
    `# ${ex.description}; simulated by tools/examples/generate.ts, SNR ${ex.snr} (max signal / noise σ)`,
  ];
  for (let i = 0; i < ex.axes[0]!.x.length; i++) {
    rows.push(Array.from(sim.data.subarray(i * m2, (i + 1) * m2), (v) => v.toPrecision(6)).join(' '));
  }
  writeFileSync(join(dir, 'data.txt'), rows.join('\n') + '\n');
  const doc = {
    format: 'lapis-acquisition/1',
    experiment: ex.experiment,
    instrument: ex.instrument,
    sample: ex.sample,
    acquiredAt: new Date(Date.UTC(2026, 10, 1 + k, 9, 0, 0)).toISOString(),
    axes: ex.axes.map((a) => ({
      kernel: a.spec.kernel,
      values: Array.from(a.x, (v) => Number(v.toPrecision(8))),
      unit: a.spec.kernel === 'D' ? 's/m2' : 's',
    })),
    data: 'data.txt',
  };
  writeFileSync(join(dir, 'acquisition.json'), JSON.stringify(doc, null, 2) + '\n');
  const truth = {
    description: ex.description,
    snr: ex.snr,
    noiseSigma: sim.sigma,
    populations: sim.peaks.map((p, i) => ({
      label: ex.peaks[i]!.label,
      position: p.position,
      widthDecades: p.width,
      fraction: p.fraction,
    })),
  };
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  console.log(`examples/${ex.name}`);
}
