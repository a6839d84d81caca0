/** Counters of what the ingest accepted and refused, by reason; shown on the fleet page and in the logs. */
export type RejectReason =
  | 'oversize'
  | 'not-json'
  | 'schema'
  | 'bad-topic'
  | 'instrument-mismatch'
  | 'unknown-instrument'
  /** Not UTF-8, or a string with NUL, another control character or a lone surrogate (PostgreSQL refuses them). */
  | 'invalid-text'
  /** Nested deeper than MAX_JSON_DEPTH (checked on the raw text, before parsing). */
  | 'too-deep'
  /** A number outside its physical bounds, not finite, or a text over its length limit (plausibility.ts). */
  | 'implausible-value'
  /** A producer's time before 2000 or more than a day ahead of the dashboard's clock. */
  | 'implausible-time'
  /** The database refused the write for a reason the checks did not foresee, or stayed unavailable for it. */
  | 'db-error';

export interface IngestCounters {
  received: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  byReason: Partial<Record<RejectReason, number>>;
  /** Messages put aside after a transient database failure, waiting for a retry (ingest_parked); now. */
  parked: number;
  lastRejectAt: string | null;
  /** `reason: short human reason` — never message content, SQL or an error's text. */
  lastRejectDetail: string | null;
}

export function emptyCounters(): IngestCounters {
  return {
    received: 0,
    accepted: 0,
    duplicates: 0,
    ignored: 0,
    rejected: 0,
    byReason: {},
    parked: 0,
    lastRejectAt: null,
    lastRejectDetail: null,
  };
}
