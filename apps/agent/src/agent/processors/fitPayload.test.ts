import { describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import type { ResultDoc } from '@lapis/contracts';
import { createRng } from '@lapis/physics';
import { buildEnvelope } from './buildEnvelope';
import { fitPayload } from './fitPayload';

function doc2d(n: number, seed = 1): ResultDoc {
  const rng = createRng(seed);
  const grid = (lo: number) => Array.from({ length: n }, (_, i) => lo * 10 ** ((4 * i) / (n - 1)));
  return {
    format: 'lapis-result/1',
    method: 'tikhonov',
    elapsedMs: 12,
    axes: [
      { name: 'T1', unit: 's', values: grid(1e-3) },
      { name: 'T2', unit: 's', values: grid(1e-4) },
    ],
    distribution: Array.from({ length: n }, () => Array.from({ length: n }, () => rng.uniform(0, 1 / 3))),
    peaks: [{ position: { T1: 0.1, T2: 0.01 }, fraction: 0.9 }],
    fit: { relativeResidual: 0.01 },
  } as ResultDoc;
}

const total = (d: ResultDoc) => (d.distribution as number[][]).flat().reduce((s, v) => s + v, 0);

describe('fitPayload', () => {
  it('leaves a small document as it is (rounded to 6 digits) and says nothing', () => {
    const d = doc2d(32);
    const r = fitPayload(d, 256 * 1024, (x) => JSON.stringify(x));
    expect(r.reduced).toBeUndefined();
    expect(r.document.axes[0]!.values).toHaveLength(32);
    expect(Math.abs(total(r.document) - total(d))).toBeLessThan(1e-3);
  });

  it('halves a map until it fits, keeping the total, a valid document and saying what it did', () => {
    const d = doc2d(256);
    const r = fitPayload(d, 256 * 1024, (x, reduced) => JSON.stringify({ x, reduced }));
    expect(Buffer.byteLength(r.payload)).toBeLessThanOrEqual(256 * 1024);
    expect(r.reduced?.from).toEqual([256, 256]);
    expect(r.reduced!.to[0]).toBeLessThan(256);
    expect(r.document.axes[0]!.values).toHaveLength(r.reduced!.to[0]!);
    expect(resultDocSchema.safeParse(r.document).success).toBe(true);
    expect(Math.abs(total(r.document) / total(d) - 1)).toBeLessThan(1e-5);
    // Geometric means of log-spaced neighbours stay inside the original range and increasing.
    const v = r.document.axes[1]!.values;
    expect(v[0]!).toBeGreaterThan(1e-4);
    expect(v.every((x, i) => i === 0 || x > v[i - 1]!)).toBe(true);
  });

  it('builds a contract-valid envelope under the MQTT limit', () => {
    const { envelope, payload } = buildEnvelope({
      key: 'a'.repeat(64),
      instrument: 'nmr-1',
      path: '/data/x',
      producedAt: new Date(0),
      reprocessed: false,
      provenance: {
        rawDataHash: 'b'.repeat(64),
        softwareVersion: 'lapis 0.1.0',
        pipelineVersion: 'classical/1',
        method: 'tikhonov',
        parameters: {},
      },
      document: doc2d(200),
    });
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(256 * 1024);
    expect(envelope.reduced).toBeDefined();
    expect(JSON.parse(payload).historical).toBe(false);
  });

  it('refuses a document that breaks the contract', () => {
    const bad = { ...doc2d(8), peaks: [{ position: { T1: 1 }, fraction: 0.5 }] } as ResultDoc;
    expect(() =>
      buildEnvelope({
        key: 'a'.repeat(64),
        instrument: 'nmr-1',
        path: '/x',
        producedAt: new Date(0),
        reprocessed: false,
        provenance: {
          rawDataHash: 'b'.repeat(64),
          softwareVersion: 's',
          pipelineVersion: 'p',
          method: 'm',
          parameters: {},
        },
        document: bad,
      }),
    ).toThrow(/MQTT contract.*T2/);
  });
});
