'use client';
/** The fleet table: one row per instrument, with CSV/JSON export of exactly what is shown. */
import Link from 'next/link';
import type { FleetRow } from '../server/api/routers/fleet';
import { ago, formatUtc } from '../lib/time';
import { displayText } from '../lib/displayText';
import { TableExport } from './ExportButtons';
import { StateBadge } from './StateBadge';

export function FleetGrid({ rows, now }: { rows: FleetRow[]; now: Date }) {
  const exportRows = rows.map((r) => ({
    instrument: r.id,
    site: r.site,
    state: r.state,
    stateSince: r.stateAt,
    lastAcquisition: r.lastAt,
    lastSample: r.lastSample,
    resultsToday: r.resultsToday,
    failuresToday: r.failuresToday,
    queued: r.queued,
    outboxDepth: r.outboxDepth,
    heartbeatAt: r.heartbeatAt,
  }));
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Instruments ({rows.length})</h2>
        <TableExport rows={exportRows} name="fleet" />
      </div>
      <table className="w-full text-sm" data-testid="fleet-table">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">Instrument</th>
            <th className="px-4 py-2">State</th>
            <th className="px-4 py-2">Last acquisition</th>
            <th className="px-4 py-2 text-right">Results today</th>
            <th className="px-4 py-2 text-right">Failures today</th>
            <th className="px-4 py-2 text-right">Queue</th>
            <th className="px-4 py-2 text-right">Outbox</th>
            <th className="px-4 py-2">Heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="px-4 py-6 text-center text-slate-500">
                No instrument has reported yet. Start an agent (`lapis agent`) pointed at this broker.
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100" data-instrument={r.id}>
              <td className="px-4 py-2 font-medium">
                <Link className="text-sky-700 hover:underline" href={`/instruments/${encodeURIComponent(r.id)}`}>
                  {displayText(r.id)}
                </Link>
                {r.site ? <span className="ml-2 text-xs text-slate-400">{displayText(r.site)}</span> : null}
              </td>
              <td className="px-4 py-2" data-field="state">
                <StateBadge state={r.state} />
                {r.state === 'offline' && r.stateReason ? (
                  <span className="ml-2 text-xs text-slate-500">{displayText(r.stateReason)}</span>
                ) : null}
              </td>
              <td className="px-4 py-2" data-field="last">
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
              </td>
              <td className="px-4 py-2 text-right tabular-nums" data-field="today">
                {r.resultsToday}
              </td>
              <td
                className={`px-4 py-2 text-right tabular-nums ${r.failuresToday ? 'font-semibold text-rose-700' : ''}`}
              >
                {r.failuresToday}
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{r.queued ?? '–'}</td>
              <td className={`px-4 py-2 text-right tabular-nums ${(r.outboxDepth ?? 0) > 0 ? 'text-amber-700' : ''}`}>
                {r.outboxDepth ?? '–'}
              </td>
              <td className="px-4 py-2 text-xs text-slate-500">{r.heartbeatAt ? ago(r.heartbeatAt, now) : 'none'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
