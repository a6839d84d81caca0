/**
 * Validates one MQTT message against the contracts and writes it to the database. Never throws: every failure
 * becomes an outcome with a reason, because one bad agent must not stop the lab's dashboard. Everything that can be
 * known without the database — text, depth, schema, plausibility — is checked before the first query, so a bad
 * message is refused in about a millisecond and never reaches PostgreSQL as an error to retry.
 */
import { basename } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { thumbnailOf } from '../../lib/thumbnail';
import {
  MQTT_MAX_PAYLOAD_BYTES,
  eventMessageSchema,
  heartbeatMessageSchema,
  parseMqttTopic,
  reprocessReplySchema,
  resultEnvelopeSchema,
  spectrumEnvelopeSchema,
  statusMessageSchema,
} from '@lapis/contracts';
import type { ResultEnvelope } from '@lapis/contracts';
import type { Db } from '../db/client';
import { events, instruments, rejectedMessages, reprocessRequests } from '../db/schema';
import type { Change } from '../bus';
import { MAX_JSON_DEPTH, decodeUtf8, findBadValue, nestsDeeperThan, safeTopic } from './checkPayload';
import { dbErrorDetail, isTransientDbError } from './dbErrors';
import { checkEvent, checkHeartbeat, checkResult, checkSpectrum, checkStatus } from './plausibility';
import { spectrumSampleOf, storeSpectrum } from './storeSpectrum';
import type { RejectReason } from './stats';

export type IngestOutcome =
  | { status: 'accepted'; changes: Change[] }
  | { status: 'duplicate'; changes: Change[] }
  | { status: 'ignored' }
  | {
      status: 'rejected';
      reason: RejectReason;
      /** A short human reason: no payload content, SQL or error text (it is shown on the fleet page). */
      detail: string;
      /** db-error only: worth retrying (the connection, not the message), and the error itself for the log. */
      transient?: boolean;
      error?: unknown;
    };

export interface IngestMessageOptions {
  /** Allow-list of instrument ids; unset = any well-formed id is accepted and registered on first sight. */
  knownInstruments?: ReadonlySet<string>;
  /** Largest payload accepted, bytes (default MQTT_MAX_PAYLOAD_BYTES, the contract's limit). */
  maxBytes?: number;
  /**
   * Time of receipt (default now); tests pin it. Producer times are judged against it, and status and heartbeat
   * are ordered by it.
   */
  now?: Date;
  /** Awaited just before the first database query, once the message has passed every check (the read gate). */
  beforeWrite?: () => Promise<void>;
}

const reject = (reason: RejectReason, detail: string): IngestOutcome => ({ status: 'rejected', reason, detail });

/** Where and what, from zod's issues: paths of plain names only (keys are the producer's text), no values. */
function zodDetail(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const name = (k: PropertyKey) =>
    typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(String(k)) ? `.${String(k)}` : '.?';
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(name).join('').replace(/^\./, '') || '(root)'}: ${i.message.slice(0, 120)}`)
    .join('; ');
}

export async function ingestMessage(
  db: Db,
  topic: string,
  payload: Uint8Array,
  options: IngestMessageOptions = {},
): Promise<IngestOutcome> {
  const maxBytes = options.maxBytes ?? MQTT_MAX_PAYLOAD_BYTES;
  const parsedTopic = parseMqttTopic(topic);
  if (!parsedTopic) return reject('bad-topic', `not a lapis/v1 topic: ${safeTopic(topic)}`);
  const { instrument, channel } = parsedTopic;
  // Requests to agents travel on the same tree; they are not the dashboard's to store. Replies are, to the
  // requests the dashboard sent (see case 'cmd/reprocess/reply').
  // Spectrum regions answer one viewer's request and go to it directly (server/spectra/spectrumRegions.ts).
  if (channel === 'cmd/reprocess' || channel === 'cmd/spectrum' || channel === 'cmd/spectrum/reply')
    return { status: 'ignored' };
  if (payload.byteLength > maxBytes) {
    return reject('oversize', `${payload.byteLength} bytes on ${topic}, limit ${maxBytes}`);
  }
  // A retained message is cleared by publishing an empty payload; that is housekeeping, not an error.
  if (payload.byteLength === 0) return { status: 'ignored' };
  if (options.knownInstruments && !options.knownInstruments.has(instrument)) {
    return reject('unknown-instrument', `instrument ${instrument} is not in LAPIS_INSTRUMENTS`);
  }
  const text = decodeUtf8(payload);
  if (text === undefined) return reject('invalid-text', `${topic}: the payload is not UTF-8`);
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return reject('too-deep', `${topic}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return reject('not-json', `${topic}: not JSON${at ? ` (at character ${at})` : ''}`);
  }
  const bad = findBadValue(json);
  if (bad) return reject(bad.reason, `${topic}: ${bad.detail}`);
  const now = options.now ?? new Date();
  const implausible = (p: { reason: RejectReason; detail: string }) => reject(p.reason, `${topic}: ${p.detail}`);
  try {
    switch (channel) {
      case 'cmd/reprocess/reply': {
        const r = reprocessReplySchema.safeParse(json);
        // Error replies (a malformed request) carry no request id; they answer nothing the dashboard sent.
        if (!r.success) return { status: 'ignored' };
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        await options.beforeWrite?.();
        const updated = await db
          .update(reprocessRequests)
          .set({
            repliedAt: new Date(r.data.at),
            accepted: r.data.accepted.length,
            rejected: r.data.rejected.slice(0, 100),
          })
          .where(and(eq(reprocessRequests.id, r.data.requestId), eq(reprocessRequests.instrumentId, instrument)))
          .returning({ id: reprocessRequests.id });
        return updated.length ? { status: 'accepted', changes: [] } : { status: 'ignored' };
      }
      case 'status': {
        const r = statusMessageSchema.safeParse(json);
        if (!r.success) return reject('schema', `${topic}: ${zodDetail(r.error)}`);
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        const p = checkStatus(r.data, now);
        if (p) return implausible(p);
        await options.beforeWrite?.();
        await db
          .insert(instruments)
          .values({
            id: instrument,
            site: r.data.site ?? null,
            state: r.data.state,
            stateAt: new Date(r.data.at),
            stateReason: r.data.reason ?? null,
            version: r.data.version ?? null,
            firstSeenAt: now,
            stateReceivedAt: now,
          })
          .onConflictDoUpdate({
            target: instruments.id,
            set: {
              state: sql`excluded.state`,
              stateAt: sql`excluded.state_at`,
              stateReason: sql`excluded.state_reason`,
              stateReceivedAt: sql`excluded.state_received_at`,
              site: sql`coalesce(excluded.site, ${instruments.site})`,
              version: sql`coalesce(excluded.version, ${instruments.version})`,
            },
            // The status received last wins — by the dashboard's clock, not the producer's: a status stamped in
            // the year 9999 cannot pin a state, and the agent's Last Will (stamped when it connected, i.e. before
            // its own "online") still turns it offline. A message retried from ingest_parked keeps its receipt time,
            // so it cannot undo a newer status either.
            setWhere: sql`${instruments.stateReceivedAt} is null or excluded.state_received_at >= ${instruments.stateReceivedAt}`,
          });
        return { status: 'accepted', changes: [{ type: 'instrument', instrumentId: instrument }] };
      }
      case 'heartbeat': {
        const r = heartbeatMessageSchema.safeParse(json);
        if (!r.success) return reject('schema', `${topic}: ${zodDetail(r.error)}`);
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        const h = r.data;
        const p = checkHeartbeat(h, now);
        if (p) return implausible(p);
        await options.beforeWrite?.();
        const values = {
          heartbeatAt: new Date(h.at),
          heartbeatReceivedAt: now,
          uptimeSeconds: h.uptimeSeconds,
          processed: h.processed,
          failed: h.failed,
          queued: h.queued,
          outboxDepth: h.outboxDepth,
          lastSuccessAt: h.lastSuccessAt ? new Date(h.lastSuccessAt) : null,
        };
        await db
          .insert(instruments)
          .values({ id: instrument, firstSeenAt: now, ...values })
          .onConflictDoUpdate({
            target: instruments.id,
            set: values,
            // As for status: the heartbeat received last wins, whatever time its producer wrote on it.
            setWhere: sql`${instruments.heartbeatReceivedAt} is null or ${instruments.heartbeatReceivedAt} <= ${now.toISOString()}::timestamptz`,
          });
        return { status: 'accepted', changes: [{ type: 'instrument', instrumentId: instrument }] };
      }
      case 'event': {
        const r = eventMessageSchema.safeParse(json);
        if (!r.success) return reject('schema', `${topic}: ${zodDetail(r.error)}`);
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        const e = r.data;
        const p = checkEvent(e, now);
        if (p) return implausible(p);
        await options.beforeWrite?.();
        await ensureInstrument(db, instrument, now);
        const inserted = await db
          .insert(events)
          .values({
            instrumentId: instrument,
            kind: e.kind,
            at: new Date(e.at),
            path: e.path,
            key: e.key ?? null,
            reason: e.reason ?? null,
            historical: e.historical ?? false,
          })
          .onConflictDoNothing()
          .returning({ id: events.id });
        const changes: Change[] = [{ type: 'event', instrumentId: instrument, kind: e.kind }];
        return inserted.length > 0 ? { status: 'accepted', changes } : { status: 'duplicate', changes: [] };
      }
      case 'result': {
        const r = resultEnvelopeSchema.safeParse(json);
        if (!r.success) return reject('schema', `${topic}: ${zodDetail(r.error)}`);
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        const p = checkResult(r.data, sampleOf(r.data), now);
        if (p) return implausible(p);
        await options.beforeWrite?.();
        const fresh = await storeResult(db, r.data, now);
        const changes: Change[] = [{ type: 'acquisition', instrumentId: instrument, key: r.data.key }];
        return fresh ? { status: 'accepted', changes } : { status: 'duplicate', changes: [] };
      }
      case 'spectrum': {
        const r = spectrumEnvelopeSchema.safeParse(json);
        if (!r.success) return reject('schema', `${topic}: ${zodDetail(r.error)}`);
        if (r.data.instrument !== instrument) return mismatch(topic, r.data.instrument);
        const sample = spectrumSampleOf(r.data);
        const p = checkSpectrum(r.data, sample, now);
        if (p) return implausible(p);
        await options.beforeWrite?.();
        const fresh = await storeSpectrum(db, r.data, sample, now);
        const changes: Change[] = [{ type: 'spectrum', instrumentId: instrument, key: r.data.key }];
        return fresh ? { status: 'accepted', changes } : { status: 'duplicate', changes: [] };
      }
      default: {
        // A channel the contracts added and this switch does not handle yet: a type error here, never `undefined`.
        const unhandled: never = channel;
        void unhandled;
        return { status: 'ignored' };
      }
    }
  } catch (err) {
    // Only the database is left to fail here. What it said stays in the outcome's `error` for the server log.
    const transient = isTransientDbError(err);
    return {
      status: 'rejected',
      reason: 'db-error',
      detail: `${topic}: ${dbErrorDetail(err, transient)}`,
      transient,
      error: err,
    };
  }
}

function mismatch(topic: string, inPayload: string): IngestOutcome {
  return reject('instrument-mismatch', `${topic} carries a message of instrument ${inPayload}`);
}

async function ensureInstrument(db: Db, id: string, now: Date): Promise<void> {
  await db.insert(instruments).values({ id, firstSeenAt: now }).onConflictDoNothing();
}

/** The sample name: the document's own `sample` if a producer added one, else the acquisition folder's name. */
export function sampleOf(envelope: ResultEnvelope): string {
  const s = (envelope.document as Record<string, unknown>)['sample'];
  if (typeof s === 'string' && s.length > 0) return s;
  return basename(envelope.path.replace(/[\\/]+$/, '')) || envelope.path;
}

/**
 * Inserts the result once per key; returns false when the key was already stored (a replay or a QoS 1 repeat).
 * One statement (data-modifying CTEs, hence atomic): the instrument, the acquisition and its peaks go in one round
 * trip instead of five (begin, three inserts, commit), which is most of the ingest's cost on PostgreSQL. The
 * foreign keys are checked at the end of the statement, when the sibling inserts are visible.
 */
async function storeResult(db: Db, env: ResultEnvelope, now: Date): Promise<boolean> {
  const doc = env.document;
  const axisNames = doc.axes.map((a) => a.name);
  const t2Second = axisNames[0] === 'T2' && axisNames[1] === 'T2';
  const peakRows = doc.peaks.map((p, rank) => {
    const pos = p.position as Record<string, number | undefined>;
    const unc = (p.uncertainty?.positionUncertaintyDecades ?? {}) as Record<string, number | null | undefined>;
    const width = (p.widthDecades ?? {}) as Record<string, number | undefined>;
    return {
      rank,
      fraction: p.fraction,
      amplitude: p.amplitude ?? null,
      t1: pos.T1 ?? null,
      t2: pos.T2 ?? null,
      t2b: t2Second ? (pos.T2_2 ?? null) : null,
      d: pos.D ?? null,
      shift: pos.shift ?? null,
      t1t2_ratio: p.t1t2Ratio ?? (pos.T1 && pos.T2 ? pos.T1 / pos.T2 : null),
      t1_unc: unc.T1 ?? null,
      t2_unc: unc.T2 ?? null,
      t2b_unc: t2Second ? (unc.T2_2 ?? null) : null,
      d_unc: unc.D ?? null,
      fraction_sd: p.uncertainty?.fractionSd ?? null,
      t1_width: width.T1 ?? null,
      t2_width: width.T2 ?? null,
      d_width: width.D ?? null,
    };
  });
  // JSON null (not SQL NULL) where the result has no picture: the fleet page then does not try again
  const thumbnail = thumbnailOf(doc);
  const res = await db.execute(sql`
    with ins as (
      insert into instruments (id, site, first_seen_at) values (${env.instrument}, ${env.site ?? null}, ${now.toISOString()}::timestamptz)
      on conflict do nothing
    ), acq as (
      insert into acquisitions (key, instrument_id, path, sample, experiment, method, produced_at, received_at,
                                historical, reprocessed, relative_residual, peak_count, provenance, reduced, document,
                                thumbnail, request_id, requested_by)
      values (${env.key}, ${env.instrument}, ${env.path}, ${sampleOf(env)}, ${doc.experiment ?? axisNames.join('-')},
              ${doc.method}, ${env.producedAt}::timestamptz, ${now.toISOString()}::timestamptz, ${env.historical},
              ${env.reprocessed ?? false}, ${doc.fit.relativeResidual}, ${doc.peaks.length}::int,
              ${JSON.stringify(env.provenance)}::jsonb, ${env.reduced ? JSON.stringify(env.reduced) : null}::jsonb,
              ${JSON.stringify(doc)}::json, ${JSON.stringify(thumbnail)}::jsonb, ${env.request?.id ?? null},
              ${env.request?.by ?? null})
      on conflict do nothing
      returning key
    ), pk as (
      insert into peaks (acquisition_key, rank, fraction, amplitude, t1, t2, t2b, d, shift, t1t2_ratio,
                         t1_unc_decades, t2_unc_decades, t2b_unc_decades, d_unc_decades, fraction_sd,
                         t1_width_decades, t2_width_decades, d_width_decades)
      select acq.key, p.rank, p.fraction, p.amplitude, p.t1, p.t2, p.t2b, p.d, p.shift, p.t1t2_ratio,
             p.t1_unc, p.t2_unc, p.t2b_unc, p.d_unc, p.fraction_sd, p.t1_width, p.t2_width, p.d_width
      from acq, jsonb_to_recordset(${JSON.stringify(peakRows)}::jsonb) as p(rank int, fraction float8,
        amplitude float8, t1 float8, t2 float8, t2b float8, d float8, shift float8, t1t2_ratio float8,
        t1_unc float8, t2_unc float8, t2b_unc float8, d_unc float8, fraction_sd float8,
        t1_width float8, t2_width float8, d_width float8)
    )
    select count(*)::int as n from acq`);
  const rows = (res as unknown as { rows: { n: number }[] }).rows;
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Keeps a refused message's topic, reason and size (not its content) for the fleet page. */
export async function recordRejection(
  db: Db,
  topic: string,
  reason: RejectReason,
  detail: string,
  bytes: number,
): Promise<void> {
  await db.insert(rejectedMessages).values({ topic: safeTopic(topic), reason, detail: detail.slice(0, 500), bytes });
}
