import { describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { forward1d, forward2d, findPeaks, kernelMatrix, logGrid, residualDiagnostics, simulate } from '@lapis/physics';
import type { Inversion, InvertAxis, Peak } from '@lapis/physics';
import { buildEnvelope } from '../agent/processors/buildEnvelope';
import { t1t2Acquisition, t2Acquisition } from '../testing/fixtures';
import { shimInvert } from '../testing/shimInvert';
import { checkResultDocument } from './checkResultDocument';
import { toResultDocument } from './toResultDocument';

const provenance = { software: 'lapis', version: '0.1.0', source: { format: 'test' } };

describe('toResultDocument', () => {
  it('2D T1–T2: a valid lapis-result/1 with rows following axes[0], per-axis peak fields and the T1/T2 ratio', () => {
    const acq = t1t2Acquisition();
    const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 20 });
    const found = findPeaks(
      inversion.distribution,
      inversion.axes.map((a) => a.values),
    );
    const diagnostics = residualDiagnostics(acq.data, inversion.solver.fitted, inversion.solver.sigma, [16, 48]);
    const doc = toResultDocument(inversion, found.peaks, provenance, { experiment: 'T1-T2', diagnostics });
    expect(resultDocSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
    expect(doc.distribution).toHaveLength(20);
    // Row i of the document is row i of the row-major distribution.
    expect((doc.distribution[3] as number[])[7]).toBe(inversion.distribution[3 * 20 + 7]);
    const peak = doc.peaks[0]!;
    expect(Object.keys(peak.position)).toEqual(['T1', 'T2']);
    expect(peak.widthDecades).toHaveProperty('T2');
    expect(peak.extent?.T1?.[0]).toBeLessThanOrEqual(peak.position.T1!);
    expect(peak.t1t2Ratio).toBeCloseTo(peak.position.T1! / peak.position.T2!, 12);
    expect(doc.fit.chi2).toBeGreaterThan(0.5);
    expect(doc.fit.residualWhiteness?.lag1).toHaveLength(2);
    expect(doc.axes[0]!.sensitiveRange).toEqual(inversion.axes[0]!.sensitive);
    expect(doc.sigma).toBe(inversion.solver.sigma);
  });

  it('T2–T2: the second axis is keyed T2_2; peaks come out sorted by fraction', () => {
    // A hand-made map (two blobs on a 16 × 16 grid) is enough here: this is about naming and order, not solving.
    const grid = logGrid(1e-3, 1, 16);
    const blob = (i: number, j: number, ci: number, cj: number) => Math.exp(-((i - ci) ** 2 + (j - cj) ** 2) / 2);
    const distribution = Float64Array.from(
      { length: 256 },
      (_, k) => 0.3 * blob(k >> 4, k & 15, 4, 11) + 0.7 * blob(k >> 4, k & 15, 11, 4),
    );
    const acq = t1t2Acquisition();
    const base = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 8 });
    const inversion: Inversion = {
      ...base,
      axes: [0, 1].map(() => ({
        name: 'T2' as const,
        unit: 's' as const,
        values: grid,
        sensitive: [1e-3, 1] as [number, number],
      })),
      distribution,
    };
    const peaks = findPeaks(distribution, [grid, grid]).peaks;
    expect(peaks).toHaveLength(2);
    const doc = toResultDocument(inversion, [...peaks].reverse(), provenance);
    expect(Object.keys(doc.peaks[0]!.position)).toEqual(['T2', 'T2_2']);
    expect(doc.peaks[0]!.fraction).toBeGreaterThan(doc.peaks[1]!.fraction);
    expect(doc.peaks[0]!.position.T2!).toBeGreaterThan(doc.peaks[0]!.position.T2_2 as number);
    expect(doc.peaks[0]).not.toHaveProperty('t1t2Ratio');
  });

  it('refuses numbers JSON cannot hold; the contract check refuses the rest (a bug upstream, not bad input)', () => {
    const acq = t1t2Acquisition();
    const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 10 });
    const broken: Inversion = {
      ...inversion,
      distribution: inversion.distribution.map((v, i) => (i === 5 ? Number.NaN : v)),
    };
    expect(() => toResultDocument(broken, [], provenance)).toThrow(/does not meet lapis-result\/1 \(distribution/);
    const tooMuch: Peak[] = [0.7, 0.6].map((fraction) => ({
      position: [0.1, 0.01],
      fraction,
      amplitude: 1,
      height: 1,
      maxIndex: 0,
      extent: [
        [0.05, 0.2],
        [0.005, 0.02],
      ],
      widthDecades: [0.1, 0.1],
      region: new Int32Array([0]),
      atEdge: false,
    }));
    // Schema-level rules are the contract check's, run where a document leaves the agent (pipelineSteps).
    const overfull = toResultDocument(inversion, tooMuch, provenance);
    expect(() => checkResultDocument(overfull, 'test')).toThrow(/fractions sum to 1\.3/);
  });

  describe('fit.decays (measured data against the fit)', () => {
    /** Relative agreement at 6 significant digits (the document rounds), with an absolute floor near zero. */
    const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(b), scale);

    it('2D T1–T2: the recovery at the first echo and the echo train at the longest delay, fit = K1·F·K2ᵀ there', () => {
      const acq = t1t2Acquisition();
      const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 20 });
      const doc = toResultDocument(inversion, [], provenance, { measured: acq });
      expect(resultDocSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
      const decays = doc.fit.decays!;
      expect(decays).toHaveLength(2);
      const [along0, along1] = decays as [NonNullable<typeof decays>[0], NonNullable<typeof decays>[0]];
      expect(along0.axis.name).toBe('tau');
      expect(along0.at).toMatchObject({ name: 't', index: 0 }); // the first echo carries the most signal
      expect(along1.axis.name).toBe('t');
      expect(along1.at).toMatchObject({ name: 'tau', index: 15 }); // full recovery at the longest delay
      expect(along0.label).toMatch(/^inversion recovery at t = /);
      expect(along1.label).toMatch(/^echo decay at τ = 5 s$/);
      // Small enough to be whole: 16 delays, 48 echoes.
      expect(along0.axis.values).toHaveLength(16);
      expect(along1.axis.values).toHaveLength(48);

      // The forward model, independently: kernels on the inversion's grids, applied to its distribution.
      const [g1, g2] = inversion.axes;
      const k1 = kernelMatrix({ kernel: 'T1-IR' }, acq.axes[0].values, g1!.values);
      const k2 = kernelMatrix({ kernel: 'T2' }, acq.axes[1]!.values, g2!.values);
      const model = forward2d(k1, k2, inversion.distribution);
      const m2 = 48;
      const scale = Math.max(...Array.from(model, Math.abs));
      along0.fit.forEach((v, i) => expect(close(v, model[i * m2]!, scale)).toBe(true));
      along1.fit.forEach((v, j) => expect(close(v, model[15 * m2 + j]!, scale)).toBe(true));
      along1.data.forEach((v, j) => expect(close(v, acq.data[15 * m2 + j]!, scale)).toBe(true));
      // The fit follows the data: the residual is noise-sized (SNR 500 on a unit peak).
      const rms = Math.sqrt(along1.data.reduce((s, d, j) => s + (d - along1.fit[j]!) ** 2, 0) / along1.data.length);
      expect(rms).toBeLessThan(5 * doc.sigma!);
      expect(rms).toBeGreaterThan(0.2 * doc.sigma!);
    });

    it('1D T2: the whole decay, fit = K·f', () => {
      const acq = t2Acquisition();
      const inversion = shimInvert({ axes: [acq.axes[0]], data: acq.data }, { grid: 40 });
      const doc = toResultDocument(inversion, [], provenance, { measured: acq });
      const [decay] = doc.fit.decays!;
      expect(doc.fit.decays).toHaveLength(1);
      expect(decay!.label).toBe('echo decay');
      expect(decay!.at).toBeUndefined();
      expect(decay!.axis).toMatchObject({ name: 't', unit: 's' });
      expect(decay!.axis.values).toHaveLength(64);
      const model = forward1d(
        kernelMatrix({ kernel: 'T2' }, acq.axes[0].values, inversion.axes[0]!.values),
        inversion.distribution,
      );
      decay!.fit.forEach((v, i) => expect(close(v, model[i]!, 1)).toBe(true));
      expect(decay!.axis.values[63]).toBeCloseTo(2, 6);
    });

    it('no measured data, no decays; a fit of another shape is left out with a warning', () => {
      const acq = t1t2Acquisition();
      const inversion = shimInvert({ axes: [acq.axes[0], acq.axes[1]!], data: acq.data }, { grid: 10 });
      expect(toResultDocument(inversion, [], provenance).fit).not.toHaveProperty('decays');
      const odd: Inversion = { ...inversion, solver: { ...inversion.solver, fitted: new Float64Array(3) } };
      const doc = toResultDocument(odd, [], provenance, { measured: acq });
      expect(doc.fit).not.toHaveProperty('decays');
      expect(doc.warnings?.some((w) => /fit\.decays left out/.test(w))).toBe(true);
    });

    it('48 × 4000 T1–T2: echo train downsampled to 256 points, the envelope stays well under 256 KB', () => {
      const tau = logGrid(1e-4, 5, 48);
      const te = Float64Array.from({ length: 4000 }, (_, i) => 1e-4 * (i + 1)); // CPMG: evenly spaced echoes
      const sim = simulate({
        axes: [
          { spec: { kernel: 'T1-IR' }, x: tau },
          { spec: { kernel: 'T2' }, x: te },
        ],
        peaks: [
          { position: [0.05, 0.008], width: [0.12, 0.12], fraction: 0.4 },
          { position: [0.4, 0.09], width: [0.12, 0.12], fraction: 0.6 },
        ],
        snr: 300,
        seed: 7,
      });
      const axes: [InvertAxis, InvertAxis] = [
        { kernel: 'T1-IR', values: tau },
        { kernel: 'T2', values: te },
      ];
      const inversion = shimInvert({ axes, data: sim.data }, { grid: 64 });
      const doc = toResultDocument(inversion, [], provenance, {
        experiment: 'T1-T2',
        measured: { axes, data: sim.data },
      });
      const train = doc.fit.decays![1]!;
      expect(train.axis.values).toHaveLength(256);
      expect(train.totalPoints).toBe(4000);
      // the first 32 echoes as measured, the last one kept, log-spaced in between
      expect(train.axis.values.slice(0, 32)).toEqual(Array.from(te.slice(0, 32), (v) => Number(v.toPrecision(6))));
      expect(train.axis.values[255]).toBeCloseTo(0.4, 9);
      expect(doc.fit.decays![0]!.axis.values).toHaveLength(48);
      const docBytes = Buffer.byteLength(JSON.stringify(doc));
      const { envelope, payload } = buildEnvelope({
        key: 'a'.repeat(64),
        instrument: 'minispec-1',
        path: '/data/x',
        producedAt: new Date(0),
        reprocessed: false,
        provenance: {
          rawDataHash: 'b'.repeat(64),
          softwareVersion: '0.1.0',
          pipelineVersion: 'classical/1',
          method: 'tikhonov',
          parameters: {},
        },
        document: doc,
      });
      const bytes = Buffer.byteLength(payload);
      const decayBytes = Buffer.byteLength(JSON.stringify(doc.fit.decays));
      console.info(
        `48×4000 T1–T2: document ${docBytes} B as built (fit.decays ${decayBytes} B), MQTT payload ${bytes} B`,
      );
      expect(decayBytes).toBeLessThan(24 * 1024);
      expect(envelope.reduced).toBeUndefined();
      expect(bytes).toBeLessThan(160 * 1024);
      expect(envelope.document.fit.decays).toHaveLength(2);
    });
  });
});
