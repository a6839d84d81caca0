/**
 * The ppm axis of a TopSpin spectrum: ppm = ((SFO1 − SF)·10⁶ + f)/SF with SF from pdata/1/procs. Without procs (raw
 * data copied off the spectrometer, never processed) TopSpin takes SR = 0, i.e. SF = BF1 (TopSpin's `sref`
 * reference: SR = SF − BF1; nmrglue's bruker.guess_udic likewise puts the carrier at O1 = (SFO1 − BF1)·10⁶ Hz when
 * procs is absent), so the axis comes from acqus alone.
 */
import type { BrukerParameters } from './parameters';

/** Reference frequency SF in MHz and where it came from. */
export function referenceFrequency(
  acqus: BrukerParameters,
  procs: BrukerParameters | undefined,
  sfo1: number,
  warnings: string[],
): { sf: number; source: 'procs' | 'BF1' | 'O1' | 'SFO1' } {
  const sfRaw = procs?.number('SF');
  if (sfRaw !== undefined && sfRaw > 0) return { sf: sfRaw, source: 'procs' };
  if (sfRaw !== undefined) warnings.push(`procs SF ${sfRaw} ignored: not > 0`);
  const why = procs ? 'pdata/1/procs has no usable SF' : 'no pdata/1/procs';
  const bf1 = acqus.number('BF1');
  if (bf1 !== undefined && bf1 > 0 && Math.abs(sfo1 - bf1) < 0.01 * bf1) {
    warnings.push(`${why}: ppm axis from acqus (SF = BF1 ${bf1} MHz, SR = 0, as TopSpin before referencing)`);
    return { sf: bf1, source: 'BF1' };
  }
  const o1 = acqus.number('O1');
  if (o1 !== undefined && Number.isFinite(o1) && Math.abs(o1) < 0.01 * sfo1 * 1e6) {
    const sf = sfo1 - o1 * 1e-6;
    warnings.push(`${why} and no usable BF1: ppm axis from acqus (SF = SFO1 − O1 = ${sf} MHz, SR = 0)`);
    return { sf, source: 'O1' };
  }
  warnings.push(`${why}, no usable BF1 or O1: 0 ppm put at the transmitter (SF = SFO1)`);
  return { sf: sfo1, source: 'SFO1' };
}

/** procs OFFSET is the ppm of the first point; TopSpin derives it from SF, so a mismatch means edited parameters. */
export function checkOffset(procs: BrukerParameters, sfo1: number, sf: number, sw: number, warnings: string[]): void {
  const offset = procs.number('OFFSET');
  if (offset === undefined) return;
  const stsi = procs.number('STSI') ?? 0;
  const si = procs.number('SI') ?? 0;
  if (stsi > 0 && stsi !== si) return; // a strip transform: OFFSET is the strip's first point
  const expected = ((sfo1 - sf) * 1e6 + sw / 2) / sf;
  if (Math.abs(offset - expected) > Math.max(0.01, (2 * sw) / Math.max(si, 1) / sf)) {
    warnings.push(
      `procs OFFSET ${offset} ppm disagrees with SF ${sf} MHz (which puts the first point at ${expected.toFixed(4)} ppm): SF used`,
    );
  }
}
