import { describe, expect, it } from 'vitest';
import { hsqcDoc, spectrumDoc } from '../test/spectrumFixtures';
import {
  axisRange,
  clampRange,
  formatSigned,
  niceTicks,
  panBy,
  shiftDecimals,
  spreadLabels,
  zoomAbout,
} from './spectrumAxis';
import { spectrumContours } from './spectrumContours';
import { nucleusLabel, nucleusOf, ppmOfValue, spectrum1dOf, spectrum2dOf, valueAtPpm } from './spectrumDocument';
import { spectrumThumbnailOf } from './spectrumThumbnail';

describe('spectrum axis', () => {
  it('ticks at round ppm with the decimals they need', () => {
    expect(niceTicks(-0.5, 10, 8)).toEqual({ values: [0, 2, 4, 6, 8, 10], step: 2, decimals: 0 });
    const fine = niceTicks(4.08, 4.17, 6);
    expect(fine.step).toBeCloseTo(0.02, 12);
    expect(fine.decimals).toBe(2);
    expect(fine.values).toEqual([4.08, 4.1, 4.12, 4.14, 4.16]);
    expect(niceTicks(1, 1).values).toEqual([]);
    expect([axisRange({ first: 10, last: -0.5 }), axisRange({ first: 0, last: 80 })]).toEqual([
      { lo: -0.5, hi: 10 },
      { lo: 0, hi: 80 },
    ]);
    expect(shiftDecimals({ lo: 4, hi: 4.5 })).toBe(3);
    expect(shiftDecimals({ lo: 0, hi: 10 })).toBe(2);
    expect([formatSigned(-0.5, 2), formatSigned(-0.0001, 2), formatSigned(7.26, 1), formatSigned(-81.63, 1)]).toEqual([
      '\u22120.50',
      '0.00',
      '7.3',
      '\u221281.6',
    ]);
  });

  it('zooms about a point and pans, inside the spectrum and no narrower than the least span', () => {
    const full = { lo: -0.5, hi: 10 };
    const z = zoomAbout(full, 4, 0.1, full, 0.01);
    expect(z.hi - z.lo).toBeCloseTo(1.05, 12);
    // the point under the cursor stays where it was (same share of the width)
    expect((4 - z.lo) / (z.hi - z.lo)).toBeCloseTo((4 - full.lo) / (full.hi - full.lo), 12);
    expect(zoomAbout(z, 4, 1e-9, full, 0.01).hi - zoomAbout(z, 4, 1e-9, full, 0.01).lo).toBeCloseTo(0.01, 12);
    expect(zoomAbout(z, 4, 1e6, full, 0.01)).toEqual(full);
    expect(panBy({ lo: 9, hi: 9.5 }, 2, full)).toEqual({ lo: 9.5, hi: 10 });
    expect(panBy({ lo: 0, hi: 1 }, -3, full)).toEqual({ lo: -0.5, hi: 0.5 });
    expect(clampRange({ lo: -5, hi: 50 }, full)).toEqual(full);
  });

  it('spreads crowded labels apart, each as near its mark as it can be', () => {
    expect(spreadLabels([10, 100, 200], 12, 0, 300)).toEqual([10, 100, 200]);
    const quartet = spreadLabels([100, 101, 102, 103], 12, 0, 300)!;
    expect(quartet).toEqual([83.5, 95.5, 107.5, 119.5]); // centred on the marks' mean, 101.5
    for (let k = 1; k < quartet.length; k++) expect(quartet[k]! - quartet[k - 1]!).toBeCloseTo(12, 9);
    expect(spreadLabels([0, 1], 12, 0, 300)).toEqual([0, 12]); // pushed off the edge
    expect(spreadLabels([1, 2, 3], 200, 0, 300)).toBeUndefined();
  });
});

describe('spectrum documents', () => {
  it('maps values to ppm, reduced (min–max pairs, step points each) or not', () => {
    const doc = spectrumDoc({ points: 16384, values: 4096 });
    const s = spectrum1dOf(doc)!;
    expect(s.real).toHaveLength(4096);
    expect(s.step).toBe(4);
    expect(s.reducedFrom).toBe(16384);
    expect(ppmOfValue(s, 0)).toBe(10);
    expect(ppmOfValue(s, 4096)).toBeCloseTo(-0.5, 2);
    expect(valueAtPpm(s, ppmOfValue(s, 1234.5))).toBeCloseTo(1234.5, 9);
    // the tallest value sits at the CH3 singlet, 2.045 ppm
    const top = s.real.indexOf(Math.max(...s.real));
    expect(ppmOfValue(s, top)).toBeCloseTo(2.045, 2);
    expect(spectrum1dOf({ ...doc, dimensions: 2 })).toBeNull();
    expect(spectrum1dOf({ axes: 'x' })).toBeNull();
  });

  it('makes a sparkline of 80 min–max buckets, or the peaks of a 2D spectrum as points', () => {
    const t = spectrumThumbnailOf(spectrumDoc());
    expect(t?.kind).toBe('spectrum');
    if (t?.kind === 'spectrum') {
      expect(t.values).toHaveLength(160);
      expect(Math.min(...t.values)).toBe(0);
      expect(Math.max(...t.values)).toBe(100);
    }
    const hsqc = {
      dimensions: 2,
      axes: [
        { nucleus: '13C', first: 160, last: 0, size: 256 },
        { nucleus: '1H', first: 10, last: 0, size: 1024 },
      ],
      peaks: [
        { shift1: 80, shift2: 5, height: 1 },
        { shift1: 999, shift2: 5, height: 1 },
      ],
    };
    expect(spectrumThumbnailOf(hsqc)).toEqual({
      kind: 'peaks2d',
      points: [[50, 50]],
      axes: [
        { nucleus: '13C', from: 160, to: 0 },
        { nucleus: '1H', from: 10, to: 0 },
      ],
    });
    expect(spectrumThumbnailOf(null)).toBeNull();
  });
});

describe('2D spectra', () => {
  it('reads the matrix and traces positive and negative contours around each cross peak', () => {
    const doc = hsqcDoc();
    expect(nucleusOf(doc)).toBe('13C/1H');
    expect(nucleusLabel(nucleusOf(doc))).toBe('¹³C/¹H');
    const s = spectrum2dOf(doc)!;
    expect([s.rows, s.columns, s.real.length, s.magnitude]).toEqual([128, 256, 128 * 256, false]);
    expect(spectrum2dOf({ ...doc, spectrum: { ...doc.spectrum, real: [1, 2, 3] } })).toBeNull();
    expect(spectrum1dOf(doc)).toBeNull();
    const rings = spectrumContours(s, doc.noise);
    const around = (sign: 1 | -1, f2: number, f1: number) =>
      rings.filter((r) => r.sign === sign && r.points.every(([x, y]) => Math.abs(x - f2) < 0.3 && Math.abs(y - f1) < 4))
        .length;
    // the CH₂ (60.5 / 4.12) negative, the two CH₃ positive, nothing elsewhere
    expect(around(-1, 4.12, 60.5)).toBeGreaterThan(3);
    expect(around(1, 2.045, 21.0)).toBeGreaterThan(3);
    expect(around(1, 1.26, 14.2)).toBeGreaterThan(3);
    expect(around(1, 4.12, 60.5)).toBe(0);
    expect(rings.every((r) => r.points.length > 3)).toBe(true);
    // magnitude data: positive levels only
    expect(spectrumContours({ ...s, magnitude: true }, doc.noise).some((r) => r.sign === -1)).toBe(false);
  });
});
