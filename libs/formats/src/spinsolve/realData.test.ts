/**
 * Real Spinsolve data, read when copies are present under .refs/ (git-ignored; CI has none, and these tests then
 * skip): NMRInversions.jl's example_data/spinsolve_txt (IRCPMG: T1IRT2.dat of a Berea sandstone; PFGCPMG: DT2.dat),
 * and spinsolveproc's examples/data (lyogel: T2Bulk data.1d, spectroscopic T1 and T2 data.2d, T1IRT2 step folders
 * with T1IRT2.dat, PGSTE data.2d with gradients.par and DiffusionPlot.csv). Checks axis lengths, units, plausible
 * values, and, where the vendor's plots state one, its bulk T1/T2.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitExponential } from '../testing/fitRecovery';
import { detectAndRead } from '../read';
import { readSpinsolve } from './readSpinsolve';

const refs = (path: string) => fileURLToPath(new URL(`../../../../.refs/${path}`, import.meta.url));
const NMRINV = refs('nmrinversions/example_data/spinsolve_txt/');
const PROC = refs('spinsolveproc/examples/data/');
const hasNmrInv = existsSync(`${NMRINV}IRCPMG/acqu.par`) && existsSync(`${NMRINV}PFGCPMG/acqu.par`);
const hasProc = existsSync(`${PROC}230213-131509 T2Bulk (lyogel_ET3500)/acqu.par`);
const skipped = (what: string) => `${what} — SKIPPED: not found under .refs/ (a copy of the public example data)`;

describe.skipIf(!hasNmrInv)(
  hasNmrInv ? 'NMRInversions.jl Spinsolve exports' : skipped('NMRInversions.jl Spinsolve exports'),
  () => {
    it('IRCPMG (T1IRT2.dat): 16 log-spaced delays 1 ms – 3 s × 1024 echoes of 0.1 ms, from −M0 to +M0', async () => {
      const acq = await detectAndRead(`${NMRINV}IRCPMG`);
      expect(acq.metadata.source).toBe('spinsolve');
      expect(acq.experiment).toBe('T1-T2');
      const [t1, t2] = [acq.axes[0], acq.axes[1]!];
      expect([t1.kernel, t1.unit, t1.values.length]).toEqual(['T1-IR', 's', 16]);
      expect([t2.kernel, t2.unit, t2.values.length]).toEqual(['T2', 's', 1024]);
      expect(t1.values[0]).toBeCloseTo(1e-3, 15);
      expect(t1.values[15]).toBeCloseTo(3, 12);
      expect(t1.values[1]! / t1.values[0]!).toBeCloseTo(3000 ** (1 / 15), 12);
      expect(t2.values[0]).toBeCloseTo(1e-4, 15);
      expect(t2.values[1023]).toBeCloseTo(0.1024, 12);
      expect(acq.data.length).toBe(16 * 1024);
      expect(acq.data[0]).toBeLessThan(-3e4); // shortest delay, first echo
      expect(acq.data[15 * 1024]).toBeGreaterThan(3e4); // longest delay, first echo
      expect(acq.metadata).toMatchObject({
        sample: 'Be_clean_NaCl_1%',
        acquiredAt: '2023-06-22T18:17:24',
        instrument: 'Spinsolve P43Grad (SPA1722)',
      });
      expect(acq.warnings).toEqual([]);
    });

    it('PFGCPMG (DT2.dat): 16 b-values computed from gradMax, δ, Δ and γ(¹H) × 8000 echoes of 0.25 ms, readings stated', async () => {
      const acq = await readSpinsolve(`${NMRINV}PFGCPMG`);
      expect(acq.experiment).toBe('D-T2');
      const [b, t2] = [acq.axes[0], acq.axes[1]!];
      expect([b.kernel, b.unit, b.values.length]).toEqual(['D', 's/m2', 16]);
      expect([t2.kernel, t2.values.length]).toEqual(['T2', 8000]);
      expect(t2.values[7999]).toBeCloseTo(2, 12);
      // g = 163 mT/m × 99 % × √((k+0.2)/15.2), δ = 3 + 0.1 ms, Δ = 500 ms
      const g0 = 0.163 * 0.99 * Math.sqrt(0.2 / 15.2);
      expect(b.values[0]! / ((267.52218744e6 * g0 * 3.1e-3) ** 2 * (0.5 - 3.1e-3 / 3))).toBeCloseTo(1, 12);
      expect(b.values[15]).toBeCloseTo(8.936e9, -7);
      expect(acq.warnings.join('\n')).toMatch(/no gradients\.par: gradients taken as Magritek's PGSTE macro/);
      expect(acq.warnings.join('\n')).toMatch(/δ taken as lDelta \+ gradRamp/);
    });
  },
);

const lyogel = (name: string) => `${PROC}${name}`;

describe.skipIf(!hasProc)(
  hasProc ? 'spinsolveproc lyogel experiments' : skipped('spinsolveproc lyogel experiments'),
  () => {
    it('T2Bulk (data.1d, type 504): 2000 echoes of 3.5 ms, its x axis agreeing with acqu.par', async () => {
      const acq = await readSpinsolve(lyogel('230213-131509 T2Bulk (lyogel_ET3500)'));
      expect(acq.axes[0]).toMatchObject({ kernel: 'T2', unit: 's' });
      expect(acq.axes[0].values.length).toBe(2000);
      expect(acq.axes[0].values[0]).toBeCloseTo(3.5e-3, 15);
      expect(acq.axes[0].values[1999]).toBeCloseTo(7, 12);
      expect(acq.metadata.notes).toEqual(['the x axis of data.1d agrees with acqu.par (in ms)']);
      expect(acq.data[0]).toBeGreaterThan(0.5);
    });

    it('T1 (spectroscopic, data.2d): 10 delays 1 ms – 5 s linear, an inversion recovery, T1 near the vendor bulk 2.15 s', async () => {
      const acq = await readSpinsolve(lyogel('230213-143621 T1 (lyogel)'));
      const tau = acq.axes[0].values;
      expect([acq.axes[0].kernel, tau.length]).toEqual(['T1-IR', 10]);
      expect(tau[1]! - tau[0]!).toBeCloseTo((5 - 0.001) / 9, 12);
      expect(acq.data[0]).toBeLessThan(0);
      expect(acq.data[9]).toBeGreaterThan(0);
      const fit = fitExponential(tau, acq.data, 1e-3, 100);
      expect(Math.abs(Math.log(fit.T / 2.15))).toBeLessThan(0.15); // T1IR-Bulk.pt1 says "bulk 2.15"
    });

    it('T2 (spectroscopic, data.2d): 48 steps of 128 echoes × 0.5 ms, T2 at the vendor bulk 0.93 s', async () => {
      const acq = await readSpinsolve(lyogel('230210-120446 T2 (fid_lyogelA)'));
      const t = acq.axes[0].values;
      expect(t.length).toBe(48);
      expect(t[0]).toBeCloseTo(0.064, 14); // cpmgIntegrals.pt1's first echo delay
      expect(t[47]).toBeCloseTo(3.072, 12);
      const fit = fitExponential(t, acq.data, 1e-3, 100);
      expect(Math.abs(Math.log(fit.T / 0.93))).toBeLessThan(0.02); // cpmgIntegrals.pt1 says "bulk 0.93"
    });

    it('T1IRT2: the step folders and T1IRT2.dat agree; timeT1_s.dat (µs) and timeT2_s.dat (s) agree with acqu.par', async () => {
      const dir = lyogel('230213-144615 T1IRT2 (lyogel_ET500_2000echoes)');
      const steps = await readSpinsolve(dir);
      const text = await readSpinsolve(`${dir}/T1IRT2.dat`);
      expect(steps.axes.map((a) => a.values.length)).toEqual([32, 2000]);
      expect(steps.axes[0].values[31]).toBeCloseTo(5, 12);
      expect(steps.axes[1]!.values[0]).toBeCloseTo(5e-4, 15);
      expect(steps.metadata.notes).toEqual([
        '1D_T1IRT2/timeT1_s.dat agrees with acqu.par (in us)',
        '1D_T1IRT2/timeT2_s.dat agrees with acqu.par (in s)',
      ]);
      expect(Array.from(text.axes[0].values)).toEqual(Array.from(steps.axes[0].values));
      let worst = 0;
      for (let i = 0; i < steps.data.length; i++) worst = Math.max(worst, Math.abs(text.data[i]! - steps.data[i]!));
      expect(worst / Math.abs(steps.data[0]!)).toBeLessThan(1e-4); // the text keeps 6 digits
    });

    it('PGSTE: 512 b-values from gradients.par; DiffusionPlot.csv is the same curve with δ = lDelta alone', async () => {
      const dir = lyogel('240314-172103 PGSTE (lyogel_test)');
      const acq = await readSpinsolve(dir);
      expect(acq.experiment).toBe('D');
      expect(acq.axes[0].values.length).toBe(512);
      expect(acq.axes[0].values[0]).toBeCloseTo(2.181e7, -4);
      expect(acq.data[0]).toBeGreaterThan(acq.data[511]! * 10);
      const csv = await readSpinsolve(`${dir}/DiffusionPlot.csv`);
      expect(Array.from(csv.axes[0].values)).toEqual(Array.from(acq.axes[0].values));
      // the vendor's plot takes δ = lDelta = 5 ms where Lapis takes 5.1 ms (and γ to 5 digits): x·10⁹·ratio = b
      const ratio = (5.1 ** 2 * (100 - 5.1 / 3)) / (5 ** 2 * (100 - 5 / 3));
      const stated = Number(/proportional to acqu\.par's axis \(× ([\d.e+]+)\)/.exec(String(csv.metadata.notes))?.[1]);
      expect(stated / (ratio * 1e9)).toBeCloseTo(1, 4);
    });
  },
);
