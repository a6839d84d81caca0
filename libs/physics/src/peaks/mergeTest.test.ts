import { describe, expect, it } from 'vitest';
import {
  chiSquareQuantile,
  compress,
  describePeak,
  findPeaks,
  invert,
  inversionPeaks,
  kernelMatrix,
  logGrid,
  mergeTest,
  problem1d,
  simulate,
  type InvertInput,
  type SimPeak,
} from '../index';

const log = (x: number) => Math.log10(x);
const big = <T extends { fraction: number }>(peaks: T[]) => peaks.filter((p) => p.fraction >= 0.05);

// CPMG, 1000 echoes of 0.4 ms.
const echoes = Float64Array.from({ length: 1000 }, (_, i) => (i + 1) * 4e-4);

function t2Input(peaks: SimPeak[], snr: number, seed: number): InvertInput {
  const sim = simulate({ axes: [{ spec: { kernel: 'T2' }, x: echoes }], peaks, snr, seed });
  return { axes: [{ kernel: 'T2', values: echoes }], data: sim.data };
}

describe('mergeTest through inversionPeaks', () => {
  // One log-normal population 0.38 decade wide at SNR 120: UPEN's map breaks it into a main peak and side lobes, or
  // into a row of narrower peaks, on these seeds (9 of seeds 1–40).
  const broad: SimPeak[] = [{ position: [10 ** -1.6], width: [0.38], fraction: 1 }];

  it('lists one broad population as one peak where the map shows it as two or three', () => {
    for (const seed of [6, 19, 22, 30, 31, 32]) {
      const input = t2Input(broad, 120, seed);
      const inv = invert(input, {});
      const asMapped = inversionPeaks(input, inv, { components: false });
      expect(big(asMapped.peaks).length, `seed ${seed}: the map's own peaks`).toBeGreaterThan(1);
      const listed = inversionPeaks(input, inv);
      const peaks = big(listed.peaks);
      expect(peaks, `seed ${seed}`).toHaveLength(1);
      const one = peaks[0]!;
      expect(one.merged?.peaks).toBeGreaterThanOrEqual(2);
      expect(one.merged!.deltaChi2).toBeLessThan(chiSquareQuantile(0.5, 3 * (one.merged!.peaks - 1)));
      expect(Math.abs(log(one.position[0]!) - -1.6)).toBeLessThan(0.1);
      expect(one.fraction).toBeGreaterThan(0.85);
      expect(one.widthDecades[0]).toBeGreaterThan(0.25);
      expect(listed.mergeTest?.merged).toBeGreaterThanOrEqual(1);
      expect(listed.warnings.some((w) => /are one population in the data/.test(w))).toBe(true);
    }
  });

  it('keeps two populations apart where the data show two', () => {
    const cases: [SimPeak[], number][] = [
      // 1 decade apart at SNR 120 (too far apart for one component: not even tried), 0.4 decade at SNR 1000 (tried)
      [
        [
          { position: [10 ** -2.2], width: [0.1], fraction: 0.5 },
          { position: [10 ** -1.2], width: [0.1], fraction: 0.5 },
        ],
        120,
      ],
      [
        [
          { position: [10 ** -2.0], width: [0.08], fraction: 0.4 },
          { position: [10 ** -1.6], width: [0.08], fraction: 0.6 },
        ],
        1000,
      ],
    ];
    for (const [truth, snr] of cases) {
      for (const seed of [1, 2, 3]) {
        const input = t2Input(truth, snr, seed);
        const inv = invert(input, {});
        expect(big(inversionPeaks(input, inv, { components: false }).peaks)).toHaveLength(2);
        const listed = inversionPeaks(input, inv);
        expect(big(listed.peaks)).toHaveLength(2);
        expect(listed.mergeTest).toMatchObject({ merged: 0 });
        if (snr === 1000) expect(listed.mergeTest!.tested).toBeGreaterThanOrEqual(1);
        expect(listed.peaks.some((p) => p.merged)).toBe(false);
      }
    }
  });

  it('is switched off by mergeSignificance 0', () => {
    const input = t2Input(broad, 120, 6);
    const inv = invert(input, {});
    const off = inversionPeaks(input, inv, { components: { mergeSignificance: 0 } });
    expect(big(off.peaks).length).toBeGreaterThan(1);
    expect(off.mergeTest).toMatchObject({ merged: 0, tested: 0 });
  });
});

describe('mergeTest on a given map', () => {
  // T1 by inversion recovery (32 delays) × CPMG (1000 echoes): the data of one 2D population (or two), and a map
  // that shows it notched in two, as a regularised map may.
  const delays = logGrid(1e-4, 5, 32);
  const g1 = logGrid(1e-4, 10, 48);
  const g2 = logGrid(1e-4, 1, 48);
  const k1 = kernelMatrix({ kernel: 'T1-SR' }, delays, g1);
  const k2 = kernelMatrix({ kernel: 'T2' }, echoes, g2);
  const cellsOf = (peaks: SimPeak[], notch?: number) => {
    const f = new Float64Array(g1.length * g2.length);
    for (const p of peaks) {
      for (let i = 0; i < g1.length; i++) {
        for (let j = 0; j < g2.length; j++) {
          const z1 = (log(g1[i]!) - log(p.position[0]!)) / p.width[0]!;
          const z2 = (log(g2[j]!) - log(p.position[1]!)) / p.width[1]!;
          f[i * g2.length + j]! += p.fraction * Math.exp(-0.5 * (z1 * z1 + z2 * z2));
        }
      }
    }
    if (notch !== undefined) {
      for (let i = 0; i < g1.length; i++)
        for (let j = 0; j < g2.length; j++)
          f[i * g2.length + j]! *= 1 - 0.9 * Math.exp(-(((log(g2[j]!) - notch) / 0.08) ** 2));
    }
    return f;
  };
  const run = (truth: SimPeak[], map: Float64Array, snr: number, sigmaScale = 1) => {
    const sim = simulate({
      axes: [
        { spec: { kernel: 'T1-SR' }, x: delays },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: truth,
      snr,
      seed: 5,
    });
    // Scale the map to the data's amplitude (the simulation's total is 1).
    let sum = 0;
    for (const v of map) sum += v;
    const scaled = Float64Array.from(map, (v) => v / sum);
    const found = findPeaks(scaled, [g1, g2]);
    const cp = compress({ k1, k2, data: sim.data }, { sigma: sim.sigma * sigmaScale });
    const describeCells = (cells: Int32Array) => describePeak(scaled, [g1, g2], cells, found.total);
    return { found, result: mergeTest(cp, [g1, g2], found.peaks, describeCells) };
  };

  it('joins a map notched in two when the data hold one population, and keeps a real pair', () => {
    const single: SimPeak[] = [{ position: [10 ** -0.8, 10 ** -1.6], width: [0.2, 0.25], fraction: 1 }];
    const notched = run(single, cellsOf(single, -1.6), 300);
    expect(notched.found.peaks).toHaveLength(2);
    expect(notched.result.peaks).toHaveLength(1);
    const one = notched.result.peaks[0]!;
    expect(one.merged).toMatchObject({ peaks: 2 });
    expect(one.merged!.deltaChi2).toBeLessThan(chiSquareQuantile(0.5, 6));
    expect(one.region.length).toBe(notched.found.peaks[0]!.region.length + notched.found.peaks[1]!.region.length);
    expect(Math.abs(log(one.position[1]!) - -1.6)).toBeLessThan(0.05);
    expect(Math.abs(one.fraction - notched.found.peaks[0]!.fraction - notched.found.peaks[1]!.fraction)).toBeLessThan(
      1e-12,
    );

    const pair: SimPeak[] = [
      { position: [10 ** -0.8, 10 ** -2.0], width: [0.1, 0.1], fraction: 0.5 },
      { position: [10 ** -0.8, 10 ** -1.55], width: [0.1, 0.1], fraction: 0.5 },
    ];
    const real = run(pair, cellsOf(pair), 300);
    expect(real.found.peaks).toHaveLength(2);
    expect(real.result.peaks).toHaveLength(2);
    expect(real.result.tested).toBeGreaterThanOrEqual(1);
    expect(real.result.notes).toEqual([]);
  });

  it('joins nothing where the components leave far more than the noise (the model does not describe the data)', () => {
    // The same notched map of one population, but σ stated 10× too small: χ² per point ~100, no evidence either way.
    const single: SimPeak[] = [{ position: [10 ** -0.8, 10 ** -1.6], width: [0.2, 0.25], fraction: 1 }];
    const misjudged = run(single, cellsOf(single, -1.6), 300, 0.1);
    expect(misjudged.found.peaks).toHaveLength(2);
    expect(misjudged.result.peaks).toHaveLength(2);
    expect(misjudged.result.tested).toBe(0);
  });

  it('needs two peaks and a noise level', () => {
    const cp = compress(problem1d(kernelMatrix({ kernel: 'T2' }, echoes, g2), new Float64Array(echoes.length)), {
      sigma: 0,
    });
    const f = new Float64Array(g2.length).fill(1);
    const one = findPeaks(f, [g2]).peaks;
    expect(mergeTest(cp, [g2], one, () => one[0]!)).toMatchObject({ peaks: one, tested: 0 });
  });
});

describe('chiSquareQuantile', () => {
  it('matches tabulated points to their 4 significant digits', () => {
    for (const [k, q] of [
      [3, 7.815],
      [6, 12.592],
      [9, 16.919],
      [12, 21.026],
      [18, 28.869],
    ] as const) {
      expect(Math.abs(chiSquareQuantile(0.95, k) / q - 1)).toBeLessThan(2e-4);
    }
    expect(Math.abs(chiSquareQuantile(0.99, 6) / 16.812 - 1)).toBeLessThan(2e-4);
  });
});
