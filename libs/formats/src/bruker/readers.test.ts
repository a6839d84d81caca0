/** brukerReader and prospaReader through the read.ts registry (registered here; the lead adds them to builtInReaders). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logGrid } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prospaReader } from '../prospa/prospaReader';
import { writeProspa } from '../prospa/prospa';
import { detectAndRead, registerReader } from '../read';
import { brukerReader } from './brukerReader';
import { formatBrukerList } from './lists';
import { simulatePseudo2d } from './simulatePseudo2d';
import { writeBrukerDataset } from './writeBruker';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-readers-'));
  registerReader(brukerReader);
  registerReader(prospaReader);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('registry readers', () => {
  it('detectAndRead picks bruker for an experiment folder or its ser, and returns the strongest region or the one asked for', async () => {
    const dir = join(root, 'exp', '5');
    const delays = Array.from(logGrid(0.01, 5, 8));
    const lines = [
      { ppm: 4.7, amplitudes: delays.map((t) => 3e4 * (1 - 2 * Math.exp(-t / 2))) },
      { ppm: 1.0, amplitudes: delays.map((t) => 1e4 * (1 - 2 * Math.exp(-t / 0.3))) },
    ];
    await writeBrukerDataset(dir, {
      acqus: { PULPROG: 't1ir', SW_h: 5000, SFO1: 400.1318, BF1: 400.13 },
      acqu2s: {},
      data: simulatePseudo2d({ points: 2048, sw: 5000, sfo1: 400.1318, sf: 400.13, lines, noise: 3, seed: 8 }),
      lists: { vdlist: formatBrukerList(delays, 'delay') },
      files: { 'pdata/1/procs': '##TITLE= p\n##$SF= 400.13\n##END=\n' },
    });
    const a = await detectAndRead(dir);
    expect(a.metadata.source).toBe('bruker');
    expect((a.metadata.region as { peak: number }).peak).toBeCloseTo(4.7, 1);
    expect(a.metadata.regions).toHaveLength(2);
    const b = await detectAndRead(join(dir, 'ser'), { region: 1.0 });
    expect((b.metadata.region as { peak: number }).peak).toBeCloseTo(1.0, 1);
    expect(b.axes[0].kernel).toBe('T1-IR');
  });

  it('detectAndRead picks prospa for a .1d file with DATA PROS tags', async () => {
    const path = join(root, 'decay.1d');
    const x = Float64Array.from({ length: 50 }, (_, i) => i + 1);
    await writeFile(
      path,
      writeProspa({ version: 'V1.1', dataType: 503, dims: [50, 1, 1, 1], x, re: x.map((t) => Math.exp(-t / 20)) }),
    );
    const a = await detectAndRead(path, { kernel1: 'T2', unit1: 'ms' });
    expect(a.metadata.source).toBe('prospa');
    expect(a.axes[0].values[49]).toBeCloseTo(0.05, 9);
    expect(a.warnings).toEqual([]);
  });
});
