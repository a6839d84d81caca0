import { describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { findPeaks, forward1d, invert, kernelMatrix, logGrid, simulate } from '@lapis/physics';
import { toPseudo2dResultDocument, type RegionInversion } from './toPseudo2dResultDocument';

const provenance = { software: 'lapis', version: '0.1.0', source: { format: 'test' } };
const b = logGrid(1e7, 2e10, 24);

/** A D decay of one population at `d`, scaled by `amplitude`, inverted on the grid [1e-12, 1e-7]. */
function region(peak: number, d: number, amplitude: number, seed: number, range: [number, number] = [1e-12, 1e-7]) {
  const sim = simulate({
    axes: [{ spec: { kernel: 'D' }, x: b }],
    peaks: [{ position: [d], width: [0.05], fraction: 1 }],
    snr: 1000,
    seed,
  });
  const data = sim.data.map((v) => v * amplitude);
  const inversion = invert(
    { axes: [{ kernel: 'D', values: b }], data },
    { method: 'tikhonov', grid: 48, ranges: [range] },
  );
  const r: RegionInversion = {
    from: peak + 0.05,
    to: peak - 0.05,
    peak,
    data,
    inversion,
    peaks: findPeaks(inversion.distribution, [inversion.axes[0]!.values]),
  };
  return r;
}

describe('toPseudo2dResultDocument', () => {
  it('rows by increasing shift, one grid, fractions of all regions, per-region fit info', () => {
    // TopSpin order (highest ppm first); the second region carries 3× the signal of the first
    const regions = [region(3.35, 2.1e-9, 1, 1), region(0.9, 4e-10, 3, 2)];
    const doc = toPseudo2dResultDocument(regions, provenance, { experiment: 'D', warnings: ['from the reader'] });
    expect(resultDocSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
    expect(doc.axes[0]).toEqual({ name: 'shift', unit: 'ppm', values: [0.9, 3.35] });
    expect(doc.axes[1]!.name).toBe('D');
    expect(doc.distribution[0]).toEqual(Array.from(regions[1]!.inversion.distribution));
    const [big, small] = doc.peaks;
    expect(Object.keys(big!.position)).toEqual(['shift', 'D']);
    expect(big!.position.shift).toBe(0.9);
    expect(big!.position.D! / 4e-10).toBeCloseTo(1, 1);
    expect(big!.fraction).toBeCloseTo(0.75, 1);
    expect(small!.fraction).toBeCloseTo(0.25, 1);
    expect(big!.regionFraction).toBeGreaterThan(0.95);
    expect(big!.region).toEqual({ from: regions[1]!.from, to: regions[1]!.to });
    expect(big!.extent?.shift).toEqual([regions[1]!.to, regions[1]!.from]);
    expect(doc.regions!.map((r) => r.peak)).toEqual([0.9, 3.35]);
    expect(doc.regions![0]!.method).toBe('tikhonov');
    expect(doc.regions![0]!.relativeResidual).toBe(regions[1]!.inversion.solver.relativeResidual);
    expect(doc.warnings).toContain('from the reader');
  });

  it('fit.decays: one decay per region in shift order, against its own fit, only when every region has its axis', () => {
    const regions = [region(3.35, 2.1e-9, 1, 1), region(0.9, 4e-10, 3, 2)];
    expect(toPseudo2dResultDocument(regions, provenance).fit).not.toHaveProperty('decays');
    const withAxis = regions.map((r) => ({ ...r, axis: { kernel: 'D' as const, values: b } }));
    const doc = toPseudo2dResultDocument(withAxis, provenance);
    expect(resultDocSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
    const decays = doc.fit.decays!;
    expect(decays.map((d) => d.label)).toEqual(['0.90 ppm: diffusion attenuation', '3.35 ppm: diffusion attenuation']);
    expect(decays[0]!.axis).toMatchObject({ name: 'b', unit: 's/m2' });
    expect(decays[0]!.axis.values).toHaveLength(24);
    // the region at 0.90 ppm (3× the signal): fit = K·f of its own inversion
    const r = regions[1]!;
    const model = forward1d(kernelMatrix({ kernel: 'D' }, b, r.inversion.axes[0]!.values), r.inversion.distribution);
    decays[0]!.fit.forEach((v, i) => expect(v).toBeCloseTo(model[i]!, 4));
    expect(decays[0]!.data[0]).toBeCloseTo(r.data[0]!, 4);
  });

  it('refuses regions inverted on different grids; the schema wants one region per shift value', () => {
    expect(() =>
      toPseudo2dResultDocument([region(3.35, 2.1e-9, 1, 1), region(0.9, 4e-10, 1, 2, [1e-12, 1e-8])], provenance),
    ).toThrow(/region at 3.35 ppm was inverted on another grid/);
    const doc = toPseudo2dResultDocument([region(3.35, 2.1e-9, 1, 1)], provenance);
    const broken = { ...doc, regions: [...doc.regions!, doc.regions![0]] };
    expect(resultDocSchema.safeParse(broken).error?.issues[0]?.message).toMatch(/one region per shift value/);
  });
});
