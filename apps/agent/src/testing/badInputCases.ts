/**
 * TEST ONLY — every kind of bad input `lapis invert` must refuse with exit 2, one stderr line and nothing written.
 * Each case prepares files in `dir` and returns the arguments (an --out inside `dir` is added by the runner).
 */
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLapisAcquisition } from '@lapis/formats';
import { t2Acquisition } from './fixtures';

export interface BadCase {
  name: string;
  setup(dir: string): Promise<string[]>;
  /** What the stderr line must say. */
  expect: RegExp;
  /** Refused by libs/physics `invert` itself (not by a stand-in inversion). */
  physics?: true;
}

const T1T2_JSON = {
  format: 'lapis-acquisition/1',
  experiment: 'T1-T2',
  axes: [
    { kernel: 'T1-IR', values: [0.001, 0.01, 0.1], unit: 's' },
    { kernel: 'T2', values: [0.001, 0.002], unit: 's' },
  ],
  data: 'data.txt',
};

async function lapisDir(dir: string, doc: unknown, data: string): Promise<string[]> {
  const set = join(dir, 'set');
  await mkdir(set, { recursive: true });
  await writeFile(join(set, 'acquisition.json'), JSON.stringify(doc));
  await writeFile(join(set, 'data.txt'), data);
  return [set];
}

const axes0 = (values: number[]) => ({ ...T1T2_JSON, axes: [{ ...T1T2_JSON.axes[0], values }, T1T2_JSON.axes[1]] });

export const badInputCases: BadCase[] = [
  {
    name: 'NaN in the data',
    setup: (d) => lapisDir(d, T1T2_JSON, '1 2\n3 NaN\n5 6\n'),
    expect: /data\.txt: line 2: NaN \(not finite\)/,
  },
  {
    name: 'Inf in the data',
    setup: (d) => lapisDir(d, T1T2_JSON, '1 2\n3 4\n-Inf 6\n'),
    expect: /data\.txt: line 3: -Inf \(not finite\)/,
  },
  { name: 'empty data file', setup: (d) => lapisDir(d, T1T2_JSON, ''), expect: /data\.txt: empty file/ },
  { name: 'ragged rows', setup: (d) => lapisDir(d, T1T2_JSON, '1 2\n3 4 5\n5 6\n'), expect: /data\.txt: ragged rows/ },
  {
    name: 'wrong dimensions vs axes',
    setup: (d) => lapisDir(d, T1T2_JSON, '1 2 3\n4 5 6\n'),
    expect: /data\.txt: wrong dimensions: data is 2×3, the axes need 3×2/,
  },
  {
    name: 'non-monotonic times',
    setup: (d) => lapisDir(d, axes0([0.001, 0.1, 0.01]), '1 2\n3 4\n5 6\n'),
    expect: /acquisition\.json: axes\[0\] is not monotonic/,
  },
  {
    name: 'negative times',
    setup: (d) => lapisDir(d, axes0([-0.001, 0.01, 0.1]), '1 2\n3 4\n5 6\n'),
    expect: /acquisition\.json: axes\[0\] has a negative time/,
  },
  {
    name: 'duplicate values',
    setup: (d) => lapisDir(d, axes0([0.001, 0.01, 0.01]), '1 2\n3 4\n5 6\n'),
    expect: /acquisition\.json: axes\[0\] has a duplicate value/,
  },
  {
    name: 'unknown experiment',
    setup: (d) => lapisDir(d, { ...T1T2_JSON, experiment: 'T1-T3' }, '1 2\n3 4\n5 6\n'),
    expect: /acquisition\.json: unknown experiment "T1-T3"/,
  },
  {
    name: 'unknown kernel',
    setup: (d) =>
      lapisDir(
        d,
        { ...T1T2_JSON, axes: [{ ...T1T2_JSON.axes[0], kernel: 'T1-XY' }, T1T2_JSON.axes[1]] },
        '1 2\n3 4\n5 6\n',
      ),
    expect: /acquisition\.json: unknown kernel 'T1-XY'/,
  },
  {
    name: 'file too large (sparse 600 MB data file)',
    async setup(d) {
      const args = await lapisDir(d, T1T2_JSON, '');
      await truncate(join(args[0]!, 'data.txt'), 600 * 1024 * 1024);
      return args;
    },
    expect: /data\.txt: file too large: 600\.0 MB \(limit 512\.0 MB\)/,
  },
  {
    name: 'text matrix: axis length mismatch',
    async setup(d) {
      await writeFile(join(d, 'sig.txt'), '1\n0.5\n0.2\n');
      await writeFile(join(d, 'te.txt'), '0.001\n0.002\n');
      return [join(d, 'sig.txt'), '--axis1', join(d, 'te.txt'), '--kernel1', 'T2'];
    },
    expect: /sig\.txt: axis length mismatch: data has 3 values, the axis has 2/,
  },
  {
    name: 'text matrix: unknown kernel',
    async setup(d) {
      await writeFile(join(d, 'sig.txt'), '1\n0.5\n');
      await writeFile(join(d, 'te.txt'), '0.001\n0.002\n');
      return [join(d, 'sig.txt'), '--axis1', join(d, 'te.txt'), '--kernel1', 'T3'];
    },
    expect: /sig\.txt: unknown kernel 'T3'/,
  },
  {
    name: 'text matrix: no axis files',
    async setup(d) {
      await writeFile(join(d, 'sig.txt'), '1\n0.5\n');
      return [join(d, 'sig.txt')];
    },
    expect: /sig\.txt: not a known layout/,
  },
  {
    name: 'missing path',
    setup: async (d) => [join(d, 'nothing-here')],
    expect: /nothing-here: no such file or directory/,
  },
  {
    name: 'directory without acquisition.json',
    async setup(d) {
      await mkdir(join(d, 'empty'));
      return [join(d, 'empty')];
    },
    expect: /empty: no known acquisition layout/,
  },
  {
    name: 'unknown method',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--method', 'magic'];
    },
    expect: /--method: unknown method 'magic'/,
  },
  {
    name: 'bad grid',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--grid', '3'];
    },
    expect: /--grid: expected a whole number from 8 to 512/,
  },
  {
    name: 'bad range',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range1', '10:1'];
    },
    expect: /--range1: LO must be below HI/,
  },
  {
    name: 'range in a unit of the wrong quantity',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range1', '1e-12:1e-8m2/s'];
    },
    expect: /--range1: given as a diffusion, but axis 1 is T2 \(a time\)/,
  },
  {
    name: 'range in an unknown unit',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range1', '1ms:1fortnight'];
    },
    expect: /--range1: unknown unit 'fortnight'/,
  },
  {
    name: 'range2 on 1D data',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range2', '1ms:1s'];
    },
    expect: /--range2 given, but .* is 1D/,
  },
  {
    name: 'unknown option',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--frobnicate'];
    },
    expect: /Unknown option '--frobnicate'/,
  },
  { name: 'no PATH', setup: async () => [], expect: /needs a PATH/ },
  // What used to end in exit 0 with a meaningless answer, or in a crash (issue 18).
  {
    name: 'all-zero data',
    async setup(d) {
      const acq = t2Acquisition();
      await writeLapisAcquisition(join(d, 'zero'), { ...acq, data: new Float64Array(acq.data.length) });
      return [join(d, 'zero')];
    },
    expect: /the data are all zero: no signal/,
    physics: true,
  },
  {
    name: 'data no distribution explains (a T2 decay that grows)',
    async setup(d) {
      const acq = t2Acquisition();
      await writeLapisAcquisition(join(d, 'grows'), { ...acq, data: acq.data.slice().reverse() });
      return [join(d, 'grows')];
    },
    expect: /% of the signal unexplained .*: the kernel, the axis values or their unit do not describe these data/,
    physics: true,
  },
  {
    name: 'σ far below anything measurable',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--sigma', '1e-300'];
    },
    expect: /σ 1e-300 is below 1e-10 of the data's largest value/,
    physics: true,
  },
  {
    name: 'a range beyond physics',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range1', '1e-300:1e-299'];
    },
    expect: /the T2 range 1\.00e-300–1\.00e-299 s is outside what is physical/,
  },
  {
    name: 'a range the acquisition cannot see',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--range1', '1e4:1e5'];
    },
    expect: /lies far outside what this acquisition can see/,
  },
  {
    name: 'axis values ×1e300 (a wrong unit)',
    setup: (d) => lapisDir(d, axes0([1e297, 1e298, 1e299]), '1 2\n3 4\n5 6\n'),
    expect: /acquisition\.json: axes\[0\] value 1 is 1e\+297 s in SI, beyond any acquisition/,
  },
  {
    name: 'uncertainty draws beyond the cap',
    async setup(d) {
      await writeLapisAcquisition(join(d, 'ok'), t2Acquisition());
      return [join(d, 'ok'), '--uncertainty', '1000'];
    },
    expect: /--uncertainty: expected a whole number of draws from 0 to 200/,
  },
  {
    name: 'a data file of one 8 MB line of numbers (far more than the axes)',
    setup: (d) => lapisDir(d, T1T2_JSON, '1.0 '.repeat(2 * 1024 * 1024)),
    expect: /data\.txt: far more values than the axes describe \(6\): over 4102 by line 1/,
  },
  {
    name: 'a data file of one 8 MB line without separators',
    setup: (d) => lapisDir(d, T1T2_JSON, 'x'.repeat(8 * 1024 * 1024)),
    expect: /data\.txt: line 1: 'x{40}' is not a number/,
  },
];
