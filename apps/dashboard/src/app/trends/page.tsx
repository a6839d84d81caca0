// Trends: a peak quantity over time, grouped by sample or instrument.
import Link from 'next/link';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';
import { TableExport } from '../../components/ExportButtons';
import { LiveRefresh } from '../../components/LiveRefresh';
import { TrendChart } from '../../components/TrendChart';
import { textFilterSchema } from '../../server/api/inputs';
import { peakOrders, trendQuantities } from '../../server/api/routers/trends';
import { api } from '../../trpc/server';
import { requireUser } from '../../server/auth/pageGuard';

export const dynamic = 'force-dynamic';

const pick = <T extends string>(v: string | undefined, allowed: readonly T[], fallback: T): T =>
  allowed.includes(v as T) ? (v as T) : fallback;

export default async function TrendsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requireUser();
  const sp = await searchParams;
  const input = {
    quantity: pick(sp.quantity, trendQuantities, 'fraction'),
    orderBy: pick(sp.orderBy, peakOrders, 't2'),
    peak: Math.max(0, Math.min(20, Number.parseInt(sp.peak ?? '0', 10) || 0)),
    groupBy: pick(sp.groupBy, ['sample', 'instrument'] as const, 'sample'),
    instrument: instrumentIdSchema.safeParse(sp.instrument).data,
    experiment: experimentSchema.safeParse(sp.experiment).data,
    samplePrefix: textFilterSchema.safeParse(sp.sample?.trim() || undefined).data,
  };
  const points = await (await api()).trends.series(input);
  const sel = 'rounded border border-slate-300 bg-white px-2 py-1';
  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-bold">Trends</h1>
          <p className="text-sm text-slate-600">
            Peaks are matched across acquisitions by their order along an axis (e.g. the shortest-T2 peak), not by size,
            which changes as a sample changes. To follow each population by its position, with names, see{' '}
            <Link href="/populations" className="underline">
              Populations
            </Link>
            .
          </p>
        </div>
        <LiveRefresh />
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Quantity</span>
          <select name="quantity" defaultValue={input.quantity} className={sel}>
            {trendQuantities.map((q) => (
              <option key={q}>{q}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Peak</span>
          <input name="peak" type="number" min={0} max={20} defaultValue={input.peak} className={`${sel} w-16`} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">counted by</span>
          <select name="orderBy" defaultValue={input.orderBy} className={sel}>
            <option value="t2">ascending T2</option>
            <option value="t1">ascending T1</option>
            <option value="d">ascending D</option>
            <option value="rank">size (largest first)</option>
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Group by</span>
          <select name="groupBy" defaultValue={input.groupBy} className={sel}>
            <option value="sample">sample</option>
            <option value="instrument">instrument</option>
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Instrument</span>
          <input name="instrument" defaultValue={input.instrument ?? ''} className={sel} />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Sample starts with</span>
          <input name="sample" defaultValue={input.samplePrefix ?? ''} className={sel} />
        </label>
        <button className="rounded bg-slate-800 px-3 py-1 text-white">Show</button>
        <TableExport rows={points as unknown as Record<string, unknown>[]} name={`trend-${input.quantity}`} />
      </form>
      {points.length === 0 ? (
        <p className="text-slate-500">No peaks match.</p>
      ) : (
        <TrendChart points={points} quantity={input.quantity} />
      )}
    </div>
  );
}
