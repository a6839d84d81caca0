/**
 * The behaviour every Outbox implementation must show. Each implementation's test file calls `outboxSuite` with
 * a factory; `reopen` (durable implementations only) opens the same store again after `close`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox, OutboxMessage, OutcomeRecord } from './types';

export interface OutboxFactory {
  open(dir: string): Outbox;
  /** Durable stores only: open what `open(dir)` wrote. */
  reopen?(dir: string): Outbox;
}

const key = (i: number) => i.toString(16).padStart(64, '0');
const outcome = (i: number, status: OutcomeRecord['status'] = 'finished'): OutcomeRecord => ({
  key: key(i),
  path: `/data/acq-${i}`,
  status,
  at: 1_700_000_000_000 + i,
  ...(status === 'failed' ? { reason: `bad ${i}` } : {}),
});
const message = (i: number, what = 'result'): OutboxMessage => ({
  topic: `lapis/v1/x/${what}`,
  payload: JSON.stringify({ i, what, text: 'é'.repeat(i) }),
  qos: 1,
  retain: false,
});

export function outboxSuite(name: string, factory: OutboxFactory): void {
  describe(`Outbox contract: ${name}`, () => {
    let dir: string;
    let box: Outbox;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'lapis-outbox-'));
      box = factory.open(dir);
    });
    afterEach(() => {
      box.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('commits an outcome with its messages and returns increasing seqs', () => {
      const a = box.commit(outcome(1), [message(1), message(1, 'event')]);
      const b = box.commit(outcome(2), [message(2)]);
      expect(a).toHaveLength(2);
      expect(a[0]!).toBeLessThan(a[1]!);
      expect(a[1]!).toBeLessThan(b[0]!);
      expect(box.outcome(key(1))).toEqual(outcome(1));
      expect(box.outcome(key(3))).toBeUndefined();
      const p = box.pending(0, 10);
      expect(p.map((e) => e.seq)).toEqual([...a, ...b]);
      expect(p[0]!.key).toBe(key(1));
      expect(p[1]!.topic).toBe('lapis/v1/x/event');
      expect(JSON.parse(p[2]!.payload)).toEqual({ i: 2, what: 'result', text: 'éé' });
    });

    it('pages through pending entries in order and counts bytes in UTF-8', () => {
      const seqs = [];
      for (let i = 1; i <= 25; i++) seqs.push(...box.commit(outcome(i), [message(i)]));
      const first = box.pending(0, 10);
      const second = box.pending(first.at(-1)!.seq, 10);
      const third = box.pending(second.at(-1)!.seq, 10);
      expect([...first, ...second, ...third].map((e) => e.seq)).toEqual(seqs);
      expect(third).toHaveLength(5);
      const expected = Array.from({ length: 25 }, (_, k) => Buffer.byteLength(message(k + 1).payload)).reduce(
        (s, v) => s + v,
        0,
      );
      expect(box.stats()).toEqual({ depth: 25, bytes: expected, outcomes: 25 });
    });

    it('deletes only what is acknowledged; acking twice or an unknown seq changes nothing', () => {
      const [s1] = box.commit(outcome(1), [message(1)]);
      const [s2] = box.commit(outcome(2), [message(2)]);
      box.ack(s2!);
      box.ack(s2!);
      box.ack(9999);
      expect(box.pending(0, 10).map((e) => e.seq)).toEqual([s1]);
      expect(box.stats().depth).toBe(1);
      expect(box.stats().bytes).toBe(Buffer.byteLength(message(1).payload));
      box.ack(s1!);
      expect(box.stats()).toEqual({ depth: 0, bytes: 0, outcomes: 2 });
      // the outcome outlives its messages: that is what makes restarts idempotent
      expect(box.outcome(key(1))?.status).toBe('finished');
    });

    it('records failures with their reason and lets a later commit replace an outcome', () => {
      box.commit(outcome(7, 'failed'), [message(7, 'event')]);
      expect(box.outcome(key(7))).toMatchObject({ status: 'failed', reason: 'bad 7' });
      box.commit(outcome(7), [message(7)]);
      expect(box.outcome(key(7))).toEqual(outcome(7));
      expect(box.stats().outcomes).toBe(1);
      expect(box.stats().depth).toBe(2);
    });

    it('keeps seqs increasing after the newest entries are acknowledged', () => {
      const [s1] = box.commit(outcome(1), [message(1)]);
      box.ack(s1!);
      const [s2] = box.commit(outcome(2), [message(2)]);
      expect(s2!).toBeGreaterThan(s1!);
    });

    it('refuses use after close', () => {
      const other = factory.open(join(dir, 'other'));
      other.close();
      expect(() => other.commit(outcome(1), [])).toThrow();
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('keeps outcomes, unacknowledged entries and their order across close and reopen', () => {
        for (let i = 1; i <= 5; i++) box.commit(outcome(i), [message(i)]);
        const before = box.pending(0, 10);
        box.ack(before[1]!.seq);
        box.close();
        box = reopen(dir);
        const after = box.pending(0, 10);
        expect(after.map((e) => e.seq)).toEqual(before.filter((_, i) => i !== 1).map((e) => e.seq));
        expect(after[0]!.payload).toBe(before[0]!.payload);
        expect(box.outcome(key(2))?.path).toBe('/data/acq-2');
        expect(box.stats().depth).toBe(4);
        const [next] = box.commit(outcome(6), [message(6)]);
        expect(next!).toBeGreaterThan(before.at(-1)!.seq);
      });
    }
  });
}
