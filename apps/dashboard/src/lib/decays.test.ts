import { describe, expect, it } from 'vitest';
import type { ResultDoc } from '@lapis/contracts';
import { cheeseDoc } from '../test/fixtures';
import { decayTickLabel, decayViews, decayXType } from './decays';

describe('decayViews', () => {
  it('derives residual = data − fit per point for every decay of the cheese result', () => {
    const views = decayViews(cheeseDoc);
    expect(views.map((v) => v.axis.name)).toEqual(['tau', 't']);
    const d = cheeseDoc.fit.decays![1]!;
    const v = views[1]!;
    expect(v.points).toHaveLength(d.data.length);
    expect(v.points[10]!.residual).toBeCloseTo(d.data[10]! - d.fit[10]!, 12);
    expect(v.totalPoints).toBe(1000);
    // a good fit: the residual is about the noise σ, far below the signal
    expect(v.rmsResidual / cheeseDoc.sigma!).toBeGreaterThan(0.3);
    expect(v.rmsResidual / cheeseDoc.sigma!).toBeLessThan(3);
    expect(decayXType(v.points)).toBe('log');
  });

  it('an older document without decays gives none; b = 0 asks for a linear axis', () => {
    const { decays: _decays, ...fit } = cheeseDoc.fit;
    expect(decayViews({ ...cheeseDoc, fit } as ResultDoc)).toEqual([]);
    expect(decayXType([{ x: 0, data: 1, fit: 1, residual: 0 }])).toBe('linear');
    expect(decayTickLabel('b')(1e9)).toBe('10⁹');
    expect(decayTickLabel('t')(0.002)).toBe('2 ms');
  });
});
