// Quality control: a control chart per reference sample, with Westgard rules on every result after its baseline.
import { QcChart } from '../../components/QcChart';
import { displayText } from '../../lib/displayText';
import { axisOf, isPosition, QC_QUANTITIES, QC_QUANTITY_LABELS, type QcQuantity } from '../../lib/qcQuantity';
import { formatAxisValue } from '../../lib/units';
import { formatUtc } from '../../lib/time';
import { requireUser } from '../../server/auth/pageGuard';
import { roleAtLeast } from '../../server/auth/roles';
import { api } from '../../trpc/server';
import { designateReference, retireReference } from './actions';

export const dynamic = 'force-dynamic';

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';

/** The limits in the user's units: a position's mean as a time or D, its SD in decades and as a factor. */
function limitsText(q: QcQuantity, l: { mean: number; sd: number }): string {
  if (!isPosition(q)) return `mean ${(l.mean * 100).toFixed(1)} %, SD ${(l.sd * 100).toFixed(1)} %`;
  return `mean ${formatAxisValue(axisOf(q), 10 ** l.mean)}, SD ${l.sd.toFixed(3)} decades (×${(10 ** l.sd).toFixed(3)})`;
}

export default async function QcPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const canManage = roleAtLeast(user.role, 'manager');
  const charts = await (await api()).qc.charts();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Quality control</h1>
        <p className="text-sm text-slate-600">
          A reference sample measured now and then (a doped water, a standard oil) should give the same answer each
          time. Each chart takes its limits (mean ± SD) from the reference&apos;s first results and judges every later
          one by the Westgard rules: 1-3s, 2-2s, R-4s, 4-1s and 10-x reject (red; an alert opens on the fleet page and
          goes to the webhook and e-mail), 1-2s warns (amber).
        </p>
      </div>
      {sp.error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Not changed: {displayText(sp.error)}
        </p>
      ) : null}
      {charts.length === 0 ? <p className="text-sm text-slate-600">No reference sample designated yet.</p> : null}
      {charts.map((c) => {
        const last = c.points.at(-1);
        const baselineSeen = c.points.filter((p) => p.baseline).length;
        return (
          <section key={c.reference.id} className="space-y-2" data-qc={c.reference.name}>
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <span
                className={`rounded px-2 py-0.5 font-medium ${
                  c.outOfControl
                    ? 'bg-red-100 text-red-800'
                    : c.limits
                      ? 'bg-emerald-100 text-emerald-800'
                      : 'bg-slate-100 text-slate-700'
                }`}
                data-qc-status={c.outOfControl ? 'out' : c.limits ? 'in' : 'baseline'}
              >
                {c.outOfControl
                  ? `out of control: ${last?.rules.join(', ')}`
                  : c.limits
                    ? 'in control'
                    : `collecting the baseline: ${baselineSeen} of ${c.reference.baselineCount}`}
              </span>
              <span className="text-slate-600">
                samples “{displayText(c.reference.samplePrefix)}…” on{' '}
                {displayText(c.reference.instrumentId ?? 'any instrument')}
                {c.reference.experiment ? `, ${c.reference.experiment}` : ''} · {c.points.length} results
                {c.limits
                  ? ` · limits from ${c.limits.n}: ${limitsText(c.reference.quantity as QcQuantity, c.limits)}`
                  : ''}{' '}
                · designated {formatUtc(c.reference.createdAt)} by {displayText(c.reference.createdBy ?? '?')}
              </span>
              {canManage ? (
                <form action={retireReference}>
                  <input type="hidden" name="id" value={c.reference.id} />
                  <button className="text-xs text-slate-500 underline">retire</button>
                </form>
              ) : null}
            </div>
            {c.points.length > 0 ? (
              <QcChart
                name={c.reference.name}
                quantity={c.reference.quantity as QcQuantity}
                points={c.points}
                limits={c.limits}
              />
            ) : null}
          </section>
        );
      })}
      {canManage ? (
        <form action={designateReference} className="flex flex-wrap items-end gap-2 text-sm" data-qc-designate>
          <label className="flex flex-col">
            Name
            <input name="name" required placeholder="doped water 0.1 mM" className={input} />
          </label>
          <label className="flex flex-col">
            Sample name starts with
            <input name="samplePrefix" required placeholder="QC-water" className={input} />
          </label>
          <label className="flex flex-col">
            Instrument (empty: any)
            <input name="instrument" className={input} />
          </label>
          <label className="flex flex-col">
            Experiment (empty: any)
            <input name="experiment" placeholder="T2" className={input} />
          </label>
          <label className="flex flex-col">
            Quantity
            <select name="quantity" defaultValue="mean:T2" className={input}>
              {QC_QUANTITIES.map((q) => (
                <option key={q} value={q}>
                  {QC_QUANTITY_LABELS[q]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            Baseline results
            <input name="baselineCount" type="number" min={5} max={200} defaultValue={20} className={input} />
          </label>
          <button className="rounded bg-slate-900 px-3 py-1.5 text-white">Designate</button>
        </form>
      ) : null}
    </div>
  );
}
