/**
 * The analysis: a path on disk → a `lapis-result/1` document (analysePath), for `lapis invert` and the agent alike.
 * The document builders it uses live in ../result.
 */
export { analysePath } from './analysePath';
export type {
  AnalysePathCommon,
  AnalysePathOptions,
  AnalysisMethod,
  AnalysisSettings,
  PathAnalysis,
  SettingsByExperiment,
} from './options';
export type { AnalysisDeps } from './deps';
export { AnalysisInputError, CannotInvertError } from './errors';
export type { AcquisitionAnalysis, AnalyseOptions } from './analyseAcquisition';
