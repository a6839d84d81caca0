/**
 * A high-field TopSpin pseudo-2D (relaxation or diffusion series, one FID per delay/gradient), as analysePath hands
 * it on: process the spectra, integrate every signal region, invert each region's decay in 1D on ONE output grid
 * shared by all regions, and build one lapis-result/1 document over chemical shift × T1/T2/D ("3.35 ppm: D =
 * 2.1e-9 m²/s").
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { detectBrukerExperiment, FormatError, readBrukerParameters, readBrukerPseudo2d } from '@lapis/formats';
import type { Acquisition } from '@lapis/formats';
import type { InvertOptions } from '@lapis/physics';
import type { ResultProvenance } from '@lapis/contracts';
import { hashFiles } from '../result/hashFiles';
import { spectrumRows } from '../result/spectrumRows';
import { toPseudo2dResultDocument, type RegionInversion } from '../result/toPseudo2dResultDocument';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';
import { loadAnalysisDeps } from './deps';
import { AnalysisInputError } from './errors';
import { settingsOf, type AnalysePathOptions, type PathAnalysis } from './options';

/** The experiment folder of a path that names it or one of its acqus/acqu2s/fid/ser files. */
export function brukerFolderOf(path: string): string {
  return ['acqus', 'acqu2s', 'ser', 'fid'].includes(basename(path)) ? dirname(path) : path;
}

interface RegionOf {
  from: number;
  to: number;
  peak: number;
}

const regionOf = (acq: Acquisition): RegionOf => acq.metadata.region as RegionOf;

/** Files whose bytes the result's rawDataHash covers: parameters, lists and the data, those that exist. */
async function inputFiles(dir: string, dataFile: string): Promise<string[]> {
  const candidates = ['acqus', 'acqu2s', dataFile, 'vdlist', 'vclist', 'difflist', 'pulseprogram'].map((f) =>
    join(dir, f),
  );
  const present = await Promise.all(
    candidates.map((f) =>
      access(f).then(
        () => true,
        () => false,
      ),
    ),
  );
  return candidates.filter((_, i) => present[i]);
}

/** The agent's experiment names for TopSpin's pulse-program kinds (the rules are written per experiment). */
const BRUKER_EXPERIMENT: Record<string, string> = {
  'T1-IR': 'T1',
  'T1-SR': 'T1',
  T2: 'T2',
  D: 'D',
  'IR-CPMG': 'T1-T2',
};

/** The experiment a TopSpin folder runs, from its pulse program alone (before the series is read). */
async function experimentOf(dir: string): Promise<string> {
  const acqus = await readBrukerParameters(join(dir, 'acqus'));
  const kind = detectBrukerExperiment(acqus.string('PULPROG')).kind;
  return BRUKER_EXPERIMENT[kind] ?? kind;
}

export async function analysePseudo2d(path: string, options: AnalysePathOptions): Promise<PathAnalysis> {
  if (options.read?.kernel1 !== undefined || options.read?.unit1 !== undefined)
    throw new AnalysisInputError(
      '--kernel1/--unit1 do not apply to a TopSpin folder: its pulse program and lists give the axis',
    );
  const dir = brukerFolderOf(path);
  const settings = await settingsOf(options, () => experimentOf(dir));
  if (settings.ranges?.[1])
    throw new AnalysisInputError(`--range2 given, but each region of ${path} is inverted in 1D`);
  const deps = await loadAnalysisDeps(options.deps);
  const read = await readBrukerPseudo2d(dir, { processing: { keepSpectra: true } });
  if (read.acquisitions.length === 0)
    throw new FormatError(join(dir, read.dataset.layout.file), 'no signal region found in the spectra');
  // The document carries the first and last spectrum, downsampled; the rows × size doubles are let go at once.
  const { spectra } = read.processed;
  const spectrum = spectra
    ? spectrumRows({ ...read.processed, spectra }, read.acquisitions[0]!.axes[0].values)
    : undefined;
  delete read.processed.spectra;
  options.onAxes?.([read.acquisitions[0]!.axes[0].kernel]);
  let chosen = read.acquisitions;
  if (options.region) {
    const [lo, hi] = options.region;
    chosen = chosen.filter((a) => regionOf(a).peak >= lo && regionOf(a).peak <= hi);
    if (chosen.length === 0) {
      const found = read.acquisitions.map((a) => regionOf(a).peak.toFixed(3)).join(', ');
      throw new AnalysisInputError(`--region ${lo}:${hi}: no region peaks there (regions found at ${found} ppm)`);
    }
  }

  // The networks are 2D-map models: a pseudo-2D's regions are inverted classically (`lapis invert` refuses dl first).
  const base: InvertOptions = {
    method: settings.method === 'dl' ? 'auto' : settings.method,
    ...(settings.grid !== undefined ? { grid: settings.grid } : {}),
    ...(settings.sigma !== undefined ? { sigma: settings.sigma } : {}),
  };
  // Every region shares the axis values; the first inversion fixes the grid (the user's --range1 or the automatic
  // one) and the others are told its ends, so every row of the map lies on the same grid by construction.
  let range: [number, number] | undefined = settings.ranges?.[0];
  let points: number | undefined;
  const regions: RegionInversion[] = [];
  const skipped: string[] = [];
  for (const acq of chosen) {
    const where = regionOf(acq);
    let inversion;
    try {
      inversion = deps.invert(
        { axes: acq.axes, data: acq.data },
        { ...base, ranges: [range], ...(points === undefined ? {} : { grid: points }) },
      );
    } catch (error) {
      // A region whose decay no distribution explains (a dispersive wing of a strong neighbour, a baseline
      // artefact) is left out when there are others, and said; alone, it is the answer. physics refuses most such
      // fits itself (by name: physics is loaded lazily, after the input is read); the residual check below catches
      // the rest (data too noisy for that test).
      if (error instanceof RangeError && error.name === 'UnexplainedDataError' && chosen.length > 1) {
        skipped.push(`${where.from.toFixed(2)}–${where.to.toFixed(2)} ppm`);
        continue;
      }
      if (error instanceof RangeError)
        throw new AnalysisInputError(
          `${path}: cannot invert the region at ${where.peak.toFixed(3)} ppm: ${error.message}`,
          {
            cause: error,
          },
        );
      throw error;
    }
    const grid = inversion.axes[0]!.values;
    range ??= [grid[0]!, grid[grid.length - 1]!];
    points ??= grid.length; // the first region's grid may have been extended past its slow edge, with more points
    if (inversion.solver.relativeResidual > 0.9 && chosen.length > 1) {
      skipped.push(`${where.from.toFixed(2)}–${where.to.toFixed(2)} ppm`);
      continue;
    }
    const listed = deps.inversionPeaks({ axes: acq.axes, data: acq.data }, inversion);
    // Each region's peaks ± their bootstrap uncertainty: the solver's default draws (UPEN, Tikhonov: ~2 ms for 16
    // draws of a 1D decay) or as many as were asked for; only populations the draws reproduce are listed.
    const maps = listed.peaks.length
      ? deps.replicateDistributions({ axes: acq.axes, data: acq.data }, inversion, {
          ...(settings.uncertainty === undefined ? {} : { count: settings.uncertainty }),
          seed: 1,
        })
      : [];
    const confirmed = maps.length
      ? deps.confirmInversionPeaks({ axes: acq.axes, data: acq.data }, inversion, listed, maps)
      : undefined;
    const peaks = confirmed
      ? { ...listed, peaks: confirmed.peaks, warnings: [...listed.warnings, ...confirmed.notes] }
      : listed;
    const uncertainty = confirmed?.uncertainty;
    const sigma = inversion.solver.sigma;
    const diagnostics =
      sigma > 0 && Number.isFinite(sigma)
        ? deps.residualDiagnostics(acq.data, inversion.solver.fitted, sigma, [acq.data.length])
        : undefined;
    regions.push({
      from: where.from,
      to: where.to,
      peak: where.peak,
      data: acq.data,
      axis: acq.axes[0],
      inversion,
      peaks,
      ...(uncertainty ? { uncertainty } : {}),
      ...(diagnostics ? { diagnostics } : {}),
    });
  }

  const files = await inputFiles(dir, read.dataset.layout.file);
  const provenance: ResultProvenance = {
    software: LAPIS_SOFTWARE,
    version: LAPIS_VERSION,
    source: { format: 'bruker', path: dir, files },
    rawDataHash: await hashFiles(files),
    createdAt: new Date().toISOString(),
  };
  const experiment = chosen[0]!.experiment;
  if (regions.length === 0) {
    throw new FormatError(join(dir, read.dataset.layout.file), `no region's decay fits a non-negative distribution`);
  }
  const warnings = [...read.warnings];
  if (skipped.length > 0) {
    warnings.push(
      `${skipped.length} region(s) left out — their decay fits no non-negative ${base.method === 'auto' ? '' : `${base.method} `}distribution (most of their signal unexplained): ${skipped.join(', ')}`,
    );
  }
  if (options.region && chosen.length < read.acquisitions.length)
    warnings.push(`--region: ${chosen.length} of ${read.acquisitions.length} regions inverted`);
  const document = toPseudo2dResultDocument(regions, provenance, {
    ...(experiment === 'T1' || experiment === 'T2' || experiment === 'D' ? { experiment } : {}),
    metadata: read.dataset.metadata,
    warnings,
    ...(read.vendorResults.length ? { vendorResults: read.vendorResults } : {}),
    ...(spectrum ? { spectrum } : {}),
  });
  return { document, method: document.method, reader: 'bruker' };
}
