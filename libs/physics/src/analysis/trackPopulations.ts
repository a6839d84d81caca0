/**
 * Populations followed through a series of acquisitions (a cheese ripening, a cement paste hydrating): the peaks of
 * each acquisition are paired with the populations seen so far by position in log space — an optimal assignment
 * (matchLogPositions), not a rank, so peaks that change order or size, appear or vanish do not make a population jump
 * to its neighbour. A population is compared at its last seen position (samples drift slowly; a mean over its history
 * would lag behind the drift), may be missing from a few acquisitions and continue (a peak below the detection limit
 * once), and a peak that continues nothing starts a new population.
 */
import { matchLogPositions } from './matchPeaks';

export interface SeriesPeak {
  /** Position per axis, SI units (> 0). */
  position: readonly number[];
  fraction: number;
}

export interface TrackPopulationsOptions {
  /** Largest step (decades, largest |Δ log10| over the axes) from one acquisition to the next (default 0.25). */
  radius?: number;
  /** Acquisitions in a row a population may be missing from and still continue (default 2). */
  maxGap?: number;
}

export interface PopulationTrack {
  /** 0, 1, … in order of first appearance. */
  id: number;
  /** The acquisitions (index in the series) and peaks (index in that acquisition's list) it is made of, in order. */
  members: { entry: number; peak: number }[];
  /** Median log10 position per axis over its members. */
  centre: number[];
}

export interface TrackEvent {
  /** Index in the series. */
  entry: number;
  track: number;
  /** `new`: first seen here (after the first acquisition); `gone`: last seen in the acquisition before this one. */
  kind: 'new' | 'gone';
}

export interface TrackedSeries {
  tracks: PopulationTrack[];
  /** Per acquisition, per peak: the id of the track it belongs to. */
  trackOfPeak: number[][];
  events: TrackEvent[];
}

/** Follows the populations of `series` (acquisitions in time order, each with its peaks). */
export function trackPopulations(
  series: readonly (readonly SeriesPeak[])[],
  options: TrackPopulationsOptions = {},
): TrackedSeries {
  const fn = 'trackPopulations';
  const radius = options.radius ?? 0.25;
  const maxGap = options.maxGap ?? 2;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new RangeError(`${fn}: radius must be > 0, got ${radius}`);
  if (!Number.isInteger(maxGap) || maxGap < 0) throw new RangeError(`${fn}: maxGap must be an integer ≥ 0`);
  const dims = series.find((e) => e.length > 0)?.[0]?.position.length ?? 0;
  const logs = series.map((entry, e) =>
    entry.map((p, k) => {
      if (p.position.length !== dims)
        throw new RangeError(`${fn}: acquisition ${e} peak ${k} has ${p.position.length} axes, expected ${dims}`);
      return p.position.map((y) => {
        if (!(y > 0) || !Number.isFinite(y)) throw new RangeError(`${fn}: acquisition ${e} peak ${k} at ${y}`);
        return Math.log10(y);
      });
    }),
  );

  const tracks: (PopulationTrack & { last: number[]; lastEntry: number })[] = [];
  const trackOfPeak: number[][] = [];
  const events: TrackEvent[] = [];
  logs.forEach((peaks, e) => {
    // Populations still open: seen within the last maxGap + 1 acquisitions.
    const open = tracks.filter((t) => e - t.lastEntry <= maxGap + 1);
    const { pairOfB } = matchLogPositions(
      open.map((t) => t.last),
      peaks,
      radius,
    );
    trackOfPeak.push(
      peaks.map((position, k) => {
        const i = pairOfB[k];
        let track = i === null || i === undefined ? undefined : open[i];
        if (!track) {
          track = { id: tracks.length, members: [], centre: [], last: position, lastEntry: e };
          tracks.push(track);
          if (e > 0) events.push({ entry: e, track: track.id, kind: 'new' });
        }
        track.members.push({ entry: e, peak: k });
        track.last = position;
        track.lastEntry = e;
        return track.id;
      }),
    );
  });
  for (const t of tracks) {
    if (t.lastEntry < logs.length - 1) events.push({ entry: t.lastEntry + 1, track: t.id, kind: 'gone' });
  }
  events.sort((a, b) => a.entry - b.entry || a.track - b.track);
  return {
    tracks: tracks.map(({ id, members }) => ({
      id,
      members,
      centre: Array.from({ length: dims }, (_, d) => median(members.map((m) => logs[m.entry]![m.peak]![d]!))),
    })),
    trackOfPeak,
    events,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : 0.5 * (s[h - 1]! + s[h]!);
}
