import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { invert, logGrid, simulate } from '@lapis/physics';
import { t1t2Case } from './testing/t1t2Case';
import {
  closeAllModels,
  createSession,
  defaultModelPath,
  invertDl,
  loadModel,
  ModelIntegrityError,
  openModel,
  parseManifest,
  prepareInput,
} from './index';

const fixtures = fileURLToPath(new URL('./testing/fixtures/', import.meta.url));
const identity = join(fixtures, 'test-identity.json');
const shifted = join(fixtures, 'test-shifted.json');

const twoPeaks = t1t2Case([
  { position: [0.05, 0.01], width: [0.08, 0.08], fraction: 0.5 },
  { position: [0.6, 0.08], width: [0.08, 0.08], fraction: 0.5 },
]);

afterAll(() => closeAllModels());

describe('prepareInput', () => {
  it('normalises the clipped map to unit sum and marks the sensitive cells', () => {
    const values = logGrid(1e-3, 1, 64);
    const map = Float64Array.from({ length: 64 * 64 }, (_, k) => (k % 7) - 1); // includes negatives
    const { input, total } = prepareInput(map, [
      { values, sensitive: [1e-2, 1] },
      { values, sensitive: [1e-3, 1] },
    ]);
    let sum = 0;
    for (let k = 0; k < 4096; k++) sum += input[k]!;
    expect(sum).toBeCloseTo(1, 5);
    expect(Math.min(...input.subarray(0, 4096))).toBe(0);
    expect(total).toBeGreaterThan(0);
    expect(input[4096]).toBe(0); // first row lies below 1e-2 on axis 0
    expect(input[4096 + 63 * 64 + 5]).toBe(1);
    expect(() => prepareInput(map, [{ values, sensitive: [1, 2] }])).toThrow(RangeError);
    // optional third channel: log10(SNR)/4, constant
    const three = prepareInput(
      map,
      [
        { values, sensitive: [1e-2, 1] },
        { values, sensitive: [1e-3, 1] },
      ],
      { snr: 1000 },
    );
    expect(three.input.length).toBe(3 * 4096);
    expect(three.input[2 * 4096]).toBeCloseTo(0.75, 6);
    expect(three.input[3 * 4096 - 1]).toBeCloseTo(0.75, 6);
    expect(() =>
      prepareInput(
        map,
        [
          { values, sensitive: [1e-2, 1] },
          { values, sensitive: [1e-3, 1] },
        ],
        { snr: 0 },
      ),
    ).toThrow(RangeError);
  });
});

describe('model manifests', () => {
  it('loads a model whose bytes match the manifest', async () => {
    const m = await loadModel(identity);
    expect(m.manifest.id).toBe('test-identity');
    expect(m.bytes.length).toBe(m.manifest.bytes);
  });

  it('refuses a model whose bytes were altered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lapis-model-'));
    try {
      await copyFile(identity, join(dir, 'test-identity.json'));
      const bytes = await readFile(join(fixtures, 'test-identity.onnx'));
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      await writeFile(join(dir, 'test-identity.onnx'), bytes);
      await expect(loadModel(join(dir, 'test-identity.json'))).rejects.toBeInstanceOf(ModelIntegrityError);
      // and invertDl falls back to the classical result, saying why
      const r = await invertDl(twoPeaks, { model: join(dir, 'test-identity.json') });
      expect(r.method).toBe('tikhonov');
      expect(r.dl.accepted).toBe(false);
      expect(r.dl.reason).toMatch(/sha256/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects malformed manifests', () => {
    expect(() => parseManifest({ format: 'other' })).toThrow(TypeError);
    expect(() => parseManifest({ format: 'lapis-model/1', id: 'x', file: '../x.onnx' })).toThrow(/file/);
  });

  it('checks the training domain a manifest declares', async () => {
    const good = JSON.parse(await readFile(identity, 'utf8')) as Record<string, unknown>;
    expect(
      parseManifest({
        ...good,
        domain: {
          snr: [30, 3000],
          points: [
            [8, 48],
            [300, 2000],
          ],
        },
      }).domain,
    ).toBeDefined();
    expect(() => parseManifest({ ...good, domain: { snr: [3000, 30] } })).toThrow(/domain\.snr/);
    expect(() => parseManifest({ ...good, domain: { points: [[8, 48]] } })).toThrow(/domain\.points/);
  });
});

describe('sessions and providers', () => {
  it('skips providers this platform cannot have and falls back to the CPU', async () => {
    const { bytes } = await loadModel(identity);
    const s = await createSession(bytes, { providers: ['dml', 'coreml', 'cpu'], platform: 'linux' });
    expect(s.provider).toBe('cpu');
    expect(s.attempts.map((a) => a.ok)).toEqual([false, false, true]);
    expect(s.attempts[0]!.reason).toMatch(/not available on linux/);
    await s.session.release();
  });

  /** Whichever provider ran, the report says so: the one used is the last attempt, every one before it failed and says why. */
  function expectReported(
    s: { provider: string; attempts: { provider: string; ok: boolean; reason?: string }[] },
    gpu: string,
  ) {
    expect([gpu, 'cpu']).toContain(s.provider);
    expect(s.attempts.map((a) => a.provider)).toEqual(s.provider === gpu ? [gpu] : [gpu, 'cpu']);
    expect(s.attempts.at(-1)).toEqual({ provider: s.provider, ok: true });
    for (const failed of s.attempts.slice(0, -1)) {
      expect(failed).toMatchObject({ ok: false, reason: expect.stringMatching(/\S/) });
    }
  }

  it('reports a missing CUDA and still runs (CPU appended when left out)', async () => {
    const { bytes } = await loadModel(identity);
    const s = await createSession(bytes, { providers: ['cuda'] });
    expectReported(s, 'cuda');
    await s.session.release();
  });

  it('falls back to the CPU, and says why, where CUDA cannot exist', async () => {
    const { bytes } = await loadModel(identity);
    const s = await createSession(bytes, { providers: ['cuda'], platform: 'darwin' });
    expect(s.provider).toBe('cpu');
    expect(s.attempts).toEqual([
      { provider: 'cuda', ok: false, reason: 'not available on darwin' },
      { provider: 'cpu', ok: true },
    ]);
    await s.session.release();
  });

  it('tries WebGPU and says why it was not used when it is not', async () => {
    const { bytes } = await loadModel(identity);
    const s = await createSession(bytes, { providers: ['webgpu', 'cpu'] });
    expectReported(s, 'webgpu');
    await s.session.release();
  });

  it('loads once, and a batch gives what single runs give', async () => {
    const a = await openModel(shifted, { providers: ['cpu'] });
    const b = await openModel(shifted, { providers: ['cpu'] });
    expect(a).toBe(b);
    const inputs = [0, 1, 2].map((s) => Float32Array.from({ length: 2 * 4096 }, (_, k) => ((k * (s + 3)) % 11) / 11));
    const batch = await a.run(inputs);
    const singles = await Promise.all(inputs.map(async (x) => (await a.run([x]))[0]!));
    expect(batch).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(Array.from(batch[i]!)).toEqual(Array.from(singles[i]!));
    // the shifted model moves cell (0, 0) to (12, 12)
    expect(batch[1]![12 * 64 + 12]).toBeCloseTo(inputs[1]![0]!, 6);
    await expect(a.run([new Float32Array(10)])).rejects.toThrow(RangeError);
  });
});

describe('invertDl safety net', () => {
  it('keeps a network map that explains the data as well as the classical one', async () => {
    const r = await invertDl(twoPeaks, { model: identity, providers: ['cpu'] });
    const classical = invert(twoPeaks, { method: 'tikhonov', grid: 64 });
    expect(r.method).toBe('dl');
    expect(r.dl.accepted).toBe(true);
    expect(r.dl).toMatchObject({ modelId: 'test-identity', provider: 'cpu' });
    // the clipped classical map itself, amplitude refitted: χ² no worse than the classical fit's (float32 rounding)
    const ratio = r.dl.chi2! / r.dl.chi2Classical!;
    expect(ratio).toBeLessThan(1.001);
    expect(ratio).toBeGreaterThan(0.9);
    expect(Math.abs(r.dl.amplitudeScale! - 1)).toBeLessThan(0.05);
    expect(r.distribution.reduce((s, v) => s + v, 0)).toBeCloseTo(
      r.dl.amplitudeScale! * classical.distribution.reduce((s, v) => s + Math.max(0, v), 0),
      6,
    );
    expect(r.methodReason).toMatch(/test-identity/);
  });

  it('draws the bootstrap of the network map: classical draws around its fit, through the network in one batch', async () => {
    const r = await invertDl(twoPeaks, { model: identity, providers: ['cpu'] });
    expect(r.dl.accepted).toBe(true);
    const draws = await r.resampleDl!(6, 3);
    expect(draws).toHaveLength(6);
    // the identity network returns its channel 0 (the classical draw, unit sum) × the draw's total × the amplitude
    // factor: the classical draws around the network's own map, clipped at zero
    const classical = r.solver.resample!(6, 3, r.distribution);
    for (let d = 0; d < 6; d++) {
      let diff = 0;
      let size = 0;
      for (let k = 0; k < draws[d]!.length; k++) {
        diff += Math.abs(draws[d]![k]! - r.dl.amplitudeScale! * Math.max(0, classical[d]![k]!));
        size += Math.abs(draws[d]![k]!);
      }
      expect(diff / size).toBeLessThan(1e-5); // float32
    }
    // different draws differ, and a 4-channel model (map-alpha) draws its extra channel too
    expect(draws[0]).not.toEqual(draws[1]);
    const alpha4 = await invertDl(twoPeaks, {
      model: join(fixtures, 'test-alpha4.json'),
      providers: ['cpu'],
      tolerance: 10,
    });
    expect(alpha4.dl.accepted).toBe(true);
    expect(await alpha4.resampleDl!(4, 1)).toHaveLength(4);
  });

  it('falls back to the classical result when the network map does not fit', async () => {
    const r = await invertDl(twoPeaks, { model: shifted, providers: ['cpu'] });
    const classical = invert(twoPeaks, { method: 'tikhonov', grid: 64 });
    expect(r.method).toBe('tikhonov');
    expect(r.dl.accepted).toBe(false);
    expect(r.dl.chi2!).toBeGreaterThan(1.1 * r.dl.chi2Classical!);
    expect(r.methodReason).toMatch(/fallback/);
    expect(r.warnings.some((w) => w.startsWith('dl:'))).toBe(true);
    expect(Array.from(r.distribution)).toEqual(Array.from(classical.distribution));
    expect(r.dl.modelId).toBe('test-shifted');
  });

  it('inverts 1D data classically and says so', async () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => (i + 1) * 1e-3);
    const sim = simulate({
      axes: [{ spec: { kernel: 'T2' }, x }],
      peaks: [{ position: [0.05], width: [0.1], fraction: 1 }],
      snr: 200,
      seed: 3,
    });
    const r = await invertDl({ axes: [{ kernel: 'T2', values: x }], data: sim.data }, { model: identity });
    expect(r.method).toBe('upen');
    expect(r.dl.accepted).toBe(false);
    expect(r.dl.reason).toMatch(/2D only/);
  });
});

describe('the released model', () => {
  it('runs on a T1–T2 map and reports its provenance', async () => {
    const path = defaultModelPath();
    const loaded = await loadModel(path).catch(() => undefined);
    if (!loaded) return expect.fail(`no released model at ${path} (npm run train writes it)`);
    expect(loaded.bytes.length).toBeLessThan(5 * 1024 * 1024);
    const r = await invertDl(twoPeaks, { providers: ['cpu'] });
    expect(r.dl.modelId).toBe(loaded.manifest.id);
    expect(r.dl.provider).toBe('cpu');
    expect(r.dl.chi2).toBeGreaterThan(0);
    const sum = r.distribution.reduce((s, v) => s + v, 0);
    expect(Number.isFinite(sum) && sum > 0).toBe(true);
    // inside what it was trained on (24 delays, 500 echoes, SNR 300): no domain warning
    expect(r.warnings.join('\n')).not.toMatch(/outside what/);
  });

  it('warns when the acquisition lies outside what the model was trained on, and still checks the map', async () => {
    const domain = (await loadModel(defaultModelPath())).manifest.domain!;
    expect(domain.snr).toBeDefined();
    const noisy = t1t2Case([{ position: [0.05, 0.01], width: [0.1, 0.1], fraction: 1 }], domain.snr![0] / 3);
    const r = await invertDl(noisy, { providers: ['cpu'] });
    const warning = r.warnings.find((w) => /outside what/.test(w));
    expect(warning).toMatch(new RegExp(`SNR \\d+(\\.\\d+)?, trained ${domain.snr![0]}–${domain.snr![1]}`));
    expect(r.dl.chi2).toBeGreaterThan(0); // the network still ran, under the safety net
  });
});
