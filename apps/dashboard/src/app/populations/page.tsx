// Populations followed over time: each sample's peaks tracked by position through its acquisitions, named once by a
// user and kept, and drawn against the sample's age or the clock.
import { instrumentIdSchema } from '@lapis/contracts';
import { TableExport } from '../../components/ExportButtons';
import { LiveRefresh } from '../../components/LiveRefresh';
import { PopulationChart } from '../../components/PopulationChart';
import Link from 'next/link';
import { ResultThumbnail } from '../../components/ResultThumbnail';
import {
  axisLabel,
  labelOrder,
  POPULATION_COLOURS,
  quantityLabel,
  type PopulationQuantity,
} from '../../lib/populationQuantity';
import { AGE_UNITS, AGE_WORD, type AgeUnit } from '../../lib/sampleAge';
import { displayText } from '../../lib/displayText';
import { formatAxisValue } from '../../lib/units';
import { textFilterSchema } from '../../server/api/inputs';
import { experimentNameSchema } from '../../server/populations/names';
import { centreForName, type PopulationGroup } from '../../server/populations/populationSeries';
import { api } from '../../trpc/server';
import { requireUser } from '../../server/auth/pageGuard';
import { roleAtLeast } from '../../server/auth/roles';
import { forgetPopulationName, namePopulation } from './actions';

export const dynamic = 'force-dynamic';

/** Groups drawn on one page; the rest are listed (narrow the filters to see them). */
const MAX_GROUPS_SHOWN = 8;

const AGE_UNIT_NAMES: Record<AgeUnit, string> = { h: 'hours', d: 'days', wk: 'weeks' };

export default async function PopulationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requireUser();
  const sp = await searchParams;
  const radius = Number(sp.radius);
  const input = {
    experiment: experimentNameSchema.safeParse(sp.experiment || undefined).data,
    groupBy: sp.groupBy === 'instrument' ? ('instrument' as const) : ('sample' as const),
    instrument: instrumentIdSchema.safeParse(sp.instrument || undefined).data,
    samplePrefix: textFilterSchema.safeParse(sp.sample?.trim() || undefined).data,
    ageWord: AGE_WORD.test(sp.ageWord ?? '') ? sp.ageWord! : 'day',
    ageUnit: (sp.ageUnit && sp.ageUnit in AGE_UNITS ? sp.ageUnit : 'd') as AgeUnit,
    ...(radius >= 0.02 && radius <= 1 ? { radius } : {}),
  };
  const result = await (await api()).populations.series(input);
  const ages = result.groups.some((g) => g.populations.some((p) => p.points.some((q) => q.ageDays !== undefined)));
  const xAxis = sp.x === 'time' || !ages ? ('time' as const) : ('age' as const);
  const quantities: PopulationQuantity[] = [
    ...result.axes.map((a) => `position:${a}` as const),
    'fraction',
    ...result.axes.filter((a) => a !== 'shift').map((a) => `width:${a}` as const),
  ];
  const quantity = quantities.includes(sp.quantity as PopulationQuantity)
    ? (sp.quantity as PopulationQuantity)
    : (quantities[result.axes.length - 1] ?? 'fraction');
  const back = `/populations?${new URLSearchParams(
    Object.entries(sp).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'nameError'),
  )}`;
  const sel = 'rounded border border-slate-300 bg-white px-2 py-1';
  const shown = result.groups.slice(0, MAX_GROUPS_SHOWN);
  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-bold">Populations over time</h1>
          <p className="max-w-4xl text-sm text-slate-600">
            Each sample&apos;s peaks are followed from one acquisition to the next by their position on the map (an
            assignment in log space, at most {input.radius ?? 0.25} decade per step), not by rank, so a population keeps
            its line when peaks change order, grow, shrink, appear or go. Name a population once; the name stays with it
            and with the populations near it in later batches.
          </p>
        </div>
        <LiveRefresh />
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Experiment</span>
          <select name="experiment" defaultValue={result.experiment ?? ''} className={sel}>
            {result.experiments.map((e) => (
              <option key={e.experiment} value={e.experiment}>
                {e.experiment} ({e.acquisitions})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Show</span>
          <select name="quantity" defaultValue={quantity} className={sel}>
            {quantities.map((q) => (
              <option key={q} value={q}>
                {quantityLabel(q)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">against</span>
          <select name="x" defaultValue={xAxis} className={sel}>
            <option value="age">sample age</option>
            <option value="time">time</option>
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Series of</span>
          <select name="groupBy" defaultValue={input.groupBy} className={sel}>
            <option value="sample">each sample</option>
            <option value="instrument">each instrument</option>
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Sample starts with</span>
          <input name="sample" defaultValue={input.samplePrefix ?? ''} className={sel} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Instrument</span>
          <input name="instrument" defaultValue={input.instrument ?? ''} className={`${sel} w-32`} />
        </label>
        <label
          className="flex flex-col"
          title="The word before the age in the folder or sample name, e.g. day in cheese-A-day12"
        >
          <span className="text-xs text-slate-500">Age after the word</span>
          <input name="ageWord" defaultValue={input.ageWord} className={`${sel} w-20`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">in</span>
          <select name="ageUnit" defaultValue={input.ageUnit} className={sel}>
            {Object.entries(AGE_UNIT_NAMES).map(([u, n]) => (
              <option key={u} value={u}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col" title="Largest move of a population between consecutive acquisitions">
          <span className="text-xs text-slate-500">Step (decades)</span>
          <input
            name="radius"
            type="number"
            min={0.02}
            max={1}
            step={0.01}
            defaultValue={input.radius ?? 0.25}
            className={`${sel} w-20`}
          />
        </label>
        <button className="rounded bg-slate-800 px-3 py-1 text-white">Show</button>
      </form>
      {sp.nameError ? (
        <p
          role="alert"
          data-testid="name-error"
          className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          Name not saved: {displayText(sp.nameError)}
        </p>
      ) : null}
      {result.truncated ? (
        <p className="text-sm text-amber-700">Only the newest 2000 acquisitions are followed; narrow the filters.</p>
      ) : null}
      {result.groups.length === 0 ? <p className="text-slate-500">No acquisitions with peaks match.</p> : null}
      {!ages && result.groups.length > 0 ? (
        <p className="text-sm text-slate-500">
          No sample age found after “{input.ageWord}” in the folder or sample names: drawn against time.
        </p>
      ) : null}
      {shown.map((g) => (
        <GroupSection
          key={g.group}
          group={g}
          axes={result.axes}
          experiment={result.experiment ?? ''}
          scopeDefault={input.samplePrefix ?? (input.groupBy === 'sample' ? g.group : '')}
          quantity={quantity}
          xAxis={xAxis}
          back={back}
          canName={roleAtLeast(user.role, 'manager')}
        />
      ))}
      {result.groups.length > shown.length ? (
        <p className="text-sm text-slate-500">
          {result.groups.length - shown.length} more series not drawn:{' '}
          {result.groups
            .slice(shown.length)
            .map((g) => displayText(g.group))
            .join(', ')}
          .
        </p>
      ) : null}
    </div>
  );
}

function GroupSection({
  group,
  axes,
  experiment,
  scopeDefault,
  quantity,
  xAxis,
  back,
  canName,
}: {
  group: PopulationGroup;
  axes: string[];
  experiment: string;
  scopeDefault: string;
  quantity: PopulationQuantity;
  xAxis: 'age' | 'time';
  back: string;
  /** Managers name populations; viewers see the names. */
  canName: boolean;
}) {
  const order = labelOrder(group.populations);
  const colourOf = (label: string) => POPULATION_COLOURS[order.indexOf(label) % POPULATION_COLOURS.length]!;
  const when = (at: Date, ageDays?: number) =>
    ageDays !== undefined ? `day ${+ageDays.toFixed(2)}` : `${at.toISOString().slice(0, 16)}Z`;
  const exportRows = group.populations.flatMap((p) =>
    p.points.map((q) => ({
      population: p.label,
      acquisition: q.key,
      produced: q.at.toISOString(),
      age_days: q.ageDays ?? '',
      fraction: q.fraction,
      fraction_sd: q.fractionSd ?? '',
      ...Object.fromEntries(
        axes.map((a) => [`${a}_${a === 'shift' ? 'ppm' : a === 'D' ? 'm2_s' : 's'}`, q.position[a as 'T1'] ?? '']),
      ),
      ...Object.fromEntries(axes.map((a) => [`${a}_unc_decades`, q.uncDecades[a as 'T1'] ?? ''])),
      ...Object.fromEntries(axes.map((a) => [`${a}_width_decades`, q.widthDecades[a as 'T1'] ?? ''])),
    })),
  );
  return (
    <section className="space-y-2" data-group={group.group}>
      <PopulationChart group={group} quantity={quantity} xAxis={xAxis} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-3 py-2">Population</th>
              {axes.map((a) => (
                <th key={a} className="px-3 py-2">
                  {axisLabel(a)} (median)
                </th>
              ))}
              <th className="px-3 py-2">Seen in</th>
              <th className="px-3 py-2">From – to</th>
              <th className="px-3 py-2">Fraction first → last</th>
              <th className="px-3 py-2">Name</th>
            </tr>
          </thead>
          <tbody>
            {group.populations.map((p) => (
              <tr key={p.id} className="border-t border-slate-100" data-population={p.label}>
                <td className="px-3 py-2 font-medium">{displayText(p.label)}</td>
                {axes.map((a) => (
                  <td key={a} className="px-3 py-2 tabular-nums" data-centre={a}>
                    {formatAxisValue(a === 'T2b' ? 'T2' : a, p.centre[a as 'T1'])}
                  </td>
                ))}
                <td className="px-3 py-2 tabular-nums">
                  {p.points.length} of {group.acquisitions}
                </td>
                <td className="px-3 py-2 tabular-nums">
                  {when(p.points[0]!.at, p.points[0]!.ageDays)} – {when(p.points.at(-1)!.at, p.points.at(-1)!.ageDays)}
                </td>
                <td className="px-3 py-2 tabular-nums">
                  {(p.points[0]!.fraction * 100).toFixed(1)} % → {(p.points.at(-1)!.fraction * 100).toFixed(1)} %
                </td>
                <td className="px-3 py-2">
                  {canName ? (
                    <div className="flex flex-wrap items-center gap-2">
                      <form action={namePopulation} className="flex items-center gap-1">
                        <input type="hidden" name="experiment" value={experiment} />
                        <input type="hidden" name="centre" value={JSON.stringify(centreForName(p.centre))} />
                        <input type="hidden" name="back" value={back} />
                        <input
                          name="name"
                          defaultValue={p.name ?? ''}
                          placeholder="e.g. water"
                          aria-label={`name for ${p.label}`}
                          className="w-36 rounded border border-slate-300 px-2 py-0.5"
                        />
                        <input
                          name="scope"
                          defaultValue={scopeDefault}
                          title="The name applies to samples whose name starts with this (empty: every sample)"
                          aria-label={`samples the name of ${p.label} applies to`}
                          className="w-28 rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-600"
                        />
                        <button className="rounded bg-slate-700 px-2 py-0.5 text-xs text-white">Name</button>
                      </form>
                      {p.nameId !== undefined ? (
                        <form action={forgetPopulationName}>
                          <input type="hidden" name="id" value={p.nameId} />
                          <input type="hidden" name="back" value={back} />
                          <button className="text-xs text-slate-500 underline">forget name</button>
                        </form>
                      ) : null}
                    </div>
                  ) : (
                    <span>{p.name ? displayText(p.name) : '—'}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {group.snapshots.some((snap) => snap.thumbnail) ? (
        <div className="rounded-lg border border-slate-200 bg-white p-3" data-snapshots={group.group}>
          <p className="mb-2 text-xs text-slate-500">
            Maps across the series ({group.snapshots.length} of {group.acquisitions}), each population ringed where it
            was found; {axisLabel(axes[1] ?? '')} across, {axisLabel(axes[0] ?? '')} up.
          </p>
          <div className="flex flex-wrap gap-3">
            {group.snapshots.map((snap) =>
              snap.thumbnail ? (
                <Link key={snap.key} href={`/acquisitions/${snap.key}`} className="text-xs text-slate-600">
                  <ResultThumbnail
                    thumbnail={snap.thumbnail}
                    marks={snap.populations.flatMap((p) => {
                      const a0 = p.position[axes[0] as 'T1'];
                      const a1 = p.position[axes[1] as 'T2'];
                      return a0 === undefined || a1 === undefined
                        ? []
                        : [
                            {
                              label: p.label.replace(/^population /, '#'),
                              at: [a0, a1] as [number, number],
                              colour: colourOf(p.label),
                            },
                          ];
                    })}
                  />
                  <span className="tabular-nums">{when(snap.at, snap.ageDays)}</span>
                </Link>
              ) : null,
            )}
          </div>
        </div>
      ) : null}
      <div className="flex items-center justify-between text-sm">
        <p className="text-slate-600" data-events={group.group}>
          {group.events.length === 0
            ? `${group.acquisitions} acquisitions; no population appeared or went.`
            : group.events
                .map(
                  (e) =>
                    `${when(e.at, e.ageDays)}: ${displayText(e.label)} ${e.kind === 'new' ? 'appears' : 'is gone'}`,
                )
                .join(' · ')}
        </p>
        <TableExport rows={exportRows} name={`populations-${group.group}`} />
      </div>
    </section>
  );
}
