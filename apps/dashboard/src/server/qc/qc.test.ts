/**
 * Quality control on PGlite: a manager designates a reference; its first results set the limits; a result far out
 * breaks 1-3s, opens a `qc` incident that the webhook hears once, and the next result in control resolves it.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, json } from '../../test/fixtures';
import { testDb } from '../../test/db';
import { testUser } from '../../test/users';
import { startAlerts, type AlertPayload } from '../alerts/alertService';
import { createCaller } from '../api/root';
import { ChangeBus } from '../bus';
import { ingestMessage } from '../ingest/ingestMessage';

let server: Server;
let hook: string;
const received: AlertPayload[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A one-population T2 result of the reference sample with T2 = 10^logT2 s. */
async function measure(db: Parameters<typeof ingestMessage>[0], i: number, logT2: number, at: Date) {
  const env = envelope({
    instrument: 'qc-minispec',
    seed: `qc-${i}`,
    sample: `QC-water-${i}`,
    producedAt: at.toISOString(),
    peaks: [{ position: { T1: 10 ** (logT2 + 0.1), T2: 10 ** logT2 }, fraction: 1 }],
  });
  const r = await ingestMessage(db, 'lapis/v1/qc-minispec/result', json(env), { now: at });
  expect(r.status).toBe('accepted');
}

describe('quality control', () => {
  it('limits from the baseline, a 1-3s breach alerts once, the next result in control resolves it', async () => {
    const { db } = await testDb();
    const start = new Date('2026-11-01T08:00:00Z');
    const day = (i: number) => new Date(start.getTime() + i * 86_400_000);
    // baseline: T2 around 0.1 s with ±0.01 decade of scatter (a fixed pseudo-random pattern)
    const scatter = [
      0.3, -0.8, 1.1, -0.2, 0.5, -1.3, 0.9, 0.0, -0.6, 1.4, -1.0, 0.2, 0.7, -0.4, -0.1, 1.2, -0.9, 0.4, -0.5, 0.6,
    ];
    for (let i = 0; i < 20; i++) await measure(db, i, -1 + 0.01 * scatter[i]!, day(i));
    const manager = createCaller({ db, bus: new ChangeBus(), user: testUser('manager') });
    const viewer = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    await expect(
      viewer.qc.create({ name: 'water', samplePrefix: 'QC-water', quantity: 'mean:T2', baselineCount: 20 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await manager.qc.create({
      name: 'doped water',
      samplePrefix: 'qc-WATER',
      instrument: 'qc-minispec',
      quantity: 'mean:T2',
      baselineCount: 20,
    });
    let [chart] = await viewer.qc.charts();
    expect(chart!.points).toHaveLength(20);
    expect(chart!.limits!.mean).toBeCloseTo(-1 + 0.01 * (scatter.reduce((s, v) => s + v, 0) / 20), 6);
    expect(chart!.outOfControl).toBe(false);

    const alerts = startAlerts({ db, webhookUrl: hook, intervalMs: 0, logger: { warn: () => {}, error: () => {} } });
    await alerts.tick(day(20));
    received.length = 0;
    // a result 0.08 decade (≈ 10 SD) long: out of control, one alert
    await measure(db, 20, -0.92, day(21));
    [chart] = await viewer.qc.charts();
    expect(chart!.outOfControl).toBe(true);
    expect(chart!.points.at(-1)!.rules).toContain('1-3s');
    await alerts.tick(day(21));
    await alerts.tick(new Date(day(21).getTime() + 60_000));
    const qc = received.filter((p) => p.kind === 'qc');
    expect(qc.map((p) => p.event)).toEqual(['opened']);
    expect(qc[0]!.text).toMatch(/QC "doped water" out of control \(1-3s\) at QC-water-20/);
    // back in control: resolved, said once
    await measure(db, 21, -1.002, day(22));
    await alerts.tick(day(22));
    expect(received.filter((p) => p.kind === 'qc').map((p) => p.event)).toEqual(['opened', 'resolved']);
    // retired: no chart
    await manager.qc.retire({ id: chart!.reference.id });
    expect(await viewer.qc.charts()).toEqual([]);
  });
});
