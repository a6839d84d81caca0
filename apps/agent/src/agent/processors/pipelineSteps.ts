/**
 * The processing steps, behind one small interface so that the agent's plumbing (queue, outbox, MQTT) is
 * independent of how a result is computed: the rules become analysis settings once the acquisition says which
 * experiment it is, and analysePath (apps/agent/src/analysis, the same analysis `lapis invert` runs) detects the
 * layout, reads, inverts and builds the `lapis-result/1` document — so the agent and the command line publish
 * identical documents.
 */
import type { ResultDoc } from '@lapis/contracts';
import { analysePath } from '../../analysis';
import { checkResultDocument } from '../../result/checkResultDocument';
import type { AnalysisSettings } from '../../analysis';
import type { Rule } from '../config/schema';
import { matchRule } from './matchRule';

/** What a pipeline turns an acquisition into. */
export interface Analysis {
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

/** `process(acquisitionPath) → result document`: the one thing the agent asks of a pipeline. */
export interface PipelineSteps {
  process(path: string, rules: readonly Rule[]): Promise<Analysis>;
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

/** Pick the rule by the acquisition's experiment, and analyse it (any layout, a TopSpin pseudo-2D included). */
export async function processAcquisition(path: string, rules: readonly Rule[]): Promise<Analysis> {
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
  return { document, method, ...(modelId ? { modelId } : {}), rule: rule!, reader };
}

/** The pipeline (classical or network, per rule) in the calling thread (tests, tools; the agent runs it in worker threads). */
export const classicalSteps: PipelineSteps = { process: processAcquisition };
