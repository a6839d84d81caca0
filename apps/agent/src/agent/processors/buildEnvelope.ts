/**
 * Wraps a result document in the `result` message of the MQTT contract, shrinking it to fit the payload limit,
 * and validates the lot with the contract's schema: the agent never sends what a consumer would refuse.
 */
import { MQTT_MAX_PAYLOAD_BYTES, resultEnvelopeSchema, spectrumEnvelopeSchema } from '@lapis/contracts';
import type { MqttProvenance, ResultDoc, ResultEnvelope, SpectrumDocument, SpectrumEnvelope } from '@lapis/contracts';
import { reduceSpectrumForTransport } from '../../spectra/reduceSpectrum';
import { fitPayload } from './fitPayload';
import type { Reduction } from './fitPayload';
import type { Analysis, ResultAnalysis, SpectrumAnalysis } from './pipelineSteps';
import { computedSpectraSettings } from '../config/schema';
import { PIPELINE_VERSION, SOFTWARE_VERSION } from '../version';

export interface EnvelopeInput {
  key: string;
  instrument: string;
  site?: string;
  path: string;
  producedAt: Date;
  reprocessed: boolean;
  provenance: MqttProvenance;
  document: ResultDoc;
  /** The reprocess request this result answers (ResultEnvelope `request`). */
  request?: ResultEnvelope['request'];
}

export function buildEnvelope(
  input: EnvelopeInput,
  maxBytes = MQTT_MAX_PAYLOAD_BYTES,
): { envelope: ResultEnvelope; payload: string } {
  const make = (document: ResultDoc, reduced?: Reduction): ResultEnvelope => ({
    format: 'lapis-mqtt-result/1',
    key: input.key,
    instrument: input.instrument,
    ...(input.site ? { site: input.site } : {}),
    path: input.path,
    producedAt: input.producedAt.toISOString(),
    historical: false,
    ...(input.reprocessed ? { reprocessed: true } : {}),
    provenance: input.provenance,
    document,
    ...(reduced ? { reduced } : {}),
    ...(input.request ? { request: input.request } : {}),
  });
  const fitted = fitPayload(input.document, maxBytes, (doc, reduced) => JSON.stringify(make(doc, reduced)));
  const checked = resultEnvelopeSchema.safeParse(make(fitted.document, fitted.reduced));
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new Error(`result does not satisfy the MQTT contract: ${first?.path.join('.')}: ${first?.message}`, {
      cause: checked.error,
    });
  }
  return { envelope: checked.data, payload: fitted.payload };
}

/** Where an analysis came from and what it answers: the fields every message about it shares. */
interface AnalysisOrigin {
  key: string;
  rawDataHash: string;
  instrument: string;
  site?: string | undefined;
  path: string;
  reprocessed: boolean;
  request?: ResultEnvelope['request'];
}

function provenanceOf(o: AnalysisOrigin, analysis: Analysis, parameters: Record<string, unknown>): MqttProvenance {
  return {
    rawDataHash: o.rawDataHash,
    softwareVersion: SOFTWARE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
    ...(analysis.kind === 'result' && analysis.modelId ? { modelId: analysis.modelId } : {}),
    method: analysis.method,
    parameters,
    reader: analysis.reader,
  };
}

/** The `result` message of one analysis: its provenance (raw-data hash, versions, method, rule, reader) and document. */
export function analysisEnvelope(o: AnalysisOrigin & { analysis: ResultAnalysis }): {
  envelope: ResultEnvelope;
  payload: string;
} {
  const { analysis } = o;
  return buildEnvelope({
    key: o.key,
    instrument: o.instrument,
    ...(o.site ? { site: o.site } : {}),
    path: o.path,
    producedAt: new Date(),
    reprocessed: o.reprocessed,
    provenance: provenanceOf(o, analysis, { ...analysis.rule }),
    document: analysis.document,
    ...(o.request ? { request: o.request } : {}),
  });
}

/**
 * The `spectrum` message of one processed spectrum: the document with its spectrum reduced for transport (min–max
 * buckets, fewer until the message fits `maxBytes`), validated by the contract's schema.
 */
export function spectrumEnvelope(
  o: AnalysisOrigin & { analysis: SpectrumAnalysis },
  maxBytes = MQTT_MAX_PAYLOAD_BYTES,
): { envelope: SpectrumEnvelope; payload: string } {
  const analysis = { ...o.analysis, document: withStrongestPeaks(o.analysis.document) };
  const producedAt = new Date().toISOString();
  for (let values = analysis.settings.transportValues; ; values = Math.floor(values / 2)) {
    const envelope: SpectrumEnvelope = {
      format: 'lapis-mqtt-spectrum/1',
      key: o.key,
      instrument: o.instrument,
      ...(o.site ? { site: o.site } : {}),
      path: o.path,
      producedAt,
      historical: false,
      ...(o.reprocessed ? { reprocessed: true } : {}),
      provenance: provenanceOf(o, analysis, computedSpectraSettings(analysis.settings)),
      document: reduceSpectrumForTransport(analysis.document, values),
      ...(o.request ? { request: o.request } : {}),
    };
    const payload = JSON.stringify(envelope);
    if (Buffer.byteLength(payload) <= maxBytes || values < 512) {
      const checked = spectrumEnvelopeSchema.safeParse(envelope);
      if (!checked.success) {
        const first = checked.error.issues[0];
        throw new Error(`spectrum does not satisfy the MQTT contract: ${first?.path.join('.')}: ${first?.message}`, {
          cause: checked.error,
        });
      }
      if (Buffer.byteLength(payload) > maxBytes)
        throw new Error(
          `spectrum message is ${Buffer.byteLength(payload)} bytes with ${values} spectrum values (${analysis.document.peaks.length} peaks): over the ${maxBytes}-byte limit`,
        );
      return { envelope, payload };
    }
  }
}

/** Peaks a spectrum message carries at most: the strongest by S/N (a NUS reconstruction can list thousands). */
export const TRANSPORT_PEAKS = 1000;

function withStrongestPeaks(doc: SpectrumDocument): SpectrumDocument {
  if (doc.peaks.length <= TRANSPORT_PEAKS) return doc;
  const note = `${doc.peaks.length} peaks found; the ${TRANSPORT_PEAKS} of largest S/N are sent (lapis process lists all)`;
  const strongest = [...doc.peaks].sort((a, b) => b.snr - a.snr).slice(0, TRANSPORT_PEAKS);
  const kept = new Set(strongest);
  // the document's own order stays
  return { ...doc, peaks: doc.peaks.filter((p) => kept.has(p)), warnings: [...doc.warnings, note] } as SpectrumDocument;
}

/** The message an analysis is published as: `spectrum` for a spectrum, `result` for everything else. */
export function messageOf(o: AnalysisOrigin & { analysis: Analysis }): {
  channel: 'result' | 'spectrum';
  payload: string;
} {
  const { analysis } = o;
  if (analysis.kind === 'spectrum')
    return { channel: 'spectrum', payload: spectrumEnvelope({ ...o, analysis }).payload };
  return { channel: 'result', payload: analysisEnvelope({ ...o, analysis }).payload };
}
