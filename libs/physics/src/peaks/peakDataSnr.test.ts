import { describe, expect, it } from 'vitest';
import {
  findPeaks,
  forward2d,
  invert,
  inversionPeaks,
  kernelMatrix,
  logGrid,
  peakDataSnr,
  simulate,
  type InvertInput,
} from '../index';

// D–T2: 16 b-values, 4000 echoes from 0.1 ms — the acquisition of the benchmark case whose corner peak this guards against.
const bValues = logGrid(7.6e7, 2e10, 16);
const echoes = Float64Array.from({ length: 4000 }, (_, i) => (i + 1) * 1e-4);
const peaks = [{ position: [1.8e-10, 4.9e-3], width: [0.09, 0.07], fraction: 1 }];
const sim = simulate({
  axes: [
    { spec: { kernel: 'D' }, x: bValues },
    { spec: { kernel: 'T2' }, x: echoes },
  ],
  peaks,
  snr: 100,
  seed: 5,
});
const input: InvertInput = {
  axes: [
    { kernel: 'D', values: bValues },
    { kernel: 'T2', values: echoes },
  ],
  data: sim.data,
};

describe('peakDataSnr', () => {
  const inv = invert(input, { method: 'tikhonov' });
  const [dGrid, t2Grid] = inv.axes.map((a) => a.values) as [Float64Array, Float64Array];

  it('is the norm of the peak’s own forward model over σ (Gram form = explicit product)', () => {
    const snrOf = peakDataSnr(input, inv);
    const k1 = kernelMatrix({ kernel: 'D' }, bValues, dGrid);
    const k2 = kernelMatrix({ kernel: 'T2' }, echoes, t2Grid);
    const found = findPeaks(inv.distribution, [dGrid, t2Grid]).peaks;
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      const fp = new Float64Array(inv.distribution.length);
      for (const c of p.region) fp[c] = inv.distribution[c]!;
      const d = forward2d(k1, k2, fp);
      const explicit = Math.sqrt(d.reduce((a, v) => a + v * v, 0)) / inv.solver.sigma;
      expect(snrOf(p.region)).toBeCloseTo(explicit, 6);
      expect(Math.abs(snrOf(p.region) / explicit - 1)).toBeLessThan(1e-9);
    }
  });

  it('leaves out a population the data do not show (shorter than the first echo, gone by the first b-value)', () => {
    // The fitted map plus 7 % of its mass spread over the fast-diffusing, short-T2 corner of the grid.
    const map = Float64Array.from(inv.distribution);
    const total = map.reduce((a, v) => a + v, 0);
    const n2 = t2Grid.length;
    const corner: number[] = [];
    dGrid.forEach((dv, i) =>
      t2Grid.forEach((tv, j) => {
        if (dv > 8e-9 && dv < 3e-8 && tv > 5e-5 && tv < 7e-5) corner.push(i * n2 + j);
      }),
    );
    expect(corner.length).toBeGreaterThan(4);
    for (const c of corner) map[c] = (0.075 * total) / corner.length;
    const withMap = { ...inv, distribution: map };
    const plain = findPeaks(map, [dGrid, t2Grid]);
    expect(plain.peaks.length).toBe(2);
    const small = plain.peaks[1]!;
    expect(small.fraction).toBeGreaterThan(0.05);
    const snrOf = peakDataSnr(input, withMap);
    expect(snrOf(small.region)).toBeLessThan(5);
    expect(snrOf(plain.peaks[0]!.region)).toBeGreaterThan(1000);

    const checked = findPeaks(map, [dGrid, t2Grid], { dataSnr: snrOf });
    expect(checked.peaks).toHaveLength(1);
    expect(checked.peaks[0]!.dataSnr).toBeGreaterThan(1000);
    expect(checked.unlistedFraction).toBeGreaterThan(0.05);
    expect(checked.warnings.join('\n')).toMatch(/is not listed: its signal in the data is [\d.]+σ \(< 5σ\)/);
    // inversionPeaks is that call on the inversion's own grids: what lapis invert and the agent list.
    const listed = inversionPeaks(input, withMap);
    expect(listed.peaks.map((p) => [p.position, p.fraction, p.dataSnr])).toEqual(
      checked.peaks.map((p) => [p.position, p.fraction, p.dataSnr]),
    );
    expect(listed.warnings).toEqual(checked.warnings);
    // With the threshold at 0 the same peak is listed again, carrying its data SNR.
    const all = findPeaks(map, [dGrid, t2Grid], { dataSnr: snrOf, minDataSnr: 0 });
    expect(all.peaks).toHaveLength(2);
    expect(all.peaks[1]!.dataSnr).toBeLessThan(5);
  });
});
