/** Case 1: results/s through a real broker into a database, and the reference without one. */
import mqtt from 'mqtt';
import { resultEnvelopeSchema } from '@lapis/contracts';
import type { DbHandle } from '../src/server/db/client';
import { ChangeBus } from '../src/server/bus';
import { startIngest } from '../src/server/ingest/ingestService';
import { startTestBroker } from '../src/test/broker';
import { quiet, ms } from './common';

/** Reference: broker + JSON.parse + zod validation only, no database. */
export async function referenceRate(msgs: { topic: string; payload: Buffer }[]): Promise<number> {
  const broker = await startTestBroker();
  const sub = await mqtt.connectAsync(broker.url, { clientId: 'ref-sub', protocolVersion: 4, clean: true });
  let got = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  sub.on('message', (_t, p) => {
    resultEnvelopeSchema.parse(JSON.parse(p.toString('utf8')));
    if (++got === msgs.length) done();
  });
  await sub.subscribeAsync('lapis/v1/+/#', { qos: 1 });
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'ref-pub', protocolVersion: 4 });
  const t0 = process.hrtime.bigint();
  await Promise.all(msgs.map((m) => pub.publishAsync(m.topic, m.payload, { qos: 1 })));
  await all;
  const t = ms(t0);
  await pub.endAsync();
  await sub.endAsync();
  await broker.close();
  return (msgs.length / t) * 1000;
}

export async function ingestRate(
  h: DbHandle,
  msgs: { topic: string; payload: Buffer }[],
  ack: 'written' | 'received' = 'written',
): Promise<number> {
  const broker = await startTestBroker();
  const ingest = startIngest({
    db: h.ingestDb,
    readsFirst: () => h.readsFirst(),
    bus: new ChangeBus(),
    url: broker.url,
    clientId: `bench-${h.kind}-${ack}`,
    logger: quiet,
    concurrency: h.kind === 'postgres' ? 8 : 1,
    ack,
  });
  await ingest.ready;
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'bench-pub', protocolVersion: 4 });
  const t0 = process.hrtime.bigint();
  await Promise.all(msgs.map((m) => pub.publishAsync(m.topic, m.payload, { qos: 1 })));
  while (ingest.counters.accepted + ingest.counters.rejected + ingest.counters.duplicates < msgs.length) {
    await new Promise((r) => setTimeout(r, 5));
  }
  await ingest.idle();
  const t = ms(t0);
  if (ingest.counters.accepted !== msgs.length) {
    throw new Error(`ingest stored ${ingest.counters.accepted} of ${msgs.length}: ${JSON.stringify(ingest.counters)}`);
  }
  await pub.endAsync();
  await ingest.stop();
  await broker.close();
  return (msgs.length / t) * 1000;
}
