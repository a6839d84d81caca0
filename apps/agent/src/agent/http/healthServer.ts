/**
 * `GET /healthz` (JSON; 200 while the agent can do its job, 503 when the outbox is full) and `GET /metrics`
 * (Prometheus text) on localhost. Read-only: nothing here changes the agent.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { AgentMetrics } from '../metrics';
import { metricsText } from '../metrics';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  instrument: string;
  metrics: AgentMetrics;
  /** Fraction of the outbox quota above which health reports `degraded`. */
  warnFraction: number;
}

export function healthBody(o: HealthServerOptions): {
  status: 'ok' | 'degraded' | 'full';
  httpStatus: number;
  body: object;
} {
  const m = o.metrics;
  const fill = m.outboxBytes / m.outboxQuotaBytes;
  const status = fill >= 1 ? 'full' : fill >= o.warnFraction || !m.mqttConnected ? 'degraded' : 'ok';
  return {
    status,
    httpStatus: status === 'full' ? 503 : 200,
    body: {
      status,
      instrument: o.instrument,
      mqttConnected: m.mqttConnected,
      processed: m.processed,
      failed: m.failed,
      queued: m.queued,
      outboxDepth: m.outboxDepth,
      outboxFill: Number(fill.toFixed(4)),
      lastSuccessAt: m.lastSuccessAt ? new Date(m.lastSuccessAt).toISOString() : null,
      uptimeSeconds: (Date.now() - m.startedAt) / 1000,
    },
  };
}

export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (url === '/healthz') {
      const h = healthBody(o);
      res.writeHead(h.httpStatus, { 'content-type': 'application/json' }).end(JSON.stringify(h.body));
    } else if (url === '/metrics') {
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(metricsText(o.metrics, o.instrument));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot serve /healthz on ${o.host}:${o.port}`, { cause: e })));
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
