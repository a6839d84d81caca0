/**
 * A TopSpin relaxation or diffusion pseudo-2D → one `Acquisition` per signal region (a decay over the varied axis),
 * ready for a 1D inversion each: "peak at 3.35 ppm: D = 2.1e-9 m²/s". The processed spectra travel along for a
 * DOSY-style map (chemical shift × D).
 */
import { FormatError, type Acquisition, type Experiment } from '../acquisition';
import { processPseudo2d, type ProcessPseudo2dOptions, type Pseudo2dResult } from '../pseudo2d/processPseudo2d';
import { readBruker, type BrukerDataset, type ReadBrukerOptions } from './readBruker';

export interface ReadBrukerPseudo2dOptions extends ReadBrukerOptions {
  processing?: ProcessPseudo2dOptions;
}

export interface BrukerPseudo2d {
  dataset: BrukerDataset;
  processed: Pseudo2dResult;
  /** One per region, in region order (highest ppm first); metadata.region holds its ppm range. */
  acquisitions: Acquisition[];
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
  const sfRaw = procs?.number('SF');
  if (sfRaw !== undefined && !(sfRaw > 0)) dataset.warnings.push(`procs SF ${sfRaw} ignored: not > 0`);
  const sf = sfRaw !== undefined && sfRaw > 0 ? sfRaw : undefined;
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
  const spectral = sf === undefined ? { sw, sfo1, groupDelay } : { sw, sfo1, sf, groupDelay };
  let processed: Pseudo2dResult;
  try {
    processed = processPseudo2d(dataset.data, spectral, processing);
  } catch (cause) {
    // Misuse errors from the processing mean the parameters on disk were impossible: report them as the file's.
    if (!(cause instanceof RangeError)) throw cause;
    throw new FormatError(acqus.file, `cannot process: ${cause.message}`, { cause });
  }
  warnings.push(...processed.warnings);
  const rows = dataset.data.rows;
  const values = axis.values.length === rows ? axis.values : axis.values.slice(0, rows);
  const experiment: Experiment = axis.kernel === 'T2' ? 'T2' : axis.kernel === 'D' ? 'D' : 'T1';
  const acquisitions = processed.regions.map((region): Acquisition => ({
    experiment,
    axes: [{ kernel: axis.kernel, values: Float64Array.from(values), unit: axis.unit }],
    data: Float64Array.from(region.integrals),
    metadata: {
      ...dataset.metadata,
      region: { from: region.from, to: region.to, peak: region.peak, unit: 'ppm' },
      axisSource: axis.source,
    },
    warnings: [...warnings],
  }));
  return { dataset, processed, acquisitions, warnings };
}
