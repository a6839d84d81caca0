/** Counters of what the ingest accepted and refused, by reason; shown on the fleet page and in the logs. */
export type RejectReason =
  'oversize' | 'not-json' | 'schema' | 'bad-topic' | 'instrument-mismatch' | 'unknown-instrument' | 'db-error';

export interface IngestCounters {
  received: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  byReason: Partial<Record<RejectReason, number>>;
  lastRejectAt: string | null;
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
    lastRejectAt: null,
    lastRejectDetail: null,
  };
}
