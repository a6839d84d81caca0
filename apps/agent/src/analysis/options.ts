/** What analysePath takes and gives: typed options in SI units, nothing of the command line's spelling. */
import type { ResultDoc } from '@lapis/contracts';
import type { DetectedReader, ReadOptions } from '@lapis/formats';
import type { Method } from '@lapis/physics';
import type { AnalysisDeps } from './deps';

/** A libs/physics method, or 'dl': the network refinement of @lapis/inference with its classical safety net. */
export type AnalysisMethod = Method | 'dl';

/** How to invert: what `lapis invert`'s options or an agent rule say. */
export interface AnalysisSettings {
  /** A TopSpin pseudo-2D's regions are inverted classically: 'dl' runs 'auto' there (the networks map 2D data). */
  method: AnalysisMethod;
  /** Grid points per output dimension (default: libs/physics' own). */
  grid?: number;
  /** Output range per dimension, SI units (undefined: automatic). */
  ranges?: readonly ([number, number] | undefined)[];
  /** Noise σ in data units (default: estimated from the data). */
  sigma?: number;
  /** `method: 'dl'`: the model manifest (default: the released model, or LAPIS_MODEL). */
  model?: string;
  /** Bootstrap draws behind each peak's uncertainty (0: none; default: the solver's, see analyseAcquisition). */
  uncertainty?: number;
}

export interface AnalysePathCommon {
  /** TopSpin pseudo-2D only: invert just the regions whose peak lies in [lo, hi] ppm. */
  region?: readonly [number, number];
  /** Options for the readers (text-matrix axis files, kernels and units for layouts that do not name them). */
  read?: ReadOptions;
  /** Progress of long work (bootstrap draws that re-run the whole inversion), one short line at a time. */
  onProgress?: (message: string) => void;
  /** Stand-ins for libs/physics (tests). */
  deps?: Partial<AnalysisDeps>;
  /** Called once the layout is known, before anything is read: the caller may refuse what it does not support. */
  onReader?: (detected: DetectedReader) => void;
  /** Called with the kernel of each output axis once known, before inverting: the caller may check its ranges. */
  onAxes?: (kernels: readonly string[]) => void;
}

/** Settings chosen by experiment once the acquisition says which it is (the agent's rules). */
export interface SettingsByExperiment {
  settingsFor(experiment: string): AnalysisSettings;
}

export type AnalysePathOptions = AnalysePathCommon & (AnalysisSettings | SettingsByExperiment);

export interface PathAnalysis {
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked; for `dl`, `dl` or the classical fallback). */
  method: string;
  /** Network that ran (id), for `dl`. */
  modelId?: string;
  /** The reader that recognised the path (detectReader's name, e.g. 'bruker', 'lapis-acquisition/1'). */
  reader: string;
}

/** The fixed settings, or those the caller chooses for the experiment (asked for only then). */
export async function settingsOf(
  options: AnalysePathOptions,
  experiment: () => string | Promise<string>,
): Promise<AnalysisSettings> {
  if ('settingsFor' in options) return options.settingsFor(await experiment());
  const { method, grid, ranges, sigma, model, uncertainty } = options;
  return {
    method,
    ...(grid !== undefined ? { grid } : {}),
    ...(ranges !== undefined ? { ranges } : {}),
    ...(sigma !== undefined ? { sigma } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(uncertainty !== undefined ? { uncertainty } : {}),
  };
}
