/**
 * The outbox: the agent's memory of what it has processed and of what it still owes the broker.
 * An outcome (finished or failed) and the messages announcing it are committed together; a message leaves the
 * outbox only when the broker acknowledged it (`ack`). Two implementations pass one test suite (outboxSuite.ts):
 * `MemoryOutbox` (tests, `--ephemeral` runs) and `SqliteOutbox` (the default, durable across crashes).
 */

export type OutcomeStatus = 'finished' | 'failed';

/** What the agent remembers of one acquisition, keyed by its idempotency key. */
export interface OutcomeRecord {
  key: string;
  /** Acquisition directory. */
  path: string;
  status: OutcomeStatus;
  /** For `failed`: why. */
  reason?: string;
  /** ms since the epoch. */
  at: number;
}

export interface OutboxMessage {
  topic: string;
  /** UTF-8 JSON. */
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export interface OutboxEntry extends OutboxMessage {
  /** Strictly increasing: publication order. */
  seq: number;
  /** Idempotency key of the acquisition the message is about. */
  key: string;
  /** ms since the epoch when committed. */
  createdAt: number;
  /** Payload size in bytes (what the quota counts). */
  bytes: number;
}

export interface OutboxStats {
  /** Messages awaiting acknowledgement. */
  depth: number;
  /** Their payload bytes. */
  bytes: number;
  /** Outcomes remembered. */
  outcomes: number;
}

export interface Outbox {
  /** Records `outcome` (replacing an earlier one of the same key) and queues `messages`, atomically. Returns their seqs. */
  commit(outcome: OutcomeRecord, messages: readonly OutboxMessage[]): number[];
  /** The recorded outcome for `key`, if any. */
  outcome(key: string): OutcomeRecord | undefined;
  /** Up to `limit` entries with seq > `afterSeq`, oldest first. */
  pending(afterSeq: number, limit: number): OutboxEntry[];
  /** Removes an acknowledged entry; unknown seqs are ignored (a late PUBACK after a replay). */
  ack(seq: number): void;
  stats(): OutboxStats;
  close(): void;
}
