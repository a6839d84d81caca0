import { describe, expect, it } from 'vitest';
import { LAPIS_SPECTRUM_FORMAT, spectrumDocumentSchema } from './spectrum';

const valid = () => ({
  format: LAPIS_SPECTRUM_FORMAT,
  dimensions: 1,
  axes: [{ name: 'shift', unit: 'ppm', nucleus: '1H', first: 12, last: -2, size: 4, frequencyMHz: 400.13 }],
  spectrum: { real: [0, 1, 5, 1] },
  noise: 0.1,
  peaks: [{ shift: 7.26, height: 5, widthHz: 1.2, integral: 9.4, snr: 50 }],
  processing: {
    lineBroadeningHz: 0.3,
    groupDelayPoints: 67.98,
    groupDelaySource: 'GRPDLY',
    phase0Deg: 12,
    phase1Deg: -3,
    baseline: 'linear + whittaker',
    reference: 'procs SF',
    picker: { method: 'classical', minSnr: 5 },
  },
  source: { path: '/data/1', layout: 'bruker' },
  software: 'lapis 0.1.0',
  elapsedMs: 10,
  warnings: [],
});

describe('lapis-spectrum/1', () => {
  it('parses a document, defaults the step, and keeps fields it does not know', () => {
    const doc = spectrumDocumentSchema.parse({ ...valid(), extra: { by: 'a later producer' } });
    expect(doc.spectrum.step).toBe(1);
    expect((doc as Record<string, unknown>).extra).toEqual({ by: 'a later producer' });
  });

  it('refuses what would mislead a reader: another format, NaN shifts, negative widths, a 2D axis list', () => {
    const cases: [string, (d: ReturnType<typeof valid>) => unknown][] = [
      ['format', (d) => ({ ...d, format: 'lapis-result/1' })],
      ['NaN', (d) => ({ ...d, peaks: [{ ...d.peaks[0], shift: Number.NaN }] })],
      ['width', (d) => ({ ...d, peaks: [{ ...d.peaks[0], widthHz: -1 }] })],
      ['axes', (d) => ({ ...d, axes: [d.axes[0], d.axes[0]] })],
      ['frequency', (d) => ({ ...d, axes: [{ ...d.axes[0], frequencyMHz: 0 }] })],
    ];
    for (const [name, change] of cases)
      expect(spectrumDocumentSchema.safeParse(change(valid())).success, name).toBe(false);
  });
});
