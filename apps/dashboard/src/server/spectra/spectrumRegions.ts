/**
 * Full-resolution stretches of spectra, asked of the agent that processed them (`cmd/spectrum`, docs/mqtt.md): the
 * stored `spectrum` message holds the spectrum reduced for transport, the agent keeps it whole on disk. A request
 * travels on the ingest's MQTT connection; the reply comes back on `cmd/spectrum/reply`, matched by its request id
 * (every dashboard process hears every reply and keeps only its own). Recent answers are cached in memory.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import {
  MQTT_TOPIC_ROOT,
  mqttTopic,
  parseMqttTopic,
  spectrumReplySchema,
  type SpectrumRegion,
  type SpectrumRequest,
} from '@lapis/contracts';

export type RegionAnswer = { region: SpectrumRegion } | { error: string };

export interface RegionQuery {
  instrument: string;
  key: string;
  shift?: [number, number];
  shift1?: [number, number];
  shift2?: [number, number];
}

export class SpectrumRegions {
  readonly #pending = new Map<string, (answer: RegionAnswer) => void>();
  readonly #cache = new Map<string, RegionAnswer>();

  constructor(
    private readonly client: MqttClient,
    private readonly options: { timeoutMs?: number; cacheEntries?: number } = {},
  ) {
    // Beside the ingest's own filters (in a share group they leave the replies out): a reply is for whoever asked.
    client.subscribe(`${MQTT_TOPIC_ROOT}/+/cmd/spectrum/reply`, { qos: 1 });
    client.on('connect', () => client.subscribe(`${MQTT_TOPIC_ROOT}/+/cmd/spectrum/reply`, { qos: 1 }));
    client.on('message', (topic, payload) => {
      if (parseMqttTopic(topic)?.channel !== 'cmd/spectrum/reply' || this.#pending.size === 0) return;
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        return;
      }
      const reply = spectrumReplySchema.safeParse(body);
      const resolve = reply.success ? this.#pending.get(reply.data.requestId) : undefined;
      if (!reply.success || !resolve) return;
      const { region, error } = reply.data;
      resolve(region ? { region } : { error: error ?? 'the agent sent no region' });
    });
  }

  /** The region, from the cache or the agent; `{ error }` when the agent refuses, is offline or does not answer. */
  async request(q: RegionQuery): Promise<RegionAnswer> {
    const id = JSON.stringify([q.key, q.shift, q.shift1, q.shift2]);
    const cached = this.#cache.get(id);
    if (cached) return cached;
    if (!this.client.connected) return { error: 'the dashboard is not connected to the broker' };
    const requestId = randomUUID();
    const request: SpectrumRequest = {
      requestId,
      key: q.key,
      ...(q.shift ? { shift: q.shift } : {}),
      ...(q.shift1 ? { shift1: q.shift1 } : {}),
      ...(q.shift2 ? { shift2: q.shift2 } : {}),
    };
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const answer = await new Promise<RegionAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        resolve({ error: `no answer from ${q.instrument}'s agent within ${timeoutMs / 1000} s (offline?)` });
      }, timeoutMs);
      this.#pending.set(requestId, (a) => {
        clearTimeout(timer);
        this.#pending.delete(requestId);
        resolve(a);
      });
      this.client
        .publishAsync(mqttTopic(q.instrument, 'cmd/spectrum'), JSON.stringify(request), { qos: 1 })
        .catch((err: Error) =>
          this.#pending.get(requestId)?.({ error: `the request could not be sent: ${err.message}` }),
        );
    });
    // a refusal may change (the agent comes back): only regions are cached
    if ('region' in answer) {
      this.#cache.set(id, answer);
      if (this.#cache.size > (this.options.cacheEntries ?? 32)) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return answer;
  }
}
