/**
 * Real TopSpin data from the MIT-licensed npm package bruker-data-test (devDependency), unzipped to a temp folder.
 * What it holds (v1.0.0): zipped/ aspirin-1h (1D, big-endian int32), aspirin-1h-processed (no fid), naphtoicAcid-1h,
 * strychnine-1h, t1rho-1H (pseudo-2D T1ρ, 22 rows but a 21-entry vplist), cyclosporin/{1h, cosy, hmbc, hsqc,
 * inversionRecovery2D (menthol t1ir pseudo-2D in DMSO, 10 delays, with the user's 13 integral regions in
 * pdata/1/intrng and TopSpin's own T1 fits of them in pdata/1/ct1t2.txt, dt1t2.txt, t1ints.txt, t1peaks.txt)},
 * nonUniformSampling/{cosy-nus, hsqc-nus}; flat/coffee/ two sample folders of 1D, J-resolved 2D and fid-less
 * experiments.
 */
import { cp, readdir, readFile, stat, utimes } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { classifyCompletion } from '../completion/classifyCompletion';
import { parseIntrng } from './intrng';
import { parseJcamp } from './jcamp';
import { readBruker } from './readBruker';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { fitExponential } from '../testing/fitRecovery';
import { parseTopspinFits } from './topspinFits';
import { unzipTo } from '../testing/unzip';
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

  it('menthol inversion recovery with pdata: the user’s 13 intrng regions, TopSpin’s fits attached, T1 within 5 %', async () => {
    const dir = join(root, 'cyclosporin/inversionRecovery2D', 'inversionRecovery2D', '1');
    const out = await readBrukerPseudo2d(dir);
    expect(out.dataset.experiment.kind).toBe('T1-IR');
    // vdlist runs from 10 s down to 10 ms with an 's' on every line
    expect(Array.from(out.dataset.axis!.values)).toEqual([10, 5, 4, 3, 2, 1, 0.5, 0.25, 0.1, 0.01]);
    expect(out.warnings.join()).not.toMatch(/OFFSET|ppm axis from acqus/);
    // TopSpin's user phased with PHC1 = −12.70°: the same first-order phase here
    expect(out.processed.phase1).toBeCloseTo((-12.70477 * Math.PI) / 180, 6);
    const intrng = parseIntrng(await readFile(join(dir, 'pdata/1/intrng'), 'latin1'), 'intrng', []);
    expect(intrng).toHaveLength(13);
    expect(out.processed.regionSource).toBe('given');
    expect(out.acquisitions).toHaveLength(13);
    const step = Math.abs(out.processed.ppm[1]! - out.processed.ppm[0]!);
    for (const [k, r] of intrng.entries()) {
      const got = out.acquisitions[k]!.metadata.region as { from: number; to: number };
      expect(out.acquisitions[k]!.metadata.regionSource).toBe('intrng');
      expect(Math.abs(got.from - r.from)).toBeLessThanOrEqual(step);
      expect(Math.abs(got.to - r.to)).toBeLessThanOrEqual(step);
    }
    expect(out.vendorResults).toHaveLength(13);
    expect(out.vendorResults[0]).toEqual({
      software: 'TopSpin',
      file: 'pdata/1/ct1t2.txt',
      quantity: 'T1',
      unit: 's',
      value: 1.397,
      shift: 4.338,
    });
    for (const v of out.vendorResults) {
      const acq = out.acquisitions.find((a) => a.vendorResults?.some((w) => w.shift === v.shift));
      expect(acq, `a region holds TopSpin's peak at ${v.shift} ppm`).toBeDefined();
      const r = acq!.metadata.region as { peak: number };
      expect(Math.abs(r.peak - v.shift!), `peak at ${v.shift} ppm`).toBeLessThan(0.02);
      const fit = fitExponential(acq!.axes[0].values, acq!.data, 0.01, 100);
      // TopSpin fitted peak intensities, Lapis fits the region's integral: the same model, a + b·e^(−τ/T1)
      expect(Math.abs(fit.T / v.value - 1), `T1 at ${v.shift} ppm: ${fit.T} vs TopSpin ${v.value}`).toBeLessThan(0.05);
    }
  });

  it('menthol inversion recovery with pdata/ deleted: acqus ppm axis, one region per TopSpin region, T1 within 5 %', async () => {
    const src = join(root, 'cyclosporin/inversionRecovery2D', 'inversionRecovery2D', '1');
    const dir = join(root, 'menthol-raw', '1');
    await cp(src, dir, { recursive: true, filter: (p) => !p.startsWith(join(src, 'pdata')) });
    const out = await readBrukerPseudo2d(dir);
    expect(out.dataset.procs).toBeUndefined();
    expect(out.warnings.filter((w) => /ppm axis from acqus \(SF = BF1 600.2 MHz/.test(w))).toHaveLength(1);
    expect(out.vendorResults).toEqual([]);
    expect(out.processed.regionSource).toBe('automatic');
    const topspin = parseTopspinFits(await readFile(join(src, 'pdata/1/ct1t2.txt'), 'latin1'), 'ct1t2.txt', []);
    const intrng = parseIntrng(await readFile(join(src, 'pdata/1/intrng'), 'latin1'), 'intrng', []);
    const regions = out.acquisitions.map((a) => a.metadata.region as { from: number; to: number; peak: number });
    // each of TopSpin's integral regions holds the peak of exactly one region, a multiplet not cut into its lines
    for (const r of intrng) {
      const inside = regions.filter((g) => g.peak <= r.from && g.peak >= r.to);
      expect(inside, `${r.from.toFixed(3)}…${r.to.toFixed(3)} ppm`).toHaveLength(1);
    }
    // the one region more is the strong 3.46 ppm line the user left out of intrng (and out of the T1 fits)
    const extra = regions.filter((g) => !intrng.some((r) => g.peak <= r.from && g.peak >= r.to));
    expect(extra.map((g) => Math.round(g.peak * 100) / 100)).toEqual([3.46]);
    expect(regions).toHaveLength(intrng.length + 1);
    const longest = 10;
    for (const v of topspin) {
      const k = regions.findIndex((g) => Math.abs(g.peak - v.shift!) < 0.02 && v.shift! <= g.from && v.shift! >= g.to);
      expect(k, `a region at ${v.shift} ppm`).toBeGreaterThanOrEqual(0);
      const acq = out.acquisitions[k]!;
      const fit = fitExponential(acq.axes[0].values, acq.data, 0.01, 100);
      if (v.value > longest) {
        // DMSO (2.51 ppm, T1 11.4 s) never recovers within the 10 s delays: its T1 is an extrapolation, and a fit of
        // TopSpin's own integrals (t1ints.txt) gives 17.9 s; here only "longer than the delays" is asserted
        expect(fit.T, `T1 at ${v.shift} ppm`).toBeGreaterThan(longest);
        continue;
      }
      expect(Math.abs(fit.T / v.value - 1), `T1 at ${v.shift} ppm: ${fit.T} vs TopSpin ${v.value}`).toBeLessThan(0.05);
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
