/**
 * The spectra of the validation corpus: bruker-data-test's ¹H spectra whose folders carry TopSpin's own peak list
 * (pdata/1/peaklist.xml, picked by the person who measured them), through `lapis process`. The row: how many of
 * TopSpin's peaks have a Lapis peak within 0.005 ppm — issue 23's target, ≥ 95 %. Where TopSpin's processed spectrum
 * is at hand (pdata/1/1r; aspirin's in the package's processed copy), a second row counts only the listed peaks that
 * spectrum shows rising √2 × 5 σ of its own noise above their surroundings within 0.005 ppm: a list picked down to
 * the noise (strychnine: MI = 0, PC = 1) also holds maxima no significance test keeps.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parsePeakList } from '../../libs/formats/src/bruker/peakList';
import { readProcessed1d, significantInTopSpin } from '../../libs/formats/src/bruker/testing/processed1d';
import { unzipTo } from '../../libs/formats/src/testing/unzip';
import type { Dataset, SpectrumCase } from './corpus';
import type { SpectrumDoc } from './lapis';
import type { Row } from './table';

const TOLERANCE_PPM = 0.005;
const TARGET = 0.95;

/** Least rise of a listed peak over its surroundings in TopSpin's own spectrum, in its noise σ (√2 × 5 σ). */
const SIGNIFICANT_SNR = 5 * Math.SQRT2;

/** The row: TopSpin's listed peaks (or, with `what`, a named subset of them) found by Lapis within the tolerance. */
export function vendorPeakRow(doc: SpectrumDoc, vendor: number[], what = "TopSpin's peaks"): Row {
  const shifts = doc.peaks.map((p) => p.shift).filter((s): s is number => s !== undefined);
  const found = vendor.filter((v) => shifts.some((s) => Math.abs(s - v) <= TOLERANCE_PPM)).length;
  const fraction = vendor.length > 0 ? found / vendor.length : 0;
  const pass = fraction >= TARGET;
  return {
    quantity: `${what} found within ${TOLERANCE_PPM} ppm`,
    reference: `${vendor.length} peaks`,
    lapis: `${found} (${(100 * fraction).toFixed(1)} %) of ${shifts.length} picked`,
    difference: `${(100 * fraction - 100).toFixed(1)} points`,
    target: `≥ ${100 * TARGET} %`,
    verdict: pass ? 'PASS' : 'FAIL',
    checks: [
      {
        quantity: 'vendor peaks found',
        unit: 'fraction',
        reference: 1,
        lapis: fraction,
        difference: 100 * fraction - 100,
        differenceUnit: 'points',
        target: `≥ ${TARGET}`,
        pass,
      },
    ],
  };
}

/** Where the bruker-data-test sets come from and under which terms (every set made of the package). */
export const BRUKER_DATA_TEST = {
  url: 'https://github.com/cheminfo/bruker-data-test (npm bruker-data-test)',
  version: 'npm 1.0.0',
  licence: 'MIT',
} as const;

/** The bruker-data-test package's folder, resolved from the repository root (it exports only lib/index.js). */
export function brukerDataTestRoot(root: string): string {
  return dirname(dirname(createRequire(join(root, 'package.json')).resolve('bruker-data-test')));
}

/** Where the bruker-data-test package's zips lie. */
export function brukerDataTestZips(root: string): string {
  return join(brukerDataTestRoot(root), 'data', 'zipped');
}

export const brukerSpectra: Dataset = {
  name: 'bruker-data-test-spectra',
  description: '¹H 1D spectra with TopSpin peak lists (aspirin, naphtoic acid, strychnine)',
  ...BRUKER_DATA_TEST,
  async cases(ctx) {
    const zipped = brukerDataTestZips(ctx.root);
    const out: SpectrumCase[] = [];
    // [zip, folder, where TopSpin's 1r lies (the same folder, another zip's copy of it, or nowhere), extra arguments];
    // strychnine twice: at Lapis' default threshold and at 2 σ, near the depth its TopSpin list was picked to
    for (const [zip, folder, processed, extra] of [
      ['aspirin-1h', '1', ['aspirin-1h-processed', '1'], []],
      ['naphtoicAcid-1h', '1', undefined, []],
      ['strychnine-1h', 'strychnine/10', ['strychnine-1h', 'strychnine/10'], []],
      ['strychnine-1h', 'strychnine/10', undefined, ['--min-snr', '2']],
    ] as const) {
      await unzipTo(join(zipped, `${zip}.zip`), join(ctx.tmp, 'spectra', zip));
      const dir = join(ctx.tmp, 'spectra', zip, folder);
      const list = join(dir, 'pdata', '1', 'peaklist.xml');
      const vendor = parsePeakList(await readFile(list, 'utf8'), list, []).map((p) => p.shift);
      let significant: number[] | undefined;
      if (processed) {
        await unzipTo(join(zipped, `${processed[0]}.zip`), join(ctx.tmp, 'spectra', processed[0]));
        const topspin = await readProcessed1d(join(ctx.tmp, 'spectra', processed[0], processed[1]));
        significant = significantInTopSpin(vendor, topspin, SIGNIFICANT_SNR, TOLERANCE_PPM);
      }
      out.push({
        command: 'process',
        label: extra.length ? `${zip} (${extra.join(' ')})` : zip,
        input: dir,
        args: [[dir, ...extra]],
        referenceSource:
          `TopSpin's peak list, pdata/1/peaklist.xml (${vendor.length} peaks)` +
          (significant ? `; ${significant.length} rise ≥ 7.1 σ in TopSpin's own 1r` : ''),
        compare: (doc) => [
          vendorPeakRow(doc, vendor),
          ...(significant ? [vendorPeakRow(doc, significant, "TopSpin's peaks significant in its 1r")] : []),
        ],
      });
    }
    return out;
  },
};
