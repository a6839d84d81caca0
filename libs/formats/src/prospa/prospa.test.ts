import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@lapis/physics';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { fitExponential } from '../testing/fitRecovery';
import { parseProspa, writeProspa, type ProspaDataType } from './prospa';
import { readProspaAcquisition } from './readProspaAcquisition';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-prospa-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// float32-exact values so round trips compare exactly
const f32 = (v: number) => Math.fround(v);

describe('Prospa .1d/.2d', () => {
  it.each([
    [500, 'V1.1'],
    [501, 'V1.1'],
    [502, 'V1.1'],
    [503, 'V1.1'],
    [504, 'V1.1'],
    [501, 'V1.0'],
  ] as const)('type %i %s round-trips', (dataType, version) => {
    const rng = createRng(dataType);
    const dims: [number, number, number, number] = [6, 3, 1, 1];
    const axis = dataType === 503 || dataType === 504;
    const re = Float64Array.from({ length: 18 }, () => f32(rng.normal()));
    const data = {
      version,
      dataType: dataType as ProspaDataType,
      dims: axis ? ([6, 1, 1, 1] as [number, number, number, number]) : dims,
      re: axis ? re.subarray(0, 6) : re,
      ...(dataType === 501 || dataType === 504
        ? { im: Float64Array.from({ length: axis ? 6 : 18 }, () => f32(rng.normal())) }
        : {}),
      ...(axis ? { x: Float64Array.from([0.2, 0.4, 0.6, 0.8, 1, 1.2], f32) } : {}),
    };
    const bytes = writeProspa(data);
    const back = parseProspa(bytes);
    expect(back).toMatchObject({ version, dataType, dims: data.dims, warnings: [] });
    expect(Array.from(back.re)).toEqual(Array.from(data.re));
    if (data.im) expect(Array.from(back.im!)).toEqual(Array.from(data.im));
    if (data.x) expect(Array.from(back.x!)).toEqual(Array.from(data.x));
  });

  it('writes the documented layout: reversed tags, int32 header, float32 values', () => {
    const bytes = writeProspa({ version: 'V1.1', dataType: 500, dims: [2, 1, 1, 1], re: Float64Array.from([1.5, -2]) });
    const b = Buffer.from(bytes);
    expect(b.toString('latin1', 0, 12)).toBe('SORPATAD1.1V'); // as Spinsolve's data.1d files begin
    expect([12, 16, 20, 24, 28].map((o) => b.readInt32LE(o))).toEqual([500, 2, 1, 1, 1]);
    expect([b.readFloatLE(32), b.readFloatLE(36)]).toEqual([1.5, -2]);
    expect(b.length).toBe(40);
  });

  it('rejects bad files with a FormatError naming the problem', () => {
    const ok = writeProspa({
      version: 'V1.1',
      dataType: 501,
      dims: [4, 1, 1, 1],
      re: new Float64Array(4),
      im: new Float64Array(4),
    });
    expect(() => parseProspa(ok.subarray(0, ok.length - 1), { file: 'x.1d' })).toThrow(/x\.1d: truncated/);
    const bad = Uint8Array.from(ok);
    bad[0] = 0x42; // "BTAD"
    expect(() => parseProspa(bad)).toThrow(/not a Prospa data file/);
    const type = Uint8Array.from(ok);
    new DataView(type.buffer).setInt32(12, 505, true);
    expect(() => parseProspa(type)).toThrow(/unknown data type 505/);
    const huge = Uint8Array.from(ok);
    new DataView(huge.buffer).setInt32(16, 2 ** 30, true);
    new DataView(huge.buffer).setInt32(20, 40, true);
    expect(() => parseProspa(huge)).toThrow(/truncated/);
    const longer = new Uint8Array(ok.length + 3);
    longer.set(ok);
    expect(parseProspa(longer).warnings[0]).toMatch(/3 bytes after the data/);
  });

  it('a CPMG echo train (type 504, x in ms, phase error) → T2 acquisition, T2 within 1 %', async () => {
    const n = 400;
    const te = 0.4; // ms
    const x = Float64Array.from({ length: n }, (_, i) => f32((i + 1) * te));
    const rng = createRng(4);
    const amp = Array.from(x, (t) => 1000 * Math.exp(-t / 85) + rng.normal() * 2);
    const phase = 1.1;
    const path = join(root, 'cpmg.1d');
    await writeFile(
      path,
      writeProspa({
        version: 'V1.1',
        dataType: 504,
        dims: [n, 1, 1, 1],
        x,
        re: Float64Array.from(amp, (a) => a * Math.cos(phase)),
        im: Float64Array.from(amp, (a) => a * Math.sin(phase)),
      }),
    );
    const acq = await readProspaAcquisition(path);
    expect(acq.experiment).toBe('T2');
    expect(acq.axes[0].values[0]).toBeCloseTo(0.0004, 9);
    expect(acq.warnings.join()).toMatch(/assumed ms/);
    expect(acq.data[0]).toBeGreaterThan(900);
    const fit = fitExponential(acq.axes[0].values, acq.data, 1e-3, 10);
    expect(Math.abs(fit.T / 0.085 - 1)).toBeLessThan(0.01);
    await expect(readProspaAcquisition(join(root, 'none.1d'))).rejects.toThrow(FormatError);
  });

  it('random bytes and mutations only ever give FormatError', () => {
    const ok = writeProspa({
      version: 'V1.1',
      dataType: 504,
      dims: [8, 1, 1, 1],
      x: new Float64Array(8),
      re: new Float64Array(8),
      im: new Float64Array(8),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }),
          fc
            .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat())
            .map(([edits, keep]) => {
              const b = Uint8Array.from(ok);
              for (const [p, v] of edits) b[p % b.length] = v;
              return b.subarray(0, keep % (b.length + 1));
            }),
        ),
        (bytes) => {
          try {
            parseProspa(bytes);
          } catch (e) {
            if (!(e instanceof FormatError)) throw e;
          }
        },
      ),
      { seed: 20261121, numRuns: 500 },
    );
  });
});
