import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { writeLapisAcquisition } from '@lapis/formats';
import { ruleSchema } from '../config/schema';
import { t2Acquisition } from '../../testing/fixtures';
import { processAcquisition } from './pipelineSteps';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('processAcquisition (classical pipeline)', () => {
  it('publishes the measured decay beside the fit (fit.decays), as `lapis invert` does', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lapis-steps-'));
    const acq = t2Acquisition(3);
    await writeLapisAcquisition(dir, acq);
    const rule = ruleSchema.parse({ method: 'tikhonov', grid: 32 });
    const analysis = await processAcquisition(dir, [rule]);
    const doc = resultDocSchema.parse(JSON.parse(JSON.stringify(analysis.document)));
    const [decay] = doc.fit.decays!;
    expect(doc.fit.decays).toHaveLength(1);
    expect(decay!.axis.values).toHaveLength(64);
    expect(decay!.data[5]).toBeCloseTo(acq.data[5]!, 5);
    // the fit reaches the noise: residual rms ≈ σ
    const rms = Math.sqrt(decay!.data.reduce((s, d, i) => s + (d - decay!.fit[i]!) ** 2, 0) / decay!.data.length);
    expect(rms / doc.sigma!).toBeGreaterThan(0.3);
    expect(rms / doc.sigma!).toBeLessThan(3);
  });
});
