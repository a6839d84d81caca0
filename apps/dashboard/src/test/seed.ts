/** A small fleet for router tests: written through the real ingest so the tests see what production stores. */
import type { Db } from '../server/db/client';
import { ingestMessage } from '../server/ingest/ingestMessage';
import { envelope, json } from './fixtures';
import { ETHYL_ACETATE_13C, spectrumDoc, spectrumEnvelope } from './spectrumFixtures';

/** The ¹H spectrum seedFleet stores on minispec-1 (the latest of its two spectra). */
export const SEEDED_SPECTRUM = spectrumEnvelope({
  instrument: 'minispec-1',
  seed: 'seed-1h',
  producedAt: '2026-11-21T11:30:00Z',
  document: spectrumDoc({ points: 4096, values: 1024, sample: 'ethyl acetate' }),
});

/**
 * Seeds a small fleet: two instruments, a cheese ripening over days on one, a failure, a heartbeat, and two spectra
 * (¹³C yesterday, ¹H today) on the same one.
 */
export async function seedFleet(db: Db): Promise<void> {
  const put = async (topic: string, v: unknown) => {
    const out = await ingestMessage(db, topic, json(v), { now: new Date('2026-11-21T12:00:00Z') });
    if (out.status !== 'accepted') throw new Error(`seed refused: ${JSON.stringify(out)}`);
  };
  await put('lapis/v1/minispec-1/status', { state: 'online', instrument: 'minispec-1', at: '2026-11-21T08:00:00Z' });
  await put('lapis/v1/bench-2/status', {
    state: 'offline',
    instrument: 'bench-2',
    at: '2026-11-20T08:00:00Z',
    reason: 'connection lost',
  });
  await put('lapis/v1/minispec-1/heartbeat', {
    instrument: 'minispec-1',
    at: '2026-11-21T11:59:00Z',
    uptimeSeconds: 100,
    processed: 4,
    failed: 1,
    queued: 2,
    outboxDepth: 3,
  });
  for (let day = 0; day < 4; day++) {
    await put(
      'lapis/v1/minispec-1/result',
      envelope({
        instrument: 'minispec-1',
        seed: `d${day}`,
        sample: 'cheese-A',
        producedAt: new Date(Date.UTC(2026, 10, 18 + day, 10)).toISOString(),
        fractionScale: 1 - 0.05 * day,
      }),
    );
  }
  await put(
    'lapis/v1/bench-2/result',
    envelope({ instrument: 'bench-2', seed: 'b', sample: 'cheese-B', producedAt: '2026-11-20T07:00:00Z' }),
  );
  await put(
    'lapis/v1/minispec-1/spectrum',
    spectrumEnvelope({
      instrument: 'minispec-1',
      seed: 'seed-13c',
      producedAt: '2026-11-20T15:00:00Z',
      document: spectrumDoc({
        lines: ETHYL_ACETATE_13C,
        points: 4096,
        values: 1024,
        nucleus: '13C',
        first: 220,
        last: -10,
        frequencyMHz: 100.6,
        pulseProgram: 'zgpg30',
      }),
    }),
  );
  await put('lapis/v1/minispec-1/spectrum', SEEDED_SPECTRUM);
  await put('lapis/v1/minispec-1/event', {
    kind: 'failed',
    instrument: 'minispec-1',
    at: '2026-11-21T09:00:00Z',
    path: '/data/x',
    reason: 'no data file',
  });
}

/**
 * A cheese ripening as an agent would publish it: one T1–T2 result every `stepDays`, the folder named `…-dayN`, three
 * populations (water drifting to shorter T2 and shrinking, protein-bound water and fat growing — by size the order
 * changes), positions jittered by up to ±0.02 decade. `extraFrom` adds a fourth population from that day on.
 */
export function cheeseSeriesEnvelopes(o: {
  instrument: string;
  sample: string;
  days: number[];
  start: Date;
  extraFrom?: number;
}) {
  let state = 7;
  const jitter = () => {
    state = (state * 16807) % 2147483647;
    return 10 ** (0.02 * ((state / 2147483647) * 2 - 1));
  };
  return o.days.map((day) => {
    const a = Math.exp(-day / 30);
    const truth = [
      { position: { T1: 0.32, T2: 0.03 + 0.01 * a }, fraction: 0.33 + 0.22 * a },
      { position: { T1: 0.16, T2: 0.004 }, fraction: 0.27 - 0.12 * a },
      { position: { T1: 0.1, T2: 0.07 }, fraction: 0.4 - 0.1 * a },
      ...(o.extraFrom !== undefined && day >= o.extraFrom ? [{ position: { T1: 1.2, T2: 0.5 }, fraction: 0.05 }] : []),
    ];
    const total = truth.reduce((s, p) => s + p.fraction, 0);
    const peaks = truth
      .map((p) => ({
        position: { T1: p.position.T1 * jitter(), T2: p.position.T2 * jitter() },
        fraction: p.fraction / total,
        widthDecades: { T1: 0.08, T2: 0.08 },
      }))
      .sort((x, y) => y.fraction - x.fraction);
    const folder = `${o.sample}-day${String(day).replace('.', 'p')}`;
    return envelope({
      instrument: o.instrument,
      seed: `${o.sample}/${day}`,
      sample: o.sample,
      producedAt: new Date(o.start.getTime() + day * 86_400_000).toISOString(),
      peaks,
      path: `/data/${o.instrument}/run/${folder}`,
    });
  });
}
