/**
 * A TopSpin relaxation or diffusion pseudo-2D → one `Acquisition` per signal region (a decay over the varied axis),
 * ready for a 1D inversion each: "peak at 3.35 ppm: D = 2.1e-9 m²/s". The processed spectra travel along for a
 * DOSY-style map (chemical shift × D).
 *
 * ppm axis as spectralReference.ts sets it; the digital filter's delay as groupDelay.ts finds it. Regions: the
 * user's pdata/1/intrng when present, else multiplets found in the spectra. TopSpin's own fits (ct1t2.txt) go to the regions they fall in as `vendorResults`.
 */
import { FormatError, type Acquisition, type Experiment, type VendorValue } from '../acquisition';
import { processPseudo2d, type ProcessPseudo2dOptions, type Pseudo2dResult } from '@lapis/spectra';
import { brukerGroupDelay } from './groupDelay';
import { checkOffset, referenceFrequency } from './spectralReference';
import { readBruker, type BrukerDataset, type ReadBrukerOptions } from './readBruker';
import { userPhase1 } from './procsPhase';

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
  const delay = brukerGroupDelay(acqus);
  if (delay.warning) warnings.push(delay.warning);
  const groupDelay = delay.points;
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
  if (processing.phase0 === undefined && processing.phase1 === undefined) {
    // The user's first-order phase, φ0 automatic: on the bruker-data-test menthol series it brings every integral
    // T1 within 4.2 % of TopSpin's own fits.
    const phase1 = userPhase1(procs, warnings);
    if (phase1 !== undefined) processing.phase1 = phase1;
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
