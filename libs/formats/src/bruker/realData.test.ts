/**
 * Real TopSpin data from the MIT-licensed npm package bruker-data-test (devDependency), unzipped to a temp folder.
 * What it holds (v1.0.0): zipped/ aspirin-1h (1D, big-endian int32), aspirin-1h-processed (no fid), naphtoicAcid-1h,
 * strychnine-1h, t1rho-1H (pseudo-2D T1ρ, 22 rows but a 21-entry vplist), cyclosporin/{1h, cosy, hmbc, hsqc,
 * inversionRecovery2D (menthol t1ir pseudo-2D, 10 delays, with TopSpin's own T1 fits in pdata/1/ct1t2.txt)},
 * nonUniformSampling/{cosy-nus, hsqc-nus}; flat/coffee/ two sample folders of 1D, J-resolved 2D and fid-less
 * experiments.
 */
import { readdir, readFile, stat, utimes } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { classifyCompletion } from '../completion/classifyCompletion';
import { parseJcamp } from './jcamp';
import { readBruker } from './readBruker';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { fitExponential } from './testing/fitRecovery';
import { unzipTo } from './testing/unzip';
import { writeJcamp } from './writeJcamp';

// the package exports only lib/index.js (…/bruker-data-test/lib/index.js): its data folder is one up
const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
const zipped = join(pkg, 'data', 'zipped');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-bruker-real-'));
  for (const z of [
    'aspirin-1h',
    'naphtoicAcid-1h',
    'cyclosporin/cyclosporin_cosy',
    'cyclosporin/inversionRecovery2D',
    't1rho-1H',
  ]) {
    await unzipTo(join(zipped, `${z}.zip`), join(root, z));
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function walk(dir: string, name: RegExp, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, name, out);
    else if (name.test(e.name)) out.push(p);
  }
  return out;
}

describe('bruker-data-test', () => {
  it('every parameter file and audit trail round-trips byte for byte', async () => {
    const files = [
      ...(await walk(root, /^(acqus|acqu2s|acqu|procs|proc2s|audita\.txt)$/)),
      ...(await walk(join(pkg, 'data', 'flat'), /^(acqus|acqu2s|procs)$/)),
    ];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = (await readFile(f)).toString('latin1');
      expect(writeJcamp(parseJcamp(text, { file: f })), f).toBe(text);
    }
  });

  it('1D big-endian fid: values equal an independent decode × 2^NC', async () => {
    const dir = join(root, 'aspirin-1h', '1');
    const ds = await readBruker(dir);
    expect(ds.layout).toMatchObject({ td: 16384, td1: 1, dtype: 'int32', littleEndian: false, nc: -2, file: 'fid' });
    const raw = await readFile(join(dir, 'fid'));
    for (const k of [0, 1, 100, 8191]) {
      expect(ds.data.re[k]).toBe(raw.readInt32BE(8 * k) * 2 ** -2);
      expect(ds.data.im[k]).toBe(raw.readInt32BE(8 * k + 4) * 2 ** -2);
    }
    expect(ds.metadata.acquiredAt).toBe('2006-01-31T09:24:52.000Z');
    expect(ds.experiment.kind).toBe('unknown');
  });

  it('2D COSY ser: 128 rows of TD 2048, no axis for a non-relaxation experiment', async () => {
    const [acqus] = await walk(join(root, 'cyclosporin/cyclosporin_cosy'), /^acqus$/);
    const ds = await readBruker(dirname(acqus!));
    expect(ds.data.rows).toBe(128);
    expect(ds.data.points).toBe(1024);
    expect((await stat(join(ds.dir, 'ser'))).size).toBe(128 * 2048 * 4);
    expect(ds.axis).toBeUndefined();
    expect(ds.warnings.join()).toMatch(/not recognised/);
  });

  it('menthol inversion recovery: T1 per peak within 4 % of TopSpin’s own fits', async () => {
    const dir = join(root, 'cyclosporin/inversionRecovery2D', 'inversionRecovery2D', '1');
    const out = await readBrukerPseudo2d(dir);
    expect(out.dataset.experiment.kind).toBe('T1-IR');
    // vdlist runs from 10 s down to 10 ms with an 's' on every line
    expect(Array.from(out.dataset.axis!.values)).toEqual([10, 5, 4, 3, 2, 1, 0.5, 0.25, 0.1, 0.01]);
    // TopSpin t1/t2 module, pdata/1/ct1t2.txt: peak ppm → T1 (s)
    const topspin: [number, number][] = [
      [4.338, 1.397],
      [3.156, 1.26],
      [2.172, 1.656],
      [1.586, 0.8046],
      [1.499, 0.7358],
      [1.328, 1.431],
      [0.857, 0.8674],
    ];
    for (const [ppm, t1] of topspin) {
      const acq = out.acquisitions.find((a) => Math.abs((a.metadata.region as { peak: number }).peak - ppm) < 0.01);
      expect(acq, `region at ${ppm} ppm`).toBeDefined();
      const fit = fitExponential(acq!.axes[0].values, acq!.data, 0.01, 100);
      expect(Math.abs(fit.T / t1 - 1), `T1 at ${ppm} ppm: ${fit.T}`).toBeLessThan(0.04);
    }
  });

  it('T1ρ with a vplist one entry short of TD1: raw data read, the pseudo-2D is a typed error', async () => {
    const dir = join(root, 't1rho-1H', '189');
    const ds = await readBruker(dir);
    expect(ds.experiment.kind).toBe('T1rho');
    expect(ds.data.rows).toBe(22);
    expect(ds.axisError).toBeInstanceOf(FormatError);
    await expect(readBrukerPseudo2d(dir)).rejects.toThrow(/vplist: list has 21 entries but TD1 is 22/);
  });

  it('fid-less experiment folders are a typed error', async () => {
    const [dir] = (await walk(join(pkg, 'data', 'flat'), /^acqus$/)).map(dirname).filter((d) => d.endsWith('/10'));
    await expect(readBruker(dir!)).rejects.toThrow(/fid: missing or unreadable/);
  });

  it('completion: both real pseudo-2D folders are complete by their audit records', async () => {
    for (const [dir, when] of [
      [join(root, 'cyclosporin/inversionRecovery2D', 'inversionRecovery2D', '1'), '2020-11-18T13:23:57.910Z'],
      [join(root, 't1rho-1H', '189'), '2018-04-17T04:10:01.140Z'],
    ] as const) {
      // unzipping stamps the files with today's date; put back the times TopSpin wrote them
      for (const f of ['acqus', 'acqu2s', 'ser', 'audita.txt'])
        await utimes(join(dir, f), new Date(when), new Date(when));
      const r = await classifyCompletion(dir, { now: new Date(when) });
      expect(r.state, r.reasons.join('; ')).toBe('complete');
      expect(r.record?.when?.toISOString()).toBe(when);
      expect(r.rowsWithData).toBe(r.expectedRows);
    }
  });
});
