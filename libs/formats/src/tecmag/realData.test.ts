/**
 * Real Tecmag files: the public examples of NMRInversions.jl (silicon oil on a 21 MHz TNMR console), copied
 * read-only to .refs/nmrinversions/example_data (git-ignored, never committed):
 *   tecmag_tnt/CPMG_silicon_oil.tnt   5000 echoes × 8-point windows, Echo_Time 200u
 *   tecmag_tnt/IR_silicon_oil.tnt     16 FIDs of 8 points (3 zero), delays in table de0:2 (20 entries, 0.09 ms–30 s)
 *   tecmag_txt/*.txt                  TNMR text exports from older commits of that repository
 * Skipped, with a message, where .refs is absent (CI).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invert, inversionPeaks, type InvertInput } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import type { Acquisition } from '../acquisition';
import { detectAndRead } from '../read';
import { readTecmag } from './readTecmag';

const DIR = fileURLToPath(new URL('../../../../.refs/nmrinversions/example_data', import.meta.url));
const TNT = join(DIR, 'tecmag_tnt');
const TXT = join(DIR, 'tecmag_txt');
const present = existsSync(join(TNT, 'CPMG_silicon_oil.tnt'));
if (!present)
  console.warn(`tecmag real-data tests skipped: ${TNT} not found (copy NMRInversions.jl's example_data there)`);

function mainPeak(acq: Acquisition): { position: number; fraction: number } {
  const input: InvertInput = { axes: acq.axes, data: acq.data };
  const peaks = inversionPeaks(input, invert(input)).peaks;
  const best = peaks.reduce((a, b) => (b.fraction > a.fraction ? b : a));
  return { position: best.position[0]!, fraction: best.fraction };
}

describe.skipIf(!present)('NMRInversions.jl Tecmag examples (silicon oil)', () => {
  it('CPMG: 5000 echoes at k·200 µs, one T2 population of 0.1–1 s', async () => {
    const acq = await detectAndRead(join(TNT, 'CPMG_silicon_oil.tnt'));
    expect(acq.metadata).toMatchObject({
      source: 'tecmag',
      sequence: 'Echo',
      echoTime: 2e-4,
      windowPoints: 8,
      nucleus: 'H1',
      scans: 128,
      acquiredAt: '2025-12-05T13:48:24.000Z',
    });
    expect(acq.experiment).toBe('T2');
    const te = acq.axes[0].values;
    expect(te.length).toBe(5000);
    expect(te[0]).toBeCloseTo(2e-4, 15);
    expect(te[4999]).toBeCloseTo(1, 12);
    expect(acq.data[0]).toBeGreaterThan(0);
    expect(acq.data[4999]! / acq.data[0]!).toBeLessThan(0.02);
    expect(acq.warnings).toEqual([]);
    const peak = mainPeak(acq);
    expect(peak.fraction).toBeGreaterThan(0.9);
    expect(peak.position).toBeGreaterThan(0.1);
    expect(peak.position).toBeLessThan(1);
  });

  it('IR: 16 delays from table de0:2 (0.09 ms – 10 s), measured sign kept, one T1 population of 0.1–1 s', async () => {
    const acq = await readTecmag(join(TNT, 'IR_silicon_oil.tnt'));
    expect(acq.experiment).toBe('T1');
    expect(acq.axes[0].kernel).toBe('T1-IR');
    expect(acq.metadata).toMatchObject({ delayTable: 'de0:2', sequence: 'InvRec_CuSO4_01_20251203' });
    const tau = acq.axes[0].values;
    expect(tau.length).toBe(16);
    expect(tau[0]).toBeCloseTo(9e-5, 15);
    expect(tau[15]).toBeCloseTo(9.99999, 10);
    expect(acq.warnings).toEqual(['delay table de0:2 has 20 entries, the data 16 rows: used the first 16']);
    expect(acq.data[0]).toBeLessThan(0);
    expect(acq.data[15]).toBeGreaterThan(0);
    const peak = mainPeak(acq);
    expect(peak.fraction).toBeGreaterThan(0.9);
    expect(peak.position).toBeGreaterThan(0.1);
    expect(peak.position).toBeLessThan(1);
  });

  it.skipIf(!existsSync(join(TXT, 'CPMG_silicon_oil_20251204.txt')))(
    'the text export of the CPMG gives the same axis and data as the .tnt file',
    async () => {
      const tnt = await readTecmag(join(TNT, 'CPMG_silicon_oil.tnt'));
      const txt = await readTecmag(join(TXT, 'CPMG_silicon_oil_20251204.txt'));
      expect(txt.metadata).toMatchObject({ format: 'tnmr-text', sequence: 'Echo', acquiredAt: '2025-12-05T14:48:24' });
      expect(Array.from(txt.axes[0].values)).toEqual(Array.from(tnt.axes[0].values));
      expect(Array.from(txt.data)).toEqual(Array.from(tnt.data));
      // the IR export carries no delay table: the reader asks for the delays
      await expect(readTecmag(join(TXT, 'InvRec_SiliconOil_01_20251204.txt'))).rejects.toThrow(/--axis1 FILE/);
    },
  );
});
