/**
 * Property test of the Spinsolve reader: random text and mutations of valid folders — byte edits, insertions and
 * truncations of acqu.par, the Prospa binaries, the text exports and the lists; hostile parameter values (huge
 * counts, NaN, zero or negative delays). The only acceptable failure is a FormatError; every read returns within
 * 2 s and nothing is allocated from a count the files declare.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpinsolveParameters } from './parameters';
import { readSpinsolve } from './readSpinsolve';
import { spinsolveReader } from './spinsolveReader';
import { parseCurve1d, parseDecays2d, parseList } from './textExport';
import { simulateSpinsolve, type SpinsolveExperimentName, type SpinsolveVariant } from './writeSpinsolve';
import { byteMutation, latin1Text, mutate, onlyFormatErrors } from '../testing/fuzzing';

const SEED = 20260105;

let root: string;
/** Valid folders, small so that each read is quick; mutated copies are made from them. */
const VALID: { name: string; experiment: SpinsolveExperimentName; variant: SpinsolveVariant }[] = [
  { name: 't2bulk', experiment: 'T2Bulk', variant: 'binary' },
  { name: 't1irt2-bin', experiment: 'T1IRT2', variant: 'binary' },
  { name: 't1irt2-steps', experiment: 'T1IRT2', variant: 'steps' },
  { name: 't1irt2-text', experiment: 'T1IRT2', variant: 'text-comma' },
  { name: 'dt2-text', experiment: 'DT2', variant: 'text' },
  { name: 't1-fids', experiment: 'T1', variant: 'binary' },
  { name: 'pgste-text', experiment: 'PGSTE', variant: 'text' },
];
const FILES = new Map<string, string[]>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-spinsolve-fuzz-'));
  for (const v of VALID) {
    const small: Record<string, number> = v.experiment === 'T1' ? { nrPnts: 128, nrSteps: 6 } : {};
    const sim = await simulateSpinsolve(join(root, v.name), {
      experiment: v.experiment,
      variant: v.variant,
      peaks: [
        {
          position: v.experiment === 'DT2' ? [2e-9, 0.02] : v.experiment === 'T1IRT2' ? [0.05, 0.02] : [0.02],
          width: [0.1, 0.1].slice(0, v.experiment === 'DT2' || v.experiment === 'T1IRT2' ? 2 : 1),
          fraction: 1,
        },
      ].map((p) => (v.experiment === 'PGSTE' ? { ...p, position: [2e-9] } : p)),
      seed: 1,
      snr: 200,
      parameters: { nrEchoes: 40, tauSteps: 5, nrSteps: 5, ...small },
    });
    FILES.set(v.name, sim.files);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Spinsolve parsers never fail except with FormatError', () => {
  it('the valid folders the mutations start from read cleanly', async () => {
    for (const v of VALID)
      await expect(readSpinsolve(join(root, v.name))).resolves.toMatchObject({ data: expect.any(Float64Array) });
  });

  it('acqu.par, text exports and lists on random text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }).map(latin1Text)),
        fc.option(fc.integer({ min: -5, max: 100 }), { nil: undefined }),
        async (text, echoes) => {
          await onlyFormatErrors(() => parseSpinsolveParameters(text, 'acqu.par'));
          await onlyFormatErrors(() => parseDecays2d(text, 'T1IRT2.dat', echoes, []));
          await onlyFormatErrors(() => parseCurve1d(text, 'T2.csv'));
          await onlyFormatErrors(() => parseList(text, 'gradients.par'));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('readSpinsolve never fails except with FormatError', () => {
  it('one file of a valid folder mutated byte-wise', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VALID.map((v) => v.name)), fc.nat(), byteMutation, async (name, pick, m) => {
        const files = FILES.get(name)!;
        const target = files[pick % files.length]!;
        const dir = join(root, `m${++n}`);
        await cp(join(root, name), dir, { recursive: true });
        await writeFile(join(dir, target), mutate(await readFile(join(root, name, target)), m));
        await onlyFormatErrors(async () => {
          const acq = await readSpinsolve(dir);
          expect(acq.data.length).toBe(acq.axes.reduce((a, x) => a * x.values.length, 1));
          expect(acq.data.every(Number.isFinite)).toBe(true);
        });
        await onlyFormatErrors(async () => {
          if (await spinsolveReader.detect(dir, {})) await spinsolveReader.read(dir, {});
        });
        await rm(dir, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('hostile parameter values', async () => {
    const HOSTILE = ['NaN', '1e999', '1e12', '2147483648', '-3', '0', '-0', '""', '"factory"', '[1,2]', '1,5', ''];
    const KEYS = [
      'experiment',
      'echoTime',
      'nrEchoes',
      'minTau',
      'maxTau',
      'tauSteps',
      'logspace',
      'nrSteps',
      'gradMax',
      'gradAmpPC',
      'lDelta',
      'bDelta',
      'gradRamp',
      'nucleus',
      'minDelay',
      'maxDelay',
      'dwellTime',
      'b1Freq',
      'nrPnts',
      'expName',
    ];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALID.map((v) => v.name)),
        fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 3 }),
        async (name, changes) => {
          const dir = join(root, `h${++n}`);
          await cp(join(root, name), dir, { recursive: true });
          let text = await readFile(join(dir, 'acqu.par'), 'latin1');
          for (const [key, value] of changes) {
            const line = new RegExp(`^${key} = .*$`, 'm');
            text = line.test(text) ? text.replace(line, `${key} = ${value}`) : `${text}${key} = ${value}\r\n`;
          }
          await writeFile(join(dir, 'acqu.par'), text);
          await onlyFormatErrors(() => readSpinsolve(dir));
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
