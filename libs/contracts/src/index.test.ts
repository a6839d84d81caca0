import { describe, expect, it } from 'vitest';
import * as contracts from './index';
import { acquisitionDocSchema, resultAxisKeys, resultDocSchema } from './index';

function validResult() {
  return {
    format: 'lapis-result/1',
    method: 'tikhonov',
    elapsedMs: 41.2,
    axes: [
      { name: 'T1', unit: 's', values: [0.01, 0.1, 1] },
      { name: 'T2', unit: 's', values: [0.001, 0.01] },
    ],
    distribution: [
      [0, 1],
      [2, 0],
      [0, 0],
    ],
    peaks: [
      { position: { T1: 0.112, T2: 0.0195 }, fraction: 0.85 },
      { position: { T1: 0.01, T2: 0.001 }, fraction: 0.15 },
    ],
    fit: { relativeResidual: 0.023 },
  };
}

function validAcquisition() {
  return {
    format: 'lapis-acquisition/1',
    experiment: 'T1-T2',
    instrument: 'minispec-02',
    axes: [
      { kernel: 'T1-IR', values: [0.0001, 0.0002], unit: 's' },
      { kernel: 'T2', values: [0.0002, 0.0004], unit: 's' },
    ],
    data: 'data.txt',
  };
}

describe('@lapis/contracts exports', () => {
  it('exports the expected names (update this snapshot deliberately when adding a contract)', () => {
    expect(Object.keys(contracts).sort()).toMatchInlineSnapshot(`
      [
        "EXPERIMENTS",
        "EXPERIMENT_KERNELS",
        "KERNEL_NAMES",
        "LAPIS_ACQUISITION_FORMAT",
        "LAPIS_RESULT_FORMAT",
        "LAPIS_SPECTRUM_FORMAT",
        "MAX_SPECTRUM_POINTS",
        "MQTT_MAX_PAYLOAD_BYTES",
        "MQTT_TOPIC_ROOT",
        "RELAXATION_AXIS_NAMES",
        "SI_UNITS",
        "SPECTRUM_REGION_MAX_VALUES",
        "UNIT_SPELLINGS",
        "acquisitionAxisDocSchema",
        "acquisitionAxisUnitSchema",
        "acquisitionDocSchema",
        "eventKindSchema",
        "eventMessageSchema",
        "experimentSchema",
        "finiteNumber",
        "formatIssues",
        "heartbeatMessageSchema",
        "instrumentIdSchema",
        "issueLine",
        "issueLines",
        "kernelNameSchema",
        "knownResultMethods",
        "mqttProvenanceSchema",
        "mqttTopic",
        "parseMqttTopic",
        "parseQuantity",
        "parseUnit",
        "reprocessReplySchema",
        "reprocessRequestSchema",
        "residualWhitenessSchema",
        "resultAxisKeys",
        "resultAxisNameSchema",
        "resultAxisSchema",
        "resultAxisUnitSchema",
        "resultAxisUnits",
        "resultDecaySchema",
        "resultDocSchema",
        "resultEnvelopeSchema",
        "resultFitSchema",
        "resultPeakSchema",
        "resultProvenanceSchema",
        "resultSpectrumSchema",
        "resultVendorValueSchema",
        "spectrumAxisSchema",
        "spectrumDocumentSchema",
        "spectrumEnvelopeSchema",
        "spectrumPeakSchema",
        "spectrumReplySchema",
        "spectrumRequestSchema",
        "statusMessageSchema",
        "unitProblem",
      ]
    `);
  });
});

describe('lapis-result/1', () => {
  it('takes peaks[].uncertainty as Lapis writes it, nulls included, and refuses a malformed one', () => {
    const doc = validResult() as ReturnType<typeof validResult> & { peaks: Record<string, unknown>[] };
    const uncertainty = {
      positionUncertaintyDecades: { T1: 0.004, T2: null },
      positionSdDecades: { T1: 0.003, T2: null },
      positionBiasDecades: { T1: -0.002, T2: null },
      fractionSd: 0.01,
      detected: 0.75,
      replicates: 16,
    };
    doc.peaks[0] = { ...doc.peaks[0]!, uncertainty };
    expect(resultDocSchema.parse(doc).peaks[0]!.uncertainty!.detected).toBe(0.75);
    doc.peaks[0] = { ...doc.peaks[0]!, uncertainty: { ...uncertainty, detected: 1.5 } };
    expect(() => resultDocSchema.parse(doc)).toThrow(/detected/);
    const negative = { ...uncertainty, positionSdDecades: { T1: -0.1, T2: null } };
    doc.peaks[0] = { ...doc.peaks[0]!, uncertainty: negative };
    expect(() => resultDocSchema.parse(doc)).toThrow(/positionSdDecades/);
  });

  it('accepts the example of docs/contracts.md (1D and 2D) and keeps unknown fields', () => {
    const doc = { ...validResult(), futureField: { x: 1 } };
    doc.peaks[0] = { ...doc.peaks[0]!, ...{ futurePeakField: 0.1 } };
    const parsed = resultDocSchema.parse(doc);
    expect(parsed.futureField).toEqual({ x: 1 });
    expect((parsed.peaks[0] as Record<string, unknown>).futurePeakField).toBe(0.1);
    const oneD = {
      ...validResult(),
      axes: [{ name: 'D', unit: 'm2/s', values: [1e-10, 1e-9] }],
      distribution: [0, 1],
      peaks: [{ position: { D: 1e-9 }, fraction: 1 }],
    };
    expect(resultDocSchema.safeParse(oneD).success).toBe(true);
  });

  it('accepts the documented extensions', () => {
    const doc = {
      ...validResult(),
      alpha: 0.3,
      alphaRule: 'brd',
      iterations: 12,
      sigma: 0.01,
      beta: 0.95,
      methodReason: 'requested',
      warnings: ['w'],
      experiment: 'T1-T2',
      provenance: {
        software: 'lapis',
        version: '0.1.0',
        source: { format: 'lapis-acquisition/1', path: '/x', files: ['acquisition.json', 'data.txt'] },
        rawDataHash: 'a'.repeat(64),
      },
      fit: {
        relativeResidual: 0.02,
        rmsResidual: 0.01,
        chi2: 1.02,
        residualWhiteness: {
          white: false,
          lag1: [0.01, null],
          lag1Z: [0.3, null],
          runsZ: -4.2,
          meanZ: 0.1,
          reasons: ['too few runs'],
        },
      },
    };
    doc.axes[0] = { ...doc.axes[0]!, ...{ sensitiveRange: [0.001, 1] } };
    doc.peaks[0] = {
      ...doc.peaks[0]!,
      ...{
        amplitude: 3,
        widthDecades: { T1: 0.1, T2: 0.2 },
        extent: { T1: [0.05, 0.3], T2: [0.01, 0.04] },
        t1t2Ratio: 5.7,
      },
    };
    const r = resultDocSchema.safeParse(doc);
    expect(r.error?.issues).toBeUndefined();
  });

  const decay = () => ({
    label: 'echo decay at τ = 5 s',
    axis: { name: 't', unit: 's', values: [0.001, 0.002, 0.004] },
    data: [1, 0.61, 0.37],
    fit: [0.99, 0.6, 0.38],
    dataAxis: 1,
    at: { name: 'tau', unit: 's', value: 5, index: 47 },
    totalPoints: 4000,
  });

  it('fit.decays is optional: documents with and without it parse, and the decays survive', () => {
    expect(resultDocSchema.safeParse(validResult()).success).toBe(true);
    const doc = { ...validResult(), fit: { relativeResidual: 0.02, decays: [decay()] } };
    const parsed = resultDocSchema.parse(doc);
    expect(parsed.fit.decays?.[0]?.axis.values).toEqual([0.001, 0.002, 0.004]);
    expect(parsed.fit.decays?.[0]?.at?.name).toBe('tau');
    const b = { ...decay(), axis: { name: 'b', unit: 's/m2', values: [1e8, 1e9, 1e10] } };
    expect(resultDocSchema.safeParse({ ...validResult(), fit: { relativeResidual: 0, decays: [b] } }).success).toBe(
      true,
    );
  });

  const badDecays: [string, (d: ReturnType<typeof decay>) => unknown][] = [
    ['data shorter than the axis', (d) => ({ ...d, data: [1, 0.5] })],
    ['fit longer than the axis', (d) => ({ ...d, fit: [1, 0.5, 0.3, 0.1] })],
    ['b in seconds', (d) => ({ ...d, axis: { ...d.axis, name: 'b' } })],
    ['unknown axis name', (d) => ({ ...d, axis: { ...d.axis, name: 'T2' } })],
    ['NaN in fit', (d) => ({ ...d, fit: [1, NaN, 0.3] })],
    ['no label', (d) => ({ ...d, label: '' })],
  ];
  it.each(badDecays)('rejects a decay with %s', (_name, mutate) => {
    const doc = { ...validResult(), fit: { relativeResidual: 0.02, decays: [mutate(decay())] } };
    expect(resultDocSchema.safeParse(doc).success).toBe(false);
  });

  const bad: [string, (d: ReturnType<typeof validResult>) => unknown][] = [
    ['wrong format', (d) => ({ ...d, format: 'lapis-result/2' })],
    [
      'NaN in distribution',
      (d) => ({
        ...d,
        distribution: [
          [NaN, 1],
          [2, 0],
          [0, 0],
        ],
      }),
    ],
    [
      'rows ≠ axes[0]',
      (d) => ({
        ...d,
        distribution: [
          [0, 1],
          [2, 0],
        ],
      }),
    ],
    [
      'columns ≠ axes[1]',
      (d) => ({
        ...d,
        distribution: [
          [0, 1, 3],
          [2, 0, 3],
          [0, 0, 3],
        ],
      }),
    ],
    ['flat distribution for 2D', (d) => ({ ...d, distribution: [0, 1, 2, 0, 0, 0] })],
    ['unsorted peaks', (d) => ({ ...d, peaks: [...d.peaks].reverse() })],
    [
      'fractions above 1',
      (d) => ({
        ...d,
        peaks: [
          { ...d.peaks[0]!, fraction: 0.9 },
          { ...d.peaks[1]!, fraction: 0.2 },
        ],
      }),
    ],
    ['missing position key', (d) => ({ ...d, peaks: [{ position: { T1: 0.1 }, fraction: 0.5 }] })],
    ['wrong unit', (d) => ({ ...d, axes: [{ ...d.axes[0]!, unit: 'm2/s' }, d.axes[1]] })],
    ['unknown axis', (d) => ({ ...d, axes: [{ ...d.axes[0]!, name: 'T3' }, d.axes[1]] })],
    ['three axes', (d) => ({ ...d, axes: [...d.axes, d.axes[1]] })],
    ['missing fit', (d) => ({ ...d, fit: undefined })],
    ['bad hash', (d) => ({ ...d, provenance: { software: 'lapis', version: '1', rawDataHash: 'xyz' } })],
  ];
  it.each(bad)('rejects %s', (_name, mutate) => {
    expect(resultDocSchema.safeParse(mutate(validResult())).success).toBe(false);
  });

  it('keys a repeated axis name with _2 (T2–T2)', () => {
    expect(resultAxisKeys(['T2', 'T2'])).toEqual(['T2', 'T2_2']);
    expect(resultAxisKeys(['T1', 'T2'])).toEqual(['T1', 'T2']);
  });
});

describe('lapis-acquisition/1', () => {
  it('accepts the example of docs/contracts.md', () => {
    expect(acquisitionDocSchema.safeParse(validAcquisition()).success).toBe(true);
  });
  const bad: [string, (d: ReturnType<typeof validAcquisition>) => unknown][] = [
    ['unknown experiment', (d) => ({ ...d, experiment: 'T3' })],
    ['unknown kernel', (d) => ({ ...d, axes: [{ ...d.axes[0]!, kernel: 'T1-XX' }, d.axes[1]] })],
    ['kernel not fitting the experiment', (d) => ({ ...d, axes: [d.axes[1], d.axes[1]] })],
    ['one axis for a 2D experiment', (d) => ({ ...d, axes: [d.axes[0]] })],
    ['unknown unit', (d) => ({ ...d, axes: [{ ...d.axes[0]!, unit: 'fortnight' }, d.axes[1]] })],
    ['diffusion unit on a time axis', (d) => ({ ...d, axes: [{ ...d.axes[0]!, unit: 's/m2' }, d.axes[1]] })],
    ['data path outside the directory', (d) => ({ ...d, data: '../data.txt' })],
    ['empty values', (d) => ({ ...d, axes: [{ ...d.axes[0]!, values: [] }, d.axes[1]] })],
  ];
  it.each(bad)('rejects %s', (_name, mutate) => {
    expect(acquisitionDocSchema.safeParse(mutate(validAcquisition())).success).toBe(false);
  });
});
