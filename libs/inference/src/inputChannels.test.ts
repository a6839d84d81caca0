import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invert, logGrid } from '@lapis/physics';
import { t1t2Case } from './testing/t1t2Case';
import {
  auxiliaryMaps,
  closeAllModels,
  inputChannels,
  invertDl,
  parseChannelList,
  parseManifest,
  prepareInput,
  type InputChannel,
} from './index';

const fixtures = fileURLToPath(new URL('./testing/fixtures/', import.meta.url));

function closePair() {
  return t1t2Case(
    [
      { position: [0.05, 0.02], width: [0.06, 0.06], fraction: 0.5 },
      { position: [0.1, 0.04], width: [0.06, 0.06], fraction: 0.5 },
    ],
    1000,
    11,
  );
}

const base = {
  format: 'lapis-model/1',
  id: 'x',
  file: 'x.onnx',
  sha256: 'a'.repeat(64),
  task: 'refine-2d',
  kernels: [['T1-IR', 'T2']],
  output: { name: 'map', shape: ['batch', 64, 64], grid: { points: 64 } },
};
const manifest = (input: Record<string, unknown>) => parseManifest({ ...base, input: { name: 'input', ...input } });

afterAll(() => closeAllModels());

describe('inputChannels', () => {
  it('reads the channels of old 2- and 3-channel manifests from their shape', () => {
    expect(inputChannels(manifest({ shape: ['batch', 2, 64, 64] }))).toEqual([{ kind: 'map' }, { kind: 'mask' }]);
    expect(inputChannels(manifest({ shape: ['batch', 3, 64, 64] })).map((c) => c.kind)).toEqual(['map', 'mask', 'snr']);
    expect(() => inputChannels(manifest({ shape: ['batch', 4, 64, 64] }))).toThrow(/input.features/);
  });

  it('reads input.features and refuses malformed ones', () => {
    const features = parseChannelList('map,mask,map-alpha/300,snr');
    expect(features[2]).toEqual({ kind: 'map-alpha', alphaDivisor: 300 });
    expect(inputChannels(manifest({ shape: ['batch', 4, 64, 64], features }))).toEqual(features);
    expect(() => manifest({ shape: ['batch', 3, 64, 64], features })).toThrow(/lists 4 channels/);
    expect(() => manifest({ shape: ['batch', 2, 64, 64], features: parseChannelList('mask,map') })).toThrow(
      /channel 0/,
    );
    expect(() => parseChannelList('map,map-alpha/0')).toThrow(/alphaDivisor/);
    expect(() => parseChannelList('map,blur')).toThrow(/unknown/);
  });
});

describe('prepareInput with the channels a manifest names', () => {
  const values = logGrid(1e-3, 1, 64);
  const axes = [
    { values, sensitive: [1e-2, 1] as [number, number] },
    { values, sensitive: [1e-3, 1] as [number, number] },
  ];
  const map = Float64Array.from({ length: 4096 }, (_, k) => (k % 5) + 1);
  const low = Float64Array.from({ length: 4096 }, (_, k) => (k % 3 === 0 ? 3 : -1));
  const channels: InputChannel[] = parseChannelList('map,mask,map-alpha/100,snr');

  it('builds each channel in order, every map at its own unit sum', () => {
    const { input, total } = prepareInput(map, axes, { channels, auxiliary: [low], snr: 100 });
    expect(input.length).toBe(4 * 4096);
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(input.subarray(0, 4096))).toBeCloseTo(1, 5);
    expect(total).toBeCloseTo(
      map.reduce((s, v) => s + v, 0),
      6,
    );
    expect(input[4096]).toBe(0);
    expect(sum(input.subarray(2 * 4096, 3 * 4096))).toBeCloseTo(1, 5);
    expect(input[2 * 4096 + 1]).toBe(0); // negatives clipped
    expect(input[2 * 4096]).toBeCloseTo(1 / 1366, 7); // 1366 cells of 3 in 4096
    expect(input[3 * 4096]).toBeCloseTo(0.5, 6);
  });

  it('refuses missing auxiliary maps, SNR, or a first channel that is not the map', () => {
    expect(() => prepareInput(map, axes, { channels, snr: 100 })).toThrow(/auxiliary/);
    expect(() => prepareInput(map, axes, { channels, auxiliary: [low] })).toThrow(/snr/);
    expect(() => prepareInput(map, axes, { channels: parseChannelList('mask,map') })).toThrow(/channel 0/);
  });
});

describe('invertDl builds what the manifest asks for', () => {
  const input = closePair();

  it('runs a 3-channel model of the first format (map, mask, snr)', async () => {
    const r = await invertDl(input, { model: join(fixtures, 'test-snr3.json'), providers: ['cpu'] });
    expect(r.dl.reason).toBeUndefined();
    expect(r.dl.accepted).toBe(true);
    expect(r.dl.auxiliaryMs).toBeUndefined();
    const classical = invert(input, { method: 'tikhonov', grid: 64 });
    const norm = (a: ArrayLike<number>) => {
      const s = Array.from(a).reduce((x, v) => x + Math.max(0, v), 0);
      return Array.from(a, (v) => Math.max(0, v) / s);
    };
    const a = norm(r.distribution);
    const b = norm(classical.distribution);
    expect(Math.max(...a.map((v, k) => Math.abs(v - b[k]!)))).toBeLessThan(1e-6);
  });

  it('feeds a 4-channel model the map re-solved at α/300 on the same grid', async () => {
    const r = await invertDl(input, { model: join(fixtures, 'test-alpha4.json'), providers: ['cpu'] });
    expect(r.dl.reason).toBeUndefined();
    expect(r.dl.auxiliaryMs).toBeGreaterThan(0);
    const classical = invert(input, { method: 'tikhonov', grid: 64 });
    const [low] = auxiliaryMaps(input, classical, parseChannelList('map,map-alpha/300'));
    const norm = (a: ArrayLike<number>) => {
      const s = Array.from(a).reduce((x, v) => x + Math.max(0, v), 0);
      return Array.from(a, (v) => Math.max(0, v) / s);
    };
    const out = norm(r.distribution);
    const want = norm(low!);
    const cl = norm(classical.distribution);
    expect(Math.max(...out.map((v, k) => Math.abs(v - want[k]!)))).toBeLessThan(1e-6);
    // and it is not the classical map: the small α keeps detail the discrepancy α smooths away
    expect(Math.max(...out.map((v, k) => Math.abs(v - cl[k]!)))).toBeGreaterThan(1e-3);
    // a smaller α fits the data at least as well: the safety net keeps it
    expect(r.dl.accepted).toBe(true);
  });
});
