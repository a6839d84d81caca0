/**
 * The fleet at a glance: a card per instrument, those that need attention first (the router sorts them) with a red or
 * amber edge and the reason in words; the last result's picture, the trend of its recent results, the last spectrum
 * (a sparkline, its nucleus and sample), today's counts and the agent's queues. CSV/JSON export of what is shown. A server component: the cards (their pictures and
 * sparklines) are rendered once, as HTML, not also shipped as props to the browser.
 */
import Link from 'next/link';
import type { FleetRow } from '../server/api/routers/fleet';
import type { HealthLevel } from '../lib/fleetHealth';
import { ago, formatUtc } from '../lib/time';
import { displayText } from '../lib/displayText';
import { nucleusLabel } from '../lib/spectrumDocument';
import { TableExport } from './ExportButtons';
import { ResultThumbnail } from './ResultThumbnail';
import { SpectrumSparkline } from './SpectrumSparkline';
import { StateBadge } from './StateBadge';
import { TrendSparkline } from './TrendSparkline';

const EDGE: Record<HealthLevel, string> = {
  alert: 'border-l-rose-500 bg-rose-50/60',
  warn: 'border-l-amber-400 bg-amber-50/60',
  unknown: 'border-l-slate-300 bg-white',
  ok: 'border-l-emerald-400 bg-white',
};
const REASON: Record<HealthLevel, string> = {
  alert: 'text-rose-800 font-semibold',
  warn: 'text-amber-800',
  unknown: 'text-slate-500',
  ok: 'text-slate-500',
};

export function FleetGrid({ rows, now }: { rows: FleetRow[]; now: Date }) {
  const exportRows = rows.map((r) => ({
    instrument: r.id,
    site: r.site,
    attention: r.health.level,
    reasons: r.health.reasons.join('; '),
    state: r.state,
    stateSince: r.stateAt,
    lastAcquisition: r.lastAt,
    lastSample: r.lastSample,
    resultsToday: r.resultsToday,
    failuresToday: r.failuresToday,
    queued: r.queued,
    outboxDepth: r.outboxDepth,
    heartbeatAt: r.heartbeatAt,
    trendAxis: r.trend?.axis ?? null,
    trendLatest: r.trend?.points.at(-1)?.value ?? null,
    lastSpectrum: r.spectrum?.producedAt ?? null,
    lastSpectrumNucleus: r.spectrum?.nucleus ?? null,
    lastSpectrumSample: r.spectrum?.sample ?? null,
    spectraToday: r.spectrum?.today ?? 0,
  }));
  const attention = rows.filter((r) => r.health.level === 'alert' || r.health.level === 'warn').length;
  return (
    <section className="space-y-2" data-testid="fleet-table">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold text-slate-800">
          Instruments ({rows.length})
          {attention > 0 ? (
            <span className="ml-2 text-sm font-normal text-rose-700">{attention} need attention</span>
          ) : rows.length > 0 ? (
            <span className="ml-2 text-sm font-normal text-emerald-700">all well</span>
          ) : null}
        </h2>
        <TableExport rows={exportRows} name="fleet" />
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-6 text-center text-sm text-slate-500">
          No instrument has reported yet. Start an agent (`lapis agent`) pointed at this broker.
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2 xl:grid-cols-3">
        {rows.map((r) => (
          <article
            key={r.id}
            className={`rounded-lg border border-l-4 border-slate-200 p-3 shadow-sm ${EDGE[r.health.level]}`}
            data-instrument={r.id}
            data-health={r.health.level}
          >
            <header className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <Link
                  className="font-semibold text-sky-800 hover:underline"
                  href={`/instruments/${encodeURIComponent(r.id)}`}
                >
                  {displayText(r.id)}
                </Link>
                {r.site ? <span className="ml-2 text-xs text-slate-500">{displayText(r.site)}</span> : null}
              </div>
              <div data-field="state" className="shrink-0 text-right">
                <StateBadge state={r.state} />
              </div>
            </header>
            {r.health.reasons.length > 0 ? (
              <ul className={`mt-1 text-sm ${REASON[r.health.level]}`} data-field="attention">
                {r.health.reasons.map((reason) => (
                  <li key={reason}>{displayText(reason)}</li>
                ))}
              </ul>
            ) : null}
            <div className="mt-2 flex gap-3">
              {r.thumbnail ? (
                <Link href={r.lastKey ? `/acquisitions/${r.lastKey}` : '#'} aria-label="open the last result">
                  <ResultThumbnail thumbnail={r.thumbnail} />
                </Link>
              ) : r.spectrum?.thumbnail ? (
                // no relaxation result: the spectrum takes the picture's place
                <Link href={`/spectra/${r.spectrum.key}`} aria-label="open the last spectrum">
                  <SpectrumSparkline thumbnail={r.spectrum.thumbnail} height={96} caption />
                </Link>
              ) : (
                <div className="flex h-[96px] w-[132px] shrink-0 items-center justify-center rounded border border-dashed border-slate-300 text-xs text-slate-400">
                  no result yet
                </div>
              )}
              <div className="min-w-0 space-y-1 text-sm">
                <div data-field="last" className="truncate">
                  {r.lastKey ? (
                    <Link className="text-sky-700 hover:underline" href={`/acquisitions/${r.lastKey}`}>
                      {displayText(r.lastSample, r.lastKey.slice(0, 8))}
                    </Link>
                  ) : (
                    '–'
                  )}
                  <span className="ml-2 text-xs text-slate-500" title={formatUtc(r.lastAt)}>
                    {r.lastAt ? ago(r.lastAt, now) : ''}
                  </span>
                </div>
                <dl className="grid grid-cols-[auto_auto] gap-x-3 text-xs text-slate-600">
                  <dt>results today</dt>
                  <dd className="tabular-nums text-slate-800" data-field="today">
                    {r.resultsToday}
                  </dd>
                  <dt>failed today</dt>
                  <dd className={`tabular-nums ${r.failuresToday ? 'font-semibold text-rose-700' : 'text-slate-800'}`}>
                    {r.failuresToday}
                  </dd>
                  <dt>queue · outbox</dt>
                  <dd className="tabular-nums text-slate-800">
                    {r.queued ?? '–'} ·{' '}
                    <span className={(r.outboxDepth ?? 0) > 0 ? 'text-amber-700' : ''}>{r.outboxDepth ?? '–'}</span>
                  </dd>
                  <dt>heartbeat</dt>
                  <dd>{r.heartbeatAt ? ago(r.heartbeatAt, now) : 'none'}</dd>
                </dl>
              </div>
            </div>
            {r.spectrum ? (
              <div className="mt-2 flex items-center gap-2" data-field="spectrum">
                {r.thumbnail && r.spectrum.thumbnail ? (
                  <Link href={`/spectra/${r.spectrum.key}`} aria-label="open the last spectrum">
                    <SpectrumSparkline thumbnail={r.spectrum.thumbnail} height={32} />
                  </Link>
                ) : null}
                <div className="min-w-0 text-xs leading-tight text-slate-600">
                  <div className="truncate text-sm">
                    <span className="font-medium text-slate-800">{nucleusLabel(r.spectrum.nucleus) ?? 'spectrum'}</span>{' '}
                    <Link className="text-sky-700 hover:underline" href={`/spectra/${r.spectrum.key}`}>
                      {displayText(r.spectrum.sample, r.spectrum.key.slice(0, 8))}
                    </Link>
                  </div>
                  <div title={formatUtc(r.spectrum.producedAt)}>
                    last spectrum {ago(r.spectrum.producedAt, now)} · {r.spectrum.peakCount} peaks · {r.spectrum.today}{' '}
                    today
                  </div>
                </div>
              </div>
            ) : null}
            {r.trend && r.trend.points.length > 1 ? (
              <div className="mt-2">
                <TrendSparkline trend={r.trend} />
              </div>
            ) : null}
          </article>
        ))}
      </div>
    </section>
  );
}
