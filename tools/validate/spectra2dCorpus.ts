/**
 * The 2D spectra of the validation corpus: bruker-data-test's cyclosporin HSQC, HMBC and COSY and its two NUS folders
 * (25 %, reconstructed by IST), through `lapis process`, against TopSpin's own processed spectrum (pdata/1/2rr) — the
 * Pearson correlation over the points both cover, TopSpin's interpolated at Lapis's ppm (the processing helpers of
 * libs/formats' tests). Target: ≥ 0.99, as the 1D spectra against their 1r in libs/formats' tests.
 */
import { join } from 'node:path';
import type { Spectrum2d } from '@lapis/spectra';
import { correlation2d, readProcessed2d } from '../../libs/formats/src/bruker/testing/processed2d';
import { unzipTo } from '../../libs/formats/src/testing/unzip';
import type { Dataset, SpectrumCase } from './corpus';
import { BRUKER_DATA_TEST, brukerDataTestZips } from './spectraCorpus';
import type { SpectrumDoc } from './lapis';
import type { Row } from './table';

const TARGET = 0.99;

interface Axis {
  first: number;
  last: number;
  size: number;
}

/** The document's spectrum on its ppm axes, as the correlation wants it. */
function spectrumOf(doc: SpectrumDoc): Pick<Spectrum2d, 'rows' | 'columns' | 'real' | 'ppm1' | 'ppm2'> | undefined {
  const d = doc as unknown as { axes?: Axis[]; spectrum?: { rows: number; columns: number; real: number[] } };
  const [a1, a2] = d.axes ?? [];
  if (!a1 || !a2 || !d.spectrum || d.spectrum.real.length !== d.spectrum.rows * d.spectrum.columns) return undefined;
  const ppm = (a: Axis, n: number) =>
    Float64Array.from({ length: n }, (_, i) => a.first + (i * (a.last - a.first)) / (n - 1));
  return {
    rows: d.spectrum.rows,
    columns: d.spectrum.columns,
    real: Float64Array.from(d.spectrum.real),
    ppm1: ppm(a1, d.spectrum.rows),
    ppm2: ppm(a2, d.spectrum.columns),
  };
}

export const brukerSpectra2d: Dataset = {
  name: 'bruker-data-test-spectra-2d',
  description: '2D spectra (HSQC, HMBC, COSY; two 25 % NUS) against TopSpin’s processed 2rr',
  ...BRUKER_DATA_TEST,
  async cases(ctx) {
    const zipped = brukerDataTestZips(ctx.root);
    const out: SpectrumCase[] = [];
    // the NUS HSQC twice: reconstructed by IST (the default) and by the network (--nus network, docs/nus.md)
    for (const [zip, folder, extra] of [
      ['cyclosporin/cyclosporin_hsqc', 'cyclosporin_hsqc/3', []],
      ['cyclosporin/cyclosporin_hmbc', 'cyclosporin_hmbc/2', []],
      ['cyclosporin/cyclosporin_cosy', 'cyclosporin_cosy/1', []],
      ['nonUniformSampling/hsqc-nus', '3', []],
      ['nonUniformSampling/hsqc-nus', '3', ['--nus', 'network']],
      ['nonUniformSampling/cosy-nus', '2', []],
    ] as const) {
      const name = zip.split('/')[1]!;
      const label = extra.length ? `${name} (${extra.join(' ')})` : name;
      await unzipTo(join(zipped, `${zip}.zip`), join(ctx.tmp, 'spectra2d', name));
      const dir = join(ctx.tmp, 'spectra2d', name, folder);
      const topspin = await readProcessed2d(dir);
      out.push({
        command: 'process',
        label,
        input: dir,
        args: [[dir, ...extra]],
        referenceSource: `TopSpin's processed spectrum, pdata/1/2rr (${topspin.rows} × ${topspin.columns})`,
        compare: (doc): Row[] => {
          const mine = spectrumOf(doc);
          const r = mine ? correlation2d(mine as Spectrum2d, topspin) : NaN;
          const pass = r >= TARGET;
          return [
            {
              quantity: 'correlation with TopSpin’s 2rr',
              reference: '1',
              lapis: Number.isFinite(r) ? r.toFixed(4) : 'no 2D spectrum',
              difference: Number.isFinite(r) ? `${(100 * (r - 1)).toFixed(2)} points` : '—',
              target: `≥ ${TARGET}`,
              verdict: pass ? 'PASS' : 'FAIL',
              checks: [
                {
                  quantity: 'correlation with 2rr',
                  unit: 'r',
                  reference: 1,
                  lapis: r,
                  difference: 100 * (r - 1),
                  differenceUnit: 'points',
                  target: `≥ ${TARGET}`,
                  pass,
                },
              ],
            },
          ];
        },
      });
    }
    return out;
  },
};
