/**
 * What `npm start` shows must be right: every acquisition the demo's low-field and benchtop instruments write (not
 * the broken ones) inverts, through `lapis invert` with the real inversion, to a valid lapis-result/1 whose peaks are
 * the sample's populations — none invented (a false split once made the agent refuse results whose fractions summed
 * past 1), at most one left merged where the data cannot tell two apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { analysePath } from '../analysis';
import { DEMO_INSTRUMENTS, cementPopulations, cheesePopulations, emulsionPopulations, planAcquisition } from './index';

const root = mkdtempSync(join(tmpdir(), 'lapis-demo-results-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const populations = (sample: string, day: number, dims: 1 | 2) =>
  sample.startsWith('cheese')
    ? cheesePopulations(day, dims)
    : sample.startsWith('cement')
      ? cementPopulations(day, dims)
      : emulsionPopulations(day);

describe('the demo stack’s acquisitions invert to their populations', () => {
  const cases = [
    ...Array.from({ length: 8 }, (_, n) => ['relaxometer-01', n] as const),
    ...Array.from({ length: 4 }, (_, n) => ['benchtop-01', n] as const),
  ];
  it.each(cases)('%s acquisition %i', async (id, n) => {
    const plan = planAcquisition(
      DEMO_INSTRUMENTS.find((i) => i.id === id)!,
      n,
      false,
      n + 1,
    );
    const dir = join(root, id, plan.relPath);
    await plan.write(dir, { stagingDir: join(root, '.staging'), rowIntervalMs: 0, acquiredAt: new Date() });
    // what `lapis invert DIR --uncertainty 0` and the agent run
    const { document } = await analysePath(dir, { method: 'auto', uncertainty: 0 });
    const doc = resultDocSchema.parse(JSON.parse(JSON.stringify(document)));
    const truth = populations(plan.sample, plan.day, doc.axes.length as 1 | 2).filter((p) => p.fraction >= 0.05);
    const listed = doc.peaks.filter((p) => p.fraction >= 0.05);
    expect(
      listed.length,
      `${plan.relPath}: ${listed.length} peaks for ${truth.length} populations`,
    ).toBeLessThanOrEqual(truth.length);
    expect(listed.length).toBeGreaterThanOrEqual(truth.length - 1);
    expect(doc.peaks.reduce((a, p) => a + p.fraction, 0)).toBeLessThanOrEqual(1);
  });
});
