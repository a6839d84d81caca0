/**
 * Network rules (method dl) end to end: the real agent, worker threads (the default isolation, so ONNX Runtime runs
 * inside a worker), the released model from models/, the embedded broker and a real MQTT subscriber.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultEnvelopeSchema } from '@lapis/contracts';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import { silentLogger } from './logger';
import { workspace, writeFixture } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';

const MODELS = resolve(import.meta.dirname, '../../../../models');

let ws: Workspace | undefined;
let agent: Agent | undefined;
let sub: Subscriber | undefined;

afterEach(async () => {
  await sub?.close();
  await agent?.stop();
  ws?.cleanup();
  sub = agent = ws = undefined;
});

/** An agent on `rules`, watching a new workspace or (a restart) the one given. */
async function start(rules: unknown[], existing?: Workspace) {
  ws = existing ?? workspace();
  const config = validateAgentConfig(
    {
      instrument: 'relax-01',
      watch: { roots: [ws.root], settleMs: 150 },
      dataDir: ws.dataDir,
      embeddedBroker: { port: 0 },
      http: { port: 0 },
      rules,
    },
    'test',
    ws.dir,
  );
  agent = await Agent.start(config, { logger: silentLogger(), incompleteTimeoutMs: 60_000 });
  sub = await subscribe(agent.brokerUrl);
  return { ws, agent, sub };
}

describe('agent rules with method dl', () => {
  it('runs the network on T1–T2 maps in a worker thread and the classical rule on the rest', async () => {
    const { ws, sub } = await start([
      { experiments: ['T1-T2', 'D-T2'], method: 'dl' },
      { experiments: '*', method: 'auto' },
    ]);
    writeFixture(join(ws.root, 'map'), { experiment: 'T1-T2', seed: 5, shape: [16, 64] });
    writeFixture(join(ws.root, 'decay'), { seed: 6 });
    await sub.until((s) => s.on('result').length === 2, 60_000, 'two results');
    const envs = sub.on('result').map((m) => resultEnvelopeSchema.parse(m.body));
    const map = envs.find((e) => e.path.endsWith('map'))!;
    const decay = envs.find((e) => e.path.endsWith('decay'))!;
    const manifest = JSON.parse(readFileSync(join(MODELS, 'lapis-refine2d.json'), 'utf8')) as Record<string, unknown>;
    // The network ran (its map kept, or refused by the safety net with the classical map instead — both say so).
    const model = map.document.provenance!.model as Record<string, unknown>;
    expect(model).toMatchObject({ modelId: manifest.id, sha256: manifest.sha256, provider: 'cpu' });
    expect(typeof model.accepted).toBe('boolean');
    expect(map.provenance.modelId).toBe(manifest.id);
    expect(map.provenance.parameters).toMatchObject({ pipeline: 'network', method: 'dl' });
    if (model.accepted) expect(map.document.method).toBe('dl');
    else expect(map.document.methodReason).toMatch(/^dl → tikhonov fallback/);
    // The simulated population sits at T1 = 5·T2, T2 = 0.02·(1 + 5/50) s.
    const peak = map.document.peaks[0]!;
    expect(Math.abs(Math.log10(peak.position.T2! / 0.022))).toBeLessThan(0.1);
    expect(Math.abs(Math.log10(peak.position.T1! / 0.11))).toBeLessThan(0.1);
    // its uncertainty: the network's own bootstrap when its map was kept, the classical one otherwise
    expect(peak.uncertainty).toMatchObject({ replicates: 16 });
    expect(peak.uncertainty!.positionUncertaintyDecades.T2).toBeGreaterThan(0);
    // The 1D decay went through the classical rule, without a model.
    expect(decay.provenance.parameters).toMatchObject({ pipeline: 'classical', method: 'auto' });
    expect(decay.document.provenance?.model).toBeUndefined();
    expect(decay.provenance.modelId).toBeUndefined();
  }, 90_000);

  it('keys results by the model too: another model file means the acquisition is processed again', async () => {
    const first = await start([{ experiments: ['T1-T2'], method: 'dl' }]);
    writeFixture(join(first.ws.root, 'map'), { experiment: 'T1-T2', seed: 7 });
    await first.sub.until((s) => s.on('result').length === 1, 60_000, 'result');
    const key1 = resultEnvelopeSchema.parse(first.sub.on('result')[0]!.body).key;
    await first.sub.close();
    await first.agent.stop();
    // Same data, same rules, a copy of the model whose manifest claims another hash: the agent says so at start
    // and its results get a new key (and the classical fallback, with the reason).
    const dir = join(first.ws.dir, 'models');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(MODELS, 'lapis-refine2d.onnx'), join(dir, 'lapis-refine2d.onnx'));
    const manifest = JSON.parse(readFileSync(join(MODELS, 'lapis-refine2d.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'altered.json'), JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }));
    const second = await start([{ experiments: ['T1-T2'], method: 'dl', model: join(dir, 'altered.json') }], first.ws);
    await second.sub.until((s) => s.on('result').length === 1, 60_000, 'result after the model changed');
    const env = resultEnvelopeSchema.parse(second.sub.on('result')[0]!.body);
    expect(env.key).not.toBe(key1);
    expect(env.document.methodReason).toMatch(/^dl → tikhonov fallback: the model could not be loaded/);
    expect((env.document.warnings ?? []).join('\n')).toMatch(/sha256/);
  }, 120_000);
});
