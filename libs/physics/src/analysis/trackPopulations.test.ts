import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { trackPopulations, type SeriesPeak } from './trackPopulations';

/** Cheese-like T1–T2 populations on day `day`: water drifts, fractions cross (the rank by size changes). */
function truthOn(day: number): { label: string; position: [number, number]; fraction: number }[] {
  const a = Math.exp(-day / 30);
  return [
    { label: 'water', position: [0.32, 0.03 + 0.01 * a], fraction: 0.33 + 0.22 * a },
    { label: 'bound', position: [0.16, 0.004], fraction: 0.27 - 0.12 * a },
    { label: 'fat', position: [0.1, 0.07], fraction: 0.4 - 0.1 * a },
  ];
}

/** The truth measured: positions off by up to `jitter` decades, peaks listed in a random order. */
function measured(seed: number, days: number[], jitter = 0.03) {
  const rng = createRng(seed);
  return days.map((day) => {
    const peaks = truthOn(day).map((p) => ({
      label: p.label,
      position: p.position.map((x) => x * 10 ** (jitter * rng.uniform(-1, 1))),
      fraction: p.fraction,
    }));
    for (let i = peaks.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform(0, 1) * (i + 1));
      [peaks[i], peaks[j]] = [peaks[j]!, peaks[i]!];
    }
    return peaks;
  });
}

const labelsOf = (series: { label: string }[][], members: { entry: number; peak: number }[]) =>
  new Set(members.map((m) => series[m.entry]![m.peak]!.label));

describe('trackPopulations', () => {
  it.each([1, 2, 3, 4])('follows each population by position, not by rank or list order (seed %i)', (seed) => {
    const days = Array.from({ length: 30 }, (_, k) => 3 * k);
    const series = measured(seed, days);
    // by size the order changes: water is the largest on day 0, fat from about day 20
    expect(series[0]!.reduce((a, b) => (a.fraction > b.fraction ? a : b)).label).toBe('water');
    expect(series.at(-1)!.reduce((a, b) => (a.fraction > b.fraction ? a : b)).label).toBe('fat');
    const out = trackPopulations(series);
    expect(out.tracks).toHaveLength(3);
    for (const t of out.tracks) {
      expect(t.members).toHaveLength(days.length);
      expect(labelsOf(series, t.members).size).toBe(1);
    }
    expect(out.events).toEqual([]);
    const water = out.tracks.find((t) => labelsOf(series, t.members).has('water'))!;
    expect(water.centre[0]).toBeCloseTo(Math.log10(0.32), 1);
  });

  it('says when a population appears and when it is gone', () => {
    const base = (extra: SeriesPeak[]) => [{ position: [0.1], fraction: 0.5 }, ...extra];
    const series = [
      base([]),
      base([]),
      base([{ position: [1], fraction: 0.2 }]),
      base([{ position: [1.1], fraction: 0.3 }]),
      base([]),
      base([]),
      base([]),
      base([]),
    ];
    const out = trackPopulations(series, { maxGap: 2 });
    expect(out.tracks).toHaveLength(2);
    expect(out.trackOfPeak[3]).toEqual([0, 1]);
    expect(out.events).toEqual([
      { entry: 2, track: 1, kind: 'new' },
      { entry: 4, track: 1, kind: 'gone' },
    ]);
  });

  it('continues a population missing from a few acquisitions, up to maxGap', () => {
    const series: SeriesPeak[][] = [
      [{ position: [0.01, 0.1], fraction: 1 }],
      [],
      [],
      [{ position: [0.011, 0.1], fraction: 1 }],
    ];
    expect(trackPopulations(series, { maxGap: 2 }).tracks).toHaveLength(1);
    const strict = trackPopulations(series, { maxGap: 1 });
    expect(strict.tracks).toHaveLength(2);
    expect(strict.events).toEqual([
      { entry: 1, track: 0, kind: 'gone' },
      { entry: 3, track: 1, kind: 'new' },
    ]);
  });

  it('starts a new population for a peak beyond the radius, and pairs the nearest ones within it', () => {
    const series: SeriesPeak[][] = [
      [
        { position: [0.01], fraction: 0.5 },
        { position: [0.02], fraction: 0.5 },
      ],
      // both moved by 0.1 decade towards each other's side: the pairing minimises the total, it does not swap them
      [
        { position: [0.0126], fraction: 0.5 },
        { position: [0.0252], fraction: 0.5 },
      ],
      [{ position: [0.2], fraction: 1 }],
    ];
    const out = trackPopulations(series, { radius: 0.15 });
    expect(out.trackOfPeak).toEqual([[0, 1], [0, 1], [2]]);
  });

  it('refuses what it cannot follow', () => {
    expect(() => trackPopulations([[{ position: [0.1], fraction: 1 }]], { radius: 0 })).toThrow(/radius/);
    expect(() =>
      trackPopulations([[{ position: [0.1], fraction: 1 }], [{ position: [0.1, 0.2], fraction: 1 }]]),
    ).toThrow(/axes/);
    expect(() => trackPopulations([[{ position: [-1], fraction: 1 }]])).toThrow(/at -1/);
    expect(trackPopulations([])).toEqual({ tracks: [], trackOfPeak: [], events: [] });
  });
});
