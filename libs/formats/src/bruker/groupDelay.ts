/**
 * The digital filter's group delay of a TopSpin FID, in points: the delay the oversampling filter puts before the
 * signal, removed as a linear phase after the Fourier transform. Recent firmware writes it as GRPDLY (DSPFVS ≥ 20);
 * older data (DSPFVS 10–13) give only the filter version and the decimation DECIM, whose delays were published by
 * W. M. Westler and F. Abildgaard, "DMX digital filters and non-Bruker offline processing III" (NMRFAM, 1996).
 */
import type { BrukerParameters } from './parameters';

/** Delay in points by DECIM, for DSPFVS 10, 11 and 12 (the published table; 11 and 12 differ at DECIM 16–64). */
const DECIMATIONS = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];
const DELAYS: Record<number, readonly number[]> = {
  10: [
    44.75, 33.5, 66.625, 59.0833, 68.5625, 60.375, 69.5313, 61.0208, 70.0156, 61.3438, 70.2578, 61.5052, 70.3789,
    61.5859, 70.4395, 61.6263, 70.4697, 61.6465, 70.4849, 61.6566, 70.4924,
  ],
  11: [
    46, 36.5, 48, 50.1667, 53.25, 69.5, 72.25, 70.1667, 72.75, 70.5, 73, 70.6667, 72.5, 71.3333, 72.25, 71.6667, 72.125,
    71.8333, 72.0625, 71.9167, 72.0313,
  ],
  12: [
    46, 36.5, 48, 50.1667, 53.25, 69.5, 71.625, 70.1667, 72.125, 70.5, 72.375, 70.6667, 72.5, 71.3333, 72.25, 71.6667,
    72.125, 71.8333, 72.0625, 71.9167, 72.0313,
  ],
};

export interface GroupDelay {
  /** Points (fractional); 0 when there is none to remove or it is unknown. */
  points: number;
  source: 'GRPDLY' | 'DSPFVS table' | 'analog' | 'unknown';
  /** Why it is unknown, for the reader's warnings. */
  warning?: string;
}

export function brukerGroupDelay(acqus: BrukerParameters): GroupDelay {
  const grpdly = acqus.number('GRPDLY');
  if (grpdly !== undefined && grpdly >= 0 && Number.isFinite(grpdly)) return { points: grpdly, source: 'GRPDLY' };
  const dspfvs = acqus.number('DSPFVS');
  const decim = acqus.number('DECIM');
  // DSPFVS 0 or absent, or DECIM 1: an analog receiver or no decimation, no filter delay.
  if (dspfvs === undefined || dspfvs <= 0 || decim === undefined || decim <= 1) return { points: 0, source: 'analog' };
  if (dspfvs === 13) {
    // DSPFVS 13 filters delay by just under 3 points, approaching 3 as DECIM grows (published: 2.75 at DECIM 2).
    const k = DECIMATIONS.indexOf(decim);
    if (k >= 0) return { points: 3 - 0.5 / decim, source: 'DSPFVS table' };
  }
  const row = DELAYS[dspfvs];
  const k = DECIMATIONS.indexOf(decim);
  if (row && k >= 0) return { points: row[k]!, source: 'DSPFVS table' };
  return {
    points: 0,
    source: 'unknown',
    warning: `no group delay for DSPFVS ${dspfvs}, DECIM ${decim} (no GRPDLY): not removed, the spectrum needs a first-order phase`,
  };
}
