/**
 * Wraps a result document in the `result` message of the MQTT contract, shrinking it to fit the payload limit,
 * and validates the lot with the contract's schema: the agent never sends what a consumer would refuse.
 */
import { MQTT_MAX_PAYLOAD_BYTES, resultEnvelopeSchema } from '@lapis/contracts';
import type { MqttProvenance, ResultDoc, ResultEnvelope } from '@lapis/contracts';
import { fitPayload } from './fitPayload';
import type { Reduction } from './fitPayload';
import type { Analysis } from './pipelineSteps';
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

/** The `result` message of one analysis: its provenance (raw-data hash, versions, method, rule, reader) and document. */
export function analysisEnvelope(o: {
  key: string;
  rawDataHash: string;
  instrument: string;
  site?: string | undefined;
  path: string;
  reprocessed: boolean;
  analysis: Analysis;
  request?: ResultEnvelope['request'];
}): { envelope: ResultEnvelope; payload: string } {
  const { analysis } = o;
  return buildEnvelope({
    key: o.key,
    instrument: o.instrument,
    ...(o.site ? { site: o.site } : {}),
    path: o.path,
    producedAt: new Date(),
    reprocessed: o.reprocessed,
    provenance: {
      rawDataHash: o.rawDataHash,
      softwareVersion: SOFTWARE_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      ...(analysis.modelId ? { modelId: analysis.modelId } : {}),
      method: analysis.method,
      parameters: { ...analysis.rule },
      reader: analysis.reader,
    },
    document: analysis.document,
    ...(o.request ? { request: o.request } : {}),
  });
}
