/**
 * The instrument software's own results beside Lapis' (lapis-result/1 vendorResults): TopSpin's T1/T2/D fit of each
 * spectral peak, GeoSpec's log-mean T2 … — what users check first. Differences over 5 % are marked.
 */
import type { ResultDoc } from '@lapis/contracts';
import { formatAxisValue } from '../lib/units';
import { displayText } from '../lib/displayText';

export function VendorComparison({ doc }: { doc: ResultDoc }) {
  const rows = doc.vendorResults ?? [];
  if (rows.length === 0) return null;
  const show = (v: { unit: string }, x: number) => formatAxisValue(v.unit === 'm2/s' ? 'D' : 'T', x);
  return (
    <section className="rounded-lg border border-slate-200 bg-white" data-testid="vendor-results">
      <div className="border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Vendor results beside Lapis</h2>
      </div>
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">Quantity</th>
            <th className="px-4 py-2">Software</th>
            <th className="px-4 py-2 text-right">Vendor</th>
            <th className="px-4 py-2 text-right">Lapis</th>
            <th className="px-4 py-2 text-right">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v, i) => {
            const d = v.relativeDifference;
            return (
              <tr key={i} className="border-t border-slate-100">
                <td className="px-4 py-1.5">
                  {displayText(v.quantity)}
                  {v.shift != null ? <span className="text-slate-400"> at {v.shift.toFixed(3)} ppm</span> : null}
                </td>
                <td className="px-4 py-1.5 text-slate-500" title={displayText(v.file)}>
                  {displayText(v.software)}
                </td>
                <td className="px-4 py-1.5 text-right tabular-nums">{show(v, v.value)}</td>
                <td className="px-4 py-1.5 text-right tabular-nums" title={displayText(v.note)}>
                  {v.lapis != null ? show(v, v.lapis) : '–'}
                </td>
                <td
                  className={`px-4 py-1.5 text-right tabular-nums ${d != null && Math.abs(d) > 0.05 ? 'text-amber-700' : ''}`}
                >
                  {d != null ? `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)} %` : displayText(v.note, '–')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
