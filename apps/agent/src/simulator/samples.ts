/**
 * Samples that evolve over simulated days, so the dashboard's trend pages have a story to tell. Each model returns
 * log-normal populations (libs/physics `SimPeak`, SI units) for a given day; fractions are relative and are
 * normalised by `simulate`.
 *
 * - Cheese ripening (low field, T1–T2 and T2): free water is lost to proteolysis and drying while protein-bound
 *   water and the fat's share grow. Positions as reported for semi-hard cheese: water ≈ 320/40 ms,
 *   protein-bound water ≈ 160/4 ms, fat ≈ 100/70 ms (T1/T2); the water T2 shortens a little as the matrix tightens.
 * - Cement paste hydrating (low field, T1–T2 and T2): capillary water is consumed and moves into C-S-H gel pores and
 *   interlayer spaces; the capillary T2 shortens as the pores fill.
 * - Water-in-oil emulsion coarsening (benchtop, D–T2): droplets coalesce, so the water's restricted diffusion
 *   approaches free water and its T2 grows.
 * - Gelatin gel setting (high field, per-line T1, T2, D): the water line's T1, T2 and D fall as the network forms;
 *   a small solute (glycine) slows slightly.
 */
import type { SimPeak } from '@lapis/physics';

/** Smooth approach from `from` (day 0) to `to` with time constant `tau` days. */
export function approach(from: number, to: number, day: number, tau: number): number {
  if (!(tau > 0)) throw new RangeError(`approach: tau must be > 0, got ${tau}`);
  return to + (from - to) * Math.exp(-Math.max(0, day) / tau);
}

export interface LabelledPeak extends SimPeak {
  label: string;
}

/** Cheese, T1–T2 (positions [T1, T2]) or T2 only (positions [T2]). Ripening time constant 30 days. */
export function cheesePopulations(day: number, dims: 1 | 2): LabelledPeak[] {
  const tau = 30;
  const peaks: LabelledPeak[] = [
    {
      label: 'water',
      position: [0.32, approach(0.04, 0.03, day, tau)],
      width: [0.08, 0.08],
      fraction: approach(0.55, 0.33, day, tau),
    },
    {
      label: 'protein-bound water',
      position: [0.16, 0.004],
      width: [0.1, 0.1],
      fraction: approach(0.15, 0.27, day, tau),
    },
    { label: 'fat', position: [0.1, 0.07], width: [0.06, 0.06], fraction: approach(0.3, 0.4, day, tau) },
  ];
  return dims === 2 ? peaks : peaks.map((p) => ({ ...p, position: [p.position[1]!], width: [p.width[1]!] }));
}

/** Cement paste, T1–T2 ([T1, T2]) or T2 ([T2]). Hydration time constant 3 days (the dashboard shows weeks). */
export function cementPopulations(day: number, dims: 1 | 2): LabelledPeak[] {
  const tau = 3;
  const peaks: LabelledPeak[] = [
    { label: 'interlayer', position: [4e-4, 1.1e-4], width: [0.1, 0.1], fraction: approach(0.08, 0.32, day, tau) },
    { label: 'gel pores', position: [1.6e-3, 4.5e-4], width: [0.1, 0.1], fraction: approach(0.17, 0.55, day, tau) },
    {
      label: 'capillary',
      position: [approach(1.5e-2, 6e-3, day, tau), approach(3.5e-3, 1.5e-3, day, tau)],
      width: [0.12, 0.12],
      fraction: approach(0.75, 0.13, day, tau),
    },
  ];
  return dims === 2 ? peaks : peaks.map((p) => ({ ...p, position: [p.position[1]!], width: [p.width[1]!] }));
}

/** Water-in-oil emulsion, D–T2 ([D m²/s, T2 s]). Coarsening time constant 10 days. */
export function emulsionPopulations(day: number): LabelledPeak[] {
  const tau = 10;
  return [
    {
      label: 'water (droplets)',
      position: [approach(4e-10, 1.6e-9, day, tau), approach(0.12, 0.35, day, tau)],
      width: [0.08, 0.1],
      fraction: 0.4,
    },
    { label: 'oil', position: [8e-11, 0.04], width: [0.15, 0.15], fraction: 0.6 },
  ];
}

export interface NmrLine {
  label: string;
  ppm: number;
  /** Relative amplitude. */
  amplitude: number;
  t1: number;
  t2: number;
  /** m²/s. */
  d: number;
}

/** Gelatin gel setting, two resolved lines. Gelation time constant 2 days. */
export function gelLines(day: number): NmrLine[] {
  const tau = 2;
  return [
    {
      label: 'water',
      ppm: 4.7,
      amplitude: 1,
      t1: approach(2.6, 1.4, day, tau),
      t2: approach(0.9, 0.18, day, tau),
      d: approach(2.1e-9, 1.7e-9, day, tau),
    },
    {
      label: 'glycine',
      ppm: 3.55,
      amplitude: 0.35,
      t1: 1.6,
      t2: approach(0.8, 0.5, day, tau),
      d: approach(9.5e-10, 8e-10, day, tau),
    },
  ];
}
