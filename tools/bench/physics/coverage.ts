/**
 * How often the reported uncertainty covers the truth (bench:physics and bench:dl): for every true peak matched to a
 * found one, per axis, is the position error within 1× and 2× the combined uncertainty √(spread² + bias²), and within
 * 2× the spread alone? Axes without a finite uncertainty (a peak found in fewer than 2 draws) are not counted.
 */
import type { Peak, PeakScore, PeakUncertainty, SimPeak } from '@lapis/physics';

export interface Coverage {
  within1Sd: number;
  within2Sd: number;
  within2SdOnly: number;
  sdChecked: number;
}

export function coverage(
  truth: readonly SimPeak[],
  score: PeakScore,
  found: readonly Peak[],
  uncertainty: readonly (PeakUncertainty | undefined)[],
): Coverage {
  const out: Coverage = { within1Sd: 0, within2Sd: 0, within2SdOnly: 0, sdChecked: 0 };
  score.perTruth.forEach((t, i) => {
    if (t.found === null) return;
    const u = uncertainty[t.found];
    if (!u) return; // a population of a split peak: no bootstrap figure
    found[t.found]!.position.forEach((v, d) => {
      const spread = u.positionSdDecades[d]!;
      const total = Math.hypot(spread, u.positionBiasDecades[d]!);
      if (!Number.isFinite(total)) return;
      const err = Math.abs(Math.log10(v / truth[i]!.position[d]!));
      out.sdChecked++;
      if (err <= total) out.within1Sd++;
      if (err <= 2 * total) out.within2Sd++;
      if (err <= 2 * spread) out.within2SdOnly++;
    });
  });
  return out;
}
