/**
 * The processing steps of the classical pipeline, behind one small interface so that the agent's plumbing
 * (queue, outbox, MQTT) is independent of how a result is computed: read (libs/formats `detectAndRead`) → invert
 * (libs/physics `invert`) → peaks (`inversionPeaks`: findPeaks with the data-SNR check; `residualDiagnostics`) →
 * `lapis-result/1` (`toResultDocument`, the same builder `lapis invert` uses, so the agent and the command line
 * publish identical documents).
 */
import type { ResultDoc } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import { join } from 'node:path';
import { detectAndRead, detectBrukerExperiment, listReaders, readBrukerParameters } from '@lapis/formats';
import { invertBrukerPseudo2d } from '../../cli/invert/invertPseudo2d';
import {
  confirmInversionPeaks,
  defaultDraws,
  invert,
  inversionPeaks,
  replicateDistributions,
  residualDiagnostics,
} from '@lapis/physics';
import { analyseAcquisition, hashFiles, toPseudo2dResultDocument } from '../../result';
import type { AnalyseOptions, AnalysisDeps } from '../../result';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../../version';
import type { Rule } from '../config/schema';
import { matchRule } from './matchRule';

/** The physics both pipelines use (the network is loaded by analyseAcquisition only when a rule asks for it). */
const physics: AnalysisDeps = {
  invert,
  inversionPeaks,
  residualDiagnostics,
  replicateDistributions,
  defaultDraws,
  confirmInversionPeaks,
};

/** What a pipeline turns an acquisition into. */
export interface Analysis {
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked). */
  method: string;
  /** Network model id, for neural pipelines. */
  modelId?: string;
  /** The rule that applied. */
  rule: Rule;
  /** Reader that read the acquisition (`Acquisition.metadata.source`). */
  reader: string;
}

/** What the agent knows about the acquisition besides its contents (for the document's provenance). */
export interface AnalysisContext {
  path: string;
  rawDataHash: string;
  /** Files the hash covers, relative to `path`, in hashing order. */
  files: string[];
}

/** `process(acquisitionPath) → result document`: the one thing the agent asks of a pipeline. */
export interface PipelineSteps {
  process(path: string, rules: readonly Rule[], context: AnalysisContext): Promise<Analysis>;
  /** Frees what the steps hold (worker threads). */
  close?(): Promise<void>;
}

/** Name of the first registered reader that recognises `path` (the order detectAndRead tries them). */
async function readerOf(path: string): Promise<string | undefined> {
  for (const reader of listReaders()) {
    try {
      if (await reader.detect(path, {})) return reader.name;
    } catch {
      return undefined; // detectAndRead reports it with the reader's context
    }
  }
  return undefined;
}

const BRUKER_EXPERIMENT: Record<string, string> = {
  'T1-IR': 'T1',
  'T1-SR': 'T1',
  T2: 'T2',
  D: 'D',
  'IR-CPMG': 'T1-T2',
};

/**
 * A TopSpin pseudo-2D folder: every chemical-shift region inverted in 1D on one grid, one shift × T1/T2/D document —
 * the same code path as `lapis invert` (cli/invert/invertPseudo2d), so both publish identical documents.
 */
async function processBruker(dir: string, rules: readonly Rule[]): Promise<Analysis> {
  const acqus = await readBrukerParameters(join(dir, 'acqus'));
  const kind = detectBrukerExperiment(acqus.string('PULPROG')).kind;
  const rule = matchRule(rules, BRUKER_EXPERIMENT[kind] ?? kind);
  const args = {
    path: dir,
    method: rule.method,
    ...(rule.grid === undefined ? {} : { grid: rule.grid }),
    ranges: (rule.ranges ?? []).map((r) => r ?? undefined),
    rangeQuantities: [],
    ...(rule.uncertainty === undefined ? {} : { uncertainty: rule.uncertainty }),
    json: false,
    help: false,
  };
  const document = await invertBrukerPseudo2d(dir, args, physics, hashFiles, toPseudo2dResultDocument);
  return { document, method: document.method, rule, reader: 'bruker' };
}

/** Read with libs/formats, pick the rule by experiment, invert, find peaks, build the document. */
export async function processAcquisition(
  path: string,
  rules: readonly Rule[],
  context: AnalysisContext,
): Promise<Analysis> {
  if ((await readerOf(path)) === 'bruker') return processBruker(path, rules);
  const acq = await detectAndRead(path);
  const rule = matchRule(rules, acq.experiment);
  return { ...(await analyse(acq, rule, context)), rule, reader: acq.metadata.source };
}

/** The pipeline (classical or network, per rule) in the calling thread (tests, tools; the agent runs it in worker threads). */
export const classicalSteps: PipelineSteps = { process: processAcquisition };

async function analyse(
  acq: Acquisition,
  rule: Rule,
  context: AnalysisContext,
): Promise<{ document: ResultDoc; method: string; modelId?: string }> {
  const provenance = {
    software: LAPIS_SOFTWARE,
    version: LAPIS_VERSION,
    source: { format: acq.metadata.source, path: context.path, files: context.files },
    rawDataHash: context.rawDataHash,
    createdAt: new Date().toISOString(),
  };
  const options: AnalyseOptions = {
    method: rule.method,
    ...(rule.grid === undefined ? {} : { grid: rule.grid }),
    ...(rule.ranges === undefined ? {} : { ranges: rule.ranges.map((r) => r ?? undefined) }),
    ...(rule.model === undefined ? {} : { model: rule.model }),
    ...(rule.uncertainty === undefined ? {} : { uncertainty: rule.uncertainty }),
  };
  const { document, method, modelId } = await analyseAcquisition(acq, options, provenance, physics);
  return { document, method, ...(modelId ? { modelId } : {}) };
}
