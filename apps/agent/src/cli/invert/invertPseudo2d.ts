/**
 * `lapis invert` on a high-field TopSpin pseudo-2D (relaxation or diffusion series, one FID per delay/gradient):
 * process the spectra, integrate every signal region, invert each region's decay in 1D on ONE output grid shared by
 * all regions, and build one lapis-result/1 document over chemical shift × T1/T2/D ("3.35 ppm: D = 2.1e-9 m²/s").
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, readBrukerPseudo2d } from '@lapis/formats';
import type { Acquisition } from '@lapis/formats';
import type { InvertOptions } from '@lapis/physics';
import type { ResultDoc, ResultProvenance } from '@lapis/contracts';
import type { RegionInversion, toPseudo2dResultDocument } from '../../result';
import { UsageError } from '../errors';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../../version';
import type { InvertDeps } from './invertCommand';
import { checkRangeQuantity, type InvertArgs } from './parseInvertArgs';

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

export async function invertBrukerPseudo2d(
  path: string,
  args: InvertArgs,
  deps: InvertDeps,
  hashFiles: (files: string[]) => Promise<string>,
  toDocument: typeof toPseudo2dResultDocument,
): Promise<ResultDoc> {
  if (args.kernel1 !== undefined || args.unit1 !== undefined)
    throw new UsageError(
      '--kernel1/--unit1 do not apply to a TopSpin folder: its pulse program and lists give the axis',
    );
  if (args.ranges[1]) throw new UsageError(`--range2 given, but each region of ${path} is inverted in 1D`);
  const dir = brukerFolderOf(path);
  // The spectra are not needed once the regions are integrated: do not keep rows × size doubles alive.
  const read = await readBrukerPseudo2d(dir, { processing: { keepSpectra: false } });
  if (read.acquisitions.length === 0)
    throw new FormatError(join(dir, read.dataset.layout.file), 'no signal region found in the spectra');
  checkRangeQuantity(args, 0, read.acquisitions[0]!.axes[0].kernel);
  let chosen = read.acquisitions;
  if (args.region) {
    const [lo, hi] = args.region;
    chosen = chosen.filter((a) => regionOf(a).peak >= lo && regionOf(a).peak <= hi);
    if (chosen.length === 0) {
      const found = read.acquisitions.map((a) => regionOf(a).peak.toFixed(3)).join(', ');
      throw new UsageError(`--region ${lo}:${hi}: no region peaks there (regions found at ${found} ppm)`);
    }
  }

  // runInvert refuses --method dl for pseudo-2D folders before this point (the networks are 2D-map models)
  const base: InvertOptions = {
    method: args.method === 'dl' ? 'auto' : args.method,
    ...(args.grid !== undefined ? { grid: args.grid } : {}),
    ...(args.sigma !== undefined ? { sigma: args.sigma } : {}),
  };
  // Every region shares the axis values; the first inversion fixes the grid (the user's --range1 or the automatic
  // one) and the others are told its ends, so every row of the map lies on the same grid by construction.
  let range: [number, number] | undefined = args.ranges[0];
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
      // artefact) is left out when there are others, and said; alone, it is the answer. (By name: physics is
      // loaded lazily, after the input is read.)
      if (error instanceof RangeError && error.name === 'UnexplainedDataError' && chosen.length > 1) {
        skipped.push(`${where.from.toFixed(2)}–${where.to.toFixed(2)} ppm`);
        continue;
      }
      if (error instanceof RangeError)
        throw new UsageError(`${path}: cannot invert the region at ${where.peak.toFixed(3)} ppm: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
    const grid = inversion.axes[0]!.values;
    range ??= [grid[0]!, grid[grid.length - 1]!];
    points ??= grid.length; // the first region's grid may have been extended past its slow edge, with more points
    const listed = deps.inversionPeaks({ axes: acq.axes, data: acq.data }, inversion);
    // Each region's peaks ± their bootstrap uncertainty: the solver's default draws (UPEN, Tikhonov: ~2 ms for 16
    // draws of a 1D decay) or as many as were asked for; only populations the draws reproduce are listed.
    const maps = listed.peaks.length
      ? deps.replicateDistributions({ axes: acq.axes, data: acq.data }, inversion, {
          ...(args.uncertainty === undefined ? {} : { count: args.uncertainty }),
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
    if (inversion.solver.relativeResidual > 0.9 && chosen.length > 1) {
      // Nothing of this region's decay is explained (no non-negative distribution fits it: a dispersive wing of a
      // strong neighbour, or a baseline artefact); a row of zeros would only mislead, so it is left out, and said.
      skipped.push(`${where.from.toFixed(2)}–${where.to.toFixed(2)} ppm`);
      continue;
    }
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
  if (args.region && chosen.length < read.acquisitions.length)
    warnings.push(`--region: ${chosen.length} of ${read.acquisitions.length} regions inverted`);
  return toDocument(regions, provenance, {
    ...(experiment === 'T1' || experiment === 'T2' || experiment === 'D' ? { experiment } : {}),
    metadata: read.dataset.metadata,
    warnings,
    ...(read.vendorResults.length ? { vendorResults: read.vendorResults } : {}),
  });
}
