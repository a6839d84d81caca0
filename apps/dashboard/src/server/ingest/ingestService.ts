/**
 * The ingest: one MQTT subscription to `lapis/v1/+/#` inside the dashboard's server process (started from
 * `src/instrumentation.ts`; with `shareGroup`, MQTT 5 shared subscriptions that several dashboard processes divide
 * between them), writing through `ingestMessage`. It uses a persistent session (stable client id,
 * clean = false, QoS 1) so the broker queues results while the dashboard is down and delivers them on reconnect;
 * retained `status` messages restore who is online. By default a message is acknowledged to the broker only once it
 * is written (see `ack`), so a crash never loses one. Messages of one instrument are applied in order; with
 * `ack: 'received'` different instruments are written in parallel (bounded), for the highest ingest rate.
 *
 * With `ack: 'written'` MQTT.js reads the next message only after this one is acknowledged, so whatever one message
 * costs, every instrument waits for. Hence: a bad message is refused before the database (ingestMessage, about a
 * millisecond); a database error that retrying cannot fix is not retried; a transient one is retried once in place
 * and then the message is parked in `ingest_parked` and acknowledged — its retries run beside the flow, not in it.
 * Only when the database cannot even take the parked copy (it is down for everyone) is the flow held until it
 * answers, unacknowledged, so the broker keeps every message meanwhile.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { asc, count, eq, lte, min } from 'drizzle-orm';
import { MQTT_TOPIC_ROOT } from '@lapis/contracts';
import type { Db } from '../db/client';
import { ingestParked } from '../db/schema';
import type { ChangeBus } from '../bus';
import { dbErrorLogText } from './dbErrors';
import { ingestMessage, recordRejection } from './ingestMessage';
import type { IngestMessageOptions, IngestOutcome } from './ingestMessage';
import { emptyCounters } from './stats';
import type { IngestCounters } from './stats';

export interface IngestLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export interface IngestServiceOptions extends Omit<IngestMessageOptions, 'now' | 'beforeWrite'> {
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
   * When a message is acknowledged to the broker: `written` (default) once it is in the database (or refused, or
   * parked) — at-least-once, nothing lost if the dashboard dies, one message at a time (MQTT.js reads the next after
   * the acknowledgement); `received` on arrival — instruments are written in parallel (≈ 3–4× the rate on
   * PostgreSQL), but a message being written when the process dies is lost to the dashboard.
   */
  ack?: 'written' | 'received';
  /** Waits before retrying in place a write that failed for a transient reason, before parking it (default 20 ms). */
  retryDelaysMs?: readonly number[];
  /** Waits between the retries of a parked message; after the last it is given up as `db-error`. */
  parkedRetryDelaysMs?: readonly number[];
  /** While the database cannot even park a message: waits between tries (the last one repeats). */
  outageRetryDelaysMs?: readonly number[];
  /** Awaited before each write: on PGlite `DbHandle.readsFirst`, so page queries never queue behind the ingest. */
  readsFirst?: () => Promise<void>;
  /**
   * Scale-out: the name of an MQTT 5 shared-subscription group. Several dashboard processes (each its own client
   * id) that give the same group share the results, events and heartbeats — the broker hands each message to one of
   * them — while every process still takes the retained statuses itself (shared subscriptions get no retained
   * messages). Needs an MQTT 5 broker (mosquitto, EMQX); undefined (default): one process takes everything, 3.1.1.
   */
  shareGroup?: string;
}

/** What the ingest subscribes to: everything under the root, or, in a share group, the shared part and the statuses. */
export function ingestTopics(shareGroup?: string): string[] {
  if (shareGroup === undefined) return [`${MQTT_TOPIC_ROOT}/+/#`];
  if (!SHARE_GROUP.test(shareGroup))
    throw new RangeError(`share group ${JSON.stringify(shareGroup)}: 1–64 letters, digits, '-' or '_'`);
  return [
    ...(['result', 'spectrum', 'event', 'heartbeat', 'cmd/reprocess/reply'] as const).map(
      (c) => `$share/${shareGroup}/${MQTT_TOPIC_ROOT}/+/${c}`,
    ),
    `${MQTT_TOPIC_ROOT}/+/status`,
  ];
}

/** A share group name: no '/', '+' or '#' (MQTT 5 forbids them there), kept to a plain word. */
export const SHARE_GROUP = /^[A-Za-z0-9_-]{1,64}$/;

export interface IngestService {
  readonly counters: IngestCounters;
  readonly client: MqttClient;
  /** Resolves when every message received so far has been written, refused or parked (tests and benchmarks). */
  idle(): Promise<void>;
  /** Resolves once the subscription is granted. */
  ready: Promise<void>;
  /** Publishes a command to an agent (QoS 1; resolves on the broker's acknowledgement). */
  publish(topic: string, payload: string): Promise<void>;
  stop(): Promise<void>;
}

const consoleLogger: IngestLogger = {
  info: (m) => console.info(`[ingest] ${m}`),
  warn: (m) => console.warn(`[ingest] ${m}`),
  error: (m, e) => console.error(`[ingest] ${m}`, e ?? ''),
};

type Handled = 'done' | 'held';

const isTransient = (o: IngestOutcome) => o.status === 'rejected' && o.reason === 'db-error' && o.transient === true;

export function startIngest(options: IngestServiceOptions): IngestService {
  const { db, bus } = options;
  const log = options.logger ?? consoleLogger;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const retryDelaysMs = options.retryDelaysMs ?? [20];
  const parkedDelaysMs = options.parkedRetryDelaysMs ?? [1000, 5000, 30_000, 120_000, 600_000];
  const outageDelaysMs = options.outageRetryDelaysMs ?? [500, 1000, 2000, 5000, 10_000, 30_000];
  const messageOptions: IngestMessageOptions = {
    knownInstruments: options.knownInstruments,
    maxBytes: options.maxBytes,
    beforeWrite: options.readsFirst,
  };
  const counters = emptyCounters();
  const chains = new Map<string, Promise<Handled>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  let pending = 0;
  let idleWaiters: (() => void)[] = [];
  let stopped = false;
  const sleepers = new Set<() => void>();

  /** A wait that `stop()` cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

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

  const attempt = async (topic: string, payload: Uint8Array, receivedAt: Date): Promise<IngestOutcome> => {
    try {
      return await ingestMessage(db, topic, payload, { ...messageOptions, now: receivedAt });
    } catch (err) {
      // ingestMessage promises not to throw; if it does anyway, count it rather than lose the process.
      return { status: 'rejected', reason: 'db-error', detail: `${topic}: unexpected failure`, error: err };
    }
  };

  /** Counts an outcome, tells the live feed, records a refusal. The database is answering when this runs. */
  const settle = async (topic: string, bytes: number, outcome: IngestOutcome) => {
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
        counters.lastRejectDetail = `${outcome.reason}: ${outcome.detail}`.slice(0, 300);
        if (outcome.reason === 'db-error') {
          // The database's own words, which may quote the query, stay here in the server log.
          log.error(`rejected (db-error) ${outcome.detail}: ${dbErrorLogText(outcome.error)}`);
        } else log.warn(`rejected (${outcome.reason}) ${outcome.detail}`);
        await recordRejection(db, topic, outcome.reason, outcome.detail, bytes).catch((err) =>
          log.error(`could not record a rejected message: ${dbErrorLogText(err)}`),
        );
        break;
      }
    }
  };

  // ---- parked messages: retried beside the flow --------------------------------------------------------------
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  let drainAt = Infinity;
  const scheduleDrain = (at: number) => {
    if (stopped || at >= drainAt) return;
    if (drainTimer) clearTimeout(drainTimer);
    drainAt = at;
    drainTimer = setTimeout(
      () => {
        drainTimer = undefined;
        drainAt = Infinity;
        void drain();
      },
      Math.max(0, at - Date.now()),
    );
    drainTimer.unref?.();
  };

  const park = async (topic: string, payload: Uint8Array, receivedAt: Date): Promise<boolean> => {
    try {
      const nextAt = new Date(Date.now() + (parkedDelaysMs[0] ?? 0));
      await db.insert(ingestParked).values({ topic, payload: Buffer.from(payload), receivedAt, nextAt });
      counters.parked += 1;
      log.warn(`parked a message on ${topic} after a transient database failure; retrying it in the background`);
      scheduleDrain(nextAt.getTime());
      return true;
    } catch {
      return false;
    }
  };

  /** Retries the parked messages that are due, each in its instrument's turn; then schedules the next round. */
  let draining = false;
  const drain = async () => {
    if (stopped) return;
    // One round at a time: a second one would pick the same rows.
    if (draining) return scheduleDrain(Date.now() + 1000);
    draining = true;
    try {
      const due = await db
        .select()
        .from(ingestParked)
        .where(lte(ingestParked.nextAt, new Date()))
        .orderBy(asc(ingestParked.id))
        .limit(50);
      await Promise.all(
        due.map((row) =>
          enqueue(row.topic.split('/')[2] ?? '', async () => {
            const outcome = await attempt(row.topic, row.payload, row.receivedAt);
            const attempts = row.attempts + 1;
            if (isTransient(outcome) && attempts < parkedDelaysMs.length) {
              const nextAt = new Date(Date.now() + parkedDelaysMs[attempts]!);
              await db.update(ingestParked).set({ attempts, nextAt }).where(eq(ingestParked.id, row.id));
              return 'done';
            }
            // Stored, refused, or out of retries (then counted as the db-error it is).
            await db.delete(ingestParked).where(eq(ingestParked.id, row.id));
            counters.parked = Math.max(0, counters.parked - 1);
            await settle(row.topic, row.payload.byteLength, outcome);
            return 'done';
          }),
        ),
      );
      const [next] = await db.select({ n: count(), at: min(ingestParked.nextAt) }).from(ingestParked);
      counters.parked = Number(next?.n ?? 0);
      if (next?.at) scheduleDrain(new Date(next.at).getTime());
    } catch (err) {
      log.warn(`retrying parked messages failed (${dbErrorLogText(err)}); trying again in 30 s`);
      scheduleDrain(Date.now() + 30_000);
    } finally {
      draining = false;
    }
  };

  // ---- one message ------------------------------------------------------------------------------------------
  const handle = async (topic: string, payload: Uint8Array, receivedAt: Date): Promise<Handled> => {
    let outcome = await attempt(topic, payload, receivedAt);
    for (const delay of retryDelaysMs) {
      if (!isTransient(outcome) || stopped) break;
      await sleep(delay);
      outcome = await attempt(topic, payload, receivedAt);
    }
    if (isTransient(outcome)) {
      if (outcome.status === 'rejected') log.warn(`${outcome.detail}: ${dbErrorLogText(outcome.error)}`);
      if (await park(topic, payload, receivedAt)) return 'done';
      // Not even the parked copy went in: the database is down for everyone. Hold this message unacknowledged —
      // the broker keeps it and everything after it — and try again until the database answers.
      log.error('database unreachable: holding the ingest until it answers (the broker keeps the messages)');
      for (let i = 0; isTransient(outcome); i++) {
        if (stopped) return 'held';
        await sleep(outageDelaysMs[Math.min(i, outageDelaysMs.length - 1)] ?? 1000);
        if (stopped) return 'held';
        outcome = await attempt(topic, payload, receivedAt);
        if (isTransient(outcome) && (await park(topic, payload, receivedAt))) return 'done';
      }
      log.info('database answers again; ingest resumed');
    }
    await settle(topic, payload.byteLength, outcome);
    return 'done';
  };

  /** Per-instrument chain: one instrument's messages keep their order (status then result, say). */
  const enqueue = (segment: string, fn: () => Promise<Handled>): Promise<Handled> => {
    pending += 1;
    const previous = chains.get(segment) ?? Promise.resolve<Handled>('done');
    const next = previous
      .then(async () => {
        await acquire();
        try {
          return await fn();
        } finally {
          release();
        }
      })
      .catch((err): Handled => {
        log.error(`ingest chain failed: ${dbErrorLogText(err)}`);
        return 'done';
      })
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
    return next;
  };

  const shownUrl = withoutPassword(options.url);
  const topics = ingestTopics(options.shareGroup);
  const client = mqtt.connect(options.url, {
    clientId: options.clientId ?? 'lapis-dashboard',
    clean: false,
    // 3.1.1: the embedded aedes broker refuses v5 clients; mosquitto speaks both. Shared subscriptions are MQTT 5,
    // and a v5 persistent session needs an expiry (0 would end it with the connection).
    ...(options.shareGroup === undefined
      ? { protocolVersion: 4 as const }
      : { protocolVersion: 5 as const, properties: { sessionExpiryInterval: 7 * 86_400 } }),
    // In a share group, back quickly after a broker restart: until the shared filters are renewed (see 'connect'),
    // mosquitto 2.0.11 drops what it receives for them.
    reconnectPeriod: options.shareGroup === undefined ? 2000 : 250,
    connectTimeout: 10_000,
  });

  /** This process was connected and lost the broker (not a first connect of a restarted dashboard). */
  let lostBroker = false;
  let connectedOnce = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  client.on('connect', (ack) => {
    lastError = '';
    log.info(
      `connected to ${shownUrl} (session ${ack.sessionPresent ? 'resumed' : 'new'}${options.shareGroup ? `, share group ${options.shareGroup}` : ''})`,
    );
    // Subscribing again on every connect is harmless and covers a broker that lost the session. In a share group,
    // after this process lost the broker, the shared filters are first dropped and made again: mosquitto 2.0.11
    // (Debian 12) restores shared subscriptions from its persistence file after a restart but no longer routes
    // anything to them (npm run soak found it; docs/deploy.md). Messages already queued for the session stay queued.
    const shared = topics.filter((t) => t.startsWith('$share/'));
    const renew = options.shareGroup !== undefined && ack.sessionPresent && lostBroker && shared.length > 0;
    lostBroker = false;
    connectedOnce = true;
    const subscribe = () =>
      client.subscribe(topics, { qos: 1 }, (err, granted) => {
        const refused = (granted ?? []).filter((g) => g.qos > 2);
        if (err || refused.length > 0)
          log.error(
            `subscribe ${topics.join(', ')} failed`,
            err ?? refused.map((g) => `${g.topic}: ${g.qos}`).join('; '),
          );
        else resolveReady();
      });
    if (renew) client.unsubscribe(shared, () => subscribe());
    else subscribe();
  });
  // A broker that is down makes MQTT.js report the same error every reconnect period: say it once.
  let lastError = '';
  client.on('error', (err) => {
    if (err.message !== lastError) log.error(`mqtt: ${err.message}`);
    lastError = err.message;
  });
  client.on('offline', () =>
    log.warn(`broker ${shownUrl} unreachable; retrying every ${options.shareGroup === undefined ? '2 s' : '0.25 s'}`),
  );
  client.on('close', () => (lostBroker ||= connectedOnce));
  // At-least-once into the database: MQTT.js sends a QoS 1 PUBACK only after `handleMessage` calls back, so it
  // waits here until the message has been written, refused or parked. A crash before that leaves the message
  // unacknowledged in the persistent session and the broker delivers it again; the idempotent upsert absorbs the
  // repeat. A message held through a database outage when the service stops is left unacknowledged on purpose.
  const written = new WeakMap<object, Promise<Handled>>();
  if ((options.ack ?? 'written') === 'written')
    client.handleMessage = (packet, callback) => {
      const done = written.get(packet) ?? Promise.resolve<Handled>('done');
      void done.then(
        (h) => (h === 'done' ? callback() : undefined),
        () => callback(),
      );
    };
  client.on('message', (t, payload, packet) => {
    counters.received += 1;
    const receivedAt = new Date();
    written.set(
      packet,
      enqueue(t.split('/')[2] ?? '', () => handle(t, payload, receivedAt)),
    );
  });

  // Messages parked by an earlier run are retried from the start.
  void (async () => {
    try {
      const [row] = await db.select({ n: count(), at: min(ingestParked.nextAt) }).from(ingestParked);
      counters.parked = Number(row?.n ?? 0);
      if (row?.at) scheduleDrain(new Date(row.at).getTime());
    } catch {
      scheduleDrain(Date.now() + 30_000);
    }
  })();

  return {
    counters,
    client,
    ready,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    publish: async (topic, payload) => {
      if (!client.connected) throw new Error('not connected to the broker');
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    stop: async () => {
      stopped = true;
      if (drainTimer) clearTimeout(drainTimer);
      for (const wake of [...sleepers]) wake();
      await client.endAsync();
      await Promise.all([...chains.values()]);
    },
  };
}

/** The broker URL for the log: a password in it (mqtt://user:secret@host) is shown as ***. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}
