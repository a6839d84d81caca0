// Fleet: every instrument at a glance, re-rendered live as agents report.
import { FleetGrid } from '../components/FleetGrid';
import { LiveRefresh } from '../components/LiveRefresh';
import { displayText } from '../lib/displayText';
import { api } from '../trpc/server';
import { requireUser } from '../server/auth/pageGuard';
import { roleAtLeast } from '../server/auth/roles';
import { IncidentsPanel } from '../components/IncidentsPanel';

export const dynamic = 'force-dynamic';

export default async function FleetPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const caller = await api();
  const now = new Date();
  const [rows, ingest, alerts] = await Promise.all([
    caller.fleet.list({ now }),
    caller.fleet.ingest(),
    caller.alerts.open(),
  ]);
  const online = rows.filter((r) => r.state === 'online').length;
  const c = ingest.counters;
  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-bold">Fleet</h1>
          <p className="text-sm text-slate-600">
            {online} of {rows.length} online · {rows.reduce((s, r) => s + r.resultsToday, 0)} results today (UTC)
          </p>
        </div>
        <LiveRefresh />
      </div>
      <FleetGrid rows={rows} now={now} />
      <IncidentsPanel
        incidents={alerts.incidents}
        mutes={alerts.mutes}
        canManage={roleAtLeast(user.role, 'manager')}
        error={sp.alertError}
      />
      <section
        className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600"
        data-testid="ingest"
      >
        <h2 className="mb-1 font-semibold text-slate-800">Ingest</h2>
        {c ? (
          <p>
            {c.received} messages received · {c.accepted} stored · {c.duplicates} duplicates ·{' '}
            <span className={c.rejected ? 'font-semibold text-rose-700' : ''}>{c.rejected} rejected</span>
            {c.rejected
              ? ` (${Object.entries(c.byReason)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ')})`
              : ''}{' '}
            · database {ingest.dbKind}
          </p>
        ) : (
          <p>Ingest is off (LAPIS_INGEST=off); showing the database as it is.</p>
        )}
        {ingest.recent.length > 0 ? (
          <details className="mt-2">
            <summary className="cursor-pointer">Latest rejected messages</summary>
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {ingest.recent.map((r) => (
                <li key={r.id}>
                  {r.at.toISOString().slice(0, 19)}Z {r.reason} {displayText(r.topic, '', 120)} ({r.bytes} B):{' '}
                  {displayText(r.detail, '', 160)}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
    </div>
  );
}
