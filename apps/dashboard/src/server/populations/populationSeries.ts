/**
 * Populations followed over time, from stored peaks: each group's acquisitions (one sample, or one instrument) in
 * time order, their peaks tracked by position in log space (libs/physics trackPopulations — an assignment, not a
 * rank), and the names users gave attached by position (names.ts). Pure: the router reads the rows, this shapes them.
 */
import { matchLogPositions, trackPopulations } from '@lapis/physics';
import { sampleAgeDays, type AgeUnit } from '../../lib/sampleAge';
import type { Thumbnail } from '../../lib/thumbnail';

/** Position columns a peak row may carry, in the order axes are listed. */
export const POSITION_AXES = ['T1', 'T2', 'T2b', 'D', 'shift'] as const;
export type PositionAxis = (typeof POSITION_AXES)[number];

/** One stored peak with its acquisition's facts (one row of the router's query). */
export interface PeakRow {
  key: string;
  instrumentId: string;
  sample: string | null;
  path: string;
  producedAt: Date;
  rank: number;
  fraction: number;
  fractionSd: number | null;
  position: Partial<Record<PositionAxis, number | null>>;
  uncDecades: Partial<Record<PositionAxis, number | null>>;
  widthDecades: Partial<Record<PositionAxis, number | null>>;
}

export interface PopulationName {
  id: number;
  scope: string;
  name: string;
  /** log10 position per axis. */
  centre: Partial<Record<PositionAxis, number>>;
}

export interface PopulationPoint {
  key: string;
  at: Date;
  /** Sample age, days (from the folder or sample name), when found. */
  ageDays?: number;
  fraction: number;
  fractionSd?: number;
  position: Partial<Record<PositionAxis, number>>;
  uncDecades: Partial<Record<PositionAxis, number>>;
  widthDecades: Partial<Record<PositionAxis, number>>;
}

export interface Population {
  id: number;
  /** The user's name for it, when one applies. */
  name?: string;
  nameId?: number;
  /** What the page calls it: the name, else `population N`. */
  label: string;
  /** Median position per axis, SI units (ppm for shift). */
  centre: Partial<Record<PositionAxis, number>>;
  points: PopulationPoint[];
}

export interface PopulationEvent {
  at: Date;
  ageDays?: number;
  key: string;
  label: string;
  kind: 'new' | 'gone';
}

export interface PopulationGroup {
  group: string;
  acquisitions: number;
  populations: Population[];
  events: PopulationEvent[];
  /**
   * Up to SNAPSHOTS acquisitions spread over the series (first and last included), each with its populations where
   * they were: the router adds each one's map thumbnail for small multiples.
   */
  snapshots: PopulationSnapshot[];
}

export interface PopulationSnapshot {
  key: string;
  at: Date;
  ageDays?: number;
  populations: { label: string; position: Partial<Record<PositionAxis, number>> }[];
  /** The result's picture (lib/thumbnail.ts), when it has one. */
  thumbnail?: Thumbnail;
}

/** Acquisitions drawn as small multiples per series. */
export const SNAPSHOTS = 8;

/** Indices of up to n of `count` items, evenly spread, first and last included. */
export function spread(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  return [...new Set(Array.from({ length: n }, (_, k) => Math.round((k * (count - 1)) / (n - 1))))];
}

export interface PopulationOptions {
  groupBy: 'sample' | 'instrument';
  /** Largest step of a population between consecutive acquisitions, decades (ppm for shift). */
  radius: number;
  maxGap: number;
  ageWord: string;
  ageUnit: AgeUnit;
}

/** A name applies to a population within this distance of where it was named, decades (ppm for shift). */
export const NAME_RADIUS = 0.3;

/**
 * Positions as the tracker sees them: log10 for relaxation and diffusion; ppm for shift as it is (10^ppm goes in,
 * so one "decade" of distance is one ppm).
 */
const logOf = (axis: PositionAxis, v: number) => (axis === 'shift' ? v : Math.log10(v));
const fromLog = (axis: PositionAxis, v: number) => (axis === 'shift' ? v : 10 ** v);

/** The axes every peak of the rows has a position on, in POSITION_AXES order. */
export function axesOf(rows: readonly PeakRow[]): PositionAxis[] {
  return POSITION_AXES.filter(
    (a) =>
      rows.length > 0 &&
      rows.every((r) => {
        const v = r.position[a];
        return typeof v === 'number' && Number.isFinite(v) && (a === 'shift' || v > 0);
      }),
  );
}

const defined = <T extends string>(rec: Partial<Record<T, number | null>>, axes: readonly T[]) => {
  const out: Partial<Record<T, number>> = {};
  for (const a of axes) {
    const v = rec[a];
    if (typeof v === 'number' && Number.isFinite(v)) out[a] = v;
  }
  return out;
};

/** Groups, tracks and names the peak rows (ordered by time within each group). */
export function populationGroups(
  rows: readonly PeakRow[],
  names: readonly PopulationName[],
  options: PopulationOptions,
): { axes: PositionAxis[]; groups: PopulationGroup[] } {
  const axes = axesOf(rows);
  if (axes.length === 0) return { axes, groups: [] };
  // group → acquisitions in time order → peaks
  const byGroup = new Map<string, Map<string, PeakRow[]>>();
  for (const r of rows) {
    const g = options.groupBy === 'sample' ? (r.sample ?? '(no sample)') : r.instrumentId;
    let acqs = byGroup.get(g);
    if (!acqs) byGroup.set(g, (acqs = new Map()));
    let peaks = acqs.get(r.key);
    if (!peaks) acqs.set(r.key, (peaks = []));
    peaks.push(r);
  }
  const groups: PopulationGroup[] = [];
  for (const [group, acqMap] of byGroup) {
    const acqs = [...acqMap.values()].sort(
      (a, b) => a[0]!.producedAt.getTime() - b[0]!.producedAt.getTime() || a[0]!.key.localeCompare(b[0]!.key),
    );
    // Each acquisition's key, time and sample age (from its folder or sample name), as every point, event and
    // snapshot of it carries them.
    const stamps = acqs.map((peaks) => {
      const r = peaks[0]!;
      const folder = r.path.split(/[\\/]/).filter(Boolean).at(-1);
      const age = sampleAgeDays([folder, r.sample, r.path], options.ageWord, options.ageUnit);
      return { key: r.key, at: r.producedAt, ...(age === undefined ? {} : { ageDays: age }) };
    });
    const tracked = trackPopulations(
      acqs.map((peaks) =>
        peaks.map((p) => ({
          position: axes.map((a) => (a === 'shift' ? 10 ** p.position[a]! : p.position[a]!)),
          fraction: p.fraction,
        })),
      ),
      { radius: options.radius, maxGap: options.maxGap },
    );
    const populations: Population[] = tracked.tracks.map((t) => ({
      id: t.id,
      label: `population ${t.id + 1}`,
      centre: Object.fromEntries(axes.map((a, d) => [a, fromLog(a, t.centre[d]!)])),
      points: t.members.map(({ entry, peak }) => {
        const p = acqs[entry]![peak]!;
        return {
          ...stamps[entry]!,
          fraction: p.fraction,
          ...(p.fractionSd === null ? {} : { fractionSd: p.fractionSd }),
          position: defined(p.position, axes),
          uncDecades: defined(p.uncDecades, axes),
          widthDecades: defined(p.widthDecades, axes),
        };
      }),
    }));
    nameGroup(
      group,
      populations,
      tracked.tracks.map((t) => t.centre),
      axes,
      names,
      options.groupBy,
    );
    const events = tracked.events.map((ev) => ({
      ...stamps[ev.entry]!,
      label: populations[ev.track]!.label,
      kind: ev.kind,
    }));
    const snapshots = spread(acqs.length, SNAPSHOTS).map((e) => ({
      ...stamps[e]!,
      populations: tracked.trackOfPeak[e]!.map((t, k) => ({
        label: populations[t]!.label,
        position: defined(acqs[e]![k]!.position, axes),
      })),
    }));
    groups.push({ group, acquisitions: acqs.length, populations, events, snapshots });
  }
  groups.sort((a, b) => a.group.localeCompare(b.group));
  return { axes, groups };
}

/**
 * Gives the group's populations the names that apply to it: those of the page's experiment whose scope is '' or a
 * prefix of the sample, the longest scope first, each paired one to one with the nearest population by position.
 */
function nameGroup(
  group: string,
  populations: Population[],
  centres: number[][],
  axes: readonly PositionAxis[],
  names: readonly PopulationName[],
  groupBy: PopulationOptions['groupBy'],
): void {
  const applicable = names
    .filter((n) => n.scope === '' || (groupBy === 'sample' && group.startsWith(n.scope)))
    .filter((n) => axes.every((a) => typeof n.centre[a] === 'number'));
  const scopes = [...new Set(applicable.map((n) => n.scope))].sort((a, b) => b.length - a.length);
  const free = new Set(populations.map((p) => p.id));
  const taken = new Set<string>();
  for (const scope of scopes) {
    const candidates = applicable.filter((n) => n.scope === scope && !taken.has(n.name));
    const open = populations.filter((p) => free.has(p.id));
    const { pairOfA } = matchLogPositions(
      candidates.map((n) => axes.map((a) => n.centre[a]!)),
      open.map((p) => centres[p.id]!),
      NAME_RADIUS,
    );
    pairOfA.forEach((j, i) => {
      if (j === null || j === undefined) return;
      const pop = open[j]!;
      const n = candidates[i]!;
      pop.name = n.name;
      pop.nameId = n.id;
      pop.label = n.name;
      free.delete(pop.id);
      taken.add(n.name);
    });
  }
}

/** log10 position per axis of a population's centre, as a name stores it. */
export function centreForName(centre: Partial<Record<PositionAxis, number>>): Partial<Record<PositionAxis, number>> {
  const out: Partial<Record<PositionAxis, number>> = {};
  for (const a of POSITION_AXES) {
    const v = centre[a];
    if (typeof v === 'number') out[a] = logOf(a, v);
  }
  return out;
}
