/**
 * The processing steps of the classical pipeline, behind one small interface so that the agent's plumbing
 * (queue, outbox, MQTT) is independent of how a result is computed: read (libs/formats `detectAndRead`) → invert
 * (libs/physics `invert`) → peaks (`findPeaks`, `residualDiagnostics`) → `lapis-result/1` (`toResultDocument`, the
 * same builder `lapis invert` uses, so the agent and the command line publish identical documents).
 */
import type { ResultDoc } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import { detectAndRead } from '@lapis/formats';
import { findPeaks, invert, residualDiagnostics } from '@lapis/physics';
import type { InvertInput } from '@lapis/physics';
import { toResultDocument } from '../../result';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../../version';
import type { Rule } from '../config/schema';

/** What a pipeline turns an acquisition into. */
export interface Analysis {
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked). */
  method: string;
  /** Network model id, for neural pipelines. */
  modelId?: string;
}

/** What the agent knows about the acquisition besides its contents (for the document's provenance). */
export interface AnalysisContext {
  path: string;
  rawDataHash: string;
  /** Files the hash covers, relative to `path`, in hashing order. */
  files: string[];
}

export interface PipelineSteps {
  read(path: string): Promise<Acquisition>;
  analyse(acquisition: Acquisition, rule: Rule, context: AnalysisContext): Promise<Analysis> | Analysis;
}

/** The real steps: libs/formats reader registry, libs/physics inversion and peaks. */
export const classicalSteps: PipelineSteps = {
  read: (path) => detectAndRead(path),
  analyse(acq, rule, context) {
    const axes = acq.axes.map((a) => ({
      kernel: a.kernel,
      values: a.values,
      ...(a.beta === undefined ? {} : { beta: a.beta }),
    }));
    const inv = invert(
      { axes: axes as unknown as InvertInput['axes'], data: acq.data },
      {
        method: rule.method,
        ...(rule.grid === undefined ? {} : { grid: rule.grid }),
        ...(rule.ranges === undefined ? {} : { ranges: rule.ranges.map((r) => r ?? undefined) }),
      },
    );
    const peaks = findPeaks(
      inv.distribution,
      inv.axes.map((a) => a.values),
    );
    const shape = acq.axes.map((a) => a.values.length);
    const sigma = inv.solver.sigma;
    const diagnostics =
      sigma > 0 && Number.isFinite(sigma) ? residualDiagnostics(acq.data, inv.solver.fitted, sigma, shape) : undefined;
    const document = toResultDocument(
      inv,
      peaks.peaks,
      {
        software: LAPIS_SOFTWARE,
        version: LAPIS_VERSION,
        source: { format: acq.metadata.source, path: context.path, files: context.files },
        rawDataHash: context.rawDataHash,
        createdAt: new Date().toISOString(),
      },
      {
        experiment: acq.experiment,
        ...(diagnostics ? { diagnostics } : {}),
        warnings: [...acq.warnings, ...peaks.warnings, ...(diagnostics?.warnings ?? [])],
      },
    );
    return { document, method: inv.method };
  },
};
