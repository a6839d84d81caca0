/**
 * Ordinary spectra through the agent, end to end against the embedded aedes broker: a TopSpin 1D folder written
 * with known lines, and the public aspirin ¹H of bruker-data-test, land as `spectrum` messages — reduced for
 * transport, their peaks those of `lapis process` on the full spectrum — and a relaxation series beside them still
 * lands as a `result`. A viewer's `cmd/spectrum` gets any stretch back at full resolution.
 */
import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MQTT_MAX_PAYLOAD_BYTES,
  resultEnvelopeSchema,
  spectrumEnvelopeSchema,
  spectrumReplySchema,
  type SpectrumReply,
} from '@lapis/contracts';
import { simulatePseudo2d, writeBrukerDataset } from '@lapis/formats';
import { unzipTo } from '../../../../libs/formats/src/testing/unzip';
import { processSpectrumPath } from '../spectra/processSpectrumPath';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import { silentLogger } from './logger';
import { subscribe, type Subscriber } from '../testing/subscriber';
import { workspace, writeFixture, type Workspace } from '../testing/watchFolder';

let ws: Workspace;
let agent: Agent | undefined;
let sub: Subscriber | undefined;
afterEach(async () => {
  await sub?.close();
  await agent?.stop();
  sub = agent = undefined;
  ws?.cleanup();
});

async function start(extra: Record<string, unknown> = {}) {
  const config = validateAgentConfig(
    {
      instrument: 'nmr-400',
      watch: { roots: [ws.root], settleMs: 150 },
      dataDir: ws.dataDir,
      embeddedBroker: { port: 0 },
      http: { enabled: false },
      ...extra,
    },
    'test',
    ws.dir,
  );
  agent = await Agent.start(config, { logger: silentLogger(), incompleteTimeoutMs: 60_000 });
  sub = await subscribe(agent.brokerUrl);
  return agent;
}

const SF = 400.13;
const LINES = [
  { ppm: 7.26, amplitude: 3000, widthHz: 1.2 },
  { ppm: 3.71, amplitude: 8000, widthHz: 0.9 },
  { ppm: 3.69, amplitude: 8000, widthHz: 0.9 },
  { ppm: 1.25, amplitude: 20000, widthHz: 1.5 },
];

/** TopSpin's audit trail with the acquisition's record (`zg`, its data hash), as written when an acquisition ends. */
function auditTrail(when: Date): string {
  const t = when.toISOString().replace('T', ' ').replace('Z', ' +0000');
  return [
    '##TITLE= Audit trail, TOPSPIN\t\tVersion 4.1',
    '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
    `(   1,<${t}>,<nmr>,<av400>,<go>,<TOPSPIN 4.1>,`,
    `      <created by zg\n\tstarted at ${t},\n       data hash MD5: 64K\n       AB CD>)`,
    '##END=',
    '',
  ].join('\n');
}

/** A TopSpin 1D ¹H folder (zg30, 32k points, 15 ppm) with LINES, noise σ 20 and TopSpin's audit record. */
async function writeProton(dir: string, seed: number) {
  const fid = simulatePseudo2d({
    points: 32768,
    sw: 6000,
    sfo1: SF + 1900e-6,
    sf: SF,
    lines: LINES.map((l) => ({ ppm: l.ppm, amplitudes: [l.amplitude], t2star: 1 / (Math.PI * l.widthHz) })),
    groupDelay: 67.98,
    noise: 20,
    seed,
  });
  await writeBrukerDataset(dir, {
    acqus: {
      ...{ PULPROG: 'zg30', NUC1: '1H', SOLVENT: 'CDCl3', SW_h: 6000, SFO1: SF + 1900e-6, BF1: SF, O1: 1900 },
      ...{ GRPDLY: 67.98, DSPFVS: 20, DECIM: 16 },
    },
    data: fid,
    dataFile: 'fid',
    audita: auditTrail(new Date()),
  });
}

/** Sends a `cmd/spectrum` request as a viewer would and waits for its reply. */
async function askRegion(body: Record<string, unknown>): Promise<SpectrumReply> {
  const requestId = `r-${Math.random()}`;
  await sub!.client.publishAsync('lapis/v1/nmr-400/cmd/spectrum', JSON.stringify({ requestId, ...body }), { qos: 1 });
  const mine = () => sub!.on('cmd/spectrum/reply').find((m) => m.body.requestId === requestId);
  await sub!.until(() => mine() !== undefined, 20_000, `the reply to ${requestId}`);
  const reply = mine()!.body;
  // a request that does not parse is answered with its id and why, nothing else
  return 'instrument' in reply ? spectrumReplySchema.parse(reply) : (reply as SpectrumReply);
}

/** Sets the times of every file below `dir` to `when`. */
async function age(dir: string, when: Date) {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) await utimes(join(e.parentPath, e.name), when, when);
}

describe('the agent and ordinary spectra', () => {
  it('publishes a TopSpin 1D spectrum on `spectrum`, reduced for transport, with the full-resolution peaks', async () => {
    ws = workspace();
    // seed 6 with the network picker (spectra.picker), whose lines must land as the classical picker's do
    for (const seed of [5, 6]) {
      const picker = seed === 6 ? 'network' : 'classical';
      await start(seed === 6 ? { spectra: { picker } } : {});
      const dir = join(ws.root, `proton-${seed}`, '1');
      await writeProton(dir, seed);
      writeFixture(join(ws.root, `t2-${seed}`), { seed });
      await sub!.until(
        (s) => s.on('event').filter((m) => m.body.kind === 'finished').length === 2,
        60_000,
        'a spectrum and a result',
      );
      const message = sub!.on('spectrum')[0]!;
      expect(message.topic).toBe('lapis/v1/nmr-400/spectrum');
      const env = spectrumEnvelopeSchema.parse(message.body);
      expect(env.path).toBe(dir);
      expect(env.provenance.reader).toBe('bruker');
      expect(env.provenance.parameters).toMatchObject({ minSnr: 5, transportValues: 8192, picker });
      const doc = env.document;
      if (doc.dimensions !== 1) throw new Error('expected a 1D spectrum');
      expect(doc.processing.picker.method).toBe(picker);
      expect(doc.axes[0]).toMatchObject({ nucleus: '1H', size: 65536 });
      // 65536 points → 8192 values of min–max buckets of 16 points
      expect(doc.spectrum).toMatchObject({ step: 8, reduction: { method: 'min-max', from: 65536 } });
      expect(doc.spectrum.real).toHaveLength(8192);
      // the denoised copy for display travels in the same buckets, and is quieter between the lines
      expect(doc.denoised).toMatchObject({
        method: 'network',
        model: 'lapis-denoise1d',
        step: 8,
        reduction: { method: 'min-max', from: 65536 },
      });
      expect(doc.denoised!.real).toHaveLength(8192);
      // (the mean spread of a bucket, max − min over its 16 points, where there are no lines)
      const spread = (v: number[]) => {
        let sum = 0;
        for (let k = 0; k < 1000; k += 2) sum += Math.abs(v[k + 1]! - v[k]!);
        return sum / 500;
      };
      expect(spread(doc.denoised!.real)).toBeLessThan(spread(doc.spectrum.real) / 3);
      expect(JSON.stringify(env).length).toBeLessThan(MQTT_MAX_PAYLOAD_BYTES);
      const shifts = doc.peaks.map((p) => p.shift!).sort((a, b) => a - b);
      for (const line of LINES) {
        const near = Math.min(...shifts.map((s) => Math.abs(s - line.ppm)));
        expect(near, `line at ${line.ppm} ppm (seed ${seed})`).toBeLessThan(0.002);
      }
      // the transported spectrum keeps each line's height: the largest value near the line is the fitted height
      const axis = doc.axes[0]!;
      for (const peak of doc.peaks) {
        const at = ((axis.first - peak.shift!) / (axis.first - axis.last)) * (axis.size - 1);
        const window = doc.spectrum.real.slice(Math.floor(at / 8) - 2, Math.ceil(at / 8) + 3);
        expect(Math.max(...window) / peak.height, `height at ${peak.shift} ppm`).toBeGreaterThan(0.9);
      }
      // the relaxation series beside it is a result, as before
      expect(resultEnvelopeSchema.parse(sub!.on('result')[0]!.body).document.peaks.length).toBeGreaterThan(0);
      expect(sub!.on('event').filter((m) => m.body.kind === 'finished')).toHaveLength(2);
      await agent!.idle();
      await sub!.close();
      await agent!.stop();
      sub = agent = undefined;
      ws.cleanup();
      ws = workspace();
    }
  }, 120_000);

  it('real data: the aspirin ¹H of bruker-data-test, its peaks those of `lapis process`', async () => {
    ws = workspace();
    const unzipped = await mkdtemp(join(tmpdir(), 'lapis-aspirin-'));
    try {
      const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
      await unzipTo(join(pkg, 'data', 'zipped', 'aspirin-1h.zip'), join(unzipped, 'aspirin-1h'));
      const reference = await processSpectrumPath(join(unzipped, 'aspirin-1h', '1'));
      await start({ spectra: { transportValues: 4096 } });
      // As TopSpin left it long ago: files unzipped now are dated now, newer than their audit record (stale).
      await age(join(unzipped, 'aspirin-1h'), new Date(Date.now() - 3_600_000));
      await cp(join(unzipped, 'aspirin-1h'), join(ws.root, 'aspirin-1h'), {
        recursive: true,
        preserveTimestamps: true,
      });
      await sub!.until((s) => s.on('spectrum').length === 1, 60_000, 'the aspirin spectrum');
      const env = spectrumEnvelopeSchema.parse(sub!.on('spectrum')[0]!.body);
      expect(env.document.spectrum.real.length).toBeLessThanOrEqual(4096);
      expect(env.document.peaks.map((p) => p.shift)).toEqual(reference.peaks.map((p) => p.shift));
      expect(env.document.vendor).toMatchObject({ peaks: 23, matched: 23 });
      expect(env.document.solvent).toBe(reference.solvent);
      // zoomed in on the acetyl CH₃ (2.3 ppm): the stretch comes back whole, the values those of the full spectrum
      if (reference.dimensions !== 1) throw new Error('expected a 1D spectrum');
      const zoom = await askRegion({ key: env.key, shift: [2.2, 2.45] });
      expect(zoom).toMatchObject({ instrument: 'nmr-400', key: env.key });
      if (zoom.region?.dimensions !== 1) throw new Error(`expected a 1D region, got ${JSON.stringify(zoom.error)}`);
      const { axis, step, real } = zoom.region;
      const ax = reference.axes[0]!;
      const perPoint = (ax.last - ax.first) / (ax.size - 1);
      expect(step).toBe(1);
      expect(axis.size).toBe(real.length);
      expect(axis.first).toBeCloseTo(ax.first + axis.from * perPoint, 9);
      expect(axis.first).toBeGreaterThanOrEqual(2.45);
      expect(axis.last).toBeLessThanOrEqual(2.2);
      expect(axis.size).toBeLessThan(Math.abs(0.25 / perPoint) + 4);
      const full = reference.spectrum.real.slice(axis.from, axis.from + axis.size);
      const scale = Math.max(...full.map(Math.abs));
      // (5 significant digits, as every transported value)
      real.forEach((v, i) => expect(Math.abs(v - full[i]!) / scale).toBeLessThan(6e-5));
      // the whole spectrum is more than a reply carries: min–max buckets, every line's height kept
      const whole = await askRegion({ key: env.key, maxValues: 8192 });
      if (whole.region?.dimensions !== 1) throw new Error('expected a 1D region');
      expect(whole.region.axis).toMatchObject({ from: 0, size: ax.size });
      expect(whole.region.real.length).toBeLessThanOrEqual(8192);
      const tallest = Math.max(...reference.spectrum.real);
      expect(Math.abs(Math.max(...whole.region.real) - tallest) / tallest).toBeLessThan(6e-5);
      // what cannot be answered says why
      expect((await askRegion({ key: 'e'.repeat(64) })).error).toMatch(/no longer keeps that spectrum/);
      expect((await askRegion({ key: env.key, shift: [3, 1] })).error).toMatch(
        /bad spectrum request: shift: a ppm range/,
      );
      expect((await askRegion({ key: env.key, shift1: [1, 3] })).error).toMatch(/a 1D spectrum/);
    } finally {
      await rm(unzipped, { recursive: true, force: true });
    }
  }, 120_000);

  it('real data: a 2D HSQC and a 25 % NUS HSQC (reconstructed) land as 2D spectra under the payload limit', async () => {
    ws = workspace();
    const unzipped = await mkdtemp(join(tmpdir(), 'lapis-hsqc-'));
    try {
      const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
      const zipped = join(pkg, 'data', 'zipped');
      await unzipTo(join(zipped, 'cyclosporin', 'cyclosporin_hsqc.zip'), join(unzipped, 'hsqc'));
      await unzipTo(join(zipped, 'nonUniformSampling', 'hsqc-nus.zip'), join(unzipped, 'nus'));
      await age(unzipped, new Date(Date.now() - 3_600_000));
      await start();
      await cp(join(unzipped, 'hsqc', 'cyclosporin_hsqc', '3'), join(ws.root, 'hsqc', '3'), {
        recursive: true,
        preserveTimestamps: true,
      });
      await cp(join(unzipped, 'nus'), join(ws.root, 'nus'), { recursive: true, preserveTimestamps: true });
      await sub!.until((s) => s.on('spectrum').length === 2, 180_000, 'the HSQC and NUS HSQC spectra');
      expect(sub!.on('event').filter((m) => m.body.kind === 'failed')).toHaveLength(0);
      expect(sub!.on('result')).toHaveLength(0);
      const docs = sub!.on('spectrum').map((m) => {
        expect(Buffer.byteLength(JSON.stringify(m.body))).toBeLessThanOrEqual(MQTT_MAX_PAYLOAD_BYTES);
        return spectrumEnvelopeSchema.parse(m.body).document;
      });
      for (const doc of docs) {
        if (doc.dimensions !== 2) throw new Error('expected 2D spectra');
        expect(doc.axes.map((a) => a.nucleus)).toEqual(['13C', '1H']);
        expect(doc.peaks.length).toBeGreaterThan(30);
        expect(doc.peaks.length).toBeLessThanOrEqual(1000);
      }
      // the HSQC's CH₃ corner at full resolution: F1 and F2 points as asked, rows × columns values
      const hsqc = sub!.on('spectrum').find((m) => String(m.body.path).includes(join(ws.root, 'hsqc')))!;
      const corner = await askRegion({ key: hsqc.body.key, shift1: [10, 30], shift2: [0.5, 1.5] });
      if (corner.region?.dimensions !== 2) throw new Error(`expected a 2D region, got ${corner.error}`);
      const [f1, f2] = corner.region.axes;
      expect(corner.region.step).toEqual([1, 1]);
      expect([corner.region.rows, corner.region.columns]).toEqual([f1.size, f2.size]);
      expect(corner.region.real).toHaveLength(f1.size * f2.size);
      expect(f1.first).toBeGreaterThanOrEqual(30);
      expect(f1.last).toBeLessThanOrEqual(10);
      expect(f2.first).toBeGreaterThanOrEqual(1.5);
      expect(f2.last).toBeLessThanOrEqual(0.5);
      expect(Math.max(...corner.region.real.map(Math.abs))).toBeGreaterThan(0);
      const nus = docs.find((d) => d.source.path.includes(join(ws.root, 'nus')))!;
      expect(nus.processing.nus).toMatchObject({ method: 'IST with virtual echo', sampling: 0.25 });
    } finally {
      await rm(unzipped, { recursive: true, force: true });
    }
  }, 240_000);
});
