/**
 * Property test of the GeoSpec reader: random bytes and mutations of valid exports (byte edits, insertions,
 * truncations, huge numbers, NaN, empty lines, sections renamed or repeated). The only acceptable failure is a
 * FormatError; every call returns within 2 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geoSpecReader } from './geoSpecReader';
import { geoSpecAcquisition } from './readGeoSpec';
import { simulateGeoSpec, type GeoSpecTestKind } from './writeGeoSpec';
import { type ByteMutation, byteMutation, latin1Bytes, latin1Text, mutate, onlyFormatErrors } from '../testing/fuzzing';

const SEED = 20260105;

const echoes = Float64Array.from({ length: 40 }, (_, i) => (i + 1) * 3e-4);
const delays = Float64Array.from({ length: 6 }, (_, i) => 1e-3 * 2000 ** (i / 5));
const b = Float64Array.from({ length: 6 }, (_, i) => 1e9 * (i + 0.2));
const peak1 = [{ position: [0.02], width: [0.1], fraction: 1 }];
const peak2 = [{ position: [0.05, 0.02], width: [0.1, 0.1], fraction: 1 }];
const VALID: Record<GeoSpecTestKind, string> = {
  T2: simulateGeoSpec({ kind: 'T2', axes: [echoes], peaks: peak1, seed: 1, snr: 100, results: true }).text,
  T1: simulateGeoSpec({ kind: 'T1', axes: [delays], peaks: peak1, seed: 2, snr: 100, results: true }).text,
  D: simulateGeoSpec({ kind: 'D', axes: [b], peaks: [{ position: [2e-9], width: [0.1], fraction: 1 }], seed: 3 }).text,
  'T1-T2': simulateGeoSpec({ kind: 'T1-T2', axes: [delays, echoes], peaks: peak2, seed: 4, snr: 100 }).text,
  'D-T2': simulateGeoSpec({
    kind: 'D-T2',
    axes: [b, echoes],
    peaks: [{ position: [2e-9, 0.02], width: [0.1, 0.1], fraction: 1 }],
    seed: 5,
  }).text,
};

const mutateBytes = (src: string, m: ByteMutation): string => latin1Text(mutate(latin1Bytes(src), m));

/** Line-level mutations: a value replaced by something hostile, a line dropped, doubled or moved, a section renamed. */
const HOSTILE = ['NaN', '1e999', '-1e308', '1e308', '', '-0', '0', '2147483648', '1,5', '0x10', 'Infinity', '[Data]'];
const lineMutation = fc.array(
  fc.record({
    op: fc.constantFrom('value', 'drop', 'double', 'empty', 'section', 'swap'),
    at: fc.nat(),
    other: fc.nat(),
    hostile: fc.constantFrom(...HOSTILE),
    section: fc.constantFrom('[Data]', '[Parameters]', '[Results]', '[GITData]', '[Additional Results]', '[]', '['),
  }),
  { minLength: 1, maxLength: 4 },
);
function mutateLines(
  src: string,
  ops: { op: string; at: number; other: number; hostile: string; section: string }[],
): string {
  const lines = src.split(/\r?\n/);
  for (const o of ops) {
    const i = o.at % lines.length;
    const line = lines[i]!;
    switch (o.op) {
      case 'value': {
        const eq = line.indexOf('=');
        if (eq >= 0) lines[i] = line.slice(0, eq + 1) + o.hostile;
        else {
          const f = line.split('\t');
          f[o.other % f.length] = o.hostile;
          lines[i] = f.join('\t');
        }
        break;
      }
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'double':
        lines.splice(i, 0, line);
        break;
      case 'empty':
        lines.splice(i, 0, '', '   ', '\t');
        break;
      case 'section':
        lines[i] = o.section;
        break;
      case 'swap': {
        const j = o.other % lines.length;
        lines[i] = lines[j]!;
        lines[j] = line;
        break;
      }
    }
  }
  return lines.join('\r\n');
}

describe('GeoSpec reader never fails except with FormatError', () => {
  const kinds = Object.keys(VALID) as GeoSpecTestKind[];

  it('random text and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 600 }),
          fc.uint8Array({ maxLength: 600 }).map(latin1Text),
          fc.string({ maxLength: 300 }).map((s) => `[GITData]\r\nTestType=3\r\n[Data]\r\n${s}`),
        ),
        async (text) => onlyFormatErrors(() => geoSpecAcquisition(text, 'random.txt')),
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('byte mutations of every test type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), byteMutation, async (kind, m) =>
        onlyFormatErrors(() => geoSpecAcquisition(mutateBytes(VALID[kind], m), `${kind}.txt`)),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('hostile values, dropped, doubled and swapped lines, renamed sections', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), lineMutation, async (kind, ops) =>
        onlyFormatErrors(() => {
          const acq = geoSpecAcquisition(mutateLines(VALID[kind], ops), `${kind}.txt`);
          // whatever reads is usable: finite data, axes of the data's shape
          const m = acq.axes.reduce((a, x) => a * x.values.length, 1);
          expect(acq.data.length).toBe(m);
          expect(acq.data.every(Number.isFinite)).toBe(true);
        }),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('the registry entry on mutated files on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lapis-geospec-fuzz-'));
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...kinds), byteMutation, async (kind, m) => {
          const path = join(dir, `${++n}.txt`);
          await writeFile(path, latin1Bytes(mutateBytes(VALID[kind], m)));
          await onlyFormatErrors(async () => {
            if (await geoSpecReader.detect(path, {})) await geoSpecReader.read(path, {});
          });
        }),
        { seed: SEED, numRuns: 100 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
