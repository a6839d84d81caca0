/**
 * Real GeoSpec exports (Bunter sandstone, from NMRInversions.jl's example_data, MIT), read when a copy is present in
 * .refs/nmrinversions/example_data/geospec_txt (git-ignored; CI has none, and these tests then skip). Checks axis
 * lengths, units and plausible values, the vendor's log-means, and that Lapis' own log-mean of the same data lands
 * next to the vendor's.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { invert, logMean } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import type { Acquisition } from '../acquisition';
import { detectAndRead } from '../read';
import { readGeoSpec } from './readGeoSpec';

const DIR = fileURLToPath(new URL('../../../../.refs/nmrinversions/example_data/geospec_txt/', import.meta.url));
const at = (name: string) => DIR + name;
const present = existsSync(at('CPMG_bunter.txt')) && existsSync(at('IR_bunter.txt'));
const title = present
  ? 'real GeoSpec exports (.refs/nmrinversions)'
  : 'real GeoSpec exports — SKIPPED: .refs/nmrinversions/example_data/geospec_txt not found (copy NMRInversions.jl example_data there)';

const vendor = (acq: Acquisition, quantity: string) => acq.vendorResults?.find((v) => v.quantity === quantity)?.value;

/** Lapis' log-mean of the inverted distribution. */
function lapisLogMean(acq: Acquisition): number {
  const inv = invert({ axes: acq.axes, data: acq.data });
  return logMean(inv.distribution, inv.axes[0]!.values);
}

describe.skipIf(!present)(title, () => {
  it('CPMG_bunter.txt: 23148 echoes every 0.108 ms, the vendor T2 log-mean 12.777 ms, Lapis within 5 %', async () => {
    const acq = await detectAndRead(at('CPMG_bunter.txt'));
    expect(acq.metadata.source).toBe('geospec');
    expect(acq.experiment).toBe('T2');
    const t = acq.axes[0].values;
    expect(acq.axes[0]).toMatchObject({ kernel: 'T2', unit: 's' });
    expect(t.length).toBe(23148);
    expect(t[0]).toBeCloseTo(1.08e-4, 12);
    expect(t[1]! - t[0]!).toBeCloseTo(1.08e-4, 10);
    expect(t[t.length - 1]).toBeCloseTo(2.4999841, 6);
    // the export's real channel is negative (receiver phase ≈ 168°): phased, the decay starts positive
    expect(acq.data[0]).toBeGreaterThan(4e4);
    expect(Number(acq.metadata.phase0)).toBeCloseTo(2.93, 1);
    expect(acq.metadata).toMatchObject({
      sample: 'CPMG_bunter',
      instrument: 'SO4770 43mm Probe QPR40-127',
      testType: 3,
    });
    expect(vendor(acq, 'T2 log-mean')).toBeCloseTo(0.012777, 9);
    expect(vendor(acq, 'T2 at 99%')).toBeCloseTo(0.089125, 9);
    expect(acq.warnings).toEqual([]);
    expect(Math.abs(Math.log(lapisLogMean(acq) / vendor(acq, 'T2 log-mean')!))).toBeLessThan(0.05);
  });

  it('IR_bunter.txt: 32 inversion delays 0.02 ms – 5.69 s, the vendor T1 log-mean 17.435 ms, Lapis within 5 %', async () => {
    const acq = await readGeoSpec(at('IR_bunter.txt'));
    expect(acq.experiment).toBe('T1');
    expect(acq.axes[0]).toMatchObject({ kernel: 'T1-IR', unit: 's' });
    const tau = acq.axes[0].values;
    expect(tau.length).toBe(32);
    expect(tau[0]).toBeCloseTo(2e-5, 12);
    expect(tau[31]).toBeCloseTo(5.693147, 9);
    for (let i = 1; i < 32; i++) expect(tau[i]!).toBeGreaterThan(tau[i - 1]!);
    // as measured: from about −M0 to +M0, crossing zero near T1·ln 2
    expect(acq.data[0]).toBeLessThan(-4e4);
    expect(acq.data[31]).toBeGreaterThan(4e4);
    expect(vendor(acq, 'T1 log-mean')).toBeCloseTo(0.017435, 9);
    expect(acq.metadata).toMatchObject({ sampleState: '100% Sw', testName: 'T1 NMR' });
    expect(acq.warnings).toEqual([]);
    expect(Math.abs(Math.log(lapisLogMean(acq) / vendor(acq, 'T1 log-mean')!))).toBeLessThan(0.05);
  });

  it.skipIf(!existsSync(at('IRCPMG_bunter.txt')))('IRCPMG_bunter.txt (when present): a T1–T2 grid in s', async () => {
    const acq = await readGeoSpec(at('IRCPMG_bunter.txt'));
    expect(acq.experiment).toBe('T1-T2');
    expect(acq.axes.map((a) => [a.kernel, a.unit])).toEqual([
      ['T1-IR', 's'],
      ['T2', 's'],
    ]);
    expect(acq.data.length).toBe(acq.axes[0].values.length * acq.axes[1]!.values.length);
    expect(acq.axes[1]!.values[0]).toBeGreaterThan(1e-5);
    expect(acq.axes[1]!.values[0]).toBeLessThan(1e-2);
  });
});
