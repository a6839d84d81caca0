/**
 * bench:spectra's simulated spectra: known lines on a real-shaped 1D spectrum, drawn per seed. Multiplets (singlets to
 * doublets of doublets, J 2–12 Hz) of pseudo-Voigt lines 0.8–3 Hz wide (Lorentzian fraction 0.5–1), line heights
 * log-uniform over 5–1000 × the noise, some lines put half to one width beside another (overlaps), on a baseline
 * with a slope and a broad hump; white noise σ = 1. 16384 points, 0.25 Hz apart, at 400 MHz.
 */
import { createRng, type Rng } from '@lapis/physics';
import type { Spectrum1d } from '@lapis/spectra';

export interface TrueLine {
  /** Point index (fractional) and ppm. */
  x: number;
  ppm: number;
  height: number;
  /** FWHM, points. */
  width: number;
  eta: number;
  /** Distance to the nearest other line, in this line's widths. */
  nearest: number;
}

export interface SimulatedSpectrum {
  spectrum: Spectrum1d;
  truth: TrueLine[];
}

export const POINTS = 16384;
export const HZ_PER_POINT = 0.25;
export const SF = 400;

function lineShape(x: number, l: { x: number; height: number; width: number; eta: number }): number {
  const u = (x - l.x) / l.width;
  return l.height * (l.eta / (1 + 4 * u * u) + (1 - l.eta) * Math.exp(-4 * Math.LN2 * u * u));
}

function multiplet(rng: Rng): number[] {
  const j1 = (2 + 10 * rng.next()) / HZ_PER_POINT;
  const j2 = (2 + 10 * rng.next()) / HZ_PER_POINT;
  const kind = rng.int(0, 3);
  if (kind === 0) return [0];
  if (kind === 1) return [-j1 / 2, j1 / 2];
  if (kind === 2) return [-j1, 0, j1];
  return [-(j1 + j2) / 2, -(j1 - j2) / 2, (j1 - j2) / 2, (j1 + j2) / 2];
}

/** The lines with `nearest`: each one's distance to the nearest other line, in its own widths. */
export function withNearest(lines: Omit<TrueLine, 'nearest'>[]): TrueLine[] {
  return lines.map((l) => ({
    ...l,
    nearest: Math.min(Infinity, ...lines.filter((m) => m !== l).map((m) => Math.abs(m.x - l.x))) / l.width,
  }));
}

export function simulateSpectrum(seed: number): SimulatedSpectrum {
  const rng = createRng(seed);
  const lines: Omit<TrueLine, 'ppm' | 'nearest'>[] = [];
  const centres: number[] = [];
  while (centres.length < 8) {
    const c = 600 + rng.next() * (POINTS - 1200);
    if (centres.some((d) => Math.abs(d - c) < 300)) continue;
    centres.push(c);
    const width = (0.8 + 2.2 * rng.next()) / HZ_PER_POINT;
    const eta = 0.5 + 0.5 * rng.next();
    const height = 5 * 200 ** rng.next();
    const offsets = multiplet(rng);
    const weights = offsets.length === 3 ? [1, 2, 1] : offsets.map(() => 1);
    offsets.forEach((o, k) => lines.push({ x: c + o, height: height * weights[k]!, width, eta }));
    // an overlapped partner: half to one width beside the first line, a third to the same height
    if (rng.next() < 0.5) {
      const partner = lines[lines.length - offsets.length]!;
      const side = rng.next() < 0.5 ? -1 : 1;
      lines.push({
        ...partner,
        x: partner.x + side * (0.5 + 0.5 * rng.next()) * width,
        height: height * (0.33 + 0.67 * rng.next()),
      });
    }
  }
  const y = new Float64Array(POINTS);
  const hump = { x: rng.next() * POINTS, h: 3 * rng.next(), w: 800 };
  for (let i = 0; i < POINTS; i++) {
    let v = 0.5 * (i / POINTS - 0.5) + hump.h * Math.exp(-(((i - hump.x) / hump.w) ** 2)) + rng.normal();
    for (const l of lines) if (Math.abs(i - l.x) < 60 * l.width) v += lineShape(i, l);
    y[i] = v;
  }
  const ppm = Float64Array.from({ length: POINTS }, (_, i) => 10 - (i * HZ_PER_POINT) / SF);
  const truth = withNearest(lines.map((l) => ({ ...l, ppm: 10 - (l.x * HZ_PER_POINT) / SF })));
  return {
    spectrum: {
      ppm,
      real: y,
      hzPerPoint: HZ_PER_POINT,
      sf: SF,
      noise: 0,
      phase0: 0,
      phase1: 0,
      lineBroadening: 0,
      truncation: 0,
      warnings: [],
    },
    truth: truth.sort((a, b) => a.x - b.x),
  };
}
