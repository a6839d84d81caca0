/**
 * Durable outbox in SQLite (WAL). Outcome and messages go in one transaction, so after a crash (kill -9, power
 * loss) either both exist or neither does: an acquisition is then either republished from here or processed again,
 * never lost. `synchronous=FULL` makes a commit durable once it returns, power loss included.
 * One writer process per file: the agent holds it; `lapis agent reprocess` talks to a running agent over MQTT
 * instead of opening it (SQLite's busy timeout covers a brief overlap).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { OutboxEntry, Outbox, OutboxMessage, OutboxStats, OutcomeRecord, OutcomeStatus } from './types';

const SCHEMA_VERSION = 1;

interface EntryRow {
  seq: number;
  key: string;
  topic: string;
  payload: string;
  qos: number;
  retain: number;
  created_at: number;
  bytes: number;
}

interface OutcomeRow {
  key: string;
  path: string;
  status: string;
  reason: string | null;
  at: number;
}

export class SqliteOutbox implements Outbox {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly commitTx;
  private depth: number;
  private bytes: number;

  /** Opens (creating if needed) the outbox database at `file`. */
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.db = new Database(file, { timeout: 5000 });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS outcomes (
          key TEXT PRIMARY KEY, path TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL,
          qos INTEGER NOT NULL, retain INTEGER NOT NULL, created_at INTEGER NOT NULL, bytes INTEGER NOT NULL);
      `);
      const version = this.db.prepare(`SELECT value FROM meta WHERE name = 'schema'`).pluck().get() as
        string | undefined;
      if (version === undefined) {
        this.db.prepare(`INSERT INTO meta (name, value) VALUES ('schema', ?)`).run(String(SCHEMA_VERSION));
      } else if (Number(version) !== SCHEMA_VERSION) {
        throw new Error(`schema version ${version}, this agent understands ${SCHEMA_VERSION}`);
      }
    } catch (e) {
      throw new Error(`cannot open the outbox database ${file}: ${(e as Error).message}`, { cause: e });
    }
    this.stmts = {
      upsertOutcome: this.db.prepare(
        `INSERT INTO outcomes (key, path, status, reason, at) VALUES (@key, @path, @status, @reason, @at)
         ON CONFLICT(key) DO UPDATE SET path = excluded.path, status = excluded.status, reason = excluded.reason, at = excluded.at`,
      ),
      insertEntry: this.db.prepare(
        `INSERT INTO outbox (key, topic, payload, qos, retain, created_at, bytes)
         VALUES (@key, @topic, @payload, @qos, @retain, @created_at, @bytes)`,
      ),
      outcome: this.db.prepare(`SELECT key, path, status, reason, at FROM outcomes WHERE key = ?`),
      pending: this.db.prepare(`SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`),
      bytesOf: this.db.prepare(`SELECT bytes FROM outbox WHERE seq = ?`).pluck(),
      delete: this.db.prepare(`DELETE FROM outbox WHERE seq = ?`),
      totals: this.db.prepare(`SELECT COUNT(*) AS depth, COALESCE(SUM(bytes), 0) AS bytes FROM outbox`),
      outcomeCount: this.db.prepare(`SELECT COUNT(*) FROM outcomes`).pluck(),
    };
    this.commitTx = this.db.transaction((outcome: OutcomeRecord, messages: readonly OutboxMessage[]) => {
      this.stmts.upsertOutcome.run({ ...outcome, reason: outcome.reason ?? null });
      return messages.map((m) => {
        const bytes = Buffer.byteLength(m.payload);
        const info = this.stmts.insertEntry.run({
          key: outcome.key,
          topic: m.topic,
          payload: m.payload,
          qos: m.qos,
          retain: m.retain ? 1 : 0,
          created_at: outcome.at,
          bytes,
        });
        return { seq: Number(info.lastInsertRowid), bytes };
      });
    });
    const totals = this.stmts.totals.get() as { depth: number; bytes: number };
    this.depth = totals.depth;
    this.bytes = totals.bytes;
  }

  commit(outcome: OutcomeRecord, messages: readonly OutboxMessage[]): number[] {
    const rows = this.commitTx(outcome, messages);
    for (const r of rows) {
      this.depth += 1;
      this.bytes += r.bytes;
    }
    return rows.map((r) => r.seq);
  }

  outcome(key: string): OutcomeRecord | undefined {
    const row = this.stmts.outcome.get(key) as OutcomeRow | undefined;
    if (!row) return undefined;
    const rec: OutcomeRecord = { key: row.key, path: row.path, status: row.status as OutcomeStatus, at: row.at };
    if (row.reason !== null) rec.reason = row.reason;
    return rec;
  }

  pending(afterSeq: number, limit: number): OutboxEntry[] {
    return (this.stmts.pending.all(afterSeq, limit) as EntryRow[]).map((r) => ({
      seq: r.seq,
      key: r.key,
      topic: r.topic,
      payload: r.payload,
      qos: r.qos === 0 ? 0 : 1,
      retain: r.retain !== 0,
      createdAt: r.created_at,
      bytes: r.bytes,
    }));
  }

  ack(seq: number): void {
    const bytes = this.stmts.bytesOf.get(seq) as number | undefined;
    if (bytes === undefined) return;
    this.stmts.delete.run(seq);
    this.depth -= 1;
    this.bytes -= bytes;
  }

  stats(): OutboxStats {
    return { depth: this.depth, bytes: this.bytes, outcomes: this.stmts.outcomeCount.get() as number };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
