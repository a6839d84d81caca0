import { describe, expect, it } from 'vitest';
import {
  eventMessageSchema,
  heartbeatMessageSchema,
  mqttTopic,
  parseMqttTopic,
  reprocessReplySchema,
  reprocessRequestSchema,
  resultEnvelopeSchema,
  spectrumReplySchema,
  spectrumRequestSchema,
  spectrumEnvelopeSchema,
  statusMessageSchema,
} from './mqtt';

const at = '2026-11-21T10:00:00.000Z';
const key = 'ab'.repeat(32);

function envelope() {
  return {
    format: 'lapis-mqtt-result/1',
    key,
    instrument: 'minispec-02',
    path: '/data/nmr/1',
    producedAt: at,
    historical: false,
    provenance: {
      rawDataHash: 'cd'.repeat(32),
      softwareVersion: 'lapis 0.1.0',
      pipelineVersion: 'classical/1',
      method: 'tikhonov',
      parameters: { grid: 64 },
    },
    document: {
      format: 'lapis-result/1',
      method: 'tikhonov',
      elapsedMs: 40,
      axes: [{ name: 'T2', unit: 's', values: [0.01, 0.1] }],
      distribution: [0, 1],
      peaks: [{ position: { T2: 0.1 }, fraction: 1 }],
      fit: { relativeResidual: 0.01 },
    },
  };
}

describe('MQTT contract', () => {
  it('builds and parses topics under lapis/v1/{instrument}/', () => {
    expect(mqttTopic('minispec-02', 'result')).toBe('lapis/v1/minispec-02/result');
    expect(mqttTopic('a.b_c', 'cmd/reprocess')).toBe('lapis/v1/a.b_c/cmd/reprocess');
    expect(parseMqttTopic('lapis/v1/x1/cmd/reprocess/reply')).toEqual({
      instrument: 'x1',
      channel: 'cmd/reprocess/reply',
    });
    expect(parseMqttTopic('lapis/v2/x1/result')).toBeUndefined();
    expect(parseMqttTopic('lapis/v1/x/y/result')).toBeUndefined();
    expect(() => mqttTopic('a/b', 'status')).toThrow();
    expect(() => mqttTopic('a+', 'status')).toThrow();
    expect(() => mqttTopic('', 'status')).toThrow();
  });

  it('accepts a result envelope and refuses a broken document, key or missing provenance', () => {
    expect(resultEnvelopeSchema.parse(envelope()).document.peaks[0]!.fraction).toBe(1);
    const badDoc = envelope();
    badDoc.document.distribution = [0, 1, 2];
    expect(resultEnvelopeSchema.safeParse(badDoc).success).toBe(false);
    expect(resultEnvelopeSchema.safeParse({ ...envelope(), key: 'XYZ' }).success).toBe(false);
    const { provenance: _p, ...noProv } = envelope();
    expect(resultEnvelopeSchema.safeParse(noProv).success).toBe(false);
  });

  it('accepts a spectrum envelope with a reduced spectrum, and refuses a result document on it', () => {
    const spectrum = {
      ...envelope(),
      format: 'lapis-mqtt-spectrum/1',
      topic: 'ignored: loose fields are the document’s, the envelope strips them',
      document: {
        format: 'lapis-spectrum/1',
        dimensions: 1,
        axes: [{ name: 'shift', unit: 'ppm', first: 12, last: -2, size: 16, frequencyMHz: 400.13 }],
        spectrum: { real: [0, 1, 5, 1], step: 4, reduction: { method: 'min-max', from: 16 } },
        noise: 0.1,
        peaks: [{ shift: 7.26, height: 5, widthHz: 1.2, integral: 9.4, snr: 50 }],
        processing: {
          ...{ lineBroadeningHz: 0.3, groupDelayPoints: 68, groupDelaySource: 'GRPDLY', phase0Deg: 0, phase1Deg: 0 },
          ...{ baseline: 'linear + whittaker', reference: 'procs SF', picker: { method: 'classical', minSnr: 5 } },
        },
        source: { path: '/data/nmr/1', layout: 'bruker' },
        software: 'lapis 0.1.0',
        elapsedMs: 10,
        warnings: [],
      },
    };
    const parsed = spectrumEnvelopeSchema.parse(spectrum);
    expect(parsed.document.spectrum.reduction).toEqual({ method: 'min-max', from: 16 });
    expect(parseMqttTopic('lapis/v1/nmr-400/spectrum')).toEqual({ instrument: 'nmr-400', channel: 'spectrum' });
    expect(spectrumEnvelopeSchema.safeParse({ ...spectrum, document: envelope().document }).success).toBe(false);
    expect(spectrumEnvelopeSchema.safeParse({ ...spectrum, format: 'lapis-mqtt-result/1' }).success).toBe(false);
    const unknownReduction = structuredClone(spectrum);
    (unknownReduction.document.spectrum.reduction as { method: string }).method = 'decimate';
    expect(spectrumEnvelopeSchema.safeParse(unknownReduction).success).toBe(false);
  });

  it('requires a reason on failed events only', () => {
    const ev = { kind: 'failed', instrument: 'x', at, path: '/d' };
    expect(eventMessageSchema.safeParse(ev).success).toBe(false);
    expect(eventMessageSchema.safeParse({ ...ev, reason: 'bad kernel' }).success).toBe(true);
    expect(eventMessageSchema.safeParse({ ...ev, kind: 'detected' }).success).toBe(true);
    expect(eventMessageSchema.safeParse({ ...ev, kind: 'exploded', reason: 'x' }).success).toBe(false);
  });

  it('validates status, heartbeat and reprocess messages', () => {
    expect(statusMessageSchema.parse({ state: 'offline', instrument: 'x', at, reason: 'connection lost' }).state).toBe(
      'offline',
    );
    expect(statusMessageSchema.safeParse({ state: 'away', instrument: 'x', at }).success).toBe(false);
    expect(statusMessageSchema.safeParse({ state: 'online', instrument: 'x', at: 'yesterday' }).success).toBe(false);
    expect(
      heartbeatMessageSchema.safeParse({
        instrument: 'x',
        at,
        uptimeSeconds: 1,
        processed: 1,
        failed: 0,
        queued: 0,
        outboxDepth: -1,
      }).success,
    ).toBe(false);
    expect(parseMqttTopic('lapis/v1/x1/cmd/spectrum')).toEqual({ instrument: 'x1', channel: 'cmd/spectrum' });
    expect(parseMqttTopic('lapis/v1/x1/cmd/spectrum/reply')?.channel).toBe('cmd/spectrum/reply');
    expect(parseMqttTopic('lapis/v1/x1/cmd/spectrum/reply/x')).toBeUndefined();
    const ask = { requestId: 'r', key };
    expect(spectrumRequestSchema.parse({ ...ask, shift: [1, 2] }).shift).toEqual([1, 2]);
    for (const bad of [{ shift: [2, 1] }, { shift: [1, Infinity] }, { key: 'AB' }, { maxValues: 1e6 }])
      expect(spectrumRequestSchema.safeParse({ ...ask, ...bad }).success, JSON.stringify(bad)).toBe(false);
    const axis = { first: 5, last: 4, from: 5000, size: 2 };
    const reply = { requestId: 'r', instrument: 'x', at, key };
    expect(
      spectrumReplySchema.safeParse({ ...reply, region: { dimensions: 1, axis, step: 1, real: [1, 2] } }).success,
    ).toBe(true);
    expect(spectrumReplySchema.safeParse({ ...reply, error: 'gone' }).success).toBe(true);
    expect(
      spectrumReplySchema.safeParse({ ...reply, region: { dimensions: 2, axes: [axis], rows: 1, columns: 1 } }).success,
    ).toBe(false);
    expect(reprocessRequestSchema.safeParse({ requestId: 'r', paths: [] }).success).toBe(false);
    expect(reprocessRequestSchema.parse({ requestId: 'r', paths: ['/d/1'] }).paths).toEqual(['/d/1']);
    expect(
      reprocessReplySchema.safeParse({ requestId: 'r', instrument: 'x', at, accepted: [], rejected: [{ path: '/e' }] })
        .success,
    ).toBe(false);
  });
});
