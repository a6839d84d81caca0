/**
 * Full-resolution regions through a real broker, on the ingest's own connection: the request reaches the agent's
 * topic, its reply comes back to whoever asked (and the ingest counts it ignored, not refused); answers are cached;
 * refusals, silence and a lost broker come back as reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { spectrumRequestSchema } from '@lapis/contracts';
import { startTestBroker, type TestBroker } from '../../test/broker';
import { testDb } from '../../test/db';
import { ChangeBus } from '../bus';
import { startIngest } from '../ingest/ingestService';
import { SpectrumRegions } from './spectrumRegions';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => broker?.close());

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const KEY = 'ab'.repeat(32);

describe('SpectrumRegions', () => {
  it('asks the agent on cmd/spectrum and resolves with its reply, cached; refusals and silence are reasons', async () => {
    const { db } = await testDb();
    const ingest = startIngest({ db, bus: new ChangeBus(), url: broker.url, clientId: 'dash-regions', logger: quiet });
    await ingest.ready;
    const regions = new SpectrumRegions(ingest.client, { timeoutMs: 1500 });
    // the agent: answers regions of KEY, refuses any other key, hears every request
    const agent = await mqtt.connectAsync(broker.url, { clientId: 'agent-nmr1', protocolVersion: 4 });
    const heard: unknown[] = [];
    await agent.subscribeAsync('lapis/v1/nmr1/cmd/spectrum', { qos: 1 });
    agent.on('message', (_topic, payload) => {
      const request = spectrumRequestSchema.parse(JSON.parse(payload.toString()));
      heard.push(request);
      const base = { requestId: request.requestId, instrument: 'nmr1', at: new Date().toISOString(), key: request.key };
      const [lo, hi] = request.shift ?? [0, 10];
      const body =
        request.key === KEY
          ? {
              ...base,
              region: { dimensions: 1, axis: { first: hi, last: lo, from: 7, size: 3 }, step: 1, real: [1, 5, 2] },
            }
          : { ...base, error: 'this agent no longer keeps that spectrum at full resolution (spectra.keepFullMiB)' };
      void agent.publishAsync('lapis/v1/nmr1/cmd/spectrum/reply', JSON.stringify(body), { qos: 1 });
    });

    const first = await regions.request({ instrument: 'nmr1', key: KEY, shift: [3.9, 4.3] });
    expect(first).toEqual({
      region: { dimensions: 1, axis: { first: 4.3, last: 3.9, from: 7, size: 3 }, step: 1, real: [1, 5, 2] },
    });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ key: KEY, shift: [3.9, 4.3] });
    // the same stretch again: from the cache, the agent not asked
    expect(await regions.request({ instrument: 'nmr1', key: KEY, shift: [3.9, 4.3] })).toEqual(first);
    expect(heard).toHaveLength(1);
    // a refusal comes back as its reason, and is asked again next time (the agent may keep it by then)
    const other = 'cd'.repeat(32);
    expect(await regions.request({ instrument: 'nmr1', key: other })).toEqual({
      error: 'this agent no longer keeps that spectrum at full resolution (spectra.keepFullMiB)',
    });
    await regions.request({ instrument: 'nmr1', key: other });
    expect(heard).toHaveLength(3);
    // an instrument without an agent: no answer within the time allowed
    expect(await regions.request({ instrument: 'nmr2', key: KEY })).toEqual({
      error: "no answer from nmr2's agent within 1.5 s (offline?)",
    });
    // the replies were not the ingest's to store: ignored, never refused
    await ingest.idle();
    expect(ingest.counters.rejected).toBe(0);
    await agent.endAsync();
    await ingest.stop();
    expect(await regions.request({ instrument: 'nmr1', key: KEY, shift: [1, 2] })).toEqual({
      error: 'the dashboard is not connected to the broker',
    });
  });
});
