export type { Outbox, OutboxEntry, OutboxMessage, OutboxStats, OutcomeRecord, OutcomeStatus } from './types';
export { MemoryOutbox } from './memoryOutbox';
export { SqliteOutbox } from './sqliteOutbox';
