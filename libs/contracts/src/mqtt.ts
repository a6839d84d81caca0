/**
 * The MQTT contract between an agent (beside a spectrometer) and whoever listens (the dashboard, scripts).
 * Every topic lives under `lapis/v1/{instrument}/`; every payload is UTF-8 JSON validated by the schemas here.
 * docs/mqtt.md is the prose version of this file — change both together.
 */
import { z } from 'zod';
import { resultDocSchema } from './result';
import { spectrumDocumentSchema } from './spectrum';

/** Version segment of every topic: a breaking payload change moves to `lapis/v2/`. */
export const MQTT_TOPIC_ROOT = 'lapis/v1';

/** Payloads above this many bytes are refused by some brokers' defaults; the agent downsamples to stay below. */
export const MQTT_MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * Instrument ids are topic segments, so MQTT wildcards and separators are excluded.
 * Letters, digits, `.`, `_`, `-`; 1–64 characters.
 */
export const instrumentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'instrument id: 1–64 of A–Z a–z 0–9 . _ - (no /, +, # or spaces)');

export type MqttChannel =
  | 'status'
  | 'heartbeat'
  | 'event'
  | 'result'
  | 'spectrum'
  | 'cmd/reprocess'
  | 'cmd/reprocess/reply'
  | 'cmd/spectrum'
  | 'cmd/spectrum/reply';

/** `lapis/v1/{instrument}/{channel}`. */
export function mqttTopic(instrument: string, channel: MqttChannel): string {
  instrumentIdSchema.parse(instrument);
  return `${MQTT_TOPIC_ROOT}/${instrument}/${channel}`;
}

/** Splits a topic into its instrument and channel; `undefined` when it is not a Lapis v1 topic. */
export function parseMqttTopic(topic: string): { instrument: string; channel: MqttChannel } | undefined {
  const m =
    /^lapis\/v1\/([A-Za-z0-9._-]{1,64})\/(status|heartbeat|event|result|spectrum|cmd\/(?:reprocess|spectrum)(?:\/reply)?)$/.exec(
      topic,
    );
  if (!m) return undefined;
  return { instrument: m[1]!, channel: m[2] as MqttChannel };
}

const isoTime = z.string().datetime({ offset: true });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 in lower-case hex');

/**
 * `status` — retained. `online` is published on every connect; `offline` is the Last Will the broker publishes
 * when the agent vanishes (and the agent publishes it itself on a clean shutdown).
 */
export const statusMessageSchema = z.object({
  state: z.enum(['online', 'offline']),
  instrument: instrumentIdSchema,
  site: z.string().optional(),
  at: isoTime,
  /** Software version of the agent. */
  version: z.string().optional(),
  /** Why it is offline: `shutdown`, or `connection lost` for the Last Will. */
  reason: z.string().optional(),
});
export type StatusMessage = z.infer<typeof statusMessageSchema>;

/** `heartbeat` — not retained, every `heartbeatSeconds`; a liveness signal with the counters of /metrics. */
export const heartbeatMessageSchema = z.object({
  instrument: instrumentIdSchema,
  at: isoTime,
  uptimeSeconds: z.number().nonnegative(),
  processed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  outboxDepth: z.number().int().nonnegative(),
  lastSuccessAt: isoTime.optional(),
});
export type HeartbeatMessage = z.infer<typeof heartbeatMessageSchema>;

/** Life cycle of one acquisition as the agent sees it. */
export const eventKindSchema = z.enum(['detected', 'started', 'finished', 'failed']);
export type EventKind = z.infer<typeof eventKindSchema>;

/** `event` — QoS 1, not retained. `finished` and `failed` go through the durable outbox; the others are live only. */
export const eventMessageSchema = z
  .object({
    kind: eventKindSchema,
    instrument: instrumentIdSchema,
    at: isoTime,
    /** Acquisition directory as the agent sees it. */
    path: z.string(),
    /** Idempotency key, once known (not yet for `detected`). */
    key: sha256Hex.optional(),
    /** For `failed`: one line saying what was wrong. Required then. */
    reason: z.string().optional(),
    /** True when replayed from the outbox after a reconnect or restart rather than sent live. */
    historical: z.boolean().optional(),
  })
  .refine((e) => e.kind !== 'failed' || (e.reason !== undefined && e.reason.length > 0), {
    message: 'a failed event carries a reason',
    path: ['reason'],
  });
export type EventMessage = z.infer<typeof eventMessageSchema>;

/** Where a result came from: enough to reproduce it and to tell two runs apart. */
export const mqttProvenanceSchema = z.object({
  /** sha256 over the raw files of the acquisition (relative names, sizes and bytes). */
  rawDataHash: sha256Hex,
  /** The agent's software version. */
  softwareVersion: z.string(),
  /** Version of the processing pipeline; part of the key, so a new pipeline yields new keys. */
  pipelineVersion: z.string(),
  /** Network model id for neural methods; absent for classical ones. */
  modelId: z.string().optional(),
  method: z.string(),
  /** Processing parameters as configured (method options, grid, ranges). */
  parameters: z.record(z.string(), z.unknown()),
  /** Which reader read it, e.g. `lapis-acquisition/1`, `bruker`. */
  reader: z.string().optional(),
});
export type MqttProvenance = z.infer<typeof mqttProvenanceSchema>;

/** `result` — QoS 1, not retained, published from the durable outbox and deleted there on PUBACK. */
export const resultEnvelopeSchema = z.object({
  format: z.literal('lapis-mqtt-result/1'),
  /** sha256(raw files + pipeline version + parameters): consumers dedupe on it. */
  key: sha256Hex,
  instrument: instrumentIdSchema,
  site: z.string().optional(),
  /** Acquisition directory on the agent's machine. */
  path: z.string(),
  /** When the agent produced the result (not when it was sent). */
  producedAt: isoTime,
  /** True when replayed from the outbox after a reconnect or restart rather than sent live. */
  historical: z.boolean(),
  /** True when produced by an explicit reprocess request rather than by the watcher. */
  reprocessed: z.boolean().optional(),
  provenance: mqttProvenanceSchema,
  /** The `lapis-result/1` document, validated by the same schema `lapis invert` output is. */
  document: resultDocSchema,
  /** Present when the document was shrunk to fit MQTT_MAX_PAYLOAD_BYTES: what was done. */
  reduced: z.object({ reason: z.string(), from: z.array(z.number()), to: z.array(z.number()) }).optional(),
  /**
   * The reprocess request this result answers (a new version beside the earlier results of the same acquisition:
   * the request id is part of its key): its id, who asked, and the method asked for.
   */
  request: z
    .object({
      id: z.string().min(1).max(128),
      by: z.string().max(254).optional(),
      method: z.string().max(20).optional(),
    })
    .optional(),
});
export type ResultEnvelope = z.infer<typeof resultEnvelopeSchema>;

/**
 * `spectrum` — an ordinary spectrum acquisition (¹H, ¹³C …) processed and peak-picked: QoS 1, not retained, from the
 * durable outbox like `result`, with the same key, provenance and request fields. The `lapis-spectrum/1` document
 * is the one `lapis process` writes, its spectrum reduced for transport (`document.spectrum.reduction`); peaks,
 * noise and processing are computed on the full spectrum.
 */
export const spectrumEnvelopeSchema = resultEnvelopeSchema
  .omit({ format: true, document: true, reduced: true })
  .extend({
    format: z.literal('lapis-mqtt-spectrum/1'),
    document: spectrumDocumentSchema,
  });
export type SpectrumEnvelope = z.infer<typeof spectrumEnvelopeSchema>;

/** `cmd/reprocess` — a request to process acquisitions again on purpose (bypassing the idempotency skip). */
export const reprocessRequestSchema = z.object({
  /** Echoed in the reply; with MQTT 5 the correlation data is echoed as well. */
  requestId: z.string().min(1).max(128),
  /** Acquisition directories; each must lie inside one of the agent's watch roots. */
  paths: z.array(z.string().min(1)).min(1).max(10_000),
  /** Topic for the reply; defaults to `cmd/reprocess/reply` (MQTT 5 response topic takes precedence). */
  replyTo: z.string().optional(),
  /**
   * Process with this method instead of the agent's rules (`dl`: the network for T1–T2 and D–T2 maps, the rules for
   * the rest). Absent: the agent's own rules.
   */
  method: z.enum(['auto', 'tikhonov', 'upen', 'sparse', 'nnls', 'dl']).optional(),
  /** Who asked (the dashboard sends the signed-in person's e-mail); carried into the results as `request.by`. */
  requestedBy: z.string().min(1).max(254).optional(),
});
export type ReprocessRequest = z.infer<typeof reprocessRequestSchema>;

/** `cmd/reprocess/reply` — which paths were queued and which refused, with why. */
export const reprocessReplySchema = z.object({
  requestId: z.string(),
  instrument: instrumentIdSchema,
  at: isoTime,
  accepted: z.array(z.string()),
  rejected: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type ReprocessReply = z.infer<typeof reprocessReplySchema>;

/** Most values one `cmd/spectrum` reply carries (≈ 0.7 MB of JSON at 6 significant digits). */
export const SPECTRUM_REGION_MAX_VALUES = 65_536;

const ppmRange = z
  .tuple([z.number().finite(), z.number().finite()])
  .refine(([a, b]) => a < b, 'a ppm range [low, high] with low < high');

/**
 * `cmd/spectrum` — a stretch of a spectrum the agent processed, at full resolution: the `spectrum` message carries
 * it reduced for transport, the agent keeps the full one on disk (`spectra.keepFullMiB`) and answers with the part
 * asked for. 1D: `shift`; 2D: `shift1` (F1) and `shift2` (F2); none: the whole spectrum.
 */
export const spectrumRequestSchema = z.object({
  requestId: z.string().min(1).max(128),
  /** The spectrum's key, as in its `spectrum` message. */
  key: sha256Hex,
  shift: ppmRange.optional(),
  shift1: ppmRange.optional(),
  shift2: ppmRange.optional(),
  /** At most this many values in the reply (default and ceiling SPECTRUM_REGION_MAX_VALUES); more are reduced. */
  maxValues: z.number().int().min(64).max(SPECTRUM_REGION_MAX_VALUES).optional(),
  /** Topic for the reply; defaults to `cmd/spectrum/reply` (MQTT 5 response topic takes precedence). */
  replyTo: z.string().optional(),
});
export type SpectrumRequest = z.infer<typeof spectrumRequestSchema>;

/** One axis of a region: ppm of its first and last point, and which points of the full axis they are. */
const regionAxisSchema = z.object({
  first: z.number().finite(),
  last: z.number().finite(),
  /** Index of the region's first point in the full axis, and how many full-resolution points it spans. */
  from: z.number().int().min(0),
  size: z.number().int().min(1),
});

/**
 * `cmd/spectrum/reply` — the region, or why not (`error`: the agent no longer keeps it, an unknown key, …).
 * 1D `spectrum`: `real` one value per point (`step` 1), or min–max pairs of 2 × `step` points when the region holds
 * more than `maxValues`; 2D: rows × columns row-major, each the largest-|value| point of its `step` block.
 */
export const spectrumReplySchema = z.object({
  requestId: z.string(),
  instrument: instrumentIdSchema,
  at: isoTime,
  key: z.string(),
  error: z.string().optional(),
  region: z
    .union([
      z.object({
        dimensions: z.literal(1),
        axis: regionAxisSchema,
        step: z.number().int().min(1),
        real: z.array(z.number().finite()),
      }),
      z.object({
        dimensions: z.literal(2),
        axes: z.tuple([regionAxisSchema, regionAxisSchema]),
        rows: z.number().int().min(1),
        columns: z.number().int().min(1),
        step: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
        real: z.array(z.number().finite()),
      }),
    ])
    .optional(),
});
export type SpectrumReply = z.infer<typeof spectrumReplySchema>;
export type SpectrumRegion = NonNullable<SpectrumReply['region']>;
