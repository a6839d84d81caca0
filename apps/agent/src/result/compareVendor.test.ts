import { describe, expect, it } from 'vitest';
import { resultDocSchema, type ResultDoc } from '@lapis/contracts';
import { compareVendorResults } from './compareVendor';

const grid = [0.001, 0.01, 0.1, 1];

/** A 1D T2 document with two peaks; the distribution puts 3/4 of the signal at 0.1 s and 1/4 at 0.01 s. */
const doc1d = (): ResultDoc => ({
  format: 'lapis-result/1',
  method: 'upen',
  elapsedMs: 1,
  axes: [{ name: 'T2', unit: 's', values: grid }],
  distribution: [0, 1, 3, 0],
  peaks: [
    { position: { T2: 0.1 }, fraction: 0.75 },
    { position: { T2: 0.01 }, fraction: 0.25 },
  ],
  fit: { relativeResidual: 0.01 },
});

/** A pseudo-2D shift × T1 document: regions 3.30–3.20 ppm (one peak) and 1.40–1.20 ppm (two). */
const docPseudo2d = (): ResultDoc => ({
  format: 'lapis-result/1',
  method: 'upen',
  elapsedMs: 1,
  axes: [
    { name: 'shift', unit: 'ppm', values: [1.3, 3.25] },
    { name: 'T1', unit: 's', values: grid },
  ],
  distribution: [
    [0, 1, 2, 0],
    [0, 0, 0, 4],
  ],
  peaks: [
    { position: { shift: 3.25, T1: 1.05 }, fraction: 4 / 7, region: { from: 3.3, to: 3.2 } },
    { position: { shift: 1.3, T1: 0.098 }, fraction: 2 / 7, region: { from: 1.4, to: 1.2 } },
    { position: { shift: 1.3, T1: 0.011 }, fraction: 1 / 7, region: { from: 1.4, to: 1.2 } },
  ],
  fit: { relativeResidual: 0.01 },
});

describe('compareVendorResults', () => {
  it('a log-mean is over the listed populations (the whole distribution when none is), with the difference', () => {
    const doc = doc1d();
    const vendor = [
      { software: 'GIT GeoSpec', file: 'a.txt', quantity: 'T2 log-mean', unit: 's' as const, value: 0.05 },
    ];
    const [v] = compareVendorResults(vendor, doc);
    const expected = 10 ** (0.75 * -1 + 0.25 * -2);
    expect(v!.lapis).toBeCloseTo(expected, 12);
    expect(v!.relativeDifference).toBeCloseTo(expected / 0.05 - 1, 12);
    expect(v!.note).toMatch(/log-mean over the 2 listed populations/);
    expect(resultDocSchema.safeParse({ ...doc, vendorResults: [v] }).success).toBe(true);
    // mass outside the listed peaks (0.5 at 1 ms here, which the data would not show) does not count
    expect(compareVendorResults(vendor, { ...doc, distribution: [0.5, 1, 3, 0] })[0]!.lapis).toBeCloseTo(expected, 12);
    const [none] = compareVendorResults(vendor, { ...doc, peaks: [] });
    expect(none!.lapis).toBeCloseTo(10 ** ((1 * -2 + 3 * -1) / 4), 12);
    expect(none!.note).toMatch(/log-mean of the distribution \(no peak listed\)/);
  });

  it('a fitted value at a shift is the largest peak of the region holding it; outside every region, a note', () => {
    const out = compareVendorResults(
      [
        { software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's', value: 1.0, shift: 3.24 },
        { software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's', value: 0.1, shift: 1.33 },
        { software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's', value: 0.5, shift: 7.1 },
      ],
      docPseudo2d(),
    );
    expect(out[0]).toMatchObject({ lapis: 1.05, peak: 0, shift: 3.24 });
    expect(out[0]!.relativeDifference).toBeCloseTo(0.05, 12);
    expect(out[1]).toMatchObject({ lapis: 0.098, peak: 1 });
    expect(out[1]!.note).toMatch(/\(of 2\)/);
    expect(out[2]!.lapis).toBeUndefined();
    expect(out[2]!.note).toMatch(/no listed peak's region holds 7.1 ppm/);
  });

  it('a value without a shift is the largest peak’s; a quantity the result has no axis for, or a bad value, a note', () => {
    const out = compareVendorResults(
      [
        { software: 'Bruker minispec', file: 'x.dps', quantity: 'T2', unit: 's', value: 0.09 },
        { software: 'Bruker minispec', file: 'x.dps', quantity: 'T1', unit: 's', value: 0.2 },
        { software: 'Bruker minispec', file: 'x.dps', quantity: 'T2', unit: 's', value: 0 },
      ],
      doc1d(),
    );
    expect(out[0]).toMatchObject({ lapis: 0.1, peak: 0 });
    expect(out[1]!.note).toMatch(/no T1 axis/);
    expect(out[2]!.note).toMatch(/not a positive number/);
  });
});
