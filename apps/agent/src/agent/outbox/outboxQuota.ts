/**
 * The outbox's size limit: processing waits while the outbox holds its quota (nothing is lost: the raw data stay on
 * disk), with a warning once it is filling and an error while it is full, each at most every 10 s.
 */
import type { Logger } from '../logger';
import type { Outbox } from './types';

export class OutboxQuota {
  private lastWarn = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly limits: { quotaBytes: number; warnFraction: number },
    private readonly log: Logger,
  ) {}

  /** Resolves once the outbox is under its quota; rejects when `stopping()` says the agent is stopping. */
  async wait(stopping: () => boolean): Promise<void> {
    for (;;) {
      const s = this.outbox.stats();
      const q = this.limits.quotaBytes;
      if (s.bytes < q) {
        if (s.bytes >= q * this.limits.warnFraction && Date.now() - this.lastWarn > 10_000) {
          this.lastWarn = Date.now();
          this.log.warn(
            { outboxBytes: s.bytes, quotaBytes: q, depth: s.depth },
            'OUTBOX FILLING: broker unreachable or slow; results are kept but space is running out',
          );
        }
        return;
      }
      if (Date.now() - this.lastWarn > 10_000) {
        this.lastWarn = Date.now();
        this.log.error(
          { outboxBytes: s.bytes, quotaBytes: q, depth: s.depth },
          'OUTBOX FULL: processing paused until the broker acknowledges messages (raw data stay on disk; nothing is lost)',
        );
      }
      if (stopping()) throw new Error('stopping');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
