/**
 * A TopSpin relaxation or diffusion pseudo-2D → one `Acquisition` per signal region (a decay over the varied axis),
 * ready for a 1D inversion each: "peak at 3.35 ppm: D = 2.1e-9 m²/s". The processed spectra travel along for a
 * DOSY-style map (chemical shift × D).
 *
 * ppm axis: ppm = ((SFO1 − SF)·10⁶ + f)/SF with SF from pdata/1/procs. Without procs (raw data copied off the
 * spectrometer, never processed) TopSpin takes SR = 0, i.e. SF = BF1 (TopSpin's `sref` reference: SR = SF − BF1;
 * nmrglue's bruker.guess_udic likewise puts the carrier at O1 = (SFO1 − BF1)·10⁶ Hz when procs is absent), so the
 * axis comes from acqus alone. Regions: the user's pdata/1/intrng when present, else multiplets found in the
 * spectra. TopSpin's own fits (ct1t2.txt) go to the regions they fall in as `vendorResults`.
 */
import { FormatError, type Acquisition, type Experiment, type VendorValue } from '../acquisition';
import { processPseudo2d, type ProcessPseudo2dOptions, type Pseudo2dResult } from '../pseudo2d/processPseudo2d';
import type { BrukerParameters } from './parameters';
import { readBruker, type BrukerDataset, type ReadBrukerOptions } from './readBruker';

export interface ReadBrukerPseudo2dOptions extends ReadBrukerOptions {
  processing?: ProcessPseudo2dOptions;
  /** Integrate TopSpin's pdata/1/intrng regions when present (default true); false: automatic regions. */
  useIntegralRegions?: boolean;
}

export interface BrukerPseudo2d {
  dataset: BrukerDataset;
  processed: Pseudo2dResult;
  /** One per region, in region order (highest ppm first); metadata.region holds its ppm range. */
  acquisitions: Acquisition[];
  /** TopSpin's own fits found in pdata/1 (ct1t2.txt or dt1t2.txt), each also on the region it falls in. */
  vendorResults: VendorValue[];
  warnings: string[];
}

/** Reference frequency SF in MHz and where it came from. */
function referenceFrequency(
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
function checkOffset(procs: BrukerParameters, sfo1: number, sf: number, sw: number, warnings: string[]): void {
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

export async function readBrukerPseudo2d(
  dir: string,
  options: ReadBrukerPseudo2dOptions = {},
): Promise<BrukerPseudo2d> {
  const dataset = await readBruker(dir, options);
  const { acqus, procs, axis } = dataset;
  if (dataset.layout.td1 < 2) throw new FormatError(`${dir}/acqu2s`, 'not a pseudo-2D: TD1 < 2 (a 1D fid)');
  if (dataset.axisError) throw dataset.axisError;
  if (!axis)
    throw new FormatError(`${dir}/pulseprogram`, `no relaxation or diffusion axis: ${dataset.warnings.join('; ')}`);
  const sw = acqus.requireNumber('SW_h');
  const sfo1 = acqus.requireNumber('SFO1');
  if (!(sw > 0) || !(sfo1 > 0)) throw new FormatError(acqus.file, `SW_h ${sw} Hz and SFO1 ${sfo1} MHz must be > 0`);
  const { sf, source: sfSource } = referenceFrequency(acqus, procs, sfo1, dataset.warnings);
  if (procs && sfSource === 'procs') checkOffset(procs, sfo1, sf, sw, dataset.warnings);
  const warnings = [...dataset.warnings];
  let groupDelay = acqus.number('GRPDLY');
  if (groupDelay === undefined || groupDelay < 0) {
    const dspfvs = acqus.number('DSPFVS') ?? 0;
    if (dspfvs > 0 && dspfvs < 20)
      warnings.push(`GRPDLY absent (DSPFVS ${dspfvs}): group delay not removed, spectra need a first-order phase`);
    groupDelay = 0;
  }
  const processing: ProcessPseudo2dOptions = { ...options.processing };
  if (processing.positiveRow === undefined && (axis.kernel === 'T1-IR' || axis.kernel === 'T1-SR')) {
    // Recovery curves end positive: the longest delay fixes the overall sign.
    let longest = 0;
    for (let i = 1; i < dataset.data.rows; i++) if (axis.values[i]! > axis.values[longest]!) longest = i;
    processing.positiveRow = longest;
  }
  if (processing.lineBroadening === undefined) {
    const lb = procs?.number('LB');
    if (lb !== undefined && lb >= 0) processing.lineBroadening = lb;
  }
  const phc1 = procs?.number('PHC1');
  if (processing.phase0 === undefined && processing.phase1 === undefined && phc1 !== undefined && phc1 !== 0) {
    // The user's first-order phase (degrees across the width); φ0 stays automatic. The sign matches ours: on the
    // bruker-data-test menthol series it brings every integral T1 within 4.2 % of TopSpin's own fits.
    if (Number.isFinite(phc1) && Math.abs(phc1) <= 3600) processing.phase1 = (phc1 * Math.PI) / 180;
    else warnings.push(`procs PHC1 ${phc1} ignored: not a phase`);
  }
  if (axis.kernel === 'T2' && processing.regions?.maxProfileDistance === undefined) {
    // CPMG echoes J-modulate a multiplet's lines differently: their row profiles say nothing about grouping.
    processing.regions = { ...processing.regions, maxProfileDistance: Infinity };
  }
  const intrng = dataset.integralRegions;
  const useIntrng =
    (options.useIntegralRegions ?? true) && processing.integrationRegions === undefined && intrng && intrng.length > 0;
  if (useIntrng) processing.integrationRegions = intrng;
  let processed: Pseudo2dResult;
  try {
    processed = processPseudo2d(dataset.data, { sw, sfo1, sf, groupDelay }, processing);
  } catch (cause) {
    // Misuse errors from the processing mean the parameters on disk were impossible: report them as the file's.
    if (!(cause instanceof RangeError)) throw cause;
    throw new FormatError(acqus.file, `cannot process: ${cause.message}`, { cause });
  }
  warnings.push(...processed.warnings);
  const regionSource = useIntrng && processed.regionSource === 'given' ? 'intrng' : 'automatic';
  const rows = dataset.data.rows;
  const values = axis.values.length === rows ? axis.values : axis.values.slice(0, rows);
  const experiment: Experiment = axis.kernel === 'T2' ? 'T2' : axis.kernel === 'D' ? 'D' : 'T1';
  const vendorResults = dataset.vendorResults ?? [];
  const acquisitions = processed.regions.map((region): Acquisition => {
    const acq: Acquisition = {
      experiment,
      axes: [{ kernel: axis.kernel, values: Float64Array.from(values), unit: axis.unit }],
      data: Float64Array.from(region.integrals),
      metadata: {
        ...dataset.metadata,
        region: { from: region.from, to: region.to, peak: region.peak, shift: region.shift, unit: 'ppm' },
        regionSource,
        axisSource: axis.source,
        shiftReference: sfSource === 'procs' ? 'procs SF' : `acqus ${sfSource} (no procs SF)`,
      },
      warnings: [...warnings],
    };
    // a fit belongs to the region its shift falls in (half a point of slack for rounding in the file)
    const slack = Math.abs(processed.ppm[0]! - (processed.ppm[1] ?? processed.ppm[0]!)) / 2;
    const inside = vendorResults.filter(
      (v) => v.shift !== undefined && v.shift <= region.from + slack && v.shift >= region.to - slack,
    );
    if (inside.length > 0) acq.vendorResults = inside.map((v) => ({ ...v }));
    return acq;
  });
  return { dataset, processed, acquisitions, vendorResults, warnings };
}
