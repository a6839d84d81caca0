import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brukerGroupDelay } from './groupDelay';
import { readBrukerSpectrum } from './readBrukerSpectrum';
import { simulatePseudo2d } from './simulatePseudo2d';
import { writeBrukerDataset } from './writeBruker';
import { parseJcamp } from './jcamp';
import { BrukerParameters } from './parameters';
import { parsePeakList } from './peakList';
import { buildJcamp, writeJcamp } from './writeJcamp';

const params = (values: Record<string, number>) =>
  new BrukerParameters('acqus', parseJcamp(writeJcamp(buildJcamp('t', values)), { file: 'acqus' }));

describe('digital filter group delay', () => {
  it('takes GRPDLY when written, the DSPFVS table otherwise, and says when it cannot', () => {
    expect(brukerGroupDelay(params({ GRPDLY: 67.98, DSPFVS: 20, DECIM: 2080 }))).toEqual({
      points: 67.98,
      source: 'GRPDLY',
    });
    expect(brukerGroupDelay(params({ DSPFVS: 10, DECIM: 24 }))).toMatchObject({
      points: 61.0208,
      source: 'DSPFVS table',
    });
    expect(brukerGroupDelay(params({ DSPFVS: 12, DECIM: 8 }))).toMatchObject({ points: 53.25 });
    expect(brukerGroupDelay(params({ DSPFVS: 13, DECIM: 2 })).points).toBeCloseTo(2.75, 6);
    expect(brukerGroupDelay(params({ DSPFVS: 0, DECIM: 1 }))).toEqual({ points: 0, source: 'analog' });
    const unknown = brukerGroupDelay(params({ DSPFVS: 14, DECIM: 24 }));
    expect(unknown.source).toBe('unknown');
    expect(unknown.warning).toMatch(/DSPFVS 14, DECIM 24/);
  });
});

describe('a FID without GRPDLY or DSPFVS', () => {
  for (const [delay, warned] of [
    [0, false],
    [67.98, true],
  ] as const) {
    it(`is taken as analog, with a warning only when it rises like a filtered one (delay ${delay})`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'lapis-analog-'));
      try {
        const sf = 400.13;
        const fid = simulatePseudo2d({
          ...{ points: 4096, sw: 6000, sfo1: sf + 1900e-6, sf, groupDelay: delay, noise: 5, seed: 3 },
          lines: [1.2, 3.7, 7.26].map((ppm) => ({ ppm, amplitudes: [1000], t2star: 0.3 })),
        });
        const acqus = { PULPROG: 'zg30', NUC1: '1H', SW_h: 6000, SFO1: sf + 1900e-6, BF1: sf, O1: 1900 };
        await writeBrukerDataset(join(root, '1'), { acqus, data: fid, dataFile: 'fid' });
        const read = await readBrukerSpectrum(join(root, '1'));
        expect(read.groupDelaySource).toBe('analog');
        const warning = read.warnings.find((w) => /looks digitally filtered/.test(w));
        expect(Boolean(warning)).toBe(warned);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }
});

describe('TopSpin peak list', () => {
  it('reads 1D and 2D entries with attributes in any order, skipping the ones without a shift', () => {
    const warnings: string[] = [];
    const peaks = parsePeakList(
      `<PeakList><PeakList1D><Peak1D F1="7.2600" intensity="10.5" type="0" annotation="CDCl3"/>
       <Peak1D intensity="3" F1="1.25"/><Peak1D F1="x"/></PeakList1D>
       <PeakList2D><Peak2D F1="120.5" F2="7.26" intensity="1e3"/></PeakList2D></PeakList>`,
      'peaklist.xml',
      warnings,
    );
    expect(peaks).toEqual([
      { shift: 7.26, intensity: 10.5, annotation: 'CDCl3' },
      { shift: 1.25, intensity: 3 },
      { shift: 7.26, shift1: 120.5, intensity: 1000 },
    ]);
    expect(warnings).toEqual(['peaklist.xml: 1 peak entries without a numeric shift skipped']);
  });
});
