// Open alert incidents (what the webhook and e-mail were told) and the mutes in force; managers acknowledge an
// incident or mute an instrument's notifications for a time.
import { acknowledgeIncident, muteInstrument, unmute } from '../app/alertActions';
import { displayText } from '../lib/displayText';
import { formatUtc } from '../lib/time';
import type { IncidentRow } from '../server/db/schema';

interface Mute {
  id: number;
  instrumentId: string;
  kind: string | null;
  until: Date;
  byEmail: string | null;
}

export function IncidentsPanel({
  incidents,
  mutes,
  canManage,
  error,
}: {
  incidents: IncidentRow[];
  mutes: Mute[];
  canManage: boolean;
  error?: string;
}) {
  if (incidents.length === 0 && mutes.length === 0 && !error) return null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm" data-testid="incidents">
      <h2 className="mb-1 font-semibold text-slate-800">Open incidents ({incidents.length})</h2>
      {error ? (
        <p role="alert" className="mb-2 text-red-700">
          Not changed: {displayText(error)}
        </p>
      ) : null}
      <ul className="space-y-1">
        {incidents.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center gap-2" data-incident={`${i.instrumentId}/${i.kind}`}>
            <span className={i.level === 'alert' ? 'text-rose-700' : 'text-amber-700'}>●</span>
            <span className="font-medium">{displayText(i.instrumentId)}</span>
            <span>{displayText(i.detail)}</span>
            <span className="text-slate-500">since {formatUtc(i.openedAt)}</span>
            {i.acknowledgedAt ? (
              <span className="text-slate-500" data-acknowledged>
                · acknowledged by {displayText(i.acknowledgedBy ?? '?')}
              </span>
            ) : canManage ? (
              <form action={acknowledgeIncident}>
                <input type="hidden" name="incidentId" value={i.id} />
                <button className="text-blue-700 underline">acknowledge</button>
              </form>
            ) : null}
            {canManage ? (
              <form action={muteInstrument} className="flex items-center gap-1">
                <input type="hidden" name="instrument" value={i.instrumentId} />
                <input type="hidden" name="kind" value={i.kind} />
                <select name="hours" defaultValue="4" aria-label="mute for" className="rounded border px-1">
                  <option value="1">1 h</option>
                  <option value="4">4 h</option>
                  <option value="24">1 day</option>
                  <option value="168">1 week</option>
                </select>
                <button className="text-blue-700 underline">mute {i.kind}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {mutes.length > 0 ? (
        <ul className="mt-2 space-y-0.5 text-slate-600">
          {mutes.map((m) => (
            <li key={m.id} className="flex items-center gap-2" data-mute={m.instrumentId}>
              muted: {displayText(m.instrumentId)} {m.kind ? `(${m.kind})` : '(all)'} until {formatUtc(m.until)} by{' '}
              {displayText(m.byEmail ?? '?')}
              {canManage ? (
                <form action={unmute}>
                  <input type="hidden" name="muteId" value={m.id} />
                  <button className="text-blue-700 underline">unmute</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
