/**
 * The demo's cheese ripening, followed the way the dashboard follows it: every T1–T2 acquisition of one cheese that
 * the relaxometer writes, inverted by the agent's own analysis, its peaks tracked through the series by position
 * (libs/physics trackPopulations). Each population must stay one track from the first day to the last — no jump to a
 * neighbour — and its position and fraction must follow the simulator's truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scorePeaks, trackPopulations } from '@lapis/physics';
import { analysePath } from '../analysis';
import { DEMO_INSTRUMENTS, cheesePopulations, planAcquisition } from './index';

const root = mkdtempSync(join(tmpdir(), 'lapis-cheese-series-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the demo cheese followed over its ripening', () => {
  it('keeps water, protein-bound water and fat apart and on their truth, day 0 to day 84', async () => {
    const relaxometer = DEMO_INSTRUMENTS.find((i) => i.id === 'relaxometer-01')!;
    // Every fourth run of the relaxometer is the cheese in T1–T2; runs 0–56 are cheese A, days 0–84.
    const plans = Array.from({ length: 15 }, (_, k) => planAcquisition(relaxometer, 4 * k, false, 100 + k));
    expect(new Set(plans.map((p) => p.sample)).size).toBe(1);
    const series = [];
    for (const plan of plans) {
      const dir = join(root, plan.relPath);
      await plan.write(dir, { stagingDir: join(root, '.staging'), rowIntervalMs: 0, acquiredAt: new Date() });
      const { document } = await analysePath(dir, { method: 'auto' });
      expect(document.axes.map((a) => a.name)).toEqual(['T1', 'T2']);
      series.push({ day: plan.day, peaks: document.peaks });
    }
    const tracked = trackPopulations(
      series.map((s) => s.peaks.map((p) => ({ position: [p.position.T1!, p.position.T2!], fraction: p.fraction }))),
    );
    // Each true population is one track; the track's every member is that population on its day.
    const labels = cheesePopulations(0, 2).map((p) => p.label);
    const worst = new Map(labels.map((l) => [l, { position: 0, fraction: 0, track: new Set<number>() }]));
    series.forEach((s, e) => {
      const truth = cheesePopulations(s.day, 2);
      const found = s.peaks.map((p) => ({ position: [p.position.T1!, p.position.T2!], fraction: p.fraction }));
      const score = scorePeaks(truth, found, { matchRadius: 0.2 });
      score.perTruth.forEach((t, i) => {
        const w = worst.get(truth[i]!.label)!;
        expect(t.found, `day ${s.day}: ${truth[i]!.label} not found`).not.toBeNull();
        w.position = Math.max(w.position, t.positionError);
        w.fraction = Math.max(w.fraction, t.fractionError);
        w.track.add(tracked.trackOfPeak[e]![t.found!]!);
      });
    });
    for (const [label, w] of worst) {
      expect(w.track.size, `${label} split over tracks ${[...w.track].join(', ')}`).toBe(1);
      expect(w.position, `${label}: worst position error`).toBeLessThanOrEqual(0.05);
      expect(w.fraction, `${label}: worst fraction error`).toBeLessThanOrEqual(0.03);
    }
    const tracks = new Set([...worst.values()].map((w) => [...w.track][0]));
    expect(tracks.size).toBe(3);
    console.log(
      'cheese series, worst over days 0–84 (decades / fraction):',
      [...worst].map(([l, w]) => `${l} ${w.position.toFixed(3)} / ${w.fraction.toFixed(3)}`).join('; '),
      `; ${tracked.tracks.length} tracks, ${tracked.events.length} new/gone events`,
    );
  }, 120_000);
});
