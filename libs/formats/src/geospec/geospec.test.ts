/**
 * GeoSpec exports written by writeGeoSpec from libs/physics simulations (known truth), read back: every test type
 * and layout variant at several seeds (axes to 1e-12, data equal), the vendor's log-means, a round trip through
 * `invert`, and the errors and warnings of odd files.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, invert, inversionPeaks, type SimPeak } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type Acquisition } from '../acquisition';
import { detectAndRead } from '../read';
import { geoSpecReader, looksLikeGeoSpec } from './geoSpecReader';
import { geoSpecAcquisition, readGeoSpec } from './readGeoSpec';
import { simulateGeoSpec, writeGeoSpec, type GeoSpecTestKind, type SimulateGeoSpecOptions } from './writeGeoSpec';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-geospec-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SEEDS = [11, 12, 13];

/** Random axes and populations for one test type, from the seed. */
function caseFor(kind: GeoSpecTestKind, seed: number): Pick<SimulateGeoSpecOptions, 'axes' | 'peaks'> {
  const rng = createRng(seed);
  const te = rng.uniform(1e-4, 6e-4);
  const echoes = Float64Array.from({ length: rng.int(150, 600) }, (_, i) => (i + 1) * te);
  const n1 = rng.int(12, 24);
  const lo = rng.uniform(1e-5, 1e-4);
  const hi = rng.uniform(2, 6);
  const delays = Float64Array.from({ length: n1 }, (_, i) => lo * (hi / lo) ** (i / (n1 - 1)));
  const bMax = rng.uniform(5e9, 2e10);
  const b = Float64Array.from({ length: n1 }, (_, i) => (bMax * (i + 0.2)) / (n1 - 0.8));
  const t2 = 10 ** rng.uniform(-2.5, -1.5);
  const t1 = t2 * rng.uniform(1.5, 3);
  const d = 10 ** rng.uniform(-9.6, -9);
  const w = [0.1, 0.1];
  switch (kind) {
    case 'T2':
      return { axes: [echoes], peaks: [{ position: [t2], width: [0.1], fraction: 1 }] };
    case 'T1':
      return { axes: [delays], peaks: [{ position: [t1], width: [0.1], fraction: 1 }] };
    case 'D':
      return { axes: [b], peaks: [{ position: [d], width: [0.1], fraction: 1 }] };
    case 'T1-T2':
      return { axes: [delays, echoes], peaks: [{ position: [t1, t2], width: w, fraction: 1 }] };
    case 'D-T2':
      return { axes: [b, echoes], peaks: [{ position: [d, t2], width: w, fraction: 1 }] };
  }
}

const KERNELS: Record<GeoSpecTestKind, string[]> = {
  T2: ['T2'],
  T1: ['T1-IR'],
  D: ['D'],
  'T1-T2': ['T1-IR', 'T2'],
  'D-T2': ['D', 'T2'],
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1e-300));
  }
  expect(worst).toBeLessThanOrEqual(rel);
}

/** Data compared against the largest value: zero crossings of a recovery have no relative precision. */
function expectDataClose(actual: Float64Array, expected: Float64Array, rel: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = expected.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThanOrEqual(rel);
}

const VARIANTS: { name: string; o: Partial<SimulateGeoSpecOptions>; exact: boolean }[] = [
  { name: 'as GeoSpec writes it (mixed line ends, results)', o: { lineEnds: 'mixed', results: true }, exact: true },
  { name: 'no results, LF, units in the header', o: { lineEnds: 'lf', headerUnits: true }, exact: true },
  { name: 'a receiver phase of 2.9 rad', o: { phase: 2.9, results: true }, exact: false },
  { name: 'Real column only', o: { signal: 'real' }, exact: true },
  { name: 'Phased Real column', o: { signal: 'phased' }, exact: true },
];

describe('GeoSpec round trips: write → read equals the truth', () => {
  for (const kind of ['T2', 'T1', 'D', 'T1-T2', 'D-T2'] as GeoSpecTestKind[]) {
    for (const v of VARIANTS) {
      it(`${kind}: ${v.name}`, () => {
        for (const seed of SEEDS) {
          const c = caseFor(kind, seed);
          const sim = simulateGeoSpec({ kind, ...c, seed, snr: 300, sample: `core ${seed}`, ...v.o });
          const acq = geoSpecAcquisition(sim.text, `/data/${kind}.txt`);
          expect(acq.experiment).toBe(kind);
          expect(acq.axes.map((a) => a.kernel)).toEqual(KERNELS[kind]);
          acq.axes.forEach((a, d) => {
            expect(a.unit).toBe(a.kernel === 'D' ? 's/m2' : 's');
            expectClose(a.values, c.axes[d]!, 1e-12);
          });
          if (v.exact) expect(Array.from(acq.data)).toEqual(Array.from(sim.data));
          else expectDataClose(acq.data, sim.data, 1e-12);
          expect(acq.metadata).toMatchObject({
            source: 'geospec',
            files: [`/data/${kind}.txt`],
            sample: `core ${seed}`,
          });
          if (v.o.phase !== undefined) expect(acq.metadata.phase0).toBeCloseTo(v.o.phase, 9);
          if (v.o.results && kind !== 'D') {
            const t2 = acq.vendorResults?.find((r) => r.quantity === 'T2 log-mean');
            const t1 = acq.vendorResults?.find((r) => r.quantity === 'T1 log-mean');
            if (kind === 'T1' || kind === 'T1-T2') expectClose([t1!.value], [sim.logMeans[0]!], 1e-12);
            if (kind !== 'T1') expectClose([t2!.value], [sim.logMeans[sim.logMeans.length - 1]!], 1e-12);
            expect(acq.vendorResults!.every((r) => r.software === 'GIT GeoSpec' && r.unit === 's')).toBe(true);
          } else {
            expect(acq.vendorResults).toBeUndefined();
          }
          // b-values without a unit in the header are an assumption, said so; times are GeoSpec's ms
          const bWarned = acq.warnings.some((w) => /b-values\) has no unit/.test(w));
          expect(bWarned).toBe(kind.startsWith('D') && !v.o.headerUnits);
          expect(acq.warnings.filter((w) => !/b-values\) has no unit/.test(w))).toEqual([]);
        }
      });
    }
  }

  it('2D tables written Y fastest are transposed; header-less tables are read in the documented order', () => {
    for (const seed of SEEDS) {
      const c = caseFor('T1-T2', seed);
      const sim = simulateGeoSpec({ kind: 'T1-T2', ...c, seed, snr: 100, yFastest: true });
      const acq = geoSpecAcquisition(sim.text, 'yfast.txt');
      expectClose(acq.axes[0].values, c.axes[0]!, 1e-12);
      expectClose(acq.axes[1]!.values, c.axes[1]!, 1e-12);
      expect(Array.from(acq.data)).toEqual(Array.from(sim.data));
      expect(acq.warnings.join()).toMatch(/Y fastest: transposed/);
      const bare = geoSpecAcquisition(
        simulateGeoSpec({ kind: 'T2', ...caseFor('T2', seed), seed, header: false }).text,
        'b',
      );
      expect(bare.warnings.join()).toMatch(/no header line: columns read as x, real, imaginary/);
    }
  });

  it('a magnitude-only inversion recovery gets its sign back; a saturation recovery is recognised', () => {
    const c = caseFor('T1', 5);
    const sim = simulateGeoSpec({ kind: 'T1', ...c, seed: 5, signal: 'magnitude' });
    const acq = geoSpecAcquisition(sim.text, 'mag.txt');
    expect(acq.axes[0].kernel).toBe('T1-IR');
    expect(acq.warnings.join()).toMatch(/sign was restored/);
    // away from the zero crossing the restored curve is the true one
    const crossing = sim.data.findIndex((v) => v > 0);
    for (let i = 0; i < sim.data.length; i++) {
      if (Math.abs(i - crossing) > 1) expect(acq.data[i]).toBeCloseTo(sim.data[i]!, 6);
    }
    // saturation recovery: 1 − e^(−τ/T1), written as a T1 test
    const tau = c.axes[0]!;
    const sr = Float64Array.from(tau, (t) => 1 - Math.exp(-t / 0.05));
    const text = writeGeoSpec({ kind: 'T1', axes: [tau], re: sr });
    const srAcq = geoSpecAcquisition(text, 'sr.txt');
    expect(srAcq.axes[0].kernel).toBe('T1-SR');
    expect(srAcq.warnings.join()).toMatch(/saturation recovery/);
  });

  it('checks the echo spacing against Tau and says when the units are not GeoSpec ms', () => {
    const c = caseFor('T2', 3);
    const sim = simulateGeoSpec({ kind: 'T2', ...c, seed: 3 });
    // an export with X in seconds: the spacing matches 2·Tau only in s
    const inSeconds = sim.text.replace(/^([\d.e+-]+)\t/gm, (_, x: string) => `${Number(x) * 1e-3}\t`);
    const acq = geoSpecAcquisition(inSeconds, 's.txt');
    expect(acq.warnings.join()).toMatch(/matches 2·Tau in s/);
    expectClose(acq.axes[0].values, c.axes[0]!, 1e-12);
    const wrongTau = sim.text.replace(/^Tau=.*$/m, 'Tau=7');
    expect(geoSpecAcquisition(wrongTau, 't.txt').warnings.join()).toMatch(/does not match 2·Tau = 14 ms; read in ms/);
  });
});

describe('GeoSpec → invert', () => {
  const peaksOf = (acq: Acquisition, options: { grid?: number } = {}) => {
    const input = { axes: acq.axes, data: acq.data };
    const inv = invert(input, options);
    return inversionPeaks(input, inv).peaks.filter((p) => p.fraction > 0.1);
  };
  const decades = (a: number, b: number) => Math.abs(Math.log10(a / b));

  it('T2 with two populations: positions within 0.05 decade', () => {
    for (const seed of [21, 22]) {
      const peaks: SimPeak[] = [
        { position: [0.004], width: [0.08], fraction: 0.4 },
        { position: [0.12], width: [0.08], fraction: 0.6 },
      ];
      const echoes = Float64Array.from({ length: 3000 }, (_, i) => (i + 1) * 2e-4);
      const sim = simulateGeoSpec({ kind: 'T2', axes: [echoes], peaks, seed, snr: 2000, phase: 2.93, results: true });
      const found = peaksOf(geoSpecAcquisition(sim.text, 'cpmg.txt')).sort((a, b) => a.position[0]! - b.position[0]!);
      expect(found).toHaveLength(2);
      found.forEach((p, i) => expect(decades(p.position[0]!, peaks[i]!.position[0]!)).toBeLessThan(0.05));
    }
  });

  it('T1–T2 with one population: both positions within 0.05 decade', () => {
    const delays = Float64Array.from({ length: 20 }, (_, i) => 1e-4 * (5 / 1e-4) ** (i / 19));
    const echoes = Float64Array.from({ length: 800 }, (_, i) => (i + 1) * 3e-4);
    const peaks: SimPeak[] = [{ position: [0.08, 0.03], width: [0.08, 0.08], fraction: 1 }];
    const sim = simulateGeoSpec({ kind: 'T1-T2', axes: [delays, echoes], peaks, seed: 31, snr: 1000, phase: -1 });
    const found = peaksOf(geoSpecAcquisition(sim.text, 'ircpmg.txt'), { grid: 48 });
    expect(found).toHaveLength(1);
    expect(decades(found[0]!.position[0]!, 0.08)).toBeLessThan(0.05);
    expect(decades(found[0]!.position[1]!, 0.03)).toBeLessThan(0.05);
  });
});

describe('GeoSpec errors and detection', () => {
  const ok = simulateGeoSpec({ kind: 'T2', ...caseFor('T2', 1), seed: 1 }).text;

  it.each([
    ['no TestType', ok.replace(/^TestType=.*$/m, ''), /no TestType= line/],
    [
      'a test Lapis does not read',
      ok.replace(/^TestType=.*$/m, 'TestType=4'),
      /TestType 4 \(Saturation Profile\) is not/,
    ],
    ['no [Data]', ok.slice(0, ok.indexOf('[Data]')), /no \[Data\] section/],
    ['not GeoSpec at all', 'hello\nworld\n', /not a GeoSpec export/],
    ['two [Data] sections', `${ok}\n[Data]\n1\t2\n`, /a second \[Data\] section/],
    [
      'a word in the data',
      ok.replace(/\n([\d.e+-]+)\t0\.0\t/, '\n$1\t0.0\tabc\t'),
      /is not a number|columns, expected/,
    ],
    ['a row too short', ok.replace(/\t0\.0\t(\S+)\t\S+\r?\n/, '\t0.0\t$1\r\n'), /columns, expected 4/],
    ['NaN in the data', ok.replace(/\t0\.0\t(\S+)\t/, '\t0.0\tNaN\t'), /"NaN" is not a number/],
    ['1e999 in the data', ok.replace(/\t0\.0\t(\S+)\t/, '\t0.0\t1e999\t'), /"1e999" is not a number/],
    [
      'a negative echo time',
      ok.replace(/\[Data\]\r\n([^\r]*)\r\n[\d.e+-]+\t/, '[Data]\r\n$1\r\n-1\t'),
      /value 1 is -0\.001/,
    ],
  ])('%s → FormatError', (_, text, message) => {
    expect(() => geoSpecAcquisition(text, 'bad.txt')).toThrow(FormatError);
    expect(() => geoSpecAcquisition(text, 'bad.txt')).toThrow(message);
  });

  it('a 2D table that is not a grid is refused', () => {
    const c = caseFor('T1-T2', 2);
    const text = simulateGeoSpec({ kind: 'T1-T2', ...c, seed: 2 }).text;
    const lines = text.split('\r\n');
    const at = lines.indexOf('[Data]') + 3;
    lines[at] = lines[at]!.replace(/^[^\t]+/, '999');
    expect(() => geoSpecAcquisition(lines.join('\r\n'), 'grid.txt')).toThrow(/breaks the grid/);
  });

  it('detectAndRead recognises an export by its [GITData] line, whatever its name', async () => {
    const path = join(root, 'sample 7 — CPMG.export');
    await writeFile(path, ok);
    expect(await geoSpecReader.detect(path, {})).toBe(true);
    expect((await detectAndRead(path)).metadata.source).toBe('geospec');
    const other = join(root, 'other.txt');
    await writeFile(other, '1 2\n3 4\n');
    expect(await geoSpecReader.detect(other, {})).toBe(false);
    expect(await geoSpecReader.detect(root, {})).toBe(false);
    expect(await geoSpecReader.detect(join(root, 'missing'), {})).toBe(false);
    expect(looksLikeGeoSpec('TestType=3\r\n[Parameters]\r\n')).toBe(true);
    await expect(readGeoSpec(join(root, 'missing'))).rejects.toThrow(FormatError);
    await expect(readGeoSpec(path, { maxBytes: 100 })).rejects.toThrow(/file too large: .* \(limit /);
  });
});
