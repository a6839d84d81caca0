/**
 * The ingest: one MQTT subscription to `lapis/v1/+/#` inside the dashboard's server process (started from
 * `src/instrumentation.ts`), writing through `ingestMessage`. It uses a persistent session (stable client id,
 * clean = false, QoS 1) so the broker queues results while the dashboard is down and delivers them on reconnect;
 * retained `status` messages restore who is online. By default a message is acknowledged to the broker only once it
 * is written (see `ack`), so a crash never loses one. Messages of one instrument are applied in order; with
 * `ack: 'received'` different instruments are written in parallel (bounded), for the highest ingest rate.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { MQTT_TOPIC_ROOT } from '@lapis/contracts';
import type { Db } from '../db/client';
import type { ChangeBus } from '../bus';
import { ingestMessage, recordRejection } from './ingestMessage';
import type { IngestMessageOptions, IngestOutcome } from './ingestMessage';
import { emptyCounters } from './stats';
import type { IngestCounters } from './stats';

export interface IngestLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export interface IngestServiceOptions extends IngestMessageOptions {
  db: Db;
  bus?: ChangeBus;
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  /** Client id (default `lapis-dashboard`); keep it stable so the broker keeps the session. */
  clientId?: string;
  /** How many instruments are written at once (default 8; use 1 for PGlite, which has one connection anyway). */
  concurrency?: number;
  logger?: IngestLogger;
  /**
   * When a message is acknowledged to the broker: `written` (default) once it is in the database — at-least-once,
   * nothing lost if the dashboard dies, one message at a time (MQTT.js reads the next after the acknowledgement);
   * `received` on arrival — instruments are written in parallel (≈ 3–4× the rate on PostgreSQL), but a message
   * being written when the process dies is lost to the dashboard.
   */
  ack?: 'written' | 'received';
  /** Waits before retrying a write that failed in the database (default 0.5, 2 and 5 s). */
  retryDelaysMs?: readonly number[];
}

export interface IngestService {
  readonly counters: IngestCounters;
  readonly client: MqttClient;
  /** Resolves when every message received so far has been written (tests and benchmarks wait on it). */
  idle(): Promise<void>;
  /** Resolves once the subscription is granted. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const consoleLogger: IngestLogger = {
  info: (m) => console.info(`[ingest] ${m}`),
  warn: (m) => console.warn(`[ingest] ${m}`),
  error: (m, e) => console.error(`[ingest] ${m}`, e ?? ''),
};

export function startIngest(options: IngestServiceOptions): IngestService {
  const { db, bus } = options;
  const log = options.logger ?? consoleLogger;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const retryDelaysMs = options.retryDelaysMs ?? [500, 2000, 5000];
  const counters = emptyCounters();
  const chains = new Map<string, Promise<void>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  let pending = 0;
  let idleWaiters: (() => void)[] = [];

  const acquire = async () => {
    if (running < concurrency) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  const handle = async (topic: string, payload: Buffer) => {
    let outcome: IngestOutcome = { status: 'ignored' };
    // A database hiccup (a PostgreSQL restart) is retried here a few times before the message is given up as a
    // counted db-error (and then acknowledged, so that one bad write cannot stall the whole subscription).
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, retryDelaysMs[attempt - 1]));
      try {
        outcome = await ingestMessage(db, topic, payload, options);
      } catch (err) {
        // ingestMessage promises not to throw; if it does anyway, count it rather than lose the process.
        outcome = { status: 'rejected', reason: 'db-error', detail: (err as Error).message };
      }
      if (!(outcome.status === 'rejected' && outcome.reason === 'db-error')) break;
    }
    switch (outcome.status) {
      case 'accepted':
        counters.accepted += 1;
        for (const change of outcome.changes) bus?.publish(change);
        break;
      case 'duplicate':
        counters.duplicates += 1;
        break;
      case 'ignored':
        counters.ignored += 1;
        break;
      case 'rejected': {
        counters.rejected += 1;
        counters.byReason[outcome.reason] = (counters.byReason[outcome.reason] ?? 0) + 1;
        counters.lastRejectAt = new Date().toISOString();
        counters.lastRejectDetail = `${outcome.reason}: ${outcome.detail}`.slice(0, 500);
        log.warn(`rejected (${outcome.reason}) ${outcome.detail.slice(0, 300)}`);
        if (outcome.reason !== 'db-error') {
          await recordRejection(db, topic, outcome.reason, outcome.detail, payload.byteLength).catch((err) =>
            log.error('could not record a rejected message', err),
          );
        }
        break;
      }
    }
  };

  const client = mqtt.connect(options.url, {
    clientId: options.clientId ?? 'lapis-dashboard',
    clean: false,
    // 3.1.1: the embedded aedes broker refuses v5 clients; mosquitto speaks both.
    protocolVersion: 4,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });

  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const topic = `${MQTT_TOPIC_ROOT}/+/#`;
  client.on('connect', (ack) => {
    lastError = '';
    log.info(`connected to ${options.url} (session ${ack.sessionPresent ? 'resumed' : 'new'})`);
    // Subscribing again on every connect is harmless and covers a broker that lost the session.
    client.subscribe(topic, { qos: 1 }, (err) => {
      if (err) log.error(`subscribe ${topic} failed`, err);
      else resolveReady();
    });
  });
  // A broker that is down makes MQTT.js report the same error every reconnect period: say it once.
  let lastError = '';
  client.on('error', (err) => {
    if (err.message !== lastError) log.error(`mqtt: ${err.message}`);
    lastError = err.message;
  });
  client.on('offline', () => log.warn(`broker ${options.url} unreachable; retrying every 2 s`));
  // At-least-once into the database: MQTT.js sends a QoS 1 PUBACK only after `handleMessage` calls back, so it
  // waits here until the message has been written (or given up after the retries, counted). A crash before the
  // write leaves the message unacknowledged in the persistent session and the broker delivers it again; the
  // idempotent upsert absorbs the repeat. The cost: the client reads the next message only after this one is done.
  const written = new WeakMap<object, Promise<void>>();
  if ((options.ack ?? 'written') === 'written')
    client.handleMessage = (packet, callback) => {
      const done = written.get(packet) ?? Promise.resolve();
      void done.then(
        () => callback(),
        () => callback(),
      );
    };
  client.on('message', (t, payload, packet) => {
    counters.received += 1;
    pending += 1;
    // Per-instrument chain: topics of one instrument keep their order (status then result, say).
    const segment = t.split('/')[2] ?? '';
    const previous = chains.get(segment) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        await acquire();
        try {
          await handle(t, payload);
        } finally {
          release();
        }
      })
      .catch((err) => log.error('ingest chain failed', err))
      .finally(() => {
        pending -= 1;
        if (chains.get(segment) === next) chains.delete(segment);
        if (pending === 0) {
          const ws = idleWaiters;
          idleWaiters = [];
          for (const w of ws) w();
        }
      });
    chains.set(segment, next);
    written.set(packet, next);
  });

  return {
    counters,
    client,
    ready,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    stop: async () => {
      await client.endAsync();
      await Promise.all([...chains.values()]);
    },
  };
}
