/**
 * The dashboard's tables: one schema for PGlite and PostgreSQL (drizzle-kit generates ./drizzle from it).
 * Acquisitions are keyed on the result key the agent computes (sha256 of raw data + pipeline + parameters), so a
 * result published twice — replayed from the agent's outbox, or delivered twice at QoS 1 — is stored once.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  bigserial,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Raw bytes (drizzle has no bytea helper): Buffer in, Buffer/Uint8Array out. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per instrument ever heard of; status and the last heartbeat's counters live here. */
export const instruments = pgTable('instruments', {
  id: text('id').primaryKey(),
  site: text('site'),
  /** `online` / `offline` from the retained status topic (and the broker's Last Will); `unknown` before any. */
  state: text('state').notNull().default('unknown'),
  stateAt: tz('state_at'),
  stateReason: text('state_reason'),
  version: text('version'),
  firstSeenAt: tz('first_seen_at').notNull().defaultNow(),
  heartbeatAt: tz('heartbeat_at'),
  uptimeSeconds: doublePrecision('uptime_seconds'),
  processed: integer('processed'),
  failed: integer('failed'),
  queued: integer('queued'),
  outboxDepth: integer('outbox_depth'),
  lastSuccessAt: tz('last_success_at'),
  /**
   * When the dashboard received the status / heartbeat now stored. Newer ones win by these, not by the producer's
   * `at`: a clock that is wrong (or a Last Will stamped before the agent's own "online") cannot pin a state.
   */
  stateReceivedAt: tz('state_received_at'),
  heartbeatReceivedAt: tz('heartbeat_received_at'),
});

/** One row per result key: the envelope's facts as columns (for lists and filters) and the whole document. */
export const acquisitions = pgTable(
  'acquisitions',
  {
    key: text('key').primaryKey(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    path: text('path').notNull(),
    sample: text('sample'),
    experiment: text('experiment'),
    method: text('method').notNull(),
    producedAt: tz('produced_at').notNull(),
    receivedAt: tz('received_at').notNull().defaultNow(),
    historical: boolean('historical').notNull().default(false),
    reprocessed: boolean('reprocessed').notNull().default(false),
    relativeResidual: doublePrecision('relative_residual'),
    peakCount: integer('peak_count').notNull().default(0),
    /** The envelope's provenance (raw-data hash, software and pipeline versions, method, parameters). */
    provenance: jsonb('provenance').notNull(),
    /** Set when the agent shrank the document to fit the MQTT payload limit. */
    reduced: jsonb('reduced'),
    /**
     * The `lapis-result/1` document as received. `json` (its text, checked), not `jsonb`: it is only ever read whole,
     * and the binary conversion was a third of PGlite's cost per stored result.
     */
    document: json('document').notNull(),
    /** The result's picture for the fleet page (lib/thumbnail.ts); null for results stored before it existed. */
    thumbnail: jsonb('thumbnail'),
    /** The reprocess request this version answers (ResultEnvelope `request`) and who asked; null otherwise. */
    requestId: text('request_id'),
    requestedBy: text('requested_by'),
  },
  // Ascending indexes on purpose: `order by … desc` (nulls first) is served by scanning them backwards, whereas a
  // `desc` index is `desc nulls last` and does not match it — the fleet query then sorted every row (1 s at 500k).
  (t) => [
    index('acquisitions_instrument_produced').on(t.instrumentId, t.producedAt),
    index('acquisitions_produced').on(t.producedAt),
    index('acquisitions_sample').on(t.sample),
    // the versions of one acquisition (the same folder on the same instrument)
    index('acquisitions_instrument_path').on(t.instrumentId, t.path),
  ],
);

/**
 * One row per spectrum key (`lapis-mqtt-spectrum/1`): an ordinary ¹H, ¹³C … acquisition processed and peak-picked
 * by the agent. The facts lists show as columns, the `lapis-spectrum/1` document (spectrum reduced for transport,
 * peaks, processing) whole; its peaks are not flattened — nothing trends them yet.
 */
export const spectra = pgTable(
  'spectra',
  {
    key: text('key').primaryKey(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    path: text('path').notNull(),
    sample: text('sample'),
    /** The observed nucleus ('1H'); a 2D spectrum's nuclei by axis, '/'-separated ('13C/1H'). */
    nucleus: text('nucleus'),
    pulseProgram: text('pulse_program'),
    solvent: text('solvent'),
    dimensions: integer('dimensions').notNull().default(1),
    producedAt: tz('produced_at').notNull(),
    receivedAt: tz('received_at').notNull().defaultNow(),
    historical: boolean('historical').notNull().default(false),
    reprocessed: boolean('reprocessed').notNull().default(false),
    peakCount: integer('peak_count').notNull().default(0),
    /** Noise σ of the spectrum, its units. */
    noise: doublePrecision('noise'),
    provenance: jsonb('provenance').notNull(),
    /** As received; `json`, not `jsonb`, as for acquisitions: only ever read whole. */
    document: json('document').notNull(),
    /** The fleet page's sparkline (lib/spectrumThumbnail.ts), made at ingest; null where there is none. */
    thumbnail: jsonb('thumbnail'),
    requestId: text('request_id'),
    requestedBy: text('requested_by'),
  },
  // ascending, scanned backwards for `order by produced_at desc` (see acquisitions)
  (t) => [
    index('spectra_instrument_produced').on(t.instrumentId, t.producedAt),
    index('spectra_produced').on(t.producedAt),
  ],
);

/** Peaks flattened out of the documents so trends are one indexed query rather than a scan of JSON. */
export const peaks = pgTable(
  'peaks',
  {
    acquisitionKey: text('acquisition_key')
      .notNull()
      .references(() => acquisitions.key, { onDelete: 'cascade' }),
    /** Rank in the document (0 = largest fraction). */
    rank: integer('rank').notNull(),
    fraction: doublePrecision('fraction').notNull(),
    amplitude: doublePrecision('amplitude'),
    t1: doublePrecision('t1'),
    t2: doublePrecision('t2'),
    /** Second T2 of a T2–T2 exchange map. */
    t2b: doublePrecision('t2b'),
    d: doublePrecision('d'),
    shift: doublePrecision('shift'),
    t1t2Ratio: doublePrecision('t1t2_ratio'),
    /**
     * Combined uncertainty of log10 of each position (peaks[].uncertainty.positionUncertaintyDecades), decades, and
     * the fraction's spread; null when the result carries none (older agents, sparse/nnls without draws).
     */
    t1UncDecades: doublePrecision('t1_unc_decades'),
    t2UncDecades: doublePrecision('t2_unc_decades'),
    t2bUncDecades: doublePrecision('t2b_unc_decades'),
    dUncDecades: doublePrecision('d_unc_decades'),
    fractionSd: doublePrecision('fraction_sd'),
    /** Log-normal width per axis (peaks[].widthDecades), decades; null when the result carries none. */
    t1WidthDecades: doublePrecision('t1_width_decades'),
    t2WidthDecades: doublePrecision('t2_width_decades'),
    dWidthDecades: doublePrecision('d_width_decades'),
  },
  (t) => [primaryKey({ columns: [t.acquisitionKey, t.rank] })],
);

/**
 * Names users gave to populations followed over time (water, fat, protein-bound water …). A name sits where the
 * population was when it was named — its median log10 position per axis — on the maps of one experiment, for the
 * samples whose name starts with `scope` ('' for all): populations of later series near that position get it too.
 */
export const populationNames = pgTable(
  'population_names',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    experiment: text('experiment').notNull(),
    scope: text('scope').notNull().default(''),
    name: text('name').notNull(),
    /** log10 of the position per axis name, SI units inside the log: `{ "T1": -0.49, "T2": -1.42 }`. */
    centre: jsonb('centre').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('population_names_identity').on(t.experiment, t.scope, t.name)],
);

/**
 * Alert incidents: one per instrument and kind of trouble (lib/fleetHealth.ts) from when it is first seen until it
 * is gone; at most one open at a time (the partial unique index), so several dashboard processes open it once. The
 * webhook is told when it opens and when it is resolved (`notified_at`, `resolved_notified_at`: null until sent).
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    kind: text('kind').notNull(),
    level: text('level').notNull(),
    detail: text('detail').notNull(),
    openedAt: tz('opened_at').notNull(),
    resolvedAt: tz('resolved_at'),
    notifiedAt: tz('notified_at'),
    resolvedNotifiedAt: tz('resolved_notified_at'),
    /** The same two moments for e-mail (LAPIS_SMTP_URL), claimed and released the same way. */
    emailNotifiedAt: tz('email_notified_at'),
    emailResolvedNotifiedAt: tz('email_resolved_notified_at'),
    /** A manager saw it (no further reminders; the incident stays open until the trouble is gone). */
    acknowledgedAt: tz('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    uniqueIndex('incidents_open')
      .on(t.instrumentId, t.kind)
      .where(sql`resolved_at is null`),
    index('incidents_opened').on(t.openedAt),
  ],
);

/** Agent life-cycle events (detected/started/finished/failed); deduplicated because replays repeat them. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    kind: text('kind').notNull(),
    at: tz('at').notNull(),
    path: text('path').notNull(),
    key: text('key'),
    reason: text('reason'),
    historical: boolean('historical').notNull().default(false),
  },
  (t) => [
    uniqueIndex('events_identity').on(t.instrumentId, t.kind, t.at, t.path),
    index('events_instrument_at').on(t.instrumentId, t.at),
  ],
);

/** Messages the ingest refused, kept (truncated) so a lab manager can see what a misbehaving agent sends. */
export const rejectedMessages = pgTable(
  'rejected_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tz('at')
      .notNull()
      .default(sql`now()`),
    topic: text('topic').notNull(),
    reason: text('reason').notNull(),
    detail: text('detail').notNull(),
    bytes: integer('bytes').notNull(),
  },
  (t) => [index('rejected_at').on(t.at)],
);

/**
 * Messages put aside after a transient database failure (dead letters awaiting a retry): acknowledged to the broker
 * once parked here, so one message's retries never hold the MQTT flow, and retried by the ingest with backoff until
 * stored, refused, or given up as `db-error`.
 */
export const ingestParked = pgTable(
  'ingest_parked',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    payload: bytea('payload').notNull(),
    receivedAt: tz('received_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: tz('next_at').notNull(),
  },
  (t) => [index('ingest_parked_next').on(t.nextAt)],
);

/**
 * Reprocess requests sent from the dashboard (server/reprocess/reprocess.ts): one row per instrument asked, with
 * the agent's reply (`cmd/reprocess/reply`) once it comes: how many folders it queued and which it refused, and why.
 */
export const reprocessRequests = pgTable(
  'reprocess_requests',
  {
    id: text('id').notNull(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    at: tz('at').notNull(),
    byEmail: text('by_email').notNull(),
    method: text('method'),
    paths: jsonb('paths').notNull(),
    repliedAt: tz('replied_at'),
    accepted: integer('accepted'),
    rejected: jsonb('rejected'),
  },
  (t) => [primaryKey({ columns: [t.id, t.instrumentId] }), index('reprocess_requests_at').on(t.at)],
);

/** Alerts muted for a time: an instrument's incidents (of one kind, or all when `kind` is null) are not sent. */
export const alertMutes = pgTable(
  'alert_mutes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    kind: text('kind'),
    until: tz('until').notNull(),
    byEmail: text('by_email'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [index('alert_mutes_instrument').on(t.instrumentId, t.until)],
);

/**
 * Quality-control references (server/qc/qc.ts): a reference sample a manager designates — results whose sample name
 * starts with `samplePrefix` (case-insensitive), on one instrument or any, of one experiment or any — and the
 * quantity charted (lib/qcQuantity.ts). Limits come from the first `baselineCount` results; Westgard rules
 * (lib/westgard.ts) judge every later one.
 */
export const qcReferences = pgTable('qc_references', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  samplePrefix: text('sample_prefix').notNull(),
  instrumentId: text('instrument_id').references(() => instruments.id),
  experiment: text('experiment'),
  quantity: text('quantity').notNull(),
  baselineCount: integer('baseline_count').notNull().default(20),
  createdAt: tz('created_at').notNull().defaultNow(),
  createdBy: text('created_by'),
  /** Set when a manager retires the reference: no more charts or alerts. */
  retiredAt: tz('retired_at'),
});

/**
 * Sign-in (server/auth/auth.ts, better-auth): people, their sessions, how they sign in (`credential`: a local
 * password, hashed with argon2id; `oidc`: single sign-on) and short-lived verification values (OAuth state). The
 * column set is better-auth's; `role` (viewer, manager, admin — server/auth/roles.ts) is Lapis' own.
 */
export const authUsers = pgTable('auth_users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  role: text('role').notNull().default('viewer'),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: tz('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
  },
  (t) => [index('auth_sessions_user').on(t.userId)],
);

export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: tz('access_token_expires_at'),
    refreshTokenExpiresAt: tz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('auth_accounts_user').on(t.userId)],
);

export const authVerifications = pgTable(
  'auth_verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: tz('expires_at').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('auth_verifications_identifier').on(t.identifier)],
);

/**
 * Who did what, when: sign-ins, reprocess requests, alert acknowledgements, role and configuration changes
 * (server/audit/audit.ts). Append-only: the migration makes UPDATE and DELETE on it fail.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tz('at')
      .notNull()
      .default(sql`now()`),
    /** The signed-in user's id and e-mail as they were then (null: the system itself). */
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    target: text('target'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action').on(t.action)],
);

export type InstrumentRow = typeof instruments.$inferSelect;
export type AcquisitionRow = typeof acquisitions.$inferSelect;
export type PeakRow = typeof peaks.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type PopulationNameRow = typeof populationNames.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type AuthUserRow = typeof authUsers.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ReprocessRequestRow = typeof reprocessRequests.$inferSelect;
export type QcReferenceRow = typeof qcReferences.$inferSelect;
export type SpectrumRow = typeof spectra.$inferSelect;
