/**
 * In-memory outbox: the reference behaviour of the Outbox interface, lost when the process ends.
 * Used by tests and by runs that must leave no state behind.
 */
import type { OutboxEntry, Outbox, OutboxMessage, OutboxStats, OutcomeRecord } from './types';

export class MemoryOutbox implements Outbox {
  private readonly outcomes = new Map<string, OutcomeRecord>();
  // A Map iterates in insertion order, which is seq order because seqs only grow.
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;
  private bytes = 0;
  private closed = false;

  commit(outcome: OutcomeRecord, messages: readonly OutboxMessage[]): number[] {
    this.check();
    this.outcomes.set(outcome.key, { ...outcome });
    return messages.map((m) => {
      const seq = this.nextSeq++;
      const bytes = Buffer.byteLength(m.payload);
      this.entries.set(seq, { ...m, seq, key: outcome.key, createdAt: outcome.at, bytes });
      this.bytes += bytes;
      return seq;
    });
  }

  outcome(key: string): OutcomeRecord | undefined {
    this.check();
    const o = this.outcomes.get(key);
    return o && { ...o };
  }

  pending(afterSeq: number, limit: number): OutboxEntry[] {
    this.check();
    const out: OutboxEntry[] = [];
    for (const e of this.entries.values()) {
      if (out.length >= limit) break;
      if (e.seq > afterSeq) out.push({ ...e });
    }
    return out;
  }

  ack(seq: number): void {
    this.check();
    const e = this.entries.get(seq);
    if (!e) return;
    this.entries.delete(seq);
    this.bytes -= e.bytes;
  }

  stats(): OutboxStats {
    this.check();
    return { depth: this.entries.size, bytes: this.bytes, outcomes: this.outcomes.size };
  }

  close(): void {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('outbox is closed');
  }
}
