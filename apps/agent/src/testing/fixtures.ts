/** TEST ONLY — seeded acquisitions simulated with @lapis/physics, written with the lapis writer. */
import { logGrid, simulate } from '@lapis/physics';
import type { Acquisition } from '@lapis/formats';

export function t2Acquisition(seed = 1): Acquisition {
  const te = logGrid(2e-4, 2, 64);
  const sim = simulate({
    axes: [{ spec: { kernel: 'T2' }, x: te }],
    peaks: [
      { position: [0.005], width: [0.1], fraction: 0.3 },
      { position: [0.15], width: [0.1], fraction: 0.7 },
    ],
    snr: 500,
    seed,
  });
  return {
    experiment: 'T2',
    axes: [{ kernel: 'T2', values: te, unit: 's' }],
    data: sim.data,
    metadata: { source: 'test', sample: 'two-site T2' },
    warnings: [],
  };
}

export function t1t2Acquisition(seed = 2): Acquisition {
  const tau = logGrid(1e-4, 5, 16);
  const te = logGrid(2e-4, 2, 48);
  const sim = simulate({
    axes: [
      { spec: { kernel: 'T1-IR' }, x: tau },
      { spec: { kernel: 'T2' }, x: te },
    ],
    peaks: [{ position: [0.112, 0.0195], width: [0.12, 0.12], fraction: 1 }],
    snr: 500,
    seed,
  });
  return {
    experiment: 'T1-T2',
    axes: [
      { kernel: 'T1-IR', values: tau, unit: 's' },
      { kernel: 'T2', values: te, unit: 's' },
    ],
    data: sim.data,
    metadata: { source: 'test', instrument: 'minispec-02' },
    warnings: [],
  };
}
