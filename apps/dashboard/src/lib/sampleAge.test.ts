import { describe, expect, it } from 'vitest';
import { sampleAgeDays } from './sampleAge';

describe('sampleAgeDays', () => {
  it.each([
    [['/data/relaxometer-01/run-0004/cheese-gouda-A-day12'], 'day', 'd', 12],
    [['/data/run-0009/cement-paste-wc040-A-day1p5'], 'day', 'd', 1.5],
    [['paste Day 3.25'], 'day', 'd', 3.25],
    [['gel_age_36'], 'age', 'h', 1.5],
    [['batch7-week2'], 'week', 'wk', 14],
    [[null, undefined, 'x-day0'], 'day', 'd', 0],
    // the first text that carries it wins: the folder before the sample name
    [['s-day4', 's-day9'], 'day', 'd', 4],
  ] as const)('%j with %s (%s) → %f days', (texts, word, unit, days) => {
    expect(sampleAgeDays(texts, word, unit)).toBeCloseTo(days, 12);
  });

  it.each([[['today3']], [['cheese-gouda-A']], [['day-x']], [['day1.2.3']], [[]]])('finds no age in %j', (texts) => {
    expect(sampleAgeDays(texts)).toBeUndefined();
  });

  it('takes a later occurrence when the first is not followed by a number', () => {
    expect(sampleAgeDays(['dayshift-sample-day5'])).toBe(5);
  });

  it('refuses a word that is not plain letters', () => {
    expect(() => sampleAgeDays(['x'], 'd(a+)+y')).toThrow(/letters/);
    expect(() => sampleAgeDays(['x'], '')).toThrow(/letters/);
  });
});
