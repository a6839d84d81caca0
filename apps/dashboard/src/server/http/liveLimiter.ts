/**
 * Counts open live-feed streams (server-sent events, each a connection held open for as long as a page is) per
 * client and in all, so one client — or a crowd — cannot hold the server's sockets and listeners.
 */

export type LiveAdmission = { ok: true; release: () => void } | { ok: false; reason: 'client' | 'total' };

export class LiveLimiter {
  readonly #perClient = new Map<string, number>();
  #open = 0;

  constructor(
    /** Most streams one client (address) may hold. */
    readonly maxPerClient: number,
    /** Most streams the server holds. */
    readonly maxTotal: number,
  ) {}

  /** Admits one more stream of `client`, or says which limit it would break. `release` is idempotent. */
  acquire(client: string): LiveAdmission {
    const mine = this.#perClient.get(client) ?? 0;
    if (this.#open >= this.maxTotal) return { ok: false, reason: 'total' };
    if (mine >= this.maxPerClient) return { ok: false, reason: 'client' };
    this.#perClient.set(client, mine + 1);
    this.#open += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#open -= 1;
        const n = (this.#perClient.get(client) ?? 1) - 1;
        if (n > 0) this.#perClient.set(client, n);
        else this.#perClient.delete(client);
      },
    };
  }

  get open(): number {
    return this.#open;
  }

  openOf(client: string): number {
    return this.#perClient.get(client) ?? 0;
  }
}
