/**
 * A test consumer: subscribes to `lapis/v1/#` and records every message, parsed, in arrival order.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  body: Record<string, unknown>;
  retain: boolean;
  /** MQTT 5 properties of the PUBLISH, when the subscriber speaks 5. */
  properties?: Record<string, unknown>;
}

export interface Subscriber {
  client: MqttClient;
  messages: Received[];
  /** Messages on topics ending with `/${channel}`. */
  on(channel: string): Received[];
  /** Resolves once `predicate` holds (checked on every message), rejects after `timeoutMs`. */
  until(predicate: (s: Subscriber) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function subscribe(
  url: string,
  options: { protocolVersion?: 4 | 5; topic?: string; reconnectPeriod?: number; clientId?: string } = {},
): Promise<Subscriber> {
  const client = mqtt.connect(url, {
    protocolVersion: options.protocolVersion ?? 4,
    reconnectPeriod: options.reconnectPeriod ?? 200,
    // A fixed client id means a persistent session: the broker keeps the subscription and queues QoS 1 messages.
    ...(options.clientId
      ? {
          clientId: options.clientId,
          clean: false,
          ...(options.protocolVersion === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
        }
      : { clean: true }),
  });
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload.toString()) as Record<string, unknown>;
    } catch {
      body = { raw: payload.toString() };
    }
    messages.push({
      topic,
      body,
      retain: packet.retain,
      ...(packet.properties ? { properties: packet.properties as Record<string, unknown> } : {}),
    });
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(options.topic ?? 'lapis/v1/#', { qos: 1 });
  const s: Subscriber = {
    client,
    messages,
    on: (channel) => messages.filter((m) => m.topic.endsWith(`/${channel}`)),
    until: (predicate, timeoutMs = 20_000, what = 'condition') =>
      new Promise<void>((resolve, reject) => {
        if (predicate(s)) return resolve();
        const check = () => {
          if (predicate(s)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; got ${messages.length} messages: ${messages.map((m) => m.topic.split('/').slice(3).join('/') + (m.body.kind ? ':' + String(m.body.kind) : '')).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      }),
    close: () => client.endAsync(true),
  };
  return s;
}
