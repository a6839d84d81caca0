import { describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { findPeaks, logGrid, residualDiagnostics } from '@lapis/physics';
import type { Inversion, Peak } from '@lapis/physics';
import { t1t2Acquisition } from '../testing/fixtures';
import { shimInvert } from '../testing/shimInvert';
import { toResultDocument } from './toResultDocument';

const provenance = { software: 'lapis', version: '0.1.0', source: { format: 'test' } };

describe('toResultDocument', () => {
  it('2D T1–T2: a valid lapis-result/1 with rows following axes[0], per-axis peak fields and the T1/T2 ratio', () => {
    const acq = t1t2Acquisition();
    const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 20 });
    const found = findPeaks(
      inversion.distribution,
      inversion.axes.map((a) => a.values),
    );
    const diagnostics = residualDiagnostics(acq.data, inversion.solver.fitted, inversion.solver.sigma, [16, 48]);
    const doc = toResultDocument(inversion, found.peaks, provenance, { experiment: 'T1-T2', diagnostics });
    expect(resultDocSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
    expect(doc.distribution).toHaveLength(20);
    // Row i of the document is row i of the row-major distribution.
    expect((doc.distribution[3] as number[])[7]).toBe(inversion.distribution[3 * 20 + 7]);
    const peak = doc.peaks[0]!;
    expect(Object.keys(peak.position)).toEqual(['T1', 'T2']);
    expect(peak.widthDecades).toHaveProperty('T2');
    expect(peak.extent?.T1?.[0]).toBeLessThanOrEqual(peak.position.T1!);
    expect(peak.t1t2Ratio).toBeCloseTo(peak.position.T1! / peak.position.T2!, 12);
    expect(doc.fit.chi2).toBeGreaterThan(0.5);
    expect(doc.fit.residualWhiteness?.lag1).toHaveLength(2);
    expect(doc.axes[0]!.sensitiveRange).toEqual(inversion.axes[0]!.sensitive);
    expect(doc.sigma).toBe(inversion.solver.sigma);
  });

  it('T2–T2: the second axis is keyed T2_2; peaks come out sorted by fraction', () => {
    // A hand-made map (two blobs on a 16 × 16 grid) is enough here: this is about naming and order, not solving.
    const grid = logGrid(1e-3, 1, 16);
    const blob = (i: number, j: number, ci: number, cj: number) => Math.exp(-((i - ci) ** 2 + (j - cj) ** 2) / 2);
    const distribution = Float64Array.from(
      { length: 256 },
      (_, k) => 0.3 * blob(k >> 4, k & 15, 4, 11) + 0.7 * blob(k >> 4, k & 15, 11, 4),
    );
    const acq = t1t2Acquisition();
    const base = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 8 });
    const inversion: Inversion = {
      ...base,
      axes: [0, 1].map(() => ({
        name: 'T2' as const,
        unit: 's' as const,
        values: grid,
        sensitive: [1e-3, 1] as [number, number],
      })),
      distribution,
    };
    const peaks = findPeaks(distribution, [grid, grid]).peaks;
    expect(peaks).toHaveLength(2);
    const doc = toResultDocument(inversion, [...peaks].reverse(), provenance);
    expect(Object.keys(doc.peaks[0]!.position)).toEqual(['T2', 'T2_2']);
    expect(doc.peaks[0]!.fraction).toBeGreaterThan(doc.peaks[1]!.fraction);
    expect(doc.peaks[0]!.position.T2!).toBeGreaterThan(doc.peaks[0]!.position.T2_2 as number);
    expect(doc.peaks[0]).not.toHaveProperty('t1t2Ratio');
  });

  it('refuses to build a document the contract rejects (a bug upstream, not bad input)', () => {
    const acq = t1t2Acquisition();
    const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 10 });
    const broken: Inversion = {
      ...inversion,
      distribution: inversion.distribution.map((v, i) => (i === 5 ? Number.NaN : v)),
    };
    expect(() => toResultDocument(broken, [], provenance)).toThrow(/does not meet lapis-result\/1 \(distribution/);
    const tooMuch: Peak[] = [0.7, 0.6].map((fraction) => ({
      position: [0.1, 0.01],
      fraction,
      amplitude: 1,
      height: 1,
      maxIndex: 0,
      extent: [
        [0.05, 0.2],
        [0.005, 0.02],
      ],
      widthDecades: [0.1, 0.1],
      region: new Int32Array([0]),
      atEdge: false,
    }));
    expect(() => toResultDocument(inversion, tooMuch, provenance)).toThrow(/fractions sum to 1\.3/);
  });
});
