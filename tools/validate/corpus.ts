/**
 * The validation corpus: real public datasets, each with where it comes from, where the user puts it (under .refs/,
 * git-ignored), what Lapis is asked to invert, and the reference answer with its source. tools/validate/README.md
 * says the same in prose, with the fetch commands.
 */
import { access, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipTo } from '../../libs/formats/src/testing/unzip';
import { logMeanRows, peakRows, physicalRow, topSpinRows, upenRows } from './compare';
import { BRUKER_DATA_TEST, brukerDataTestRoot, brukerSpectra } from './spectraCorpus';
import { brukerSpectra2d } from './spectra2dCorpus';
import type { ResultDoc, SpectrumDoc } from './lapis';
import {
  ct1t2FitKind,
  parseAcquPar,
  parseCt1t2,
  parseGeoSpecLogMeans,
  readUpenMainPeak,
  waterSelfDiffusion,
} from './references';
import type { Row } from './table';
import { formatDiffusion } from './table';

export interface Context {
  /** Repository root. */
  root: string;
  /** A scratch folder for this run, removed afterwards. */
  tmp: string;
}

export interface Case {
  /** `lapis invert` (the default; a SpectrumCase runs `lapis process`). */
  command?: 'invert';
  label: string;
  /** Absolute path of what Lapis inverts (for the report). */
  input: string;
  /** Arguments of `lapis invert` (without --out); several lists are tried in turn while Lapis refuses the input. */
  args: string[][];
  referenceSource: string;
  compare(doc: ResultDoc): Row[];
}
/** A spectrum case: `lapis process` on ARGS, its peaks against the vendor's. */
export interface SpectrumCase extends Omit<Case, 'command' | 'compare'> {
  command: 'process';
  compare(doc: SpectrumDoc): Row[];
}

/** A case that cannot run here (a file missing from the copy), with the reason. */
export interface SkippedCase {
  label: string;
  skip: string;
}

export interface Dataset {
  name: string;
  description: string;
  url: string;
  /** Upstream commit (git) or package version (npm). */
  version: string;
  licence: string;
  /** Where the user puts it, relative to the repository root; absent for what `npm install` brings. */
  localPath?: string;
  /** Relative to localPath: the file whose presence means the set is there. */
  probe?: string;
  /** The one line printed when the set is missing: how to get it. */
  fetch?: string;
  cases(ctx: Context): Promise<(Case | SpectrumCase | SkippedCase)[]>;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

const gitFetch = (url: string, path: string, commit: string) =>
  `git clone ${url} ${path} && git -C ${path} checkout ${commit}`;

// ---- 1. bruker-data-test: menthol T1 inversion recovery with TopSpin's own fits ----

const bruker: Dataset = {
  name: 'bruker-data-test',
  description: 'menthol ¹H T1 inversion recovery, TopSpin t1ir pseudo-2D (10 delays)',
  ...BRUKER_DATA_TEST,
  async cases(ctx) {
    const pkg = brukerDataTestRoot(ctx.root);
    const zip = join(pkg, 'data', 'zipped', 'cyclosporin', 'inversionRecovery2D.zip');
    const withPdata = join(ctx.tmp, 'bruker', 'with-pdata');
    await unzipTo(zip, withPdata);
    const expno = join(withPdata, 'inversionRecovery2D', '1');
    const noPdata = join(ctx.tmp, 'bruker', 'without-pdata', '1');
    await mkdir(dirname(noPdata), { recursive: true });
    await cp(expno, noPdata, { recursive: true });
    await rm(join(noPdata, 'pdata'), { recursive: true, force: true });
    const text = await readFile(join(expno, 'pdata', '1', 'ct1t2.txt'), 'latin1');
    const fits = parseCt1t2(text);
    const kind = ct1t2FitKind(text)?.toLowerCase() ?? 'the';
    const referenceSource = `TopSpin's t1/t2 module, ${kind} fit I(t) = I0 + P·exp(−t/T1) per peak: pdata/1/ct1t2.txt (${fits.length} peaks)`;
    const compare = (doc: ResultDoc) => topSpinRows(doc, fits);
    return [
      { label: 'with pdata/', input: expno, args: [[expno]], referenceSource, compare },
      {
        label: 'pdata/ removed',
        input: noPdata,
        args: [[noPdata]],
        referenceSource: `${referenceSource}, read from the copy with pdata/`,
        compare,
      },
    ];
  },
};

// ---- 2. MUPen2D: measured cement T1–T2 with UPEN's answer ----

const mupen2d: Dataset = {
  name: 'mupen2d-cement',
  description: 'fresh cement paste ¹H IR–CPMG T1–T2 (48 delays × 1000 echoes), MUPen2D DATA/T1-T2_cement',
  url: 'https://github.com/ElsevierSoftwareX/SOFTX-D-22-00071',
  version: '5525fcb44414b1e831252860a60925715beeca1d',
  licence: 'freeware, no sublicensing or sale (License_MUpen2D.pdf in the repository)',
  localPath: '.refs/mupen2d',
  probe: 'DATA/T1-T2_cement/S_IRCPMG.dat',
  fetch: gitFetch(
    'https://github.com/ElsevierSoftwareX/SOFTX-D-22-00071',
    '.refs/mupen2d',
    '5525fcb44414b1e831252860a60925715beeca1d',
  ),
  async cases(ctx) {
    const repo = join(ctx.root, '.refs/mupen2d');
    const data = join(repo, 'DATA', 'T1-T2_cement');
    let ref;
    try {
      ref = await readUpenMainPeak(repo);
    } catch (e) {
      return [{ label: '', skip: `no UPEN reference for the cement set: ${(e as Error).message}` }];
    }
    // S_IRCPMG.dat: 48 rows (inversion delays, t_Y.dat) × 1000 columns (echo times, t_X.dat), both in ms
    const args = [
      join(data, 'S_IRCPMG.dat'),
      ...['--axis1', join(data, 't_Y.dat'), '--kernel1', 'T1-IR', '--unit1', 'ms'],
      ...['--axis2', join(data, 't_X.dat'), '--kernel2', 'T2', '--unit2', 'ms'],
    ];
    return [
      {
        label: '',
        input: join(data, 'S_IRCPMG.dat'),
        args: [args],
        referenceSource:
          'UPEN (MUPen2D) on the same data: output_files/2D_Distribution.txt, T1.txt, T2.txt — the main peak’s log-centroid and share over MUpen2D.m’s own peak window',
        compare: (doc: ResultDoc) => upenRows(doc, ref),
      },
    ];
  },
};

// ---- 3–7. NMRInversions.jl example_data ----

const NMRINV = {
  url: 'https://github.com/aris-mav/NMRInversions.jl',
  version: '0ccc64d72e048ad74e4a57a1ba3b3d7c2fccf014',
  licence: 'MIT',
  localPath: '.refs/nmrinversions',
  fetch: gitFetch(
    'https://github.com/aris-mav/NMRInversions.jl',
    '.refs/nmrinversions',
    '0ccc64d72e048ad74e4a57a1ba3b3d7c2fccf014',
  ),
};
const exampleData = (ctx: Context, ...p: string[]) => join(ctx.root, NMRINV.localPath, 'example_data', ...p);

const missingFile = (label: string, path: string): SkippedCase => ({
  label,
  skip: `${path} is not in this copy (a partial clone?); ${NMRINV.fetch}`,
});

const geospec: Dataset = {
  ...NMRINV,
  name: 'nmrinversions-geospec',
  description: 'Bunter sandstone, GIT GeoSpec text exports (T1 IR, T2 CPMG, T1–T2)',
  probe: 'example_data/geospec_txt',
  async cases(ctx) {
    const out: (Case | SkippedCase)[] = [];
    for (const f of ['IR_bunter.txt', 'CPMG_bunter.txt', 'IRCPMG_bunter.txt']) {
      const path = exampleData(ctx, 'geospec_txt', f);
      if (!(await exists(path))) {
        out.push(missingFile(f, `example_data/geospec_txt/${f}`));
        continue;
      }
      const refs = parseGeoSpecLogMeans(await readFile(path, 'latin1'));
      out.push({
        label: f,
        input: path,
        args: [[path]],
        referenceSource: refs.length
          ? `GeoSpec's own [Additional Results] in the file: ${refs.map((r) => r.line).join('; ')} (ms)`
          : 'none: the file has no log-mean in [Additional Results]',
        compare: (doc) =>
          refs.length ? logMeanRows(doc, refs, /geospec/i) : peakRows(doc, 'no reference in the file'),
      });
    }
    return out;
  },
};

const spinsolve: Dataset = {
  ...NMRINV,
  name: 'nmrinversions-spinsolve',
  description: 'Magritek Spinsolve exports: Berea sandstone T1–T2 (IRCPMG), a D–T2 (PFGCPMG)',
  probe: 'example_data/spinsolve_txt',
  async cases(ctx) {
    const out: (Case | SkippedCase)[] = [];
    for (const [dir, file] of [
      ['IRCPMG', 'T1IRT2.dat'],
      ['PFGCPMG', 'DT2.dat'],
    ] as const) {
      const folder = exampleData(ctx, 'spinsolve_txt', dir);
      if (!(await exists(join(folder, file)))) {
        out.push(missingFile(dir, `example_data/spinsolve_txt/${dir}/${file}`));
        continue;
      }
      const par = parseAcquPar(await readFile(join(folder, 'acqu.par'), 'latin1'));
      const name = par.get('expName') ?? '';
      const tempKey = [...par.keys()].find((k) => /temp/i.test(k));
      const celsius = tempKey === undefined ? undefined : Number.parseFloat(par.get(tempKey)!);
      // a published reference exists only for a water sample at a stated temperature
      const water = dir === 'PFGCPMG' && /water|h2o/i.test(name) && celsius !== undefined && Number.isFinite(celsius);
      const why =
        dir === 'IRCPMG'
          ? `no reference answer ships with it (${name}; info.md: Berea sandstone)`
          : `no reference: acqu.par names no sample (${name}) and states no temperature`;
      out.push({
        label: dir,
        input: folder,
        // the experiment folder first (acqu.par + data), then the data file alone
        args: [[folder], [join(folder, file)]],
        referenceSource: water
          ? `water's self-diffusion coefficient at ${celsius} °C (acqu.par ${tempKey}), Holz, Heil & Sacco, PCCP 2 (2000) 4740`
          : 'none',
        compare: (doc) =>
          water
            ? [physicalRow(doc, 'D', `D of water at ${celsius} °C`, waterSelfDiffusion(celsius!), 'm2/s')]
            : peakRows(doc, why),
      });
    }
    return out;
  },
};

const minispec: Dataset = {
  ...NMRINV,
  name: 'nmrinversions-minispec',
  description: 'Bruker minispec CPMG export (.dps)',
  probe: 'example_data/bruker/minispec/cpmg.dps',
  async cases(ctx) {
    const path = exampleData(ctx, 'bruker', 'minispec', 'cpmg.dps');
    return [
      {
        label: '',
        input: path,
        args: [[path]],
        referenceSource: 'none',
        compare: (doc: ResultDoc) =>
          peakRows(doc, 'no reference answer ships with it (the file holds the echo train only)'),
      },
    ];
  },
};

const tecmag: Dataset = {
  ...NMRINV,
  name: 'nmrinversions-tecmag',
  description: 'silicone oil, Tecmag TNMR .tnt (T1 IR, T2 CPMG, T1–T2)',
  probe: 'example_data/tecmag_tnt',
  async cases(ctx) {
    const out: (Case | SkippedCase)[] = [];
    for (const f of ['IR_silicon_oil.tnt', 'CPMG_silicon_oil.tnt', 'IRCPMG_silicon_oil.tnt']) {
      const path = exampleData(ctx, 'tecmag_tnt', f);
      if (!(await exists(path))) {
        out.push(missingFile(f, `example_data/tecmag_tnt/${f}`));
        continue;
      }
      out.push({
        label: f,
        input: path,
        args: [[path]],
        referenceSource: 'none',
        compare: (doc) => peakRows(doc, 'no reference answer: Lapis’ values only'),
      });
    }
    return out;
  },
};

/**
 * NMRInversions.jl's two-column CSVs (x, signal). Its import_csv takes x in s for relaxation and in 1e9 s/m² for
 * PFG (src/import_data.jl); here the columns are split into a data file and an axis file (b scaled to s/m²) and
 * inverted as a text matrix, as a user would.
 */
const csv: Dataset = {
  ...NMRINV,
  name: 'nmrinversions-csv',
  description: 'two-column CSVs: water PFG, Cheshire sandstone T1 IR, graphene T2 CPMG',
  probe: 'example_data/csv',
  async cases(ctx) {
    const out: (Case | SkippedCase)[] = [];
    const sets = [
      ['PFG_water.csv', 'D', 1e9, 's/m2'],
      ['IR_sandstone.csv', 'T1-IR', 1, 's'],
      ['CPMG_graphene.csv', 'T2', 1, 's'],
    ] as const;
    for (const [f, kernel, scale, unit] of sets) {
      const path = exampleData(ctx, 'csv', f);
      if (!(await exists(path))) {
        out.push(missingFile(f, `example_data/csv/${f}`));
        continue;
      }
      const rows = (await readFile(path, 'utf8'))
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l) => l.split(',').map(Number));
      const dir = join(ctx.tmp, 'csv', f.replace(/\.csv$/, ''));
      await mkdir(dir, { recursive: true });
      const data = join(dir, 'data.txt');
      const axis = join(dir, 'axis.txt');
      await writeFile(data, rows.map((r) => String(r[1])).join('\n') + '\n');
      await writeFile(axis, rows.map((r) => String(r[0]! * scale)).join('\n') + '\n');
      const why =
        kernel === 'D'
          ? `no reference: the file states no temperature (pure water: ${formatDiffusion(waterSelfDiffusion(25))} at 25 °C, ${formatDiffusion(waterSelfDiffusion(35))} at 35 °C — Holz et al. 2000)`
          : 'no reference answer ships with it';
      out.push({
        label: f,
        input: path,
        args: [[data, '--axis1', axis, '--kernel1', kernel, '--unit1', unit]],
        referenceSource: 'none',
        compare: (doc) => peakRows(doc, why),
      });
    }
    return out;
  },
};

export const CORPUS: Dataset[] = [
  bruker,
  mupen2d,
  geospec,
  spinsolve,
  minispec,
  tecmag,
  csv,
  brukerSpectra,
  brukerSpectra2d,
];

/** The one line for a missing optional set. */
export function missingLine(d: Dataset): string {
  return `not found at ${d.localPath}/${d.probe ?? ''} — get it with: ${d.fetch ?? d.url}`;
}

export async function isPresent(d: Dataset, root: string): Promise<boolean> {
  if (!d.localPath) return true;
  return exists(join(root, d.localPath, d.probe ?? ''));
}
