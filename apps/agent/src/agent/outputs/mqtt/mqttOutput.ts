/**
 * MQTT output: drains the outbox to the broker at QoS 1 and deletes each message only on its PUBACK.
 *
 * Each connection attempt uses a fresh client with MQTT.js' own reconnect and resend switched off: on a new
 * connection the outbox is replayed from its oldest entry, in order, so the broker sees messages in the order
 * they were committed and nothing depends on what a dead client had in flight. Entries committed before the
 * current connection came up are marked `historical`. The same client carries the retained `status` (online on
 * connect; offline as Last Will, and on a clean stop), the heartbeat, live events and the reprocess command.
 *
 * `protocol: 'auto'` starts with MQTT 5 (content type and the key as user property on results, response topic and
 * correlation data on commands) and falls back to 3.1.1 for good when the broker refuses 5 (aedes does).
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { MQTT_TOPIC_ROOT, mqttTopic, statusMessageSchema } from '@lapis/contracts';
import { escapeControls } from '@lapis/contracts/text';
import type { HeartbeatMessage, StatusMessage } from '@lapis/contracts';
import type { Logger } from '../../logger';
import type { AgentMetrics } from '../../metrics';
import type { Outbox, OutboxEntry } from '../../outbox/types';

export interface MqttOutputOptions {
  url: string;
  instrument: string;
  site?: string;
  softwareVersion: string;
  protocol: 'auto' | '5' | '3.1.1';
  username?: string;
  password?: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** Default `lapis-agent-{instrument}`: one session per instrument. */
  clientId?: string;
  keepaliveSeconds: number;
  heartbeatSeconds: number;
  /** Messages published and awaiting PUBACK at once. */
  inflight: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  outbox: Outbox;
  metrics: AgentMetrics;
  logger: Logger;
  /**
   * Handlers of the commands this agent takes (`cmd/reprocess`, `cmd/spectrum`): each is called for every valid-JSON
   * message on its topic, and what it returns is published as the reply.
   */
  commands?: Partial<Record<CommandChannel, (payload: unknown) => Promise<unknown> | unknown>>;
  /** Called when an outbox entry is acknowledged (latency measurement, tests). */
  onAck?: (entry: OutboxEntry) => void;
}

type Version = 4 | 5;

export type CommandChannel = 'cmd/reprocess' | 'cmd/spectrum';

/** A reprocess request names at most 10 000 paths: 4 MiB is ample, and bounds what a hostile one costs. */
const MAX_COMMAND_BYTES = 4 * 1024 * 1024;

export class MqttOutput {
  private client: MqttClient | undefined;
  private version: Version;
  private connected = false;
  private connectedAt = 0;
  private stopped = true;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** seq of the newest entry handed to the current client. */
  private lastSent = 0;
  private readonly inFlight = new Map<number, OutboxEntry>();
  private draining = false;
  private drainAgain = false;
  private connectWaiters: (() => void)[] = [];
  /**
   * MQTT 5 PUBACKs that said "no matching subscribers" (0x10), by packet id: the broker took the message but nobody
   * got it (no dashboard subscribed yet, or mosquitto 2.0.11's shared subscriptions after a restart). The entry stays
   * in the outbox and is sent again from `retryFrom` after `noSubscriberDelay`, doubling up to 60 s.
   */
  private readonly noSubscriber = new Set<number>();
  private retryFrom: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private noSubscriberDelay = 1000;

  constructor(private readonly opts: MqttOutputOptions) {
    this.version = opts.protocol === '3.1.1' ? 4 : 5;
    this.backoff = opts.reconnectMinMs;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** MQTT protocol level in use (or to be tried next): 4 = 3.1.1, 5 = MQTT 5. */
  get protocolVersion(): Version {
    return this.version;
  }

  /** Starts connecting; returns at once (the agent works offline and catches up later). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Resolves on the next successful connection (or at once when connected). */
  waitConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** New entries were committed: publish them if connected. */
  notify(): void {
    void this.drain();
  }

  /** Publishes a live message (not durable): dropped when not connected. */
  publishLive(channel: 'event' | 'heartbeat', message: object): void {
    const client = this.client;
    if (!client || !this.connected) {
      this.opts.logger.debug({ channel }, 'not connected: live message dropped');
      return;
    }
    client.publish(
      mqttTopic(this.opts.instrument, channel),
      JSON.stringify(message),
      { qos: channel === 'event' ? 1 : 0 },
      (err) => {
        if (err) this.opts.logger.debug({ err: err.message, channel }, 'live message not acknowledged');
      },
    );
  }

  /** Publishes `status: offline` (clean shutdown), waits up to `timeoutMs` for in-flight PUBACKs, disconnects. */
  async stop(timeoutMs = 2000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.connected) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        client.publish(
          mqttTopic(this.opts.instrument, 'status'),
          JSON.stringify(this.status('offline', 'shutdown')),
          { qos: 1, retain: true },
          () => {
            clearTimeout(t);
            resolve();
          },
        );
      });
    }
    this.connected = false;
    this.opts.metrics.mqttConnected = false;
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
    this.inFlight.clear();
  }

  private status(state: 'online' | 'offline', reason?: string): StatusMessage {
    return statusMessageSchema.parse({
      state,
      instrument: this.opts.instrument,
      ...(this.opts.site ? { site: this.opts.site } : {}),
      at: new Date().toISOString(),
      version: this.opts.softwareVersion,
      ...(reason ? { reason } : {}),
    });
  }

  private clientOptions(): IClientOptions {
    const o = this.opts;
    const opts: IClientOptions = {
      protocolVersion: this.version,
      clientId: o.clientId ?? `lapis-agent-${o.instrument}`,
      clean: true,
      keepalive: o.keepaliveSeconds,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      resubscribe: false,
      queueQoSZero: false,
      will: {
        topic: mqttTopic(o.instrument, 'status'),
        payload: Buffer.from(JSON.stringify(this.status('offline', 'connection lost'))),
        qos: 1,
        retain: true,
      },
    };
    if (o.username !== undefined) opts.username = o.username;
    if (o.password !== undefined) opts.password = o.password;
    if (o.tls) {
      if (o.tls.ca) opts.ca = readFileSync(o.tls.ca);
      if (o.tls.cert) opts.cert = readFileSync(o.tls.cert);
      if (o.tls.key) opts.key = readFileSync(o.tls.key);
      opts.rejectUnauthorized = o.tls.rejectUnauthorized;
    }
    return opts;
  }

  private connect(): void {
    if (this.stopped) return;
    const log = this.opts.logger;
    const client = mqtt.connect(this.opts.url, this.clientOptions());
    this.client = client;
    let refusedProtocol = false;

    client.on('connect', () => {
      if (this.client !== client) return;
      this.connected = true;
      this.connectedAt = Date.now();
      this.backoff = this.opts.reconnectMinMs;
      this.lastSent = 0;
      this.inFlight.clear();
      this.opts.metrics.mqttConnected = true;
      log.info(
        { url: this.opts.url, mqtt: this.version === 5 ? '5' : '3.1.1', outboxDepth: this.opts.outbox.stats().depth },
        'connected to broker',
      );
      client.publish(mqttTopic(this.opts.instrument, 'status'), JSON.stringify(this.status('online')), {
        qos: 1,
        retain: true,
      });
      for (const channel of Object.keys(this.opts.commands ?? {}) as CommandChannel[]) {
        client.subscribe(mqttTopic(this.opts.instrument, channel), { qos: 1 }, (err) => {
          if (err) log.error({ err: err.message }, `cannot subscribe to ${channel}`);
        });
      }
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => this.heartbeat(), this.opts.heartbeatSeconds * 1000);
      this.heartbeatTimer.unref();
      for (const w of this.connectWaiters.splice(0)) w();
      void this.drain();
    });
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback' && packet.reasonCode === 16 && packet.messageId !== undefined)
        this.noSubscriber.add(packet.messageId);
    });
    client.on('message', (topic, payload, packet) =>
      // a hostile command (50 000-deep JSON …) is logged and dropped; it never becomes an unhandled rejection
      this.command(topic, payload, packet).catch((err: unknown) =>
        this.opts.logger.warn({ err: escapeControls(String(err).slice(0, 200)), topic }, 'command dropped'),
      ),
    );
    client.on('error', (err: Error & { code?: number | string }) => {
      if (this.version === 5 && this.opts.protocol === 'auto' && (err.code === 1 || err.code === 132))
        refusedProtocol = true;
      log.warn({ err: err.message, code: err.code }, 'mqtt error');
    });
    client.on('close', () => {
      if (this.client !== client) return;
      const was = this.connected;
      this.connected = false;
      this.opts.metrics.mqttConnected = false;
      clearInterval(this.heartbeatTimer);
      this.inFlight.clear();
      this.client = undefined;
      client.end(true);
      if (refusedProtocol) {
        this.version = 4;
        log.info('broker refused MQTT 5: using 3.1.1');
      }
      if (this.stopped) return;
      const delay = refusedProtocol ? 0 : this.backoff;
      this.backoff = Math.min(this.backoff * 2, this.opts.reconnectMaxMs);
      if (was) log.warn({ retryInMs: delay }, 'connection to broker lost');
      else log.debug({ retryInMs: delay }, 'broker not reachable');
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private heartbeat(): void {
    const m = this.opts.metrics;
    const msg: HeartbeatMessage = {
      instrument: this.opts.instrument,
      at: new Date().toISOString(),
      uptimeSeconds: (Date.now() - m.startedAt) / 1000,
      processed: m.processed,
      failed: m.failed,
      queued: m.queued,
      outboxDepth: m.outboxDepth,
      ...(m.lastSuccessAt ? { lastSuccessAt: new Date(m.lastSuccessAt).toISOString() } : {}),
    };
    this.publishLive('heartbeat', msg);
  }

  private async command(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const client = this.client;
    const own = `${MQTT_TOPIC_ROOT}/${this.opts.instrument}/`;
    const channel = topic.startsWith(own) ? (topic.slice(own.length) as CommandChannel) : undefined;
    const handler = channel ? this.opts.commands?.[channel] : undefined;
    if (!client || !channel || !handler) return;
    if (payload.length > MAX_COMMAND_BYTES) {
      this.opts.logger.warn({ bytes: payload.length }, `${channel}: payload too large; ignored`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.opts.logger.warn({ topic }, `${channel}: payload is not JSON; ignored`);
      return;
    }
    const reply = await handler(body);
    const props = packet.properties;
    const requested = typeof body === 'object' && body !== null ? (body as { replyTo?: unknown }).replyTo : undefined;
    // Replies stay in this instrument's own subtree (no wildcards): a request cannot make the agent publish elsewhere.
    const asked = props?.responseTopic ?? (typeof requested === 'string' ? requested : undefined);
    const fallback = mqttTopic(this.opts.instrument, `${channel}/reply`);
    const replyTopic =
      asked !== undefined && asked.startsWith(own) && !/[+#]/.test(asked) && !asked.includes('\0') ? asked : fallback;
    if (asked !== undefined && replyTopic !== asked)
      this.opts.logger.warn(
        { topic: escapeControls(asked.slice(0, 200)) },
        `${channel}: reply topic outside this instrument; replying on ${channel}/reply`,
      );
    const options: Parameters<MqttClient['publish']>[2] = { qos: 1 };
    if (this.version === 5 && props?.correlationData) options.properties = { correlationData: props.correlationData };
    client.publish(replyTopic, JSON.stringify(reply), options);
  }

  /** Publishes outbox entries in seq order while connected, keeping at most `inflight` awaiting PUBACK. */
  private async drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        while (this.connected && this.client && this.inFlight.size < this.opts.inflight) {
          const batch = this.opts.outbox.pending(this.lastSent, this.opts.inflight - this.inFlight.size);
          if (batch.length === 0) break;
          for (const entry of batch) this.send(this.client, entry);
        }
      } while (this.drainAgain);
    } finally {
      this.draining = false;
    }
  }

  /** Keeps an entry nobody received and sends it again (with what follows it) after a growing delay. */
  private keepForSubscriber(entry: OutboxEntry): void {
    this.retryFrom = Math.min(this.retryFrom ?? entry.seq, entry.seq);
    if (this.retryTimer) return;
    this.opts.logger.warn(
      { seq: entry.seq, topic: entry.topic, retryInMs: this.noSubscriberDelay },
      'the broker has no subscriber for this message (is the dashboard connected?): kept, sent again later',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.retryFrom !== undefined) this.lastSent = Math.min(this.lastSent, this.retryFrom - 1);
      this.retryFrom = undefined;
      this.noSubscriberDelay = Math.min(this.noSubscriberDelay * 2, 60_000);
      void this.drain();
    }, this.noSubscriberDelay);
    this.retryTimer.unref();
  }

  private send(client: MqttClient, entry: OutboxEntry): void {
    this.lastSent = entry.seq;
    this.inFlight.set(entry.seq, entry);
    const historical = entry.createdAt < this.connectedAt;
    let payload = entry.payload;
    if (historical) {
      // Stored payloads say historical:false; a replay says true. Re-serialising keeps this exact and cheap.
      const obj = JSON.parse(payload) as Record<string, unknown>;
      if ('historical' in obj) {
        obj.historical = true;
        payload = JSON.stringify(obj);
      }
    }
    const options: Parameters<MqttClient['publish']>[2] = { qos: entry.qos, retain: entry.retain };
    if (this.version === 5) {
      options.properties = {
        contentType: 'application/json',
        userProperties: { key: entry.key, historical: String(historical) },
      };
    }
    client.publish(entry.topic, payload, options, (err, packet) => {
      if (this.client !== client) return; // a reply for a dead connection: the replay covers it
      this.inFlight.delete(entry.seq);
      if (err) {
        this.opts.logger.debug({ err: err.message, seq: entry.seq }, 'publish not acknowledged');
        return;
      }
      const id = packet?.messageId;
      if (id !== undefined && this.noSubscriber.delete(id)) return this.keepForSubscriber(entry);
      if (this.retryFrom === undefined) this.noSubscriberDelay = 1000;
      this.opts.outbox.ack(entry.seq);
      const s = this.opts.outbox.stats();
      this.opts.metrics.outboxDepth = s.depth;
      this.opts.metrics.outboxBytes = s.bytes;
      this.opts.metrics.published++;
      this.opts.onAck?.(entry);
      void this.drain();
    });
  }
}
