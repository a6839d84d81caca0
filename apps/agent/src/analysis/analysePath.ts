/**
 * One acquisition on disk → one `lapis-result/1` document, the one way there for `lapis invert`, the agent's worker
 * threads and reprocessing: detect the layout once (libs/formats `detectReader`), then
 * - a TopSpin pseudo-2D: every chemical-shift region inverted on one grid (analysePseudo2d);
 * - any other layout: read, invert in 1D or 2D, peaks, diagnostics, document (analyseAcquisition).
 * Throws FormatError (the files), AnalysisInputError (options that do not fit the acquisition) and
 * CannotInvertError (physics refused the numbers); anything else is a bug.
 *
 * The physics, the result builders and the contract's schemas load only once the input has been read, so a typo in
 * a path or an option is answered without them.
 */
import type { Acquisition } from '@lapis/formats/acquisition';
// The reading entry point alone: the package's index would load every writer and simulator with it.
import { detectReader, listReaders, readDetected } from '@lapis/formats/read';
import { loadAnalysisDeps } from './deps';
import { AnalysisInputError, CannotInvertError } from './errors';
import { settingsOf, type AnalysePathOptions, type PathAnalysis } from './options';
import { provenanceOf } from './provenance';

export async function analysePath(path: string, options: AnalysePathOptions): Promise<PathAnalysis> {
  const read = options.read ?? {};
  const detected = await detectReader(path, read);
  if (detected) options.onReader?.(detected);
  if (detected?.name === 'bruker') return (await import('./analysePseudo2d')).analysePseudo2d(path, options);

  if (options.region)
    throw new AnalysisInputError('--region is for TopSpin pseudo-2D folders (chemical-shift regions)');
  const axisOptionsAlone = read.axis1 === undefined && (read.kernel1 !== undefined || read.unit1 !== undefined);
  if (axisOptionsAlone && detected !== undefined && !detected.reader.takesAxisOptions) {
    const takers = listReaders()
      .filter((r) => r.takesAxisOptions)
      .map((r) => r.name);
    throw new AnalysisInputError(
      `--kernel1/--unit1 without --axis1 are for layouts that do not name their own (${takers.join(', ')}); ${detected.name} names its kernels and units (a text matrix needs --axis1)`,
    );
  }
  const acq: Acquisition = await readDetected(path, detected, read);
  const settings = await settingsOf(options, () => acq.experiment);
  options.onAxes?.(acq.axes.map((axis) => axis.kernel));
  const deps = await loadAnalysisDeps(options.deps);
  const { analyseAcquisition } = await import('./analyseAcquisition');
  const provenance = await provenanceOf(acq);
  try {
    const analysis = await analyseAcquisition(
      acq,
      { ...settings, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
      provenance,
      deps,
    );
    // detected is set: readDetected throws without a reader
    return { ...analysis, reader: detected!.name };
  } catch (error) {
    // RangeError is how libs/physics says "these numbers cannot be inverted" (e.g. a range the grid cannot span).
    if (error instanceof RangeError) throw new CannotInvertError(path, error);
    throw error;
  }
}
