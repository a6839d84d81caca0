/**
 * The stack's instrument simulator writes what the real readers accept (and, on purpose, what they refuse), in the
 * order the agent's completion detection expects, and its samples evolve the way docs/deploy.md says.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyCompletion, detectAndRead, readBrukerPseudo2d } from '@lapis/formats';
import { defaultCompletionCheck } from '../agent/inputs/watcher/completion';
import { DEMO_INSTRUMENTS, InstrumentSimulator, cementPopulations, cheesePopulations, planAcquisition } from './index';

const roots: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lapis-sim-'));
  roots.push(d);
  return d;
};
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const ctx = (dir: string) => ({ stagingDir: join(dir, '.staging'), rowIntervalMs: 5, acquiredAt: new Date() });
const byId = (id: string) => DEMO_INSTRUMENTS.find((i) => i.id === id)!;

describe('samples', () => {
  it('cheese ripens: water share falls, protein-bound and fat rise, at the reported T1/T2 positions', () => {
    const share = (day: number) => {
      const p = cheesePopulations(day, 2);
      const total = p.reduce((s, q) => s + q.fraction, 0);
      return Object.fromEntries(p.map((q) => [q.label, q.fraction / total]));
    };
    const d0 = share(0);
    const d60 = share(60);
    expect(d60['water']!).toBeLessThan(d0['water']! - 0.1);
    expect(d60['protein-bound water']!).toBeGreaterThan(d0['protein-bound water']!);
    expect(d60['fat']!).toBeGreaterThan(d0['fat']!);
    const [water, bound, fat] = cheesePopulations(0, 2);
    expect(water!.position).toEqual([0.32, 0.04]);
    expect(bound!.position).toEqual([0.16, 0.004]);
    expect(fat!.position).toEqual([0.1, 0.07]);
    expect(cheesePopulations(10, 1)[0]!.position).toHaveLength(1);
  });

  it('cement hydrates: capillary water moves into gel and interlayer pores', () => {
    const frac = (day: number, label: string) => cementPopulations(day, 2).find((p) => p.label === label)!.fraction;
    expect(frac(10, 'capillary')).toBeLessThan(frac(0, 'capillary') / 3);
    expect(frac(10, 'gel pores')).toBeGreaterThan(frac(0, 'gel pores') * 2);
    expect(frac(10, 'interlayer')).toBeGreaterThan(frac(0, 'interlayer') * 2);
  });
});

describe('what the instruments write', () => {
  it('relaxometer: acquisition.json first, data.txt grows; incomplete until the last row, then the reader accepts it', async () => {
    const root = tmp();
    const plan = planAcquisition(byId('relaxometer-01'), 0, false, 1);
    expect(plan.experiment).toBe('T1-T2');
    expect(plan.sample).toBe('cheese-gouda-A');
    const dir = join(root, plan.relPath);
    const seen = new Set<string>();
    const writing = plan.write(dir, { ...ctx(root), rowIntervalMs: 40 });
    while (!existsSync(join(dir, 'data.txt'))) await new Promise((r) => setTimeout(r, 5));
    seen.add(await defaultCompletionCheck(dir));
    await writing;
    seen.add(await defaultCompletionCheck(dir));
    expect([...seen]).toEqual(['incomplete', 'complete']);
    const acq = await detectAndRead(dir);
    expect(acq.experiment).toBe('T1-T2');
    expect(acq.axes.map((a) => a.values.length)).toEqual([20, 600]);
    expect(acq.metadata.instrument).toBe('relaxometer-01');
    // the first IR delay is inverted, the last recovered
    expect(acq.data[0]!).toBeLessThan(0);
    expect(acq.data[19 * 600]!).toBeGreaterThan(0);
  });

  it('a broken low-field acquisition has a NaN, a broken benchtop one half its data.2d: the readers refuse them', async () => {
    const root = tmp();
    const relax = planAcquisition(byId('relaxometer-01'), 3, true, 2);
    const dir = join(root, 'relaxometer-01', relax.relPath);
    await relax.write(dir, ctx(root));
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toContain('NaN');
    await expect(detectAndRead(dir)).rejects.toThrow(/not finite/);
    const bench = planAcquisition(byId('benchtop-01'), 3, true, 2);
    const spinsolve = join(root, 'benchtop-01', bench.relPath);
    await bench.write(spinsolve, ctx(root));
    await expect(detectAndRead(spinsolve)).rejects.toThrow(/data\.2d: .*(truncated|short|holds)/);
  });

  it('benchtop: a D–T2 as a Spinsolve writes it, the sample named in acqu.par', async () => {
    const root = tmp();
    const plan = planAcquisition(byId('benchtop-01'), 0, false, 3);
    const dir = join(root, plan.relPath);
    await plan.write(dir, ctx(root));
    expect(existsSync(join(dir, 'acqu.par'))).toBe(true);
    const acq = await detectAndRead(dir);
    expect(acq.metadata.source).toBe('spinsolve');
    expect(acq.metadata.sample).toBe(plan.sample);
    expect(acq.experiment).toBe('D-T2');
    expect(acq.axes.map((a) => a.kernel)).toEqual(['D', 'T2']);
  });

  it('high field: TopSpin T1, T2 and DOSY folders; ser grows row by row and audita.txt comes last', async () => {
    const root = tmp();
    const kinds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const plan = planAcquisition(byId('avance-400'), n, false, 4 + n);
      const dir = join(root, plan.relPath);
      const sizes: number[] = [];
      const states = new Set<string>();
      const writing = plan.write(dir, { ...ctx(root), rowIntervalMs: 30 });
      let done = false;
      void writing.then(() => (done = true));
      while (!done) {
        if (existsSync(join(dir, 'ser'))) {
          sizes.push(statSync(join(dir, 'ser')).size);
          const state = (await classifyCompletion(dir)).state;
          // counted only if the record was still absent after the look (else it may have appeared during it)
          if (!existsSync(join(dir, 'audita.txt'))) states.add(state);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      await writing;
      expect(new Set(sizes).size, 'ser grew in steps').toBeGreaterThan(3);
      expect([...states]).toEqual(['in-progress']);
      expect((await classifyCompletion(dir)).state).toBe('complete');
      const p2d = await readBrukerPseudo2d(dir);
      expect(p2d.acquisitions).toHaveLength(2); // water and glycine, one region each
      kinds.push(p2d.acquisitions[0]!.experiment);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['acqus', 'acqu2s', 'ser', 'audita.txt', 'pdata']));
    }
    expect(kinds).toEqual(['T1', 'T2', 'D']);
    expect(readdirSync(join(root, '.staging'))).toEqual([]);
  });

  it('a truncated ser under a full audit record is partial, not complete', async () => {
    const root = tmp();
    const plan = planAcquisition(byId('avance-400'), 0, true, 9);
    const dir = join(root, plan.relPath);
    await plan.write(dir, ctx(root));
    const report = await classifyCompletion(dir);
    expect(report.state).toBe('partial');
    expect(report.rowsWithData).toBe(6);
    expect(report.expectedRows).toBe(12);
  });
});

describe('InstrumentSimulator', () => {
  it('round robin over the instruments, a broken one every n-th, and a second run continues the counters', async () => {
    const demo = tmp();
    const lines: string[] = [];
    // create(): no timer, driven by hand
    const sim = InstrumentSimulator.create({
      demoDir: demo,
      rowIntervalMs: 1,
      brokenEvery: 4,
      log: (l) => lines.push(l),
    });
    const plans = [];
    for (let i = 0; i < 4; i++) plans.push(await sim.tick());
    expect(plans.map((p) => p.instrument)).toEqual(['relaxometer-01', 'benchtop-01', 'avance-400', 'relaxometer-01']);
    expect(plans.map((p) => p.broken)).toEqual([false, false, false, true]);
    expect(lines.at(-1)).toMatch(/BROKEN on purpose/);
    expect(Object.keys(sim.roots()).sort()).toEqual(['avance-400', 'benchtop-01', 'relaxometer-01']);

    const again = InstrumentSimulator.create({ demoDir: demo, rowIntervalMs: 1 });
    expect(again.total).toBe(4);
    const next = await again.tick();
    expect(next.instrument).toBe('benchtop-01');
    expect(next.relPath).toBe('run-0001/emulsion-wo-A-day1');
  });

  it('refuses nonsense options', () => {
    expect(() => InstrumentSimulator.create({ demoDir: tmp(), intervalMs: 0 })).toThrow(RangeError);
    expect(() => InstrumentSimulator.create({ demoDir: tmp(), brokenEvery: -1 })).toThrow(RangeError);
  });
});
