/**
 * The processing steps, behind one small interface so that the agent's plumbing (queue, outbox, MQTT) is
 * independent of how a result is computed: the rules become analysis settings once the acquisition says which
 * experiment it is, and analysePath (apps/agent/src/analysis, the same analysis `lapis invert` runs) detects the
 * layout, reads, inverts and builds the `lapis-result/1` document — so the agent and the command line publish
 * identical documents.
 */
import type { ResultDoc, SpectrumDocument } from '@lapis/contracts';
import { analysePath } from '../../analysis';
import { checkResultDocument } from '../../result/checkResultDocument';
import type { AnalysisSettings } from '../../analysis';
import { isSpectrumFolder } from '../../spectra/isSpectrumFolder';
import { DEFAULT_SPECTRA, type AgentConfig, type Rule } from '../config/schema';
import { matchRule } from './matchRule';

/** What a pipeline turns a relaxation or diffusion acquisition into. */
export interface ResultAnalysis {
  kind: 'result';
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked). */
  method: string;
  /** Network model id, for neural pipelines. */
  modelId?: string;
  /** The rule that applied. */
  rule: Rule;
  /** Reader that recognised the acquisition (libs/formats `detectReader`; its `Acquisition.metadata.source`). */
  reader: string;
}

/** What a pipeline turns an ordinary spectrum acquisition into: the `lapis process` document, at full resolution. */
export interface SpectrumAnalysis {
  kind: 'spectrum';
  document: SpectrumDocument;
  /** The peak picker used. */
  method: string;
  /** The spectra settings that applied. */
  settings: SpectraSettings;
  reader: string;
}

export type Analysis = ResultAnalysis | SpectrumAnalysis;

/** How spectra are processed (the agent configuration's `spectra`). */
export type SpectraSettings = AgentConfig['spectra'];

/** `process(acquisitionPath) → result document`: the one thing the agent asks of a pipeline. */
export interface PipelineSteps {
  process(path: string, rules: readonly Rule[], spectra?: SpectraSettings): Promise<Analysis>;
  /** Resolves when the steps can work at full speed (worker threads warmed up). */
  ready?(): Promise<void>;
  /** Frees what the steps hold (worker threads). */
  close?(): Promise<void>;
}

/** A rule's processing settings, in the analysis' terms. */
export function settingsOfRule(rule: Rule): AnalysisSettings {
  return {
    method: rule.method,
    ...(rule.grid === undefined ? {} : { grid: rule.grid }),
    ...(rule.ranges === undefined ? {} : { ranges: rule.ranges.map((r) => r ?? undefined) }),
    ...(rule.model === undefined ? {} : { model: rule.model }),
    ...(rule.uncertainty === undefined ? {} : { uncertainty: rule.uncertainty }),
  };
}

/**
 * A TopSpin 1D spectrum is processed and peak-picked (`lapis process`); anything else is analysed by the rule of its
 * experiment (any layout, a TopSpin pseudo-2D included).
 */
export async function processAcquisition(
  path: string,
  rules: readonly Rule[],
  spectra: SpectraSettings = DEFAULT_SPECTRA,
): Promise<Analysis> {
  if (await isSpectrumFolder(path)) {
    const { processSpectrumPath } = await import('../../spectra/processSpectrumPath');
    const document = await processSpectrumPath(path, {
      minSnr: spectra.minSnr,
      ...(spectra.lineBroadeningHz !== undefined ? { lineBroadening: spectra.lineBroadeningHz } : {}),
      ...(spectra.denoise !== 'off' ? { denoise: spectra.denoise } : {}),
      picker: spectra.picker,
      nus: spectra.nus,
    });
    return {
      kind: 'spectrum',
      document,
      method: document.processing.picker.method,
      settings: spectra,
      reader: 'bruker',
    };
  }
  let rule: Rule | undefined;
  const { document, method, modelId, reader } = await analysePath(path, {
    settingsFor(experiment) {
      rule = matchRule(rules, experiment);
      return settingsOfRule(rule);
    },
  });
  // The whole contract (zod) before the document leaves the agent; the builders check only their numbers.
  checkResultDocument(document, 'the agent');
  // settingsFor runs before any inversion: a result means a rule was found
  return { kind: 'result', document, method, ...(modelId ? { modelId } : {}), rule: rule!, reader };
}

/** The pipeline (classical or network, per rule) in the calling thread (tests, tools; the agent runs it in worker threads). */
export const classicalSteps: PipelineSteps = { process: processAcquisition };
