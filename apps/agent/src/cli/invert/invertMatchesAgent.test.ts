/**
 * `lapis invert` and the agent run one analysis (analysePath), so for the same acquisition and the same settings
 * they write the same document, byte for byte, but for what legitimately differs between two runs: `createdAt`
 * (provenance) and every `elapsedMs` (the document's and each pseudo-2D region's), wall-clock facts. The document
 * names the files the reader read and their hash on both sides; the agent's own key over the whole folder travels in
 * its MQTT envelope, not in the document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBrukerList, simulatePseudo2d, writeBrukerDataset, writeLapisAcquisition } from '@lapis/formats';
import { logGrid } from '@lapis/physics';
import { acquisitionKey } from '../../agent/processors/acquisitionKey';
import { processAcquisition } from '../../agent/processors/pipelineSteps';
import { ruleSchema } from '../../agent/config/schema';
import { PIPELINE_VERSION } from '../../agent/version';
import { hashFiles } from '../../result';
import { t1t2Acquisition, t2Acquisition } from '../../testing/fixtures';
import type { CommandIo } from '../command';
import { createInvertCommand } from './invertCommand';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-same-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The document `lapis invert PATH --json …` prints. */
async function cliDocument(argv: string[]): Promise<Record<string, unknown>> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root };
  const code = await createInvertCommand().run([...argv, '--json'], io);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The document the agent publishes for `dir` under `rule`: keyed as Agent.handle keys it, processed by its steps. */
async function agentDocument(dir: string, rule: unknown) {
  const rules = [ruleSchema.parse(rule)];
  const key = await acquisitionKey(dir, { pipelineVersion: PIPELINE_VERSION, parameters: { rules }, root });
  const analysis = await processAcquisition(dir, rules);
  // what crosses the worker thread and the outbox: the JSON of the document
  return { doc: JSON.parse(JSON.stringify(analysis.document)) as Record<string, unknown>, key, analysis };
}

/** The document as JSON with the wall-clock fields taken out. */
function comparable(doc: Record<string, unknown>): string {
  return JSON.stringify(doc, (k, v: unknown) => (k === 'createdAt' || k === 'elapsedMs' ? undefined : v));
}

describe('lapis invert and the agent write the same document', () => {
  it.each([
    ['T2, method auto', () => t2Acquisition(4), [], {}],
    [
      'T1–T2, tikhonov on a 24-point grid',
      () => t1t2Acquisition(5),
      ['--method', 'tikhonov', '--grid', '24'],
      {
        method: 'tikhonov',
        grid: 24,
      },
    ],
  ] as const)('%s (lapis-acquisition/1)', async (name, acquisition, argv, rule) => {
    const dir = join(root, name.replace(/\W+/g, '-'));
    await writeLapisAcquisition(dir, acquisition());
    const cli = await cliDocument([dir, ...argv]);
    const { doc: agent, key, analysis } = await agentDocument(dir, rule);
    expect(analysis.reader).toBe('lapis-acquisition/1');
    expect(comparable(agent)).toBe(comparable(cli));
    const files = [join(dir, 'acquisition.json'), join(dir, 'data.txt')];
    expect(cli.provenance).toMatchObject({ source: { path: dir, files }, rawDataHash: await hashFiles(files) });
    // the agent's idempotency key is its own, over the whole folder (it goes in the envelope)
    expect(key.rawDataHash).not.toBe((cli.provenance as { rawDataHash: string }).rawDataHash);
  });

  it('TopSpin T1 pseudo-2D, method auto: identical but for createdAt and elapsedMs', async () => {
    const dir = join(root, 'topspin', '7');
    const sf = 400.13;
    const delays = Array.from(logGrid(0.01, 12, 12));
    const lines = [
      { ppm: 3.4, t1: 2.0 },
      { ppm: 1.2, t1: 0.45 },
    ].map((l) => ({ ppm: l.ppm, amplitudes: delays.map((t) => 2e5 * (1 - 2 * Math.exp(-t / l.t1))), t2star: 0.25 }));
    const data = simulatePseudo2d({ points: 4096, sw: 6000, sfo1: sf + 1900e-6, sf, lines, noise: 20, seed: 5 });
    await writeBrukerDataset(dir, {
      acqus: { PULPROG: 't1ir', SW_h: 6000, SFO1: sf + 1900e-6, BF1: sf, O1: 1900, GRPDLY: 67.98 },
      acqu2s: {},
      data,
      nc: -2,
      lists: { vdlist: formatBrukerList(delays, 'delay', 'm') },
      files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${sf}\n##END=\n` },
    });
    const cli = await cliDocument([dir]);
    const { doc: agent, analysis } = await agentDocument(dir, { experiments: ['T1'] });
    expect(analysis.reader).toBe('bruker');
    expect((cli.axes as { name: string }[]).map((a) => a.name)).toEqual(['shift', 'T1']);
    expect(comparable(agent)).toBe(comparable(cli));
  });
});
