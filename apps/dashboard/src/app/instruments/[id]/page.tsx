// Instrument: its state, recent spectra and acquisitions (filter by experiment and sample) and throughput.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { experimentSchema } from '@lapis/contracts';
import { AcquisitionList } from '../../../components/AcquisitionList';
import { DailySparkline } from '../../../components/DailySparkline';
import { LiveRefresh } from '../../../components/LiveRefresh';
import { SpectrumList } from '../../../components/SpectrumList';
import { StateBadge } from '../../../components/StateBadge';
import { displayText } from '../../../lib/displayText';
import { textFilterSchema } from '../../../server/api/inputs';
import { ago, formatUtc } from '../../../lib/time';
import { api } from '../../../trpc/server';
import { requireUser } from '../../../server/auth/pageGuard';
import { roleAtLeast } from '../../../server/auth/roles';
import { ReprocessForm, ReprocessNotice } from '../../../components/ReprocessForm';
import { reprocessFilter, reprocessKeys } from '../../reprocessActions';

export const dynamic = 'force-dynamic';

export default async function InstrumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requireUser();
  const { id: raw } = await params;
  const id = decodeURIComponent(raw);
  const sp = await searchParams;
  const experiment = experimentSchema.safeParse(sp.experiment).data;
  // an over-long or control-character filter is refused by the proxy (400); never hand one to the router
  const sample = textFilterSchema.safeParse(sp.sample?.trim() || undefined).data;
  const caller = await api();
  const info = await caller.instrument.get({ id }).catch(() => null);
  if (!info) notFound();
  const now = new Date();
  const [rows, daily, spectra] = await Promise.all([
    caller.instrument.acquisitions({ id, experiment, sample, limit: 200 }),
    caller.instrument.daily({ id, days: 14, now }),
    caller.spectrum.recent({ instrumentId: id, limit: 50 }),
  ]);
  const i = info.instrument;
  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/" className="hover:underline">
              Fleet
            </Link>{' '}
            /
          </p>
          <h1 className="flex items-center gap-3 text-2xl font-bold">
            {displayText(i.id)} <StateBadge state={i.state} />
          </h1>
          <p className="text-sm text-slate-600">
            {i.site ? `${displayText(i.site)} · ` : ''}agent {displayText(i.version, '?')} · state since{' '}
            {formatUtc(i.stateAt)} · heartbeat {ago(i.heartbeatAt, now)} · processed {i.processed ?? '–'}, failed{' '}
            {i.failed ?? '–'}, queued {i.queued ?? '–'}, outbox {i.outboxDepth ?? '–'}
          </p>
        </div>
        <LiveRefresh instrumentId={id} />
      </div>
      <ReprocessNotice sent={sp.reprocess} error={sp.reprocessError} />
      {roleAtLeast(user.role, 'manager') ? (
        <ReprocessForm action={reprocessFilter} label="Reprocess every acquisition matching the filter">
          <input type="hidden" name="instrument" value={id} />
          <input type="hidden" name="sample" value={sample ?? ''} />
          <input type="hidden" name="experiment" value={experiment ?? ''} />
          <input
            type="hidden"
            name="back"
            value={`/instruments/${encodeURIComponent(id)}?${new URLSearchParams({
              ...(sample ? { sample } : {}),
              ...(experiment ? { experiment } : {}),
            }).toString()}`}
          />
          <span className="text-slate-600">
            {sample || experiment
              ? `sample contains “${displayText(sample ?? '')}”${experiment ? `, ${experiment}` : ''}`
              : 'no filter: all of this instrument'}
          </span>
        </ReprocessForm>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        <DailySparkline days={daily} name={id} />
        <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <h2 className="mb-2 font-semibold text-slate-800">Recent events</h2>
          <ul className="max-h-40 space-y-0.5 overflow-y-auto text-xs">
            {info.events.length === 0 ? <li className="text-slate-500">none</li> : null}
            {info.events.map((e) => (
              <li key={e.id} className={e.kind === 'failed' ? 'text-rose-700' : 'text-slate-600'}>
                {formatUtc(e.at)} {e.kind} {displayText(e.path)}
                {e.reason ? ` — ${displayText(e.reason)}` : ''}
              </li>
            ))}
          </ul>
        </section>
      </div>
      {spectra.length > 0 ? <SpectrumList rows={spectra} name={id} /> : null}
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Experiment</span>
          <select
            name="experiment"
            defaultValue={experiment ?? ''}
            className="rounded border border-slate-300 bg-white px-2 py-1"
          >
            <option value="">all</option>
            {info.experiments.map((e) => (
              <option key={e} value={e!}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Sample contains</span>
          <input name="sample" defaultValue={sample ?? ''} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <button className="rounded bg-slate-800 px-3 py-1 text-white">Filter</button>
        <Link className="text-sky-700 hover:underline" href={`/trends?instrument=${encodeURIComponent(id)}`}>
          Trends of this instrument →
        </Link>
      </form>
      {roleAtLeast(user.role, 'manager') ? (
        <ReprocessForm action={reprocessKeys} label="Reprocess the acquisitions ticked below" id="reprocess-selection">
          <input type="hidden" name="back" value={`/instruments/${encodeURIComponent(id)}`} />
        </ReprocessForm>
      ) : null}
      <AcquisitionList
        rows={rows}
        name={id}
        {...(roleAtLeast(user.role, 'manager') ? { selectForm: 'reprocess-selection' } : {})}
      />
    </div>
  );
}
