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

  it('refuses what would mislead a reader: another format, NaN shifts, negative widths, two axes for one dimension', () => {
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

  it('reads a 1D document reduced for transport (min-max buckets), as before 2D existed', () => {
    const d = valid();
    const doc = spectrumDocumentSchema.parse({
      ...d,
      spectrum: { real: [0, 5], step: 2, reduction: { method: 'min-max', from: 4 } },
    });
    expect(doc.dimensions).toBe(1);
    if (doc.dimensions === 1) expect(doc.spectrum.reduction).toEqual({ method: 'min-max', from: 4 });
  });
});

/** A 2D document: 3 × 4 points, F1 ¹³C and F2 ¹H, one negative peak (an edited HSQC's CH₂). */
const valid2d = () => ({
  format: LAPIS_SPECTRUM_FORMAT,
  dimensions: 2,
  axes: [
    { name: 'shift', unit: 'ppm', nucleus: '13C', first: 150, last: -10, size: 3, frequencyMHz: 125.76 },
    { name: 'shift', unit: 'ppm', nucleus: '1H', first: 10, last: -1, size: 4, frequencyMHz: 500.13 },
  ],
  spectrum: { rows: 3, columns: 4, real: [0, 1, 0, 0, 0, 9, -4, 0, 0, 1, 0, 0] },
  noise: 0.2,
  peaks: [
    { shift1: 70, shift2: 6.3, height: 9, widthHz: 14, widthHz1: 80, integral: 1.2e4, snr: 45 },
    { shift1: 70, shift2: 2.7, height: -4, widthHz: 20, widthHz1: 82, integral: -7e3, snr: 20 },
  ],
  processing: {
    mode: 'Echo-Antiecho',
    magnitude: false,
    groupDelayPoints: 67.98,
    groupDelaySource: 'GRPDLY',
    f2: { window: 'QSINE SSB 2', phase0Deg: 31.1, phase1Deg: -1.4, phaseSource: 'automatic', reference: 'procs SF' },
    f1: {
      window: 'QSINE SSB 2',
      phase0Deg: 0.5,
      phase1Deg: 10.8,
      phaseSource: 'automatic',
      reference: 'proc2s SF',
      linearPrediction: { from: 128, to: 256, order: 32 },
    },
    baseline: 'row and column medians',
    picker: { method: 'local maxima', minSnr: 8 },
  },
  source: { path: '/data/3', layout: 'bruker', pulseProgram: 'hsqcedetgpsp.3' },
  software: 'lapis 0.1.0',
  elapsedMs: 1900,
  warnings: [],
});

describe('lapis-spectrum/1, 2D', () => {
  it('parses a 2D document, defaults the step to [1, 1], keeps unknown fields, and narrows on dimensions', () => {
    const doc = spectrumDocumentSchema.parse({ ...valid2d(), extra: 1, peaks: [{ ...valid2d().peaks[0], more: 'x' }] });
    expect(doc.dimensions).toBe(2);
    if (doc.dimensions !== 2) return;
    expect(doc.spectrum.step).toEqual([1, 1]);
    expect(doc.peaks[0]).toMatchObject({ shift1: 70, shift2: 6.3, widthHz1: 80, more: 'x' });
    expect((doc as Record<string, unknown>).extra).toBe(1);
    // reduced for transport: 2 × 2 blocks of the 3 × 4 spectrum
    const reduced = { ...valid2d().spectrum, rows: 2, columns: 2, real: [1, -4, 1, 0], step: [2, 2] };
    const fromTransport = { ...valid2d(), spectrum: { ...reduced, reduction: { method: 'max-abs', from: [3, 4] } } };
    expect(spectrumDocumentSchema.safeParse(fromTransport).success).toBe(true);
  });

  it('refuses a 2D document whose values, sizes, axes or peaks do not fit together', () => {
    const cases: [string, (d: ReturnType<typeof valid2d>) => unknown][] = [
      ['values', (d) => ({ ...d, spectrum: { ...d.spectrum, real: d.spectrum.real.slice(1) } })],
      ['rows vs axis', (d) => ({ ...d, spectrum: { ...d.spectrum, rows: 4, columns: 3 } })],
      ['one axis', (d) => ({ ...d, axes: [d.axes[0]] })],
      ['no shift1', (d) => ({ ...d, peaks: [{ ...d.peaks[0], shift1: undefined }] })],
      ['no F1 width', (d) => ({ ...d, peaks: [{ ...d.peaks[0], widthHz1: undefined }] })],
      ['NaN value', (d) => ({ ...d, spectrum: { ...d.spectrum, real: d.spectrum.real.map(() => Number.NaN) } })],
      [
        'reduction method',
        (d) => ({ ...d, spectrum: { ...d.spectrum, reduction: { method: 'min-max', from: [3, 4] } } }),
      ],
      ['no mode', (d) => ({ ...d, processing: { ...d.processing, mode: undefined } })],
      ['1D shape', (d) => ({ ...d, dimensions: 1 })],
    ];
    for (const [name, change] of cases)
      expect(spectrumDocumentSchema.safeParse(change(valid2d())).success, name).toBe(false);
  });
});
