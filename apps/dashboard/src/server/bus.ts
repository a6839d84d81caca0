/**
 * In-process change feed: the ingest says what changed, the tRPC live subscription tells browsers, which then
 * re-fetch. Only ids travel here — the database stays the one source of the data.
 */
import { EventEmitter, on } from 'node:events';

export type Change =
  | { type: 'instrument'; instrumentId: string }
  | { type: 'acquisition'; instrumentId: string; key: string }
  | { type: 'spectrum'; instrumentId: string; key: string }
  | { type: 'event'; instrumentId: string; kind: string };

export class ChangeBus {
  readonly #emitter = new EventEmitter();
  #seq = 0;

  constructor() {
    // Every open browser tab is a listener.
    this.#emitter.setMaxListeners(0);
  }

  publish(change: Change): void {
    this.#seq += 1;
    this.#emitter.emit('change', { id: this.#seq, change });
  }

  /** Async iterator of changes until `signal` aborts. */
  async *subscribe(signal?: AbortSignal): AsyncGenerator<{ id: number; change: Change }> {
    try {
      for await (const [item] of on(this.#emitter, 'change', { signal })) {
        yield item as { id: number; change: Change };
      }
    } catch (err) {
      if ((err as { name?: string }).name !== 'AbortError') throw err;
    }
  }
}
