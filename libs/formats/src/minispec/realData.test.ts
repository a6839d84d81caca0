/**
 * A real minispec export: example_data/bruker/minispec/cpmg.dps of NMRInversions.jl (10 000 echoes, no header),
 * copied read-only to .refs/nmrinversions/example_data (git-ignored, never committed). Skipped, with a message,
 * where .refs is absent (CI).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { invert, inversionPeaks, type InvertInput } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { detectAndRead } from '../read';

const FILE = fileURLToPath(
  new URL('../../../../.refs/nmrinversions/example_data/bruker/minispec/cpmg.dps', import.meta.url),
);
const present = existsSync(FILE);
if (!present)
  console.warn(`minispec real-data test skipped: ${FILE} not found (copy NMRInversions.jl's example_data there)`);

describe.skipIf(!present)('NMRInversions.jl minispec example', () => {
  it('cpmg.dps: 10 000 echo times in ms (0.215 ms + k·0.2122 ms), T2 from the name, one main population', async () => {
    const acq = await detectAndRead(FILE);
    expect(acq.metadata).toMatchObject({ source: 'minispec', format: 'dps', axisUnit: 'ms', kernelFrom: 'file name' });
    expect(acq.experiment).toBe('T2');
    const t = acq.axes[0].values;
    expect(t.length).toBe(10000);
    expect(t[0]).toBeCloseTo(2.1508e-4, 15);
    expect(t[1]! - t[0]!).toBeCloseTo(2.122e-4, 12);
    expect(t[9999]).toBeCloseTo(2.12200288, 12);
    expect(acq.data[0]).toBeCloseTo(87.0950663919, 10);
    expect(acq.warnings).toEqual([
      'the file does not say the unit of its time column: took ms (the minispec software writes ms)',
    ]);
    const input: InvertInput = { axes: [{ kernel: 'T2', values: t }], data: acq.data };
    const peaks = inversionPeaks(input, invert(input)).peaks;
    const main = peaks.reduce((a, b) => (b.fraction > a.fraction ? b : a));
    expect(main.fraction).toBeGreaterThan(0.6);
    expect(main.position[0]).toBeGreaterThan(0.02);
    expect(main.position[0]).toBeLessThan(0.5);
  });
});
